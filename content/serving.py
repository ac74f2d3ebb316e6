"""Wagtail's page serving without the tree walk: the Site and the page a path leads to are
remembered in the cache.

For every request Wagtail finds the Site with a query, then walks the page tree from the
site's root, one query per URL segment plus one per page for its specific class (six
queries for a lesson two levels inside a course). What a path leads to is the same for
everyone until a page is published, unpublished, moved or deleted or a Site changes; each of
these bumps the content generation (content.rendercache), which is in every key here. The
route's entry holds the page itself, as its row was when the walk found it (each request
unpickles its own copy). A request then costs one small query without a join or the ORM:
the page's row must still be live, at the site root's plus the path, with the same
published revision and publishing time as the copy, or the entry is ignored and the tree
is walked as before, so an entry left behind by a missed signal, or a row changed behind
the models' back, cannot serve a different, unpublished or outdated page. Only paths that
lead to a page are remembered (a 404 is walked every time, so made-up addresses cannot fill
the cache).

Everything after routing is Wagtail's own `serve`: it reads the route and the site from the
request attributes it caches them in, then runs its hooks (request method, view
restrictions: content.pages.CachedViewRestrictions) and the page's `serve()`.
"""

from __future__ import annotations

import copy
import hashlib

from django.db import connection
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.blocks import StreamValue
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import rendercache


def serve(request, path):
    """The view behind Wagtail's catch-all URL pattern (config/urls.py)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        _route_from_cache(request, path)
    return wagtail_views.serve(request, path)


def _host_and_port(request) -> tuple[str, str]:
    # Wagtail's own choice: the raw host (ALLOWED_HOSTS was checked by CommonMiddleware).
    return split_domain_port(request._get_raw_host())[0], request.get_port()


def _site_key(request) -> str:
    hostname, port = _host_and_port(request)
    return f"content:site:{hostname}:{port}:{rendercache.generation()}"


def _route_key(request, path: str) -> str:
    hostname, port = _host_and_port(request)
    digest = hashlib.sha256("/".join(_components(path)).encode()).hexdigest()[:32]
    return f"content:route:v2:{hostname}:{port}:{digest}:{rendercache.generation()}"


def _components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _expected_url_path(site: Site, path: str) -> str:
    return site.root_page.url_path + "".join(f"{c}/" for c in _components(path))


def _route_from_cache(request, path: str) -> None:
    """Put the site and the route on the request (one cache read for both), or leave them
    for Wagtail to find."""
    site_key, route_key = _site_key(request), _route_key(request, path)
    found = rendercache.cached_get_many([site_key, route_key])
    site = getattr(request, "_wagtail_site", None) or found.get(site_key)
    if site is None:
        site = Site.find_for_request(request)  # a query; kept on the request
        if site is None:
            return
        rendercache.cached_set(site_key, site)
    request._wagtail_site = site
    expected = _expected_url_path(site, path)
    cached = found.get(route_key)
    if cached is not None:
        page_id, page = cached
        if page.pk == page_id and page.url_path == expected and _still_as_cached(page):
            request._wagtail_route_for_request = RouteResult(page)
            return
    # Wagtail's own walk down the tree (it keeps its result on the request).
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page, args, kwargs = result
    if not args and not kwargs and page.url_path == expected and page.live:
        rendercache.cached_set(route_key, (page.pk, _row_only(page)))


def _row_only(page):
    """The page as its row: without the parent or related objects the walk cached on it,
    and without its StreamField bodies, which the pages render from their own cached
    renderings (a body read from the copy is loaded then, as a deferred field is)."""
    kept = copy.copy(page)
    kept.__dict__.pop("_cached_parent_obj", None)
    for name, value in list(kept.__dict__.items()):
        if isinstance(value, StreamValue):
            del kept.__dict__[name]
    kept._state = copy.copy(page._state)
    kept._state.fields_cache = {}
    return kept


def _still_as_cached(page) -> bool:
    """The page's row is still what the cached copy was made from: live, at the same place,
    with the same published revision (one small query, no join)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT live, url_path, live_revision_id, last_published_at"
            " FROM wagtailcore_page WHERE id = %s",
            [page.pk],
        )
        row = cursor.fetchone()
    return row is not None and row == (
        True,
        page.url_path,
        page.live_revision_id,
        page.last_published_at,
    )
