"""{% pagecache page "name" %}...{% endpagecache %}: a fragment of a page that is the same
for everyone, cached per page, live revision, language and content generation
(content.rendercache). The admin's preview of a draft always renders it afresh.

{% sitecache "name" [value ...] %}...{% endsitecache %}: a part of the site's frame
(templates/base.html: the menu, the footer, the asset tags) that depends on the code only
(template text, translations, URLs, static file names), on the language and on the listed
values (e.g. `user.is_authenticated nav.hr`: yes/no answers, never a person's data). Kept
in each process's memory (rendercache.code_memo). Whatever differs per request inside it,
a name, a CSRF token, a CSP nonce, this page's address, goes in
{% uncached %}...{% enduncached %}: the cached HTML holds a marker there and each request
renders that part afresh in its own context. An {% uncached %} part is rendered once per
request, so it must not sit inside a loop of the cached part.
"""

from django import template
from django.urls import get_script_prefix
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


_LIVE = "pcmd_sitecache_marking"


class UncachedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.index = None  # its place in the enclosing {% sitecache %}, set by that node

    def render(self, context):
        if self.index is not None and context.get(_LIVE):
            return rendercache.marker("live", self.index)
        return self.nodelist.render(context)


class SiteCacheNode(template.Node):
    # {% extends %} looks for the parent's {% block %}s on every render, through every
    # child node list: none may sit in a cached part (a child template's block would be
    # served from another page's cache), so the search need not look inside.
    child_nodelists = ()

    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.live = list(nodelist.get_nodes_by_type(UncachedNode))
        for index, node in enumerate(self.live):
            node.index = index

    def render(self, context):
        values = ":".join(repr(v.resolve(context)) for v in self.vary)
        where = getattr(self.origin, "template_name", None) or self.origin.name
        key = f"sitecache:{where}:{self.name}:{get_language()}:{get_script_prefix()}:{values}"

        def build() -> str:
            with context.push({_LIVE: True}):
                return str(self.nodelist.render(context))

        html = rendercache.code_memo(key, build)
        if self.live:
            html = rendercache.markers_fill(
                html, "live", lambda index: str(self.live[index].nodelist.render(context))
            )
        return mark_safe(html)  # noqa: S308 - the template's own rendering


@register.tag
def sitecache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('usage: {% sitecache "name" [value ...] %}')
    nodelist = parser.parse(("endsitecache",))
    parser.delete_first_token()
    return SiteCacheNode(nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]])


@register.tag
def uncached(parser, token):
    nodelist = parser.parse(("enduncached",))
    parser.delete_first_token()
    return UncachedNode(nodelist)
