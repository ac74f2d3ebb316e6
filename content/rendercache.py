"""Cached rendering of what is the same for every trainee (lesson bodies, course outlines).

Keys carry a generation that any change a cached page could show bumps: a page published,
unpublished, moved or deleted, or a snippet, image, document or H5P activity saved or deleted
(content.apps connects the signals). A bump makes every cached rendering unreachable at
once; the old entries expire by themselves. Per-user parts are added around the cached HTML,
or, for an H5P player's per-learner address, put in place of a marker no author can type
(it carries a secret derived from SECRET_KEY).
"""

from __future__ import annotations

import re
import threading

from django.core.cache import cache
from django.utils.crypto import salted_hmac

GENERATION_KEY = "content:render-generation"
RENDER_SECONDS = 60 * 60 * 24


# Within one request the generation is read from the cache once (a page view asks for it
# for the site, the route, the view restrictions, the outline, the body and each fragment);
# request_started/request_finished (content.apps) open and close that memory, so a task or
# a command, which serves no request, always reads it afresh.
_request = threading.local()


def request_memo_open(**_ignored) -> None:
    _request.open = True
    _request.generation = None


def request_memo_close(**_ignored) -> None:
    _request.open = False
    _request.generation = None


def generation() -> int:
    if getattr(_request, "open", False) and _request.generation is not None:
        return _request.generation
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    if getattr(_request, "open", False):
        _request.generation = value
    return value


def generation_bump(**_ignored) -> None:
    """A signal receiver too: every cached rendering is out of date from now on."""
    _request.generation = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from old keys'
        import time

        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


def _secret() -> str:
    return salted_hmac("content.rendercache.h5p-marker", "v1").hexdigest()[:20]


def h5p_marker(content_id: int) -> str:
    return f"pcmd-h5p-{_secret()}-{int(content_id)}"


def h5p_markers_fill(html: str, fill) -> str:
    """Replace each H5P marker by fill(content_id)."""
    pattern = re.compile(rf"pcmd-h5p-{_secret()}-(\d+)")
    return pattern.sub(lambda m: fill(int(m.group(1))), html)
