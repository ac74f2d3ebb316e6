"""Scenario group "quiz": 16 trainees at once starting a 12-question quiz, autosaving it and
submitting it (each submit a different attempt, each start a different trainee), then a
check that every submitted attempt was graded exactly once."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from . import loadgen
from .core import Context, Group, Result, Scenario

QUESTIONS = 12
CONNECTIONS = 16


def setup_data(options: dict) -> dict:
    import time

    from accounts.models import JobRole, User
    from assessments.services import attempt_start
    from courses.models import Enrolment
    from home.services import site_homepage_ensure
    from scripts.bench.django_side import csrf_pair, session_cookie_for
    from tests.factories.assessments import SINGLE, question_create, quiz_create
    from tests.factories.courses import catalogue_create, course_create

    started = time.monotonic()
    catalogue = catalogue_create(site_homepage_ensure())
    course, _ = course_create(catalogue, code="BENCH-QUIZ", lessons=1, blocks=1)
    questions = [question_create(f"Câu {i + 1}", "single_choice", SINGLE) for i in range(QUESTIONS)]
    quiz = quiz_create(course, questions, attempts_allowed=None, title="Kiểm tra đo hiệu năng")
    per_kind = int(options.get("quiz_attempts") or 4000)
    users = User.objects.bulk_create(
        User(
            email=f"thi{i:05d}@bench.example",
            full_name=f"Học viên thi {i:05d}",
            job_role=JobRole.INVESTIGATOR,
            password="!",  # noqa: S106 - unusable
        )
        for i in range(2 * per_kind + 64)
    )
    Enrolment.objects.bulk_create(Enrolment(user=u, course=course, source="self") for u in users)

    def entry(user, path, answers):
        csrf_cookie, token = csrf_pair()
        body = urlencode({"csrfmiddlewaretoken": token, **answers})
        return {"path": path, "cookie": f"{session_cookie_for(user)}; {csrf_cookie}", "body": body}

    def answered(attempt):
        return {f"q-{item.pk}": item.public["choices"][0]["id"] for item in attempt.items.all()}

    start = [entry(u, f"/quiz/{quiz.pk}/start/", {}) for u in users[:per_kind]]
    submit, save = [], []
    for user in users[per_kind : 2 * per_kind]:
        attempt = attempt_start(user=user, quiz=quiz)
        submit.append(entry(user, f"/quiz/attempts/{attempt.pk}/submit/", answered(attempt)))
    for user in users[2 * per_kind :]:
        attempt = attempt_start(user=user, quiz=quiz)
        save.append(entry(user, f"/quiz/attempts/{attempt.pk}/save/", answered(attempt)))
    return {
        "quiz": quiz.pk,
        "start": start,
        "submit": submit,
        "save": save,
        "seconds": round(time.monotonic() - started),
    }


def check(args: dict) -> dict:
    """After the rounds: every submit that was answered graded its attempt, each attempt
    once (one attempt per trainee, its score the sum of its items' scores), and nothing
    else was graded. `sent` holds the attempts whose submit was sent (the answered ones and
    those still in flight when a run ended), `answered` how many got an answer."""
    from django.db.models import Count, F, Sum

    from assessments.models import Attempt, AttemptStatus

    sent = args["sent"]
    graded = Attempt.objects.filter(pk__in=sent, status=AttemptStatus.GRADED, score__isnull=False)
    graded_count = graded.count()
    wrong_totals = graded.annotate(total=Sum("items__score")).exclude(score=F("total")).count()
    in_quiz = Attempt.objects.filter(quiz_id=args["quiz"])
    graded_unsent = in_quiz.filter(status=AttemptStatus.GRADED).exclude(pk__in=sent).count()
    two_attempts = in_quiz.values("user").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "answered": args["answered"],
        "sent": len(sent),
        "graded": graded_count,
        "score_not_sum_of_items": wrong_totals,
        "graded_without_submit": graded_unsent,
        "trainees_with_2+_attempts": two_attempts,
        "exactly_once": (
            args["answered"] <= graded_count <= len(sent)
            and wrong_totals == 0
            and graded_unsent == 0
            and two_attempts == 0
        ),
    }


def scenarios(ctx: Context, data: dict) -> list[Scenario]:
    offsets = {"start": 0, "submit": 0}
    sent_ids: list[int] = []
    answered = {"submit": 0}

    def consuming(kind):
        def measure(ctx: Context) -> Result:
            entries = data[kind]
            offset = offsets[kind]
            if offset >= len(entries):
                return Result(extra={"note": f"no unused {kind} entries left"})
            result = loadgen.wrk_requests(
                ctx, scenario_by_kind[kind], entries, seconds=ctx.options.duration, offset=offset
            )
            used = min(len(entries), offset + result.extra["used"])
            if offset + result.requests > len(entries):
                result.errors += offset + result.requests - len(entries)  # re-sent: not counted
            if kind == "submit":
                sent_ids.extend(int(e["path"].split("/")[3]) for e in entries[offset:used])
                answered["submit"] += min(result.requests, len(entries) - offset)
            offsets[kind] = used
            return result

        return measure

    def repeat(kind):
        def measure(ctx: Context) -> Result:
            return loadgen.wrk_requests(
                ctx, scenario_by_kind[kind], data[kind], seconds=ctx.options.duration
            )

        return measure

    def after(ctx: Context) -> dict:
        return ctx.django(
            "call",
            "scripts.bench.quiz:check",
            json.dumps(
                {
                    "quiz": data["quiz"],
                    "sent": sorted(set(sent_ids)),
                    "answered": answered["submit"],
                }
            ),
        )

    scenario_by_kind = {
        "start": Scenario(
            name="quiz start", group="quiz", connections=CONNECTIONS, measure=consuming("start")
        ),
        "save": Scenario(
            name="quiz autosave", group="quiz", connections=CONNECTIONS, measure=repeat("save")
        ),
        "submit": Scenario(
            name="quiz submit",
            group="quiz",
            connections=CONNECTIONS,
            measure=consuming("submit"),
            goal=0.05,
            max_p99_ms=250,
            after_rounds=after,
            note="each request a different attempt of 12 questions; ratio to hello",
        ),
    }
    return list(scenario_by_kind.values())


GROUP = Group(name="quiz", setup_data=setup_data, scenarios=scenarios)
