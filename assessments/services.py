"""Writes for assessments: starting, saving, grading and regrading attempts.

Grading happens on the server, exactly once, from the snapshot frozen when the attempt
started. The attempt row is locked (SELECT … FOR UPDATE) for every write, so a double
submit, two tabs or concurrent requests serialise and the second finds it graded.
"""

import contextlib
import functools
import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
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


# What submitting and autosaving read of an item (the stem, explanation and citation are
# for the pages, not for grading).
_ITEM_READ = {"id", "attempt_id", "kind", "spec", "public", "points", "max_score", "answer"}


def _from_row(model, fields, values):
    """A model instance from raw column values, decoded as the ORM would (JSON)."""
    values = [
        f.from_db_value(v, None, connection) if hasattr(f, "from_db_value") else v
        for f, v in zip(fields, values, strict=True)
    ]
    return model.from_db(connection.alias, [f.attname for f in fields], values)


@functools.cache
def _lock_with_items_sql() -> tuple[str, list, list]:
    """The statement of _locked_with_items (names from the models), and its columns."""
    qn = connection.ops.quote_name
    attempt_fields = list(Attempt._meta.concrete_fields)
    item_fields = [f for f in AttemptItem._meta.concrete_fields if f.attname in _ITEM_READ]
    locked = ", ".join(f"at.{qn(f.column)}" for f in attempt_fields)
    attempt_columns = ", ".join(f"a.{qn(f.column)}" for f in attempt_fields)
    item_columns = ", ".join(f"i.{qn(f.column)}" for f in item_fields)
    attempts, items = qn(Attempt._meta.db_table), qn(AttemptItem._meta.db_table)
    quizzes, quiz_key = qn(QuizPage._meta.db_table), qn(QuizPage._meta.pk.column)
    sql = (
        f"WITH a AS (SELECT {locked}, q.pass_mark AS quiz_pass_mark"  # noqa: S608 - model names
        f" FROM {attempts} AS at"
        f" JOIN {quizzes} AS q ON q.{quiz_key} = at.quiz_id"
        " WHERE at.id = %s AND at.user_id = %s FOR UPDATE OF at),"
        f" i AS (SELECT * FROM {items} WHERE attempt_id = (SELECT id FROM a) FOR UPDATE)"
        f" SELECT {attempt_columns}, a.quiz_pass_mark, {item_columns}"
        " FROM a JOIN i ON i.attempt_id = a.id ORDER BY i.position"
    )
    return sql, attempt_fields, item_fields


def _locked_with_items(attempt_id: int, user) -> tuple[Attempt, list[AttemptItem]]:
    """The attempt, row-locked, with its pass mark and its items, in one round trip on
    PostgreSQL. The attempt is locked first and its items after it (the order every other
    writer takes: autosave, grading, regrade), and the items are locked too: under READ
    COMMITTED a statement that waited for the attempt's lock reads the items as they were
    when it began, before the autosave it waited for; locking them makes PostgreSQL read
    each one again at its newest version. Raises Attempt.DoesNotExist for an attempt that
    is not the user's."""
    if connection.vendor != "postgresql":
        attempt = _locked(attempt_id, user)
        return attempt, list(attempt.items.all())
    sql, attempt_fields, item_fields = _lock_with_items_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id, user.pk])
        rows = cursor.fetchall()
    if not rows:  # not the user's (DoesNotExist), or an attempt without items
        attempt = _locked(attempt_id, user)
        return attempt, list(attempt.items.all())
    width = len(attempt_fields)
    attempt = _from_row(Attempt, attempt_fields, rows[0][:width])
    attempt.quiz_pass_mark = rows[0][width]
    items = [_from_row(AttemptItem, item_fields, row[width + 1 :]) for row in rows]
    return attempt, items


def _pass_mark(attempt: Attempt):
    if hasattr(attempt, "quiz_pass_mark"):
        return attempt.quiz_pass_mark
    return attempt.quiz.pass_mark


def attempt_save(*, user, attempt_id: int, raw_answers) -> Attempt:
    """Autosave. Answers after the time limit (plus grace) are refused and the attempt is
    graded from what was saved in time. `raw_answers` as for attempt_submit; raises
    Attempt.DoesNotExist for an attempt that is not the user's."""
    now = timezone.now()
    with transaction.atomic():
        attempt, items = _locked_with_items(attempt_id, user)
        if not attempt.is_open:
            raise QuizError(_("This attempt has already been submitted."))
        late = attempt_is_late(attempt, now)
        if late:
            _grade(attempt, late=True, now=now, items=items)
        else:
            if callable(raw_answers):
                raw_answers = raw_answers(items)
            _write_answers(_apply_answers(items, _normalised(items, raw_answers)))
    if late:
        # Raised after the commit, so the grading from saved answers stands.
        raise QuizError(_("Time is up: your attempt was graded from the answers saved in time."))
    return attempt


def attempt_submit(*, user, attempt_id: int, raw_answers=None) -> Attempt:
    """Grade the attempt exactly once. A repeated submit returns the same result.

    `raw_answers` is a dict (item id -> raw answer) or a function that builds it from the
    attempt's items (the view's form parser), so the items are read once. Raises
    Attempt.DoesNotExist for an attempt that is not the user's.

    On PostgreSQL four round trips: BEGIN, the attempt locked and its items read (one
    statement), the items and the attempt written (one statement), COMMIT."""
    now = timezone.now()
    with transaction.atomic():
        attempt, items = _locked_with_items(attempt_id, user)
        if not attempt.is_open:
            return attempt
        late = attempt_is_late(attempt, now)
        if callable(raw_answers):
            raw_answers = raw_answers(items)
        if raw_answers and not late:
            _apply_answers(items, _normalised(items, raw_answers))
        _grade(attempt, late=late, now=now, items=items)
        return attempt


def _items_update(items: list[AttemptItem], *, scores: bool) -> tuple[str, list]:
    """One UPDATE of the items' answers (and scores) on PostgreSQL: a join with a VALUES
    list (a CASE per item and field, as bulk_update builds it, costs more to build than to
    run)."""
    from psycopg.types.json import Jsonb

    table = connection.ops.quote_name(AttemptItem._meta.db_table)
    row = "(%s, %s::jsonb, %s::numeric)" if scores else "(%s, %s::jsonb)"
    params = []
    for item in items:
        params += [item.pk, None if item.answer is None else Jsonb(item.answer)]
        if scores:
            params.append(item.score)
    if scores:
        columns, sets = "id, answer, score", "answer = v.answer, score = v.score"
    else:
        columns, sets = "id, answer", "answer = v.answer"
    sql = (
        f"UPDATE {table} AS item SET {sets}"  # noqa: S608 - names from the model
        f" FROM (VALUES {', '.join([row] * len(items))}) AS v({columns}) WHERE item.id = v.id"
    )
    return sql, params


def _write_answers(items: list[AttemptItem]) -> None:
    if not items:
        return
    if connection.vendor != "postgresql":
        AttemptItem.objects.bulk_update(items, ["answer"])
        return
    with connection.cursor() as cursor:
        cursor.execute(*_items_update(items, scores=False))


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
    _set_totals(attempt, items)
    attempt.status = AttemptStatus.GRADED
    attempt.closed_by_timeout = late
    attempt.submitted_at = min(now, attempt.deadline_at + grace()) if late else now
    _write_graded(attempt, items)
    if attempt.passed:
        _quiz_step_complete(attempt)


@functools.cache
def _graded_sql() -> tuple[str, list]:
    qn = connection.ops.quote_name
    fields = [Attempt._meta.get_field(name) for name in GRADED_FIELDS]
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    table, key = qn(Attempt._meta.db_table), qn(Attempt._meta.pk.column)
    return f"UPDATE {table} SET {sets} WHERE {key} = %s", fields  # noqa: S608 - model names


def _write_graded(attempt: Attempt, items: list[AttemptItem]) -> None:
    """The items' answers and scores and the attempt's result in one statement on
    PostgreSQL (the items' UPDATE as a WITH part of the attempt's), so in one round trip;
    elsewhere bulk_update and save. Attempts have no signal receivers to miss."""
    if connection.vendor != "postgresql":
        if items:
            AttemptItem.objects.bulk_update(items, ["answer", "score"])
        attempt.save(update_fields=GRADED_FIELDS)
        return
    sql, fields = _graded_sql()
    params = [f.get_db_prep_save(getattr(attempt, f.attname), connection) for f in fields]
    params.append(attempt.pk)
    if items:
        items_sql, items_params = _items_update(items, scores=True)
        sql = f"WITH written AS ({items_sql} RETURNING item.id) {sql}"
        params = items_params + params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            raise DatabaseError(f"Attempt {attempt.pk} was not graded: no row updated.")


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
