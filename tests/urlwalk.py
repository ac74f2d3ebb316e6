"""Every URL the project routes, with a concrete path for each, found by walking the URL
resolver (Wagtail admin, allauth and every app included), so tests enumerate instead of list."""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as written, prefixes joined
    callback: object
    name: str | None
    samples: tuple[str, ...]  # concrete paths that resolve to this very pattern
    candidates: tuple[str, ...] = ()  # every path built for it, reachable or shadowed

    @property
    def view(self):
        return getattr(self.callback, "view_class", None) or self.callback

    @property
    def dotted(self) -> str:
        view = self.view
        return f"{view.__module__}.{getattr(view, '__qualname__', view)}"


def _default(conv: str | None) -> str:
    return {
        "int": "1",
        "uuid": str(uuid.UUID(int=1)),
        "path": "x/y",
    }.get(conv or "str", "x")


def _route_samples(text: str, values: dict) -> list[str]:
    params = list(_ROUTE_PARAM.finditer(text))
    if not params:
        return [text]
    width = max(len(values.get(m["name"], [])) for m in params) or 1
    out = []
    for i in range(max(width, 1)):

        def repl(m, i=i):
            options = values.get(m["name"]) or [_default(m["conv"])]
            return str(options[min(i, len(options) - 1)])

        out.append(_ROUTE_PARAM.sub(repl, text))
    return out


def _regex_sample(text: str, values: dict) -> str:
    """A path matching a simple regex pattern: named groups filled in, anchors dropped."""
    out, i = [], 0
    text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    while i < len(text):
        if text.startswith("(?P<", i):
            name = text[i + 4 : text.index(">", i)]
            depth, j = 0, i
            while True:
                if text[j] == "\\":
                    j += 2
                    continue
                depth += text[j] == "("
                depth -= text[j] == ")"
                j += 1
                if depth == 0:
                    break
            out.append(str((values.get(name) or ["abc"])[0]))
            i = j
        elif text.startswith("((?:", i):  # Wagtail's serve: "((?:[\w\-]+/)*)"
            out.append("")
            i = text.index(")*)", i) + 3
        elif text[i] == "(":  # an unnamed group such as "(\d+)" or "(.*)"
            j = text.index(")", i)
            out.append("1" if "\\d" in text[i:j] else "x")
            i = j + 1
        elif text[i] == "\\":
            out.append(text[i + 1])
            i += 2
        elif text[i] in "?*+":
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _samples(pieces: list, values: dict) -> list[str]:
    paths = [""]
    for piece in pieces:
        if isinstance(piece, RoutePattern):
            options = _route_samples(str(piece), values)
        elif isinstance(piece, RegexPattern):
            options = [_regex_sample(str(piece), values)]
        else:  # LocalePrefixPattern and the like
            options = [str(piece)]
        paths = [p + o for p in paths for o in options]
    return ["/" + p for p in paths]


def walk(values: dict | None = None, *, urlconf: str | None = None, values_for=None) -> list[Route]:
    """All routes; `values` maps a URL parameter's name to the values to try in it;
    `urlconf` walks another URL configuration (the H5P content origin's).
    `values_for(pattern)`, if given, returns more such values for one URL pattern (say, the
    primary keys of the model that a generic view of that pattern shows); they win."""
    values = values or {}
    routes = []

    def visit(resolver, pieces):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                visit(entry, [*pieces, entry.pattern])
            elif isinstance(entry, URLPattern):
                all_pieces = [*pieces, entry.pattern]
                samples = []
                own = {**values, **(values_for(entry) or {})} if values_for else values
                candidates = tuple(dict.fromkeys(_samples(all_pieces, own)))
                for path in candidates:
                    try:
                        match = resolve(path, urlconf)
                    except Resolver404:
                        continue
                    if match.func is entry.callback or (
                        getattr(match.func, "view_class", None) is not None
                        and getattr(match.func, "view_class", None)
                        is getattr(entry.callback, "view_class", object())
                        and match.route == "".join(str(p) for p in all_pieces)
                    ):
                        samples.append(path)
                routes.append(
                    Route(
                        route="".join(str(p) for p in all_pieces),
                        callback=entry.callback,
                        name=entry.name,
                        samples=tuple(samples),
                        candidates=candidates,
                    )
                )

    visit(get_resolver(urlconf), [])
    return routes
