"""Where each trainee is in a course ("continue where you left off"), without a database
write per page view.

Opening a lesson puts the position in the cache (Redis in production) and marks the
enrolment as having an unsaved position; `positions_flush` (the scheduled job
`flush_course_positions`, every few minutes) writes the marked positions to
`Enrolment.last_step` / `last_activity_at`. Readers overlay the cached position when it is
newer than the saved one, so the trainee sees it at once; the trainer's report sees it
after the next flush. Completing a step (a POST) saves the position in its own transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

POSITION_SECONDS = 60 * 60 * 24 * 30  # far longer than the flush interval
DIRTY_KEY = "courses:positions:dirty"


def _key(enrolment_id: int) -> str:
    return f"courses:position:{enrolment_id}"


def _redis():
    """The raw Redis client behind the default cache, or None for other backends."""
    client = getattr(cache, "_cache", None)
    if client is not None and hasattr(client, "get_client") and hasattr(cache, "make_key"):
        try:
            from django.core.cache.backends.redis import RedisCache
        except ImportError:  # pragma: no cover
            return None
        if isinstance(cache, RedisCache):
            return client.get_client(write=True)
    return None


def _mark_dirty(enrolment_id: int) -> None:
    redis = _redis()
    if redis is not None:
        redis.sadd(cache.make_key(DIRTY_KEY), enrolment_id)
        return
    # One process (development, tests): a set kept in the local cache.
    dirty = cache.get(DIRTY_KEY) or set()
    dirty.add(enrolment_id)
    cache.set(DIRTY_KEY, dirty, POSITION_SECONDS)


def _take_dirty(limit: int) -> list[int]:
    redis = _redis()
    if redis is not None:
        return [int(x) for x in redis.spop(cache.make_key(DIRTY_KEY), limit) or []]
    dirty = cache.get(DIRTY_KEY) or set()
    taken = sorted(dirty)[:limit]
    cache.set(DIRTY_KEY, dirty - set(taken), POSITION_SECONDS)
    return taken


def position_remember(*, enrolment, step) -> None:
    """The trainee opened `step`: remembered in the cache, no database write."""
    cached = cache.get(_key(enrolment.pk))
    if cached and cached[0] == step.pk and time_of(cached) > timezone.now().timestamp() - 60:
        return  # the same step within a minute: nothing new to remember
    cache.set(_key(enrolment.pk), (step.pk, timezone.now().timestamp()), POSITION_SECONDS)
    _mark_dirty(enrolment.pk)
    from .learnercache import learner_changed

    learner_changed(enrolment.user_id)  # the dashboard lists the course read last first


def time_of(cached) -> float:
    return cached[1]


def _newer(enrolment, cached) -> bool:
    if not cached:
        return False
    saved = enrolment.last_activity_at
    return saved is None or cached[1] > saved.timestamp()


def positions_apply(enrolments) -> None:
    """Overlay the cached positions on these enrolments (one cache round trip)."""
    enrolments = [e for e in enrolments if e is not None]
    if not enrolments:
        return
    cached = cache.get_many([_key(e.pk) for e in enrolments])
    for enrolment in enrolments:
        value = cached.get(_key(enrolment.pk))
        if _newer(enrolment, value):
            enrolment.last_step_id = value[0]
            enrolment.last_activity_at = datetime.fromtimestamp(value[1], tz=UTC)


def positions_flush(*, batch: int = 1000) -> int:
    """Write the cached positions of marked enrolments to the database; returns how many
    rows changed. A saved position newer than the cached one (a completion since) wins."""
    from wagtail.models import Page

    from .learnercache import progress_changed
    from .models import Enrolment

    changed = 0
    while ids := _take_dirty(batch):
        cached = cache.get_many([_key(pk) for pk in ids])
        steps = {value[0] for value in cached.values()}
        existing = set(Page.objects.filter(pk__in=steps).values_list("pk", flat=True))
        with transaction.atomic():
            for enrolment in Enrolment.objects.select_for_update().filter(pk__in=ids):
                value = cached.get(_key(enrolment.pk))
                if _newer(enrolment, value) and value[0] in existing:
                    Enrolment.objects.filter(pk=enrolment.pk).update(
                        last_step_id=value[0],
                        last_activity_at=datetime.fromtimestamp(value[1], tz=UTC),
                    )
                    progress_changed(enrolment.user_id)  # no signal from update()
                    changed += 1
    return changed
