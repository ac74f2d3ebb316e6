"""Cached rendering of what is the same for every trainee (lesson bodies, course outlines).

Keys carry a generation that any change a cached page could show bumps: a page published,
unpublished, moved or deleted, or a snippet, image, document or H5P activity saved or deleted
(content.apps connects the signals). A bump makes every cached rendering unreachable at
once; the old entries expire by themselves. Per-user parts are added around the cached HTML,
or, for an H5P player's per-learner address, put in place of a marker no author can type
(it carries a secret derived from SECRET_KEY).
"""

from __future__ import annotations

import functools
import pickle
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString

from ops import requestcache

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
    value = requestcache.get(GENERATION_KEY)
    if value is None:
        # Never a number used before (Redis restarted, the key evicted, a test's cleared
        # cache): processes' own copies of old entries (below) can never match new keys.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY) or time.time_ns()
    if getattr(_request, "open", False):
        _request.generation = value
    return value


def prefetch_keys(_user_id) -> list[str]:
    """A signed-in page reads the generation too (ops.requestcache)."""
    return [GENERATION_KEY]


def generation_bump(**_ignored) -> None:
    """A signal receiver too: every cached rendering is out of date from now on."""
    _request.generation = None
    requestcache.forget(GENERATION_KEY)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from old keys'
        cache.set(GENERATION_KEY, time.time_ns(), None)


# --- each process's own copy of entries under a generation ---------------------------------
# An entry whose key carries the generation never changes: a change bumps the generation and
# so makes new keys. A process therefore keeps the entries it read or wrote in its own
# memory (the most recent, up to LOCAL_BYTES) and goes to Redis for them only once; a page
# view then asks Redis for the generation, the session and the learner's own entries only.
# Each read is its own copy, so no request can alter another's: an entry is kept pickled,
# or as it is when it is text, numbers and tuples of them, which nothing can alter.
# cached_get, cached_get_many and cached_set are for generation-keyed entries only.
LOCAL_BYTES = 16 * 1024 * 1024
_local: OrderedDict[str, tuple[bool, object, int]] = OrderedDict()  # (pickled, data, size)
_local_size = 0
_local_lock = threading.Lock()
_IMMUTABLE = frozenset({str, SafeString, bytes, int, float, bool, type(None)})


def _immutable(value) -> bool:
    """Text, numbers and tuples of them: a copy that no request can alter as it is (a
    rendering, or the pieces of one), kept without pickling."""
    kind = value.__class__
    if kind in _IMMUTABLE:
        return True
    return kind is tuple and all(_immutable(item) for item in value)


def _remember(key: str, value) -> None:
    global _local_size
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)  # its size either way
    entry = (False, value, len(data)) if _immutable(value) else (True, data, len(data))
    with _local_lock:
        old = _local.pop(key, None)
        if old is not None:
            _local_size -= old[2]
        _local[key] = entry
        _local_size += entry[2]
        while _local_size > LOCAL_BYTES and _local:
            _local_size -= _local.popitem(last=False)[1][2]


def _recall(key: str):
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
    if entry is None:
        return None
    pickled, data, _size = entry
    return pickle.loads(data) if pickled else data  # noqa: S301 - our own pickles


def local_forget() -> None:
    """Drop this process's copies (tests that tamper with the shared cache)."""
    global _local_size
    with _local_lock:
        _local.clear()
        _local_size = 0


def cached_get_many(keys: list[str]) -> dict:
    found = {}
    missing = []
    for key in keys:
        value = _recall(key)
        if value is None:
            missing.append(key)
        else:
            found[key] = value
    if missing:
        for key, value in cache.get_many(missing).items():
            _remember(key, value)
            found[key] = value
    return found


def cached_get(key: str):
    return cached_get_many([key]).get(key)


def cached_set(key: str, value, timeout: int = RENDER_SECONDS) -> None:
    cache.set(key, value, timeout)
    _remember(key, value)


# --- what depends on the running code only -------------------------------------------------
# Template text, translations, URL patterns and static file names change only with a deploy,
# which restarts the workers: such renderings (the site's frame, content.templatetags
# sitecache) live in each process's memory and never in Redis, where they would outlive a
# deploy. A test that changes settings empties it (code_forget, on setting_changed).
CODE_ENTRIES = 512
_code: dict[str, str] = {}


def code_memo(key: str, build):
    """build()'s text (or the pieces of one) under `key`, which must name everything else
    it depends on."""
    value = _code.get(key)
    if value is None:
        value = build()
        if len(_code) >= CODE_ENTRIES:  # only a key that names too much gets here
            _code.clear()
        _code[key] = value
    return value


def code_forget(**_ignored) -> None:
    _code.clear()


def _secret() -> str:
    return _secret_of(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _secret_of(secret_key: str) -> str:
    # An HMAC per marker and per fill was a cost on every page; it depends on the key only.
    return salted_hmac("content.rendercache.h5p-marker", "v1", secret=secret_key).hexdigest()[:20]


def h5p_marker(content_id: int) -> str:
    return f"pcmd-h5p-{_secret()}-{int(content_id)}"


def marker(kind: str, item_id: int) -> str:
    """A place for a per-request part in cached HTML, e.g. marker("done", lesson.pk)."""
    return f"pcmd-{kind}-{_secret()}-{int(item_id)}"


def markers_fill(html: str, kind: str, fill) -> str:
    """Replace each marker(kind, id) by fill(id)."""
    pattern = re.compile(rf"pcmd-{re.escape(kind)}-{_secret()}-(\d+)")
    return pattern.sub(lambda m: fill(int(m.group(1))), html)


def markers_split(html: str, kind: str, part) -> tuple:
    """The pieces of html between its markers of `kind`, each marker(kind, n) in between
    replaced by part(n): a tuple to cache and join per request ("".join is cheaper than
    filling markers in with a pattern)."""
    pieces = re.split(rf"pcmd-{re.escape(kind)}-{_secret()}-(\d+)", html)
    return tuple(piece if i % 2 == 0 else part(int(piece)) for i, piece in enumerate(pieces))


def h5p_markers_fill(html: str, fill) -> str:
    """Replace each H5P marker by fill(content_id)."""
    pattern = re.compile(rf"pcmd-h5p-{_secret()}-(\d+)")
    return pattern.sub(lambda m: fill(int(m.group(1))), html)
