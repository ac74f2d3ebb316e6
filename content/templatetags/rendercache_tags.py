"""{% pagecache page "name" %}...{% endpagecache %}: a fragment of a page that is the same
for everyone, cached per page, live revision, language and content generation
(content.rendercache). The admin's preview of a draft always renders it afresh."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from content import rendercache

register = template.Library()


class PageCacheNode(template.Node):
    def __init__(self, nodelist, page, name):
        self.nodelist = nodelist
        self.page = page
        self.name = name

    def render(self, context):
        page = self.page.resolve(context)
        name = self.name.resolve(context)
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False) or not page.live:
            return self.nodelist.render(context)
        key = (
            f"content:fragment:{name}:{page.pk}:{page.live_revision_id}:{get_language()}:"
            f"{rendercache.generation()}"
        )
        html = rendercache.cached_get(key)
        if html is None:
            html = str(self.nodelist.render(context))
            rendercache.cached_set(key, html)
        return mark_safe(html)  # noqa: S308 - the template's own rendering, cached


@register.tag
def pagecache(parser, token):
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError('usage: {% pagecache page "name" %}')
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))
