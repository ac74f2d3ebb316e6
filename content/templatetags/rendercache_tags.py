"""{% pagecache page "name" [value ...] [marks=ids] %}...{% endpagecache %}: a fragment of a
page that is the same for everyone, cached per page, live revision, language, content
generation (content.rendercache) and the listed values (yes/no answers such as "links
shown", never a person's data). The admin's preview of a draft always renders it afresh.
Inside it, {% ifmarked item.pk %}...{% endifmarked %} is the one per-learner part: its
content is shown where the id is in `marks` (e.g. the lessons this learner completed). It
is rendered once with the fragment and kept beside it, so a request only joins the cached
pieces, with or without each marked part; it may sit in the fragment's loops.

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


_MARKS = "pcmd_pagecache_marks"  # the ids to show {% ifmarked %} parts for (uncached)
_MARKING = "pcmd_pagecache_marking"  # a fragment being cached: its {% ifmarked %} parts


class IfMarkedNode(template.Node):
    def __init__(self, nodelist, item):
        self.nodelist = nodelist
        self.item = item

    def render(self, context):
        item_id = int(self.item.resolve(context))
        marking = context.get(_MARKING)
        if marking is not None:
            marking.append((item_id, str(self.nodelist.render(context))))
            return rendercache.marker("mark", len(marking) - 1)
        if item_id in (context.get(_MARKS) or ()):
            return self.nodelist.render(context)
        return ""


class PageCacheNode(template.Node):
    def __init__(self, nodelist, page, name, vary=(), marks=None):
        self.nodelist = nodelist
        self.page = page
        self.name = name
        self.vary = vary
        self.marks = marks

    def render(self, context):
        page = self.page.resolve(context)
        name = self.name.resolve(context)
        marks = self.marks.resolve(context) if self.marks is not None else ()
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False) or not page.live:
            with context.push({_MARKS: marks, _MARKING: None}):
                return self.nodelist.render(context)
        values = "".join(f":{v.resolve(context)!r}" for v in self.vary)
        key = (
            f"content:fragment:{name}:{page.pk}:{page.live_revision_id}:{get_language()}"
            f"{values}:{rendercache.generation()}"
        )
        parts = rendercache.cached_get(key)
        if parts is None:
            marking = []
            with context.push({_MARKING: marking}):
                html = str(self.nodelist.render(context))
            parts = rendercache.markers_split(html, "mark", lambda index: marking[index])
            rendercache.cached_set(key, parts)
        if isinstance(parts, str):  # cached by the code before marks
            return mark_safe(parts)  # noqa: S308 - the template's own rendering, cached
        if len(parts) == 1:
            return mark_safe(parts[0])  # noqa: S308 - the template's own rendering, cached
        return mark_safe(  # noqa: S308 - the template's own rendering, cached
            "".join(
                part if part.__class__ is str else (part[1] if part[0] in marks else "")
                for part in parts
            )
        )


@register.tag
def pagecache(parser, token):
    usage = 'usage: {% pagecache page "name" [value ...] [marks=ids] %}'
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(usage)
    marks = None
    if bits[-1].startswith("marks="):
        marks = parser.compile_filter(bits.pop()[len("marks=") :])
    nodelist = parser.parse(("endpagecache",))
    parser.delete_first_token()
    return PageCacheNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(b) for b in bits[3:]],
        marks,
    )


@register.tag
def ifmarked(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("usage: {% ifmarked item_id %}")
    nodelist = parser.parse(("endifmarked",))
    parser.delete_first_token()
    return IfMarkedNode(nodelist, parser.compile_filter(bits[1]))


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

        if not self.live:
            return mark_safe(rendercache.code_memo(key, build))  # noqa: S308 - the template's own rendering
        # Kept as the pieces between the {% uncached %} parts (their index in between): a
        # request renders those and joins, instead of searching the frame for markers.
        pieces = rendercache.code_memo(
            key, lambda: rendercache.markers_split(build(), "live", lambda index: index)
        )
        return mark_safe(  # noqa: S308 - the template's own rendering
            "".join(
                piece if piece.__class__ is str else str(self.live[piece].nodelist.render(context))
                for piece in pieces
            )
        )


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
