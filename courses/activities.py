"""H5P results as course progress. Statements arrive from the learner's browser, so every
claim in them is checked: the learner comes from the session, the activity from the URL,
and only a top-level terminal statement may change a result. H5P counts toward lesson
completion only, never toward a certificate on its own (quizzes do that)."""

import hashlib
import json
import re
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from content.h5p.middleware import platform_origin

from .models import ActivityResult, ActivityStatement, LessonPage
from .services import CourseError, step_complete

TERMINAL_VERBS = {"answered", "completed"}
INTERACTED_EVERY_SECONDS = 5
MAX_STATEMENT_DEPTH = 16
# No H5P activity scores in the thousands; beyond this a score is not a score.
MAX_SCORE = 10_000


class StatementRejected(ValueError):
    pass


def statement_parse(body: bytes) -> dict:
    """The statement from a request body {"statement": {...}}: JSON without NaN or Infinity,
    nested no deeper than MAX_STATEMENT_DEPTH (ops.safeinput.json_read)."""
    from ops.safeinput import InputRejected, json_read

    try:
        payload = json_read(body, max_depth=MAX_STATEMENT_DEPTH)
    except InputRejected as error:
        raise StatementRejected(error.message) from error
    statement = payload.get("statement") if isinstance(payload, dict) else None
    if not isinstance(statement, dict):
        raise StatementRejected("statement must be an object")
    return statement


def activity_iri(activity) -> str:
    return f"{platform_origin()}/h5p/activity/{activity.uuid}"


def lesson_activities(lesson: LessonPage, *, cached: bool = False) -> dict[int, dict]:
    """The H5P activities placed in a lesson: {activity id: {"required", "threshold"}}.
    `cached` for the live lesson as served (not a preview's draft): read from the cache per
    live revision and content generation, as its rendered body is, instead of reading every
    block (and the snippets they cite) again."""
    if cached:
        from content import rendercache

        key = (
            f"courses:lesson-activities:{lesson.pk}:{lesson.live_revision_id}:"
            f"{rendercache.generation()}"
        )
        found = rendercache.cached_get(key)
        if found is None:
            found = lesson_activities(lesson)
            rendercache.cached_set(key, found)
        return found
    found = {}
    for block in lesson.body:
        if block.block_type == "h5p_activity" and block.value["activity"] is not None:
            found[block.value["activity"].pk] = {
                "required": bool(block.value["required"]),
                "threshold": int(block.value["pass_threshold"]),
            }
    return found


def required_activities_passed(*, user, lesson: LessonPage, cached: bool = False) -> bool:
    rules = lesson_activities(lesson, cached=cached)
    required = [pk for pk, rule in rules.items() if rule["required"]]
    if not required:
        return True
    passed = ActivityResult.objects.filter(
        user=user, lesson=lesson, activity_id__in=required, passed=True
    ).count()
    return passed == len(required)


def _verb(statement: dict) -> str:
    try:
        verb_id = statement["verb"]["id"]
    except (KeyError, TypeError) as error:
        raise StatementRejected("no verb") from error
    if not isinstance(verb_id, str) or not verb_id.startswith("http"):
        raise StatementRejected("bad verb")
    return verb_id.rstrip("/").rsplit("/", 1)[-1][:64]


def _is_child(statement: dict, iri: str) -> bool:
    try:
        object_id = statement["object"]["id"]
    except (KeyError, TypeError) as error:
        raise StatementRejected("no object") from error
    if object_id != iri and not str(object_id).startswith(iri + "?subContentId="):
        raise StatementRejected("statement for another activity")
    parent = (statement.get("context") or {}).get("contextActivities", {}).get("parent")
    return object_id != iri or bool(parent)


def _number(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatementRejected("bad score")
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise StatementRejected("bad score") from error
    if not number.is_finite() or abs(number) > MAX_SCORE:
        raise StatementRejected("score out of range")
    return number


def known_maximum(*, user, lesson, activity) -> Decimal | None:
    """The most a statement may claim as its maximum: what H5P reported in a trainer's preview
    (staff who may change the activity), else what it reported in this learner's own first
    scored attempt. A learner never sets it for others, so nobody can lock others out."""
    if activity.max_score is not None:
        return activity.max_score
    first = (
        ActivityResult.objects.filter(user=user, lesson=lesson, activity=activity, max_score__gt=0)
        .values_list("max_score", flat=True)
        .first()
    )
    return first


def _score(statement: dict, maximum_known: Decimal | None) -> tuple[Decimal, Decimal] | None:
    """(raw, max) of a scored statement, checked: finite numbers, 0 <= raw <= max, and max no
    higher than the activity's known maximum where H5P has reported it."""
    result = statement.get("result")
    score = result.get("score") if isinstance(result, dict) else None
    if score is None:
        return None
    if not isinstance(score, dict) or "raw" not in score or "max" not in score:
        raise StatementRejected("bad score")
    raw, maximum = _number(score["raw"]), _number(score["max"])
    if "min" in score and _number(score["min"]) != 0:
        raise StatementRejected("score out of range")
    if maximum <= 0 or raw < 0 or raw > maximum:
        raise StatementRejected("score out of range")
    if maximum_known is not None and maximum > maximum_known:
        raise StatementRejected("maximum above the activity's")
    return raw, maximum


_DURATION = re.compile(
    r"^P(?:(?P<days>\d+(?:\.\d+)?)D)?(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
MAX_ATTEMPT_SECONDS = 24 * 60 * 60


def _duration_seconds(statement: dict) -> int:
    """result.duration (ISO 8601, "PT1M12.5S") in whole seconds; 0 when absent."""
    value = (statement.get("result") or {}).get("duration")
    if value is None:
        return 0
    match = _DURATION.match(value) if isinstance(value, str) and len(value) < 40 else None
    if match is None or value in ("P", "PT"):
        raise StatementRejected("bad duration")
    parts = {key: float(number) for key, number in match.groupdict().items() if number}
    seconds = (
        parts.get("days", 0) * 86400
        + parts.get("hours", 0) * 3600
        + parts.get("minutes", 0) * 60
        + parts.get("seconds", 0)
    )
    if seconds > MAX_ATTEMPT_SECONDS:
        raise StatementRejected("duration out of range")
    return int(seconds)


def statement_record(*, user, lesson: LessonPage, activity, statement: dict) -> dict:
    rules = lesson_activities(lesson)
    if activity.pk not in rules:
        raise StatementRejected("activity not in this lesson")
    iri = activity_iri(activity)
    verb = _verb(statement)
    child = _is_child(statement, iri)
    if verb == "interacted":
        key = f"h5p-interacted:{user.pk}:{activity.pk}"
        if not cache.add(key, 1, INTERACTED_EVERY_SECONDS):
            return {"stored": False, "throttled": True}
    if (statement.get("result") or {}).get("duration") is not None:
        _duration_seconds(statement)  # refuses a malformed duration before anything is kept
    score = (
        _score(statement, known_maximum(user=user, lesson=lesson, activity=activity))
        if verb in TERMINAL_VERBS and not child
        else None
    )
    scaled = (score[0] / score[1]).quantize(Decimal("0.0001")) if score else None
    # Whatever the browser claimed, the actor is the signed-in learner.
    statement = {
        **statement,
        "actor": {
            "objectType": "Agent",
            "name": user.full_name,
            "account": {"homePage": platform_origin(), "name": str(user.pk)},
        },
    }
    digest = hashlib.sha256(
        json.dumps([user.pk, lesson.pk, statement], sort_keys=True, default=str).encode()
    ).hexdigest()
    lesson_completed = False
    with transaction.atomic():
        try:
            with transaction.atomic():
                ActivityStatement.objects.create(
                    user=user,
                    lesson=lesson,
                    activity=activity,
                    verb=verb,
                    is_child=child,
                    digest=digest,
                    statement=statement,
                )
        except IntegrityError:
            return {"stored": False, "duplicate": True}
        if scaled is None:
            return {"stored": True}
        if activity.max_score is None and user.has_perm("content.change_h5pcontent"):
            # A trainer's preview fixes the activity's maximum for everyone after.
            type(activity).objects.filter(pk=activity.pk, max_score__isnull=True).update(
                max_score=score[1]
            )
        result, _ = ActivityResult.objects.select_for_update().get_or_create(
            user=user, lesson=lesson, activity=activity
        )
        result.attempts += 1
        result.last_scaled = scaled
        if scaled >= result.best_scaled:
            result.best_raw, result.max_score = score
        result.best_scaled = max(result.best_scaled, scaled)
        result.time_seconds += _duration_seconds(statement)
        result.completed_at = result.completed_at or timezone.now()
        threshold = Decimal(rules[activity.pk]["threshold"]) / 100
        result.passed = result.passed or result.best_scaled >= threshold
        result.save()
        if result.passed and required_activities_passed(user=user, lesson=lesson):
            from .selectors import course_of_lesson

            try:
                outcome = step_complete(
                    user=user, course=course_of_lesson(lesson=lesson), step=lesson
                )
                lesson_completed = outcome.lesson_newly_completed
            except CourseError:
                lesson_completed = False
    return {
        "stored": True,
        "scaled": str(scaled),
        "passed": result.passed,
        "lesson_completed": lesson_completed,
    }
