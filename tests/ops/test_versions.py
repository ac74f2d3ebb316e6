"""ops.versions: version keys bumped now and after the commit, read or added when missing."""

import pytest
from django.core.cache import cache
from django.db import transaction

from ops import versions


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_current_adds_a_value_once_and_then_reads_it():
    first = versions.current("t:v")
    assert isinstance(first, int)
    assert versions.current("t:v") == first
    assert cache.get("t:v") == first


def test_fill_reads_or_adds_only_the_keys_that_are_missing():
    cache.set("t:a", 7, None)
    values = versions.fill(cache.get_many(["t:a", "t:b"]), ("t:a", "t:b"))
    assert values["t:a"] == 7
    assert values["t:b"] == cache.get("t:b") is not None


@pytest.mark.django_db(transaction=True)
def test_bump_sets_a_new_value_now_and_another_after_the_commit():
    cache.set("t:v", 1, None)
    with transaction.atomic():
        versions.bump("t:v")
        inside = cache.get("t:v")
        assert inside != 1
    assert cache.get("t:v") not in (1, inside)
