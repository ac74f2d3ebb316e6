"""The cache keys a signed-in request will read, fetched in one round trip.

Once the session names the user, the keys their pages read are known from the user's id
alone: their cached row and its versions (accounts.sessionuser), the menu's permissions
(accounts.navigation), the content generation (content.rendercache), their progress and
learner versions (courses.learnercache). Each app registers a function giving its keys for
a user id (`register`, from its AppConfig.ready); `prefetch(user_id)` reads them all with
one get_many, and `get_many` serves those keys from what was read, the others from the
cache. A key the prefetch found missing is missing here too: the caller adds or computes it
as it would have. Each prefetched value answers the first read of its key only: a value is
never handed to two callers, and a key read again (after its caller wrote it) comes from
the cache, as it always did.

The values live for one request only: request_started opens the store and request_finished
clears it (ops.apps), so nothing read here can be served to a later request, another user or
a task. Outside a request (a task, a command, a shell) there is no store and every read goes
to the cache. A key changed before its first read (a version bumped: ops.versions, or
`forget`) is read from the cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from django.core.cache import cache

_MISSING = object()  # prefetched, not in the cache
_UNREAD = object()
_keys_of: list[Callable[[int], Iterable[str]]] = []
_local = threading.local()


def register(keys_of: Callable[[int], Iterable[str]]) -> None:
    """`keys_of(user_id)`: the keys a signed-in page of that user reads."""
    if keys_of not in _keys_of:
        _keys_of.append(keys_of)


def request_open(**_ignored) -> None:
    _local.store = {}
    _local.open = True
    _local.prefetched = False


def request_close(**_ignored) -> None:
    _local.store = {}
    _local.open = False
    _local.prefetched = False


def _store() -> dict | None:
    return _local.store if getattr(_local, "open", False) else None


def prefetch(user_id: int) -> None:
    """Read every registered key of the user in one round trip (once per request)."""
    store = _store()
    if store is None or _local.prefetched:
        return
    _local.prefetched = True
    keys = [key for keys_of in _keys_of for key in keys_of(user_id)]
    found = cache.get_many(keys) if keys else {}
    for key in keys:
        store[key] = found.get(key, _MISSING)


def get_many(keys: Iterable[str]) -> dict:
    """cache.get_many, each prefetched key answered once from this request's store (so every
    read is its own copy, as from the cache); the other keys, and any read again, from the
    cache."""
    keys = list(keys)
    store = _store()
    if store is None:
        return cache.get_many(keys)
    found, rest = {}, []
    for key in keys:
        value = store.pop(key, _UNREAD)
        if value is _UNREAD:
            rest.append(key)
        elif value is not _MISSING:
            found[key] = value
    if rest:
        found.update(cache.get_many(rest))
    return found


def get(key: str, default=None):
    return get_many([key]).get(key, default)


def forget(key: str) -> None:
    """The key changed (a version bumped): read from the cache from now on."""
    store = _store()
    if store is not None:
        store.pop(key, None)
