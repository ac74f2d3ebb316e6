"""Reads for assessments."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from courses.selectors import active_enrolment, course_of_lesson

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
    enrolled = active_enrolment(user=user, course=course) is not None
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
        return gettext("True") if answer else gettext("False")
    if kind == "short_answer":
        return str(answer)
    if kind == "matching":
        rights = {p.get("right_id", p["id"]): p["right"] for p in spec["pairs"]}
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


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / (var_x * var_y) ** 0.5


def quiz_attempts_report(*, quiz: QuizPage):
    return (
        Attempt.objects.filter(quiz=quiz, status=AttemptStatus.GRADED)
        .select_related("user", "user__organisation")
        .order_by("-submitted_at")
    )


def score_distribution(*, quiz: QuizPage) -> list[dict]:
    """Graded attempts per band of ten percentage points (the last band includes 100)."""
    bands = [0] * 10
    percents = Attempt.objects.filter(quiz=quiz, status=AttemptStatus.GRADED).values_list(
        "percent", flat=True
    )
    for percent in percents:
        bands[min(int(percent // 10), 9)] += 1
    return [
        {"label": f"{i * 10}–{i * 10 + 9 if i < 9 else 100}%", "count": count}
        for i, count in enumerate(bands)
    ]


def item_analysis(*, quiz: QuizPage) -> list[dict]:
    """Per question: facility (mean share of the points earned), discrimination (correlation
    of the item's score with the rest of the attempt's score) and, for choice questions, how
    often each option was chosen. Options are matched by their position in the question as
    written, since each attempt shows them under its own random ids."""
    from .models import AttemptItem

    items = (
        AttemptItem.objects.filter(attempt__quiz=quiz, attempt__status=AttemptStatus.GRADED)
        .select_related("attempt", "question")
        .order_by("question_id", "attempt_id")
    )
    grouped: dict = {}
    for item in items:
        grouped.setdefault(item.question_id, []).append(item)
    rows = []
    for question_items in grouped.values():
        first = question_items[0]
        shares = [float(i.score / i.max_score) if i.max_score else 0.0 for i in question_items]
        rest = [float((i.attempt.score or 0) - (i.score or 0)) for i in question_items]
        options = []
        if first.kind in ("single_choice", "multiple_response"):
            counts = [0] * len(first.spec["choices"])
            for item in question_items:
                chosen = item.answer if isinstance(item.answer, list) else [item.answer]
                for position, choice in enumerate(item.spec["choices"]):
                    if choice["id"] in chosen and position < len(counts):
                        counts[position] += 1
            options = [
                {"text": c["text"], "correct": c["correct"], "count": counts[p]}
                for p, c in enumerate(first.spec["choices"])
            ]
        elif first.kind == "true_false":
            options = [
                {
                    "text": label,
                    "correct": first.spec["correct"] is value,
                    "count": sum(1 for i in question_items if i.answer is value),
                }
                for label, value in ((gettext("True"), True), (gettext("False"), False))
            ]
        rows.append(
            {
                "question": first.question,
                "title": first.question.title if first.question else first.stem,
                "kind": first.kind,
                "responses": len(question_items),
                "facility": sum(shares) / len(shares),
                "discrimination": _pearson(shares, rest),
                "options": options,
            }
        )
    return rows
