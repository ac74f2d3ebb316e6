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
    html = rendercache.cached_get(key)
    if html is None:
        html = render(markers=True)
        rendercache.cached_set(key, html)

    class _Content:
        def __init__(self, pk):
            self.pk = pk

    filled = rendercache.h5p_markers_fill(
        html, lambda pk: escape(h5p_player_url({"request": request}, _Content(pk)))
    )
    return mark_safe(filled)  # noqa: S308 - our own cached rendering of the blocks


@register.filter
def done_marker(step_id) -> str:
    from content.rendercache import marker

    return marker("done", step_id)


@register.simple_tag(takes_context=True)
def lesson_nav(context, page, lessons, completed_ids):
    """The course's lessons beside a lesson: the same for everyone reading that lesson but
    for the marks of what each has completed, so rendered once per lesson, language and
    content generation and then served from the cache, each learner's marks put in
    afterwards. The admin's preview renders it afresh."""
    from django.template.loader import render_to_string
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from content import rendercache

    request = context.get("request")
    preview = request is None or getattr(request, "is_preview", False) or not page.live

    def render() -> str:
        return render_to_string("courses/_lesson_nav.html", {"page": page, "lessons": lessons})

    if preview:
        html = render()
    else:
        key = f"courses:lesson-nav:{page.pk}:{get_language()}:{rendercache.generation()}"
        html = rendercache.cached_get(key)
        if html is None:
            html = render()
            rendercache.cached_set(key, html)
    done = format_html(
        '<span class="visually-hidden">({})</span><span aria-hidden="true"> ✓</span>',
        _("completed"),
    )
    filled = rendercache.markers_fill(html, "done", lambda pk: done if pk in completed_ids else "")
    return mark_safe(filled)  # noqa: S308 - our own rendering of the outline, escaped
