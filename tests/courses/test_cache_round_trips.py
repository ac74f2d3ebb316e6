"""A signed-in trainee's page reads the cache in a fixed, small number of round trips: the
keys known from the session's user come in one (ops.requestcache)."""

import contextlib

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


COMMANDS = (
    "get",
    "get_many",
    "set",
    "set_many",
    "add",
    "incr",
    "decr",
    "delete",
    "delete_many",
    "touch",
    "has_key",
    "get_or_set",
)


@contextlib.contextmanager
def _round_trips():
    """The cache commands sent (each a round trip to Redis), outermost calls only."""
    backend = caches["default"]
    sent, depth = [], [0]

    def counted(name, method):
        def call(*args, **kwargs):
            if depth[0] == 0:
                sent.append(name)
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in COMMANDS:
        setattr(backend, name, counted(name, getattr(backend, name)))
    try:
        yield sent
    finally:
        for name in COMMANDS:
            delattr(backend, name)


@pytest.mark.parametrize(
    "page, expected",
    [
        # the prefetch (session user, menu, content generation, progress); the reading
        # position, which is per enrolment
        ("lesson", ["get_many", "get"]),
        # the prefetch; the reading positions of the course's enrolment
        ("course", ["get_many", "get_many"]),
        # the prefetch: the catalogue's rendering is in the process's own copy
        ("catalogue", ["get_many"]),
        # the prefetch; the trainee's dashboard part under their learner version
        ("dashboard", ["get_many", "get"]),
    ],
)
def test_a_signed_in_page_reads_the_cache_in_few_round_trips(
    client, trainee, enrolled, catalogue, page, expected
):
    course, lessons = enrolled
    url = {
        "lesson": lessons[0].url,
        "course": course.url,
        "catalogue": catalogue.url,
        "dashboard": "/dashboard/",
    }[page]
    for _ in range(2):
        assert client.get(url).status_code == 200  # warm: every entry cached
    with _round_trips() as sent:
        assert client.get(url).status_code == 200
    assert sent == expected
