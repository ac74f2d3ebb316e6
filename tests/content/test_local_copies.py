"""content.rendercache keeps each process's own copy of generation-keyed entries: every read
is its own copy (a request that alters what it read alters nothing for the next), text and
tuples of text kept as they are, and the copies bounded in size."""

import pytest
from django.core.cache import cache

from content import rendercache


@pytest.fixture(autouse=True)
def _fresh():
    rendercache.local_forget()
    cache.clear()
    yield
    rendercache.local_forget()
    cache.clear()


def test_each_read_of_a_mutable_entry_is_its_own_copy():
    rendercache.cached_set("t:lc:dict", {"lessons": [1, 2]})
    first = rendercache.cached_get("t:lc:dict")
    first["lessons"].append(3)
    first["extra"] = True
    assert rendercache.cached_get("t:lc:dict") == {"lessons": [1, 2]}


def test_a_tuple_holding_something_mutable_is_copied_too():
    rendercache.cached_set("t:lc:tuple", ("a", [1]))
    rendercache.cached_get("t:lc:tuple")[1].append(2)
    assert rendercache.cached_get("t:lc:tuple") == ("a", [1])


def test_text_and_tuples_of_text_are_read_as_they_are():
    pieces = ("<ol>", (7, "<b>done</b>"), "</ol>")
    rendercache.cached_set("t:lc:pieces", pieces)
    rendercache.cached_set("t:lc:text", "<p>x</p>")
    cache.clear()  # from the process's copy, not Redis
    assert rendercache.cached_get("t:lc:pieces") == pieces
    assert rendercache.cached_get("t:lc:text") == "<p>x</p>"


def test_the_copies_stay_within_their_bound(monkeypatch):
    monkeypatch.setattr(rendercache, "LOCAL_BYTES", 3000)
    for i in range(10):
        rendercache.cached_set(f"t:lc:{i}", "x" * 1000)
    assert rendercache._local_size <= 3000
    assert list(rendercache._local) == [f"t:lc:{i}" for i in (8, 9)]
    cache.clear()
    assert rendercache.cached_get("t:lc:0") is None
    assert rendercache.cached_get("t:lc:9") == "x" * 1000
