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

from django.core.cache import cache
from django.utils.crypto import salted_hmac

GENERATION_KEY = "content:render-generation"
RENDER_SECONDS = 60 * 60 * 24


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def generation_bump(**_ignored) -> None:
    """A signal receiver too: every cached rendering is out of date from now on."""
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
