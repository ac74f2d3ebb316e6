import threading

import pytest
from django.db import connection

from courses.models import Enrolment, EnrolmentStatus, LessonPage, StepCompletion
from courses.selectors import continue_lesson, course_steps
from courses.services import CourseError, lesson_complete
from courses.signals import course_completed
from tests.factories.courses import course_create, lesson_body

pytestmark = pytest.mark.django_db


def _complete(client, course, lesson, **kwargs):
    return client.post(f"/learn/{course.pk}/lessons/{lesson.pk}/complete/", **kwargs)


@pytest.fixture
def completions_signal():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(receiver)
    yield received
    course_completed.disconnect(receiver)


def test_completing_a_lesson_moves_progress_and_goes_to_the_next(client, trainee, enrolled):
    course, lessons = enrolled

    response = _complete(client, course, lessons[0])

    assert response["Location"] == lessons[1].url
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.progress_percent == 33
    assert enrolment.last_step_id == lessons[0].pk


def test_double_click_on_complete_counts_once(client, trainee, enrolled):
    course, lessons = enrolled

    _complete(client, course, lessons[0])
    second = _complete(client, course, lessons[0], follow=True)

    assert second.status_code == 200
    assert StepCompletion.objects.filter(step=lessons[0]).count() == 1
    assert Enrolment.objects.get(user=trainee).progress_percent == 33


def test_last_required_lesson_completes_the_course_in_the_same_request(
    client, trainee, enrolled, completions_signal, django_capture_on_commit_callbacks
):
    course, lessons = enrolled
    for lesson in lessons[:-1]:
        _complete(client, course, lesson)
    assert completions_signal == []

    with django_capture_on_commit_callbacks(execute=True):
        response = _complete(client, course, lessons[-1], follow=True)

    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.progress_percent == 100
    assert enrolment.completed_at is not None
    assert "Bạn đã hoàn thành khóa học này" in response.content.decode()
    assert len(completions_signal) == 1
    assert completions_signal[0]["completed_at"] == enrolment.completed_at
    assert completions_signal[0]["user"] == trainee


def test_completing_a_finished_lesson_again_does_not_resend_completion(
    trainee, enrolled, completions_signal, django_capture_on_commit_callbacks
):
    course, lessons = enrolled
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in [*lessons, lessons[-1], lessons[0]]:
            lesson_complete(user=trainee, course=course, lesson=lesson)

    assert len(completions_signal) == 1


def test_optional_lessons_are_not_needed_for_completion(trainee, enrolled):
    course, lessons = enrolled
    lessons[-1].is_required = False
    lessons[-1].save_revision().publish()

    for lesson in lessons[:-1]:
        result = lesson_complete(user=trainee, course=course, lesson=lesson)

    assert result.course_newly_completed


def test_completing_a_lesson_of_another_course_is_refused_and_saves_nothing(
    client, trainee, enrolled, catalogue
):
    course, _ = enrolled
    _other, other_lessons = course_create(catalogue, code="PCMD-X9", lessons=1)

    response = _complete(client, course, other_lessons[0], follow=True)

    assert "không thuộc khóa học này" in response.content.decode()
    assert StepCompletion.objects.count() == 0


def test_completing_without_enrolment_is_refused(client, trainee, course):
    client.force_login(trainee)

    response = _complete(client, course[0], course[1][0], follow=True)

    assert "Hãy ghi danh vào khóa học trước" in response.content.decode()
    assert StepCompletion.objects.count() == 0


def test_complete_needs_post_and_csrf(trainee, enrolled):
    from django.test import Client

    course, lessons = enrolled
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trainee)

    assert strict.get(f"/learn/{course.pk}/lessons/{lessons[0].pk}/complete/").status_code == 405
    assert _complete(strict, course, lessons[0]).status_code == 403
    assert StepCompletion.objects.count() == 0


def test_adding_a_lesson_never_moves_progress_back_or_unfinishes(trainee, enrolled, catalogue):
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    lesson_complete(user=trainee, course=course, lesson=lessons[1])
    assert Enrolment.objects.get(user=trainee).progress_percent == 66

    course.add_child(instance=LessonPage(title="Bài mới", slug="bai-moi", body=lesson_body(1)))
    lesson_complete(user=trainee, course=course, lesson=lessons[1])
    assert Enrolment.objects.get(user=trainee).progress_percent == 66  # 2/4 computed

    lesson_complete(user=trainee, course=course, lesson=lessons[2])
    assert Enrolment.objects.get(user=trainee).progress_percent == 75
    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.ACTIVE


def test_a_finished_course_stays_finished_when_a_lesson_is_added(trainee, enrolled):
    course, lessons = enrolled
    for lesson in lessons:
        lesson_complete(user=trainee, course=course, lesson=lesson)
    finished_at = Enrolment.objects.get(user=trainee).completed_at

    course.add_child(instance=LessonPage(title="Bài bổ sung", slug="bo-sung", body=[]))

    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completed_at == finished_at
    assert enrolment.progress_percent == 100


def test_removing_the_unfinished_lesson_completes_the_course_after_the_unpublish(
    client, trainee, enrolled, django_capture_on_commit_callbacks
):
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    lesson_complete(user=trainee, course=course, lesson=lessons[1])

    with django_capture_on_commit_callbacks(execute=True):
        lessons[2].unpublish()

    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.COMPLETED


def test_continue_goes_to_the_unfinished_lesson_being_read_then_the_first_undone(
    client, trainee, enrolled
):
    course, lessons = enrolled
    client.get(lessons[1].url)  # reading lesson 2
    assert client.get(f"/learn/{course.pk}/continue/")["Location"] == lessons[1].url

    lesson_complete(user=trainee, course=course, lesson=lessons[1])
    assert client.get(f"/learn/{course.pk}/continue/")["Location"] == lessons[0].url


def test_continue_lesson_rule_on_a_finished_course_returns_the_first_lesson(course):
    lessons = course_steps(course=course[0])

    target = continue_lesson(
        enrolment=None, lessons=lessons, completed_ids={lesson.pk for lesson in lessons}
    )

    assert target == lessons[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_of_the_last_lesson_complete_the_course_once(
    home_page, completions_signal
):
    from courses.services import enrolment_create
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import catalogue_create

    assert connection.vendor == "postgresql"
    trainee = UserFactory()
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-C1", lessons=2)
    enrolment_create(user=trainee, course=course)
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            lesson_complete(user=trainee, course=course, lesson=lessons[1])
        except CourseError as error:  # pragma: no cover - would fail the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert StepCompletion.objects.filter(step=lessons[1]).count() == 1
    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.COMPLETED
    assert len(completions_signal) == 1
