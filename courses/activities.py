"""H5P results as course progress. Statements arrive from the learner's browser, so every
claim in them is checked: the learner comes from the session, the activity from the URL,
and only a top-level terminal statement may change a result. H5P counts toward lesson
completion only, never toward a certificate on its own (quizzes do that)."""

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from content.h5p.middleware import platform_origin

from .models import ActivityResult, ActivityStatement, LessonPage
from .services import CourseError, step_complete

TERMINAL_VERBS = {"answered", "completed"}
INTERACTED_EVERY_SECONDS = 5


class StatementRejected(ValueError):
    pass


def activity_iri(activity) -> str:
    return f"{platform_origin()}/h5p/activity/{activity.uuid}"


def lesson_activities(lesson: LessonPage) -> dict[int, dict]:
    """The H5P activities placed in a lesson: {activity id: {"required", "threshold"}}."""
    found = {}
    for block in lesson.body:
        if block.block_type == "h5p_activity" and block.value["activity"] is not None:
            found[block.value["activity"].pk] = {
                "required": bool(block.value["required"]),
                "threshold": int(block.value["pass_threshold"]),
            }
    return found


def required_activities_passed(*, user, lesson: LessonPage) -> bool:
    required = [pk for pk, rule in lesson_activities(lesson).items() if rule["required"]]
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


def _scaled(statement: dict) -> Decimal | None:
    score = (statement.get("result") or {}).get("score")
    if not isinstance(score, dict):
        return None
    try:
        raw, maximum = Decimal(str(score["raw"])), Decimal(str(score["max"]))
    except (KeyError, InvalidOperation, TypeError) as error:
        raise StatementRejected("bad score") from error
    if maximum <= 0 or raw < 0 or raw > maximum:
        raise StatementRejected("score out of range")
    return (raw / maximum).quantize(Decimal("0.0001"))


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
    scaled = _scaled(statement) if verb in TERMINAL_VERBS and not child else None
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
        result, _ = ActivityResult.objects.select_for_update().get_or_create(
            user=user, lesson=lesson, activity=activity
        )
        result.last_scaled = scaled
        result.best_scaled = max(result.best_scaled, scaled)
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
