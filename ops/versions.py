"""Version keys: a value in the cache that a cache key carries, so that changing the value
makes every entry under the old one unreachable (the old entries expire by themselves).

A value is a fresh `time.time_ns()`, never an increment: after Redis restarted or the key was
evicted, the new value still differs from every one the old entries were stored under.
`bump` sets a new value at once (so a change is seen within its own transaction, and in
tests, which never commit) and again after the commit of the running transaction (so no
reader can cache the old rows under the new value). `current` and `fill` read a value, or
add a fresh one if none is set and read whatever won the race.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from . import requestcache


def new_value() -> int:
    return time.time_ns()


def bump(key: str) -> None:
    """A new value now and again after the commit of the running transaction."""
    _set(key)
    transaction.on_commit(lambda: _set(key), robust=True)


def _set(key: str) -> None:
    requestcache.forget(key)
    cache.set(key, new_value(), None)


def current(key: str) -> int:
    """The key's value; a fresh one added if it was never set or was evicted."""
    requestcache.forget(key)
    value = new_value()
    return value if cache.add(key, value, None) else cache.get(key, value)


def fill(values: dict, keys) -> dict:
    """`values` (from cache.get_many) with each of `keys` missing from it read or added
    (`current`); returned for convenience."""
    for key in keys:
        if values.get(key) is None:
            values[key] = current(key)
    return values
