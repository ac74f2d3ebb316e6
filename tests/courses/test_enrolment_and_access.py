import pytest

from accounts.roles import TRAINER
from courses.models import Assignment, Enrolment, EnrolmentSource, EnrolmentStatus
from courses.services import lesson_complete
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import course_create, owner_add
from tests.mfa import password_login, staff_login

pytestmark = pytest.mark.django_db


def _enrol(client, course):
    return client.post(f"/learn/{course.pk}/enrol/", follow=True)


def test_trainee_enrols_once_even_when_asking_twice(client, trainee, course):
    client.force_login(trainee)

    first = _enrol(client, course[0])
    _enrol(client, course[0])

    assert "Bạn đã ghi danh" in first.content.decode()
    enrolments = Enrolment.objects.filter(user=trainee, course=course[0])
    assert enrolments.count() == 1
    assert enrolments.get().source == EnrolmentSource.SELF


def test_enrolment_with_unmet_prerequisites_is_refused_with_the_missing_course(
    client, trainee, catalogue, course
):
    advanced, _ = course_create(catalogue, code="PCMD-T2", title="Khóa nâng cao")
    advanced.prerequisites.set([course[0]])
    advanced.save()
    client.force_login(trainee)

    response = _enrol(client, advanced)

    body = response.content.decode()
    assert "Hãy hoàn thành các khóa học sau trước" in body
    assert course[0].title in body
    assert not Enrolment.objects.filter(user=trainee, course=advanced).exists()


def test_prerequisite_met_after_completing_the_first_course(client, trainee, catalogue, course):
    advanced, _ = course_create(catalogue, code="PCMD-T2")
    advanced.prerequisites.set([course[0]])
    advanced.save()
    client.force_login(trainee)
    _enrol(client, course[0])
    for lesson in course[1]:
        lesson_complete(user=trainee, course=course[0], lesson=lesson)

    _enrol(client, advanced)

    assert Enrolment.objects.filter(user=trainee, course=advanced).exists()


def test_assignment_only_course_refuses_self_enrolment(client, trainee, catalogue):
    closed, _ = course_create(catalogue, code="PCMD-T3", self_enrolment=False)
    client.force_login(trainee)

    response = _enrol(client, closed)

    assert "chỉ dành cho người được giao" in response.content.decode()
    assert not Enrolment.objects.filter(user=trainee).exists()


def test_assignment_to_a_parent_organisation_reaches_a_trainee_in_a_sub_unit(
    client, trainee, catalogue
):
    province = organisation_create("Công an tỉnh Mẫu")
    unit = organisation_create("Phòng Cảnh sát hình sự", parent=province)
    trainee.organisation = unit
    trainee.save()
    closed, _ = course_create(catalogue, code="PCMD-T3", self_enrolment=False)
    Assignment.objects.create(course=closed, organisation=province)
    client.force_login(trainee)

    _enrol(client, closed)

    assert Enrolment.objects.get(user=trainee, course=closed).source == (EnrolmentSource.ASSIGNMENT)


def test_leaving_a_self_enrolled_course_keeps_progress_for_a_return(client, trainee, enrolled):
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])

    client.post(f"/learn/{course.pk}/leave/")
    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.WITHDRAWN
    assert client.get(lessons[1].url).status_code == 302  # no longer enrolled

    _enrol(client, course)
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.completions.count() == 1


def test_an_assigned_course_cannot_be_left(client, trainee, catalogue):
    assigned, _ = course_create(catalogue, code="PCMD-T4")
    Assignment.objects.create(course=assigned, user=trainee)
    client.force_login(trainee)
    _enrol(client, assigned)

    response = client.post(f"/learn/{assigned.pk}/leave/", follow=True)

    assert "không thể rời" in response.content.decode()
    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.ACTIVE


def test_lesson_is_closed_to_a_trainee_who_is_not_enrolled(client, trainee, course):
    client.force_login(trainee)

    response = client.get(course[1][0].url, follow=True)

    assert response.redirect_chain[-1][0] == course[0].url
    assert "Hãy ghi danh vào khóa học" in response.content.decode()


def test_lesson_sends_an_anonymous_visitor_to_sign_in(client, course):
    response = client.get(course[1][0].url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_trainer_previews_a_lesson_without_enrolling(client, course):
    trainer = UserFactory(role=TRAINER)
    owner_add(course[0], trainer)
    staff_login(client, trainer)

    response = client.get(course[1][0].url)

    assert response.status_code == 200
    assert "Xem trước" in response.content.decode()
    assert not Enrolment.objects.filter(user=trainer).exists()


def test_a_trainer_session_without_the_two_factor_step_does_not_preview(client, course):
    trainer = UserFactory(role=TRAINER)
    password_login(client, trainer)

    response = client.get(course[1][0].url)

    assert response.status_code == 302
    assert response["Location"] == course[0].url


def test_enrolled_trainee_reads_the_lesson_with_its_blocks(client, enrolled):
    _course, lessons = enrolled

    body = client.get(lessons[0].url).content.decode()

    assert "Đoạn văn số 0." in body
    assert "Tình huống 0" in body
    assert "<details>" in body  # the content warning hides its part until asked
    assert "không ảnh hưởng đến tiến độ" in body
