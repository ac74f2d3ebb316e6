"""ops.requestcache: a signed-in request's cache keys read in one round trip, each value
answering its own request's first read only, never a later request's or another user's."""

import contextlib

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from ops import requestcache, versions

pytestmark = pytest.mark.django_db  # request_started closes old DB connections

KEYS = ("t:rc:a:{}", "t:rc:b:{}")


def _keys_of(user_id):
    return [key.format(user_id) for key in KEYS]


@pytest.fixture(autouse=True)
def _registered():
    cache.clear()
    requestcache.register(_keys_of)
    yield
    requestcache._keys_of.remove(_keys_of)
    requestcache.request_close()
    cache.clear()


@contextlib.contextmanager
def _request():
    request_started.send(sender=None)
    try:
        yield
    finally:
        request_finished.send(sender=None)


def test_a_prefetched_value_answers_the_first_read_only():
    cache.set_many({"t:rc:a:1": "old a", "t:rc:b:1": "old b"})
    with _request():
        requestcache.prefetch(1)
        cache.set_many({"t:rc:a:1": "new a", "t:rc:b:1": "new b"})  # another process
        assert requestcache.get_many(["t:rc:a:1", "t:rc:b:1"]) == {
            "t:rc:a:1": "old a",
            "t:rc:b:1": "old b",
        }
        # Read again (e.g. after its caller wrote it): from the cache.
        assert requestcache.get("t:rc:a:1") == "new a"


def test_a_key_missing_at_the_prefetch_is_missing_once_then_read_from_the_cache():
    with _request():
        requestcache.prefetch(1)
        cache.set("t:rc:a:1", "added")  # e.g. the caller's own add after a miss
        assert requestcache.get("t:rc:a:1") is None
        assert requestcache.get("t:rc:a:1") == "added"


def test_nothing_prefetched_outlives_its_request():
    cache.set("t:rc:a:1", "first")
    with _request():
        requestcache.prefetch(1)  # prefetched, never read
    cache.set("t:rc:a:1", "second")
    assert requestcache.get("t:rc:a:1") == "second"  # no request: the cache
    with _request():
        assert requestcache.get("t:rc:a:1") == "second"


def test_a_request_that_never_finished_leaves_nothing_to_the_next():
    cache.set("t:rc:a:1", "first")
    request_started.send(sender=None)
    requestcache.prefetch(1)  # request_finished never sent (a crashed response)
    cache.set("t:rc:a:1", "second")
    with _request():
        assert requestcache.get("t:rc:a:1") == "second"


def test_another_users_request_gets_nothing_of_the_first():
    cache.set_many({"t:rc:a:1": "one's", "t:rc:a:2": "two's"})
    with _request():
        requestcache.prefetch(1)
    with _request():
        requestcache.prefetch(2)
        cache.set("t:rc:a:1", "one's, changed")
        assert requestcache.get_many(["t:rc:a:1", "t:rc:a:2"]) == {
            "t:rc:a:1": "one's, changed",
            "t:rc:a:2": "two's",
        }


def test_one_prefetch_per_request():
    with _request():
        requestcache.prefetch(1)
        cache.set("t:rc:a:2", "two's")
        requestcache.prefetch(2)  # ignored: the request's user was read already
        cache.set("t:rc:a:2", "two's, changed")
        assert requestcache.get("t:rc:a:2") == "two's, changed"


def test_a_bump_or_forget_before_the_first_read_goes_to_the_cache():
    cache.set_many({"t:rc:a:1": 1, "t:rc:b:1": "old"})
    with _request():
        requestcache.prefetch(1)
        versions.bump("t:rc:a:1")
        cache.set("t:rc:b:1", "new")
        requestcache.forget("t:rc:b:1")
        assert requestcache.get("t:rc:a:1") not in (None, 1)
        assert requestcache.get("t:rc:b:1") == "new"


def test_outside_a_request_there_is_no_store():
    cache.set("t:rc:a:1", "first")
    requestcache.prefetch(1)  # a task, a command: nothing kept
    cache.set("t:rc:a:1", "second")
    assert requestcache.get("t:rc:a:1") == "second"
