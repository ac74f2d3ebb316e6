from django import template

from accounts.models import JobRole

register = template.Library()


@register.filter
def job_role_label(value: str) -> str:
    try:
        return JobRole(value).label
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def lesson_body(context, page):
    """The lesson's blocks, rendered once per live revision, language and content
    generation and then served from the cache; each learner's H5P player addresses are put
    in afterwards. The admin's preview (a draft) always renders afresh."""
    from django.core.cache import cache
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    from content import rendercache
    from content.templatetags.h5p_tags import h5p_player_url

    request = context.get("request")
    preview = request is None or getattr(request, "is_preview", False) or not page.live

    def render(markers: bool) -> str:
        with context.push(h5p_markers=markers):
            return "".join(block.render_as_block(context=context.flatten()) for block in page.body)

    if preview:
        return mark_safe(render(markers=False))  # noqa: S308 - blocks render escaped HTML
    key = (
        f"courses:lesson-body:{page.pk}:{page.live_revision_id}:{get_language()}:"
        f"{rendercache.generation()}"
    )
    html = cache.get(key)
    if html is None:
        html = render(markers=True)
        cache.set(key, html, rendercache.RENDER_SECONDS)

    class _Content:
        def __init__(self, pk):
            self.pk = pk

    filled = rendercache.h5p_markers_fill(
        html, lambda pk: escape(h5p_player_url({"request": request}, _Content(pk)))
    )
    return mark_safe(filled)  # noqa: S308 - our own cached rendering of the blocks
