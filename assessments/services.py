"""Writes for assessments: starting, saving, grading and regrading attempts.

Grading happens on the server, exactly once, from the snapshot frozen when the attempt
started. The attempt row is locked (SELECT … FOR UPDATE) for every write, so a double
submit, two tabs or concurrent requests serialise and the second finds it graded.
"""

import contextlib
import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_record
from courses.selectors import active_enrolment, course_of_lesson
from courses.services import CourseError, step_complete

from . import grading
from .models import Attempt, AttemptItem, AttemptStatus, Question, QuizPage, RegradeRecord


class QuizError(Exception):
    """Something the trainee can understand and act on."""


class AnswersRejected(QuizError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Some answers could not be saved."))
        self.errors = errors


def grace() -> timedelta:
    return timedelta(seconds=getattr(settings, "QUIZ_GRACE_SECONDS", 30))


def attempt_is_late(attempt: Attempt, now) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace()


def _draw_questions(quiz: QuizPage, rng: random.Random) -> list[Question]:
    chosen = [fq.question for fq in quiz.fixed_questions.select_related("question")]
    taken = {q.pk for q in chosen}
    draws = list(quiz.draws.all())
    if draws:
        from courses.models import CourseOwner

        # A category draws from the shared questions and those of the course's own
        # authors: another trainer's private question never reaches this quiz.
        owners = CourseOwner.objects.filter(course=course_of_lesson(lesson=quiz)).values("user_id")
        usable = Q(shared=True) | Q(owner__in=owners)
    for draw in draws:
        pool = list(
            Question.objects.filter(usable, category_id=draw.category_id)
            .exclude(pk__in=taken)
            .order_by("pk")
        )
        picked = rng.sample(pool, min(draw.count, len(pool)))
        chosen.extend(picked)
        taken.update(q.pk for q in picked)
    if quiz.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def _deadline(quiz: QuizPage, now):
    """The time limit, cut short by the quiz's closing time."""
    limits = [quiz.closes_at] if quiz.closes_at else []
    if quiz.time_limit_minutes:
        limits.append(now + timedelta(minutes=quiz.time_limit_minutes))
    return min(limits) if limits else None


def _check_may_start(user, quiz: QuizPage, now) -> None:
    if active_enrolment(user=user, course=course_of_lesson(lesson=quiz)) is None:
        raise QuizError(_("Enrol in the course before taking its quiz."))
    if quiz.opens_at and now < quiz.opens_at:
        raise QuizError(
            _("This quiz opens at %(time)s.")
            % {"time": date_format(timezone.localtime(quiz.opens_at), "SHORT_DATETIME_FORMAT")}
        )
    if quiz.closes_at and now > quiz.closes_at:
        raise QuizError(_("This quiz has closed."))
    graded = Attempt.objects.filter(user=user, quiz=quiz, status=AttemptStatus.GRADED)
    if quiz.attempts_allowed is not None and graded.count() >= quiz.attempts_allowed:
        raise QuizError(_("You have used all your attempts at this quiz."))
    last = graded.order_by("-submitted_at").first()
    if last and quiz.cooldown_minutes:
        ready_at = last.submitted_at + timedelta(minutes=quiz.cooldown_minutes)
        if now < ready_at:
            raise QuizError(
                _("You can start another attempt at %(time)s.")
                % {"time": date_format(timezone.localtime(ready_at), "SHORT_DATETIME_FORMAT")}
            )


def attempt_start(*, user, quiz: QuizPage) -> Attempt:
    """Resume the open attempt, or start a new one with a frozen snapshot of questions."""
    now = timezone.now()
    with transaction.atomic():
        current = (
            Attempt.objects.select_for_update()
            .filter(user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS)
            .first()
        )
        if current is not None:
            if not attempt_is_late(current, now):
                return current
            _grade(current, late=True, now=now)
        _check_may_start(user, quiz, now)
        questions = _draw_questions(quiz, random.SystemRandom())
        if not questions:
            raise QuizError(_("This quiz has no questions yet."))
        number = (
            Attempt.objects.filter(user=user, quiz=quiz).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    user=user, quiz=quiz, number=number, deadline_at=_deadline(quiz, now)
                )
        except IntegrityError:
            # Another request started the attempt at the same moment: use that one.
            return Attempt.objects.get(user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS)
        items = []
        for position, question in enumerate(questions):
            kind = question.kind
            spec, public = grading.attempt_view(kind, question.spec(), shuffle=quiz.shuffle_choices)
            items.append(
                AttemptItem(
                    attempt=attempt,
                    position=position,
                    question=question,
                    question_version=question.version,
                    kind=kind,
                    stem=question.stem,
                    spec=spec,
                    public=public,
                    points=question.points,
                    max_score=grading.max_score(kind, spec, question.points),
                    explanation=question.explanation,
                    citation=str(question.legal_provision) if question.legal_provision else "",
                )
            )
        AttemptItem.objects.bulk_create(items)
        attempt.max_score = sum((i.max_score for i in items), Decimal(0))
        attempt.save(update_fields=["max_score"])
        return attempt


def _normalised(items: list[AttemptItem], raw_answers: dict) -> dict[int, object]:
    """Validate every answer before saving any: a bad payload saves nothing."""
    by_pk = {item.pk: item for item in items}
    errors: dict[str, str] = {}
    clean: dict[int, object] = {}
    for key, raw in raw_answers.items():
        try:
            item = by_pk[int(key)]
        except (KeyError, ValueError, TypeError):
            errors[str(key)] = _("This question is not part of your attempt.")
            continue
        try:
            clean[item.pk] = grading.normalise_answer(item.kind, item.spec, raw)
        except grading.AnswerError as error:
            errors[str(key)] = str(error)
    if errors:
        raise AnswersRejected(errors)
    return clean


def _apply_answers(items: list[AttemptItem], answers: dict[int, object]) -> list[AttemptItem]:
    """Put the answers on their items; returns the items that got one."""
    changed = [item for item in items if item.pk in answers]
    for item in changed:
        item.answer = answers[item.pk]
    return changed


def _locked(attempt_id: int, user) -> Attempt:
    """The attempt, row-locked, with its quiz's pass mark read in the same query (the quiz
    page itself, a Wagtail page of some forty columns, is loaded only if a passed attempt
    completes its course step: building it cost half of this query's time)."""
    return (
        Attempt.objects.select_for_update(of=("self",))
        .annotate(quiz_pass_mark=F("quiz__pass_mark"))
        .get(pk=attempt_id, user=user)
    )


def _pass_mark(attempt: Attempt):
    if hasattr(attempt, "quiz_pass_mark"):
        return attempt.quiz_pass_mark
    return attempt.quiz.pass_mark


def attempt_save(*, user, attempt_id: int, raw_answers: dict) -> Attempt:
    """Autosave. Answers after the time limit (plus grace) are refused and the attempt is
    graded from what was saved in time."""
    now = timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt_id, user)
        if not attempt.is_open:
            raise QuizError(_("This attempt has already been submitted."))
        late = attempt_is_late(attempt, now)
        if late:
            _grade(attempt, late=True, now=now)
        else:
            items = list(attempt.items.all())
            changed = _apply_answers(items, _normalised(items, raw_answers))
            AttemptItem.objects.bulk_update(changed, ["answer"])
    if late:
        # Raised after the commit, so the grading from saved answers stands.
        raise QuizError(_("Time is up: your attempt was graded from the answers saved in time."))
    return attempt


def attempt_submit(*, user, attempt_id: int, raw_answers=None) -> Attempt:
    """Grade the attempt exactly once. A repeated submit returns the same result.

    `raw_answers` is a dict (item id -> raw answer) or a function that builds it from the
    attempt's items (the view's form parser), so the items are read once. Raises
    Attempt.DoesNotExist for an attempt that is not the user's."""
    now = timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt_id, user)
        if not attempt.is_open:
            return attempt
        late = attempt_is_late(attempt, now)
        # The items are read once, under the attempt's lock: validated, answered and graded
        # in memory, then written in one UPDATE.
        items = list(attempt.items.all())
        if callable(raw_answers):
            raw_answers = raw_answers(items)
        if raw_answers and not late:
            _apply_answers(items, _normalised(items, raw_answers))
        _grade(attempt, late=late, now=now, items=items)
        return attempt


def _write_answers_and_scores(items: list[AttemptItem]) -> None:
    """One UPDATE for every item's answer and score. On PostgreSQL a join with a VALUES
    list (a CASE per item and field, as bulk_update builds it, costs more to build than to
    run); elsewhere bulk_update."""
    if not items:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        AttemptItem.objects.bulk_update(items, ["answer", "score"])
        return
    from psycopg.types.json import Jsonb

    table = connection.ops.quote_name(AttemptItem._meta.db_table)
    rows = ", ".join(["(%s, %s::jsonb, %s::numeric)"] * len(items))
    params = []
    for item in items:
        params += [item.pk, None if item.answer is None else Jsonb(item.answer), item.score]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS item SET answer = v.answer, score = v.score "  # noqa: S608
            f"FROM (VALUES {rows}) AS v(id, answer, score) WHERE item.id = v.id",
            params,
        )


GRADED_FIELDS = [
    "score",
    "max_score",
    "percent",
    "passed",
    "status",
    "closed_by_timeout",
    "submitted_at",
]


def _grade(attempt: Attempt, *, late: bool, now, items: list[AttemptItem] | None = None) -> None:
    """Grade under the attempt's lock; `items`, when given, are the attempt's items read
    under that lock (with any answers of this submit put on them)."""
    if items is None:
        items = list(attempt.items.all())
    for item in items:
        item.score = grading.grade(item.kind, item.spec, item.answer, item.points)
    _write_answers_and_scores(items)
    _set_totals(attempt, items)
    attempt.status = AttemptStatus.GRADED
    attempt.closed_by_timeout = late
    attempt.submitted_at = min(now, attempt.deadline_at + grace()) if late else now
    attempt.save(update_fields=GRADED_FIELDS)
    if attempt.passed:
        _quiz_step_complete(attempt)


def _quiz_step_complete(attempt: Attempt) -> None:
    """In the caller's transaction: the course step completes with the graded result. A
    trainee who left the course meanwhile keeps the result without the step."""
    course = course_of_lesson(lesson=attempt.quiz)
    with contextlib.suppress(CourseError):
        step_complete(user=attempt.user, course=course, step=attempt.quiz)


def _set_totals(attempt: Attempt, items: list[AttemptItem]) -> None:
    score = sum((item.score or Decimal(0) for item in items), Decimal(0))
    maximum = sum((item.max_score for item in items), Decimal(0))
    attempt.score = score
    attempt.max_score = maximum
    attempt.percent = (score * 100 / maximum).quantize(Decimal("0.01")) if maximum else Decimal(0)
    attempt.passed = attempt.percent >= _pass_mark(attempt)


def attempt_close_if_expired(*, attempt_id: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
        attempt = attempt.get(pk=attempt_id)
        if attempt.is_open and attempt_is_late(attempt, now):
            _grade(attempt, late=True, now=now)


def attempts_close_expired(*, now=None) -> int:
    """Grade every attempt left open past its time limit, from its saved answers."""
    now = now or timezone.now()
    closed = 0
    candidates = Attempt.objects.filter(
        status=AttemptStatus.IN_PROGRESS, deadline_at__lt=now - grace()
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().get(pk=pk)
            if attempt.is_open and attempt_is_late(attempt, now):
                _grade(attempt, late=True, now=now)
                closed += 1
    return closed


def question_regrade(*, question: Question, changed_by, quizzes=None) -> list[RegradeRecord]:
    """After a trainer fixes a question's key, regrade every graded attempt that used it
    with the corrected key (only those of `quizzes` when given: a trainer regrades the
    quizzes of their own courses); each change of score is recorded."""
    kind, spec = question.kind, question.spec()
    records = []
    items = AttemptItem.objects.filter(question=question, attempt__status=AttemptStatus.GRADED)
    if quizzes is not None:
        items = items.filter(attempt__quiz__in=quizzes)
    for item_pk in items.values_list("pk", flat=True):
        with transaction.atomic():
            item = AttemptItem.objects.select_related("attempt").get(pk=item_pk)
            attempt = Attempt.objects.select_for_update().get(pk=item.attempt_id)
            rekeyed = _rekeyed(item.spec, spec, kind) if item.kind == kind else None
            if rekeyed is None:
                continue  # the question changed shape: an old attempt cannot be re-keyed
            old_score, old_version = attempt.score, item.question_version
            old_passed = attempt.passed
            item.spec = rekeyed
            item.question_version = question.version
            item.score = grading.grade(kind, item.spec, item.answer, item.points)
            item.save(update_fields=["spec", "question_version", "score"])
            all_items = list(attempt.items.all())
            _set_totals(attempt, all_items)
            attempt.save(update_fields=["score", "max_score", "percent", "passed"])
            records.append(
                RegradeRecord.objects.create(
                    question=question,
                    question_title=question.title,
                    attempt=attempt,
                    changed_by=changed_by,
                    old_version=old_version,
                    new_version=question.version,
                    old_score=old_score,
                    new_score=attempt.score,
                )
            )
            audit_record(
                action="quiz.regraded",
                actor=changed_by,
                target=attempt,
                summary=f"{question.title}: {old_score} → {attempt.score}",
                data={
                    "question_id": question.pk,
                    "learner_id": attempt.user_id,
                    "quiz_id": attempt.quiz_id,
                    "old_score": old_score,
                    "new_score": attempt.score,
                    "old_passed": old_passed,
                    "new_passed": attempt.passed,
                    "old_version": old_version,
                    "new_version": question.version,
                },
            )
            if attempt.passed and not old_passed:
                _quiz_step_complete(attempt)
    return records


def _rekeyed(old_spec: dict, new_spec: dict, kind: str) -> dict | None:
    """The attempt keeps the wording, options and ids it showed; only the key changes.
    Options match by position (the server-side spec keeps the author's order). Returns
    None when the options themselves changed in number, so the old attempt is left alone."""
    if kind in ("single_choice", "multiple_response"):
        old, new = old_spec["choices"], new_spec["choices"]
        if len(old) != len(new):
            return None
        choices = [{**o, "correct": n["correct"]} for o, n in zip(old, new, strict=True)]
        extra = {k: v for k, v in new_spec.items() if k != "choices"}
        return {**old_spec, **extra, "choices": choices}
    if kind == "true_false":
        return {**old_spec, "correct": new_spec["correct"]}
    if kind == "short_answer":
        return {**old_spec, **new_spec}
    return None
