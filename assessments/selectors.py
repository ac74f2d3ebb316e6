"""Reads for assessments."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus
from courses.selectors import course_of_lesson

from . import grading
from .models import Attempt, AttemptStatus, GradingMethod, QuizPage, ReviewPolicy


def quiz_grade(*, attempts: list[Attempt], method: str) -> Decimal | None:
    graded = sorted(
        (a for a in attempts if a.status == AttemptStatus.GRADED), key=lambda a: a.number
    )
    if not graded:
        return None
    if method == GradingMethod.LAST:
        return graded[-1].percent
    if method == GradingMethod.FIRST:
        return graded[0].percent
    if method == GradingMethod.AVERAGE:
        return (sum(a.percent for a in graded) / len(graded)).quantize(Decimal("0.01"))
    return max(a.percent for a in graded)


def review_allowed(*, attempt: Attempt, quiz: QuizPage, any_passed: bool) -> bool:
    if attempt.status != AttemptStatus.GRADED:
        return False
    policy = quiz.review_policy
    if policy == ReviewPolicy.IMMEDIATELY:
        return True
    if policy == ReviewPolicy.AFTER_PASSING:
        return any_passed
    if policy == ReviewPolicy.AFTER_CLOSE:
        return quiz.closes_at is not None and timezone.now() > quiz.closes_at
    return False


def quiz_overview_for(*, user, quiz: QuizPage) -> dict:
    course = course_of_lesson(lesson=quiz)
    enrolled = (
        Enrolment.objects.filter(user=user, course=course)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .exists()
    )
    attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    graded = [a for a in attempts if a.status == AttemptStatus.GRADED]
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    remaining = (
        None if quiz.attempts_allowed is None else max(0, quiz.attempts_allowed - len(graded))
    )
    ready_at = None
    if graded and quiz.cooldown_minutes:
        last = max(graded, key=lambda a: a.submitted_at)
        candidate = last.submitted_at + timedelta(minutes=quiz.cooldown_minutes)
        if candidate > timezone.now():
            ready_at = candidate
    return {
        "course": course,
        "enrolled": enrolled,
        "attempts": graded,
        "open_attempt": open_attempt,
        "attempts_remaining": remaining,
        "ready_at": ready_at,
        "grade": quiz_grade(attempts=attempts, method=quiz.grading_method),
        "passed": any(a.passed for a in graded),
        "is_open": (quiz.opens_at is None or quiz.opens_at <= timezone.now())
        and (quiz.closes_at is None or timezone.now() <= quiz.closes_at),
    }


def _label(kind: str, spec: dict, answer) -> str:
    """A readable form of an answer (the trainee's, or the key) for the review screen."""
    if answer is None:
        return "—"
    if kind == "single_choice":
        return next((c["text"] for c in spec["choices"] if c["id"] == answer), "—")
    if kind == "multiple_response":
        return "; ".join(c["text"] for c in spec["choices"] if c["id"] in answer) or "—"
    if kind == "true_false":
        from django.utils.translation import gettext as _

        return _("True") if answer else _("False")
    if kind == "short_answer":
        return str(answer)
    if kind == "matching":
        rights = {p["id"]: p["right"] for p in spec["pairs"]}
        return "; ".join(
            f"{p['left']} → {rights.get(answer.get(p['id']), '—')}" for p in spec["pairs"]
        )
    if kind == "ordering":
        texts = {i["id"]: i["text"] for i in spec["items"]}
        return " → ".join(texts.get(i, "?") for i in answer)
    return ""


def review_rows(*, attempt: Attempt) -> list[dict]:
    rows = []
    for item in attempt.items.all():
        row = {"item": item, "parts": []}
        if item.kind == "scenario":
            answers = item.answer or {}
            for part in item.spec["parts"]:
                row["parts"].append(
                    {
                        "prompt": part["prompt"],
                        "given": _label(part["kind"], part["spec"], answers.get(part["id"])),
                        "correct": _label(
                            part["kind"],
                            part["spec"],
                            grading.correct_answer(part["kind"], part["spec"]),
                        ),
                    }
                )
        else:
            row["given"] = _label(item.kind, item.spec, item.answer)
            row["correct"] = _label(
                item.kind, item.spec, grading.correct_answer(item.kind, item.spec)
            )
        rows.append(row)
    return rows
