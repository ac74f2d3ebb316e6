import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from assessments import grading
from assessments.models import Attempt, AttemptItem, AttemptStatus
from assessments.services import attempt_start, attempt_submit
from courses.models import Enrolment, EnrolmentStatus, StepCompletion
from courses.services import lesson_complete

pytestmark = pytest.mark.django_db


def _start(client, quiz) -> Attempt:
    response = client.post(f"/quiz/{quiz.pk}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(re.search(r"/attempts/(\d+)/", response["Location"])[1]))


def _form(attempt, correct=True) -> dict:
    data = {}
    for item in attempt.items.all():
        answer = grading.correct_answer(item.kind, item.spec)
        if not correct:
            if item.kind == "single_choice":
                answer = next(c["id"] for c in item.spec["choices"] if not c["correct"])
            elif item.kind == "multiple_response":
                answer = [c["id"] for c in item.spec["choices"] if not c["correct"]]
            elif item.kind == "short_answer":
                answer = "Thu thập tối đa chứng cứ"
        data[f"q-{item.pk}"] = answer
    return data


def test_quiz_requires_enrolment(client, trainee, quiz):
    client.force_login(trainee)

    response = client.post(f"/quiz/{quiz.pk}/start/", follow=True)

    assert "Hãy ghi danh vào khóa học trước khi làm bài kiểm tra" in response.content.decode()
    assert not Attempt.objects.exists()


def test_starting_twice_resumes_the_same_attempt_with_a_frozen_snapshot(client, taker, quiz):
    first = _start(client, quiz)
    second = _start(client, quiz)

    assert first.pk == second.pk
    assert first.items.count() == 3
    assert {i.kind for i in first.items.all()} == {
        "single_choice",
        "multiple_response",
        "short_answer",
    }


def test_autosaved_answers_survive_a_reload(client, taker, quiz):
    attempt = _start(client, quiz)
    short = attempt.items.get(kind="short_answer")

    saved = client.post(f"/quiz/attempts/{attempt.pk}/save/", {f"q-{short.pk}": "Không gây hại"})
    page = client.get(f"/quiz/attempts/{attempt.pk}/").content.decode()

    assert saved.json()["saved"] is True
    assert 'value="Không gây hại"' in page
    assert AttemptItem.objects.get(pk=short.pk).answer == "Không gây hại"


def test_submit_grades_on_the_server_and_a_second_submit_changes_nothing(client, taker, quiz):
    attempt = _start(client, quiz)
    response = client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt), follow=True)

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.score == attempt.max_score == 3
    assert attempt.passed
    assert "Đạt" in response.content.decode()

    graded_at = attempt.submitted_at
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt, correct=False))
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert attempt.submitted_at == graded_at


def test_editing_a_question_never_changes_an_attempt_already_taken(client, taker, quiz, questions):
    attempt = _start(client, quiz)
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt))
    question = questions[0]
    question.stem = "<p>Câu hỏi đã sửa</p>"
    question.save()

    item = attempt.items.get(question=question)
    assert item.stem == "<p>Câu hỏi q-single</p>"
    assert item.question_version == 1
    assert question.version == 2


def test_passing_the_required_quiz_completes_the_course(client, taker, course_with_quiz):
    course, lessons, quiz = course_with_quiz
    lesson_complete(user=taker, course=course, lesson=lessons[0])
    assert Enrolment.objects.get(user=taker).status == EnrolmentStatus.ACTIVE

    attempt = _start(client, quiz)
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt))

    enrolment = Enrolment.objects.get(user=taker)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert StepCompletion.objects.filter(enrolment=enrolment, step=quiz).exists()


def test_failing_does_not_complete_the_step_and_the_cooldown_holds(client, taker, quiz):
    attempt = _start(client, quiz)
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt, correct=False))

    again = client.post(f"/quiz/{quiz.pk}/start/", follow=True)

    assert not StepCompletion.objects.exists()
    assert "Bạn có thể làm lại lúc" in again.content.decode()
    assert Attempt.objects.filter(user=taker).count() == 1


def test_attempts_allowed_are_enforced(client, taker, quiz):
    quiz.cooldown_minutes = 0
    quiz.attempts_allowed = 1
    quiz.save()
    attempt = _start(client, quiz)
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt, correct=False))

    response = client.post(f"/quiz/{quiz.pk}/start/", follow=True)

    assert "Bạn đã dùng hết số lần làm bài" in response.content.decode()


def test_review_waits_for_a_pass_under_the_after_passing_policy(client, taker, quiz):
    quiz.cooldown_minutes = 0
    quiz.save()
    failed = _start(client, quiz)
    client.post(f"/quiz/attempts/{failed.pk}/submit/", _form(failed, correct=False))
    hidden = client.get(f"/quiz/attempts/{failed.pk}/result/").content.decode()

    passed = _start(client, quiz)
    client.post(f"/quiz/attempts/{passed.pk}/submit/", _form(passed))
    shown = client.get(f"/quiz/attempts/{passed.pk}/result/").content.decode()

    assert "Đáp án đúng" not in hidden
    assert "Coi là nạn nhân tiềm năng" not in hidden
    assert "Đáp án đúng" in shown
    assert "Coi là nạn nhân tiềm năng, bảo vệ và chuyển cơ quan điều tra" in shown


def test_attempt_past_its_limit_is_graded_from_saved_answers_and_late_answers_refused(
    client, taker, quiz
):
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = _start(client, quiz)
    single = attempt.items.get(kind="single_choice")
    correct = grading.correct_answer(single.kind, single.spec)
    client.post(f"/quiz/attempts/{attempt.pk}/save/", {f"q-{single.pk}": correct})
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=2))

    late_save = client.post(f"/quiz/attempts/{attempt.pk}/save/", _form(attempt))
    assert late_save.status_code == 409
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.closed_by_timeout
    assert attempt.score == 1  # only the answer saved in time counts
    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt))
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_open_attempts_past_their_limit_are_closed_by_the_command(client, taker, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = _start(client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))

    call_command("close_expired_attempts")

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.score == 0


def test_submit_after_the_close_date_is_graded_from_saved_answers(client, taker, quiz):
    quiz.closes_at = timezone.now() + timedelta(minutes=30)
    quiz.save()
    attempt = _start(client, quiz)
    assert attempt.deadline_at == quiz.closes_at
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=5))

    client.post(f"/quiz/attempts/{attempt.pk}/submit/", _form(attempt))

    attempt.refresh_from_db()
    assert attempt.closed_by_timeout
    assert attempt.score == 0


def test_correct_answers_never_reach_the_browser_before_grading(client, taker, quiz):
    quiz.shuffle_choices = False
    quiz.save()
    attempt = _start(client, quiz)

    html = client.get(f"/quiz/attempts/{attempt.pk}/").content.decode()
    script = (Path(settings.BASE_DIR) / "static" / "js" / "quiz.js").read_text()

    for text in (html, script):
        assert re.search(r"correct|accepted|is_correct|data-key", text, re.IGNORECASE) is None
    assert "Không gây hại" not in html  # the short answer's accepted text
    for item in attempt.items.filter(kind__in=["single_choice", "multiple_response"]):
        authoring_ids = {f"c{i}" for i in range(len(item.spec["choices"]))}
        assert not any(f'value="{cid}"' in html for cid in authoring_ids)
        assert {c["id"] for c in item.public["choices"]} == {c["id"] for c in item.spec["choices"]}
        assert "correct" not in str(item.public)


def test_answers_for_questions_outside_the_attempt_are_refused_and_nothing_saved(
    client, taker, quiz
):
    attempt = _start(client, quiz)
    single = attempt.items.get(kind="single_choice")
    right = grading.correct_answer(single.kind, single.spec)

    response = client.post(
        f"/quiz/attempts/{attempt.pk}/save/", {f"q-{single.pk}": right, "q-999999": "x"}
    )

    assert response.status_code == 400
    assert "không thuộc bài làm của bạn" in str(response.json()["errors"])
    assert AttemptItem.objects.get(pk=single.pk).answer is None


def test_malformed_answers_are_refused_with_a_clear_error(client, taker, quiz):
    attempt = _start(client, quiz)
    single = attempt.items.get(kind="single_choice")

    response = client.post(f"/quiz/attempts/{attempt.pk}/submit/", {f"q-{single.pk}": "zzz"})

    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_another_persons_attempt_is_not_found(client, taker, quiz):
    from tests.factories.accounts import UserFactory

    attempt = _start(client, quiz)
    intruder = UserFactory()
    client.force_login(intruder)

    for url in ("", "save/", "submit/", "result/"):
        method = client.get if url in ("", "result/") else client.post
        assert method(f"/quiz/attempts/{attempt.pk}/{url}").status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_attempt_grade_it_exactly_once(home_page):
    from courses.services import enrolment_create
    from tests.factories.accounts import UserFactory
    from tests.factories.assessments import SINGLE, question_create, quiz_create
    from tests.factories.courses import catalogue_create, course_create

    assert connection.vendor == "postgresql"
    user = UserFactory()
    course, _ = course_create(catalogue_create(home_page), code="PCMD-CC", lessons=0)
    quiz = quiz_create(course, [question_create("q1", "single_choice", SINGLE)])
    enrolment_create(user=user, course=course)
    attempt = attempt_start(user=user, quiz=quiz)
    item = attempt.items.get()
    right = grading.correct_answer(item.kind, item.spec)
    wrong = next(c["id"] for c in item.spec["choices"] if not c["correct"])
    barrier = threading.Barrier(6)
    results = []

    def submit(answer):
        try:
            barrier.wait()
            graded = attempt_submit(
                user=user, attempt_id=attempt.pk, raw_answers={str(item.pk): answer}
            )
            results.append((graded.score, graded.submitted_at))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(right if i % 2 else wrong,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 6
    assert len(set(results)) == 1  # every caller saw the one graded result
    attempt.refresh_from_db()
    assert (attempt.score, attempt.submitted_at) == results[0]
    assert Attempt.objects.filter(quiz=quiz, status=AttemptStatus.GRADED).count() == 1
    assert StepCompletion.objects.filter(step=quiz).count() == (1 if attempt.passed else 0)


@pytest.mark.django_db(transaction=True)
def test_a_submit_that_waited_for_an_autosave_grades_the_autosaved_answers(home_page):
    """The submit's one statement locks the attempt and reads its items; when it had to
    wait for an autosave holding the lock, it must grade (and keep) the answers that
    autosave wrote, not the items as they were when the submit began waiting."""
    import time

    from django.db import transaction

    from courses.services import enrolment_create
    from tests.factories.accounts import UserFactory
    from tests.factories.assessments import SINGLE, question_create, quiz_create
    from tests.factories.courses import catalogue_create, course_create

    user = UserFactory()
    course, _ = course_create(catalogue_create(home_page), code="PCMD-AS", lessons=0)
    quiz = quiz_create(course, [question_create(f"q{i}", "single_choice", SINGLE) for i in "12"])
    enrolment_create(user=user, course=course)
    attempt = attempt_start(user=user, quiz=quiz)
    items = list(attempt.items.all())
    right = {item.pk: grading.correct_answer(item.kind, item.spec) for item in items}
    autosave_holds_lock, submitted = threading.Event(), []

    def autosave():
        try:
            with transaction.atomic():
                Attempt.objects.select_for_update().get(pk=attempt.pk)
                for item in items:
                    AttemptItem.objects.filter(pk=item.pk).update(answer=right[item.pk])
                autosave_holds_lock.set()
                deadline = time.monotonic() + 10
                with connection.cursor() as cursor:  # until the submit waits for the lock
                    while time.monotonic() < deadline:
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                            "'Lock' AND datname = current_database() AND pid <> pg_backend_pid()"
                        )
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.02)
        finally:
            connection.close()

    def submit():
        try:
            autosave_holds_lock.wait(10)
            submitted.append(attempt_submit(user=user, attempt_id=attempt.pk, raw_answers={}))
        finally:
            connection.close()

    threads = [threading.Thread(target=autosave), threading.Thread(target=submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.score == 2
    assert submitted[0].score == 2
    assert {item.pk: item.answer for item in attempt.items.all()} == right


def _submit_queries(client, user, home_page, code, count, correct) -> tuple[int, Attempt]:
    from django.test.utils import CaptureQueriesContext

    from courses.services import enrolment_create
    from tests.factories.assessments import SINGLE, question_create, quiz_create
    from tests.factories.courses import catalogue_create, course_create

    catalogue = catalogue_create(home_page)
    course, _ = course_create(catalogue, code=code, lessons=1)
    questions = [question_create(f"{code}-{i}", "single_choice", SINGLE) for i in range(count)]
    quiz = quiz_create(course, questions, attempts_allowed=None)
    enrolment_create(user=user, course=course)
    attempt = _start(client, quiz)
    form = _form(attempt, correct=correct)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/quiz/attempts/{attempt.pk}/submit/", form)
    assert response.status_code == 302
    attempt.refresh_from_db()
    return len(captured), attempt


@pytest.mark.parametrize("correct", [True, False], ids=["passed", "failed"])
def test_a_submit_costs_the_same_queries_for_two_or_twelve_questions(
    client, trainee, home_page, correct
):
    client.force_login(trainee)
    few, small = _submit_queries(client, trainee, home_page, "QC-2", 2, correct)
    many, large = _submit_queries(client, trainee, home_page, "QC-12", 12, correct)

    assert few == many
    for attempt, count in ((small, 2), (large, 12)):
        assert attempt.status == AttemptStatus.GRADED
        assert attempt.score == (count if correct else 0) and attempt.passed is correct
        items = list(attempt.items.all())
        assert [item.score for item in items] == [1 if correct else 0] * count
        assert all(item.answer is not None for item in items)


def test_a_rejected_submit_saves_nothing_and_shows_the_form_again(client, taker, quiz):
    attempt = _start(client, quiz)
    form = _form(attempt)
    single = attempt.items.get(kind="single_choice")
    form[f"q-{single.pk}"] = "not-a-choice"

    response = client.post(f"/quiz/attempts/{attempt.pk}/submit/", form)

    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert not attempt.items.filter(answer__isnull=False).exists()
    assert f'name="q-{single.pk}"' in response.content.decode()
