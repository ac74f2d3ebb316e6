import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import JobRole
from accounts.roles import TRAINER
from courses.models import Assignment, LearningPath, LearningPathCourse
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import course_create, legal_provision_create, owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


def _role_path(courses, job_role=JobRole.INVESTIGATOR, due_days=30):
    path = LearningPath.objects.create(
        name="Lộ trình điều tra viên", job_role=job_role, due_days=due_days
    )
    for order, course in enumerate(courses):
        LearningPathCourse.objects.create(path=path, course=course, sort_order=order)
    return path


def test_dashboard_shows_the_role_path_with_its_due_date(client, trainee, catalogue):
    first, _ = course_create(catalogue, code="PCMD-101", title="Nền tảng chung")
    second, _ = course_create(catalogue, code="PCMD-202", title="Điều tra viên")
    _role_path([first, second])
    client.force_login(trainee)

    body = client.get("/dashboard/").content.decode()

    assert "Lộ trình điều tra viên" in body
    due = (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"Hạn {due}" in body
    assert body.index("Nền tảng chung") < body.index("Điều tra viên</a>")
    assert "Đã hoàn thành 0/2 khóa học" in body


def test_overdue_assignment_is_flagged(client, trainee, catalogue):
    course, _ = course_create(catalogue, code="PCMD-301", title="Khóa quá hạn")
    Assignment.objects.create(
        course=course, user=trainee, due_date=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(trainee)

    body = client.get("/dashboard/").content.decode()

    assert "Quá hạn từ" in body
    assert "Khóa quá hạn" in body


def test_dashboard_lists_progress_and_recently_completed_with_date(client, trainee, catalogue):
    doing, doing_lessons = course_create(catalogue, code="PCMD-401", title="Đang học dở")
    done, done_lessons = course_create(catalogue, code="PCMD-402", title="Đã học xong", lessons=1)
    for course in (doing, done):
        enrolment_create(user=trainee, course=course)
    lesson_complete(user=trainee, course=doing, lesson=doing_lessons[0])
    lesson_complete(user=trainee, course=done, lesson=done_lessons[0])
    client.force_login(trainee)

    body = client.get("/dashboard/").content.decode()

    assert 'aria-valuenow="33"' in body
    assert f"/learn/{doing.pk}/continue/" in body
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Hoàn thành {today}" in body


def test_catalogue_suggestions_follow_the_trainee_role(client, trainee, catalogue):
    course_create(
        catalogue,
        code="PCMD-501",
        title="Dành cho điều tra viên",
        target_job_roles=[JobRole.INVESTIGATOR],
    )
    course_create(
        catalogue, code="PCMD-502", title="Dành cho thẩm phán", target_job_roles=[JobRole.JUDGE]
    )
    client.force_login(trainee)

    body = client.get("/dashboard/").content.decode()

    assert "Dành cho điều tra viên" in body
    assert "Dành cho thẩm phán" not in body


def _dashboard_fixture(trainee, catalogue, count, tag, job_role):
    province = organisation_create(f"Tỉnh {tag}")
    trainee.organisation = organisation_create("Phòng", parent=province)
    trainee.save()
    courses = []
    for i in range(count):
        course, lessons = course_create(catalogue, code=f"Q{tag}-{i}", lessons=2)
        enrolment_create(user=trainee, course=course)
        lesson_complete(user=trainee, course=course, lesson=lessons[0])
        courses.append(course)
    _role_path(courses, job_role=job_role, due_days=10)
    Assignment.objects.create(course=courses[0], organisation=province)


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm per-process caches (site root paths)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboard_query_count_does_not_grow_with_enrolments(
    client, catalogue, django_assert_max_num_queries
):
    small = UserFactory(job_role=JobRole.INVESTIGATOR)
    large = UserFactory(job_role=JobRole.JUDGE)
    _dashboard_fixture(small, catalogue, 1, "a", JobRole.INVESTIGATOR)
    _dashboard_fixture(large, catalogue, 12, "b", JobRole.JUDGE)

    client.force_login(small)
    small_count = _queries(client, "/dashboard/")
    client.force_login(large)
    large_count = _queries(client, "/dashboard/")
    assert large_count == small_count
    with django_assert_max_num_queries(16):
        client.get("/dashboard/")


def test_lesson_page_query_count_does_not_grow_with_blocks_or_lessons(
    client, trainee, catalogue, django_assert_max_num_queries
):
    provision = legal_provision_create()
    provision.superseded_by = legal_provision_create(article="Điều 329 (sửa đổi)")
    provision.save()
    small, small_lessons = course_create(
        catalogue, code="QL-1", lessons=2, blocks=1, provision=provision
    )
    large, large_lessons = course_create(
        catalogue, code="QL-2", lessons=25, blocks=20, provision=provision
    )
    for course in (small, large):
        enrolment_create(user=trainee, course=course)
    client.force_login(trainee)

    small_count = _queries(client, small_lessons[-1].url)
    large_count = _queries(client, large_lessons[-1].url)

    assert large_count == small_count
    # The outline costs one query per step type (lesson, quiz, in-person session).
    with django_assert_max_num_queries(23):
        response = client.get(large_lessons[-1].url)
    assert response.content.decode().count("legal-citation") == 20


def _trainer_client(client, course=None):
    trainer = UserFactory(role=TRAINER)
    if course is not None:
        owner_add(course, trainer)
    staff_login(client, trainer)
    return trainer


def test_trainer_reads_and_sorts_the_learners_of_a_course(client, catalogue):
    course, lessons = course_create(catalogue, code="PCMD-601")
    for name, done in (("Trần Thị B", 2), ("Nguyễn Văn A", 1)):
        learner = UserFactory(full_name=name)
        enrolment_create(user=learner, course=course)
        for lesson in lessons[:done]:
            lesson_complete(user=learner, course=course, lesson=lesson)
    _trainer_client(client, course)

    by_name = client.get(f"/admin/courses/{course.pk}/learners/").content.decode()
    by_progress = client.get(
        f"/admin/courses/{course.pk}/learners/?ordering=-progress_percent"
    ).content.decode()

    assert by_name.index("Nguyễn Văn A") < by_name.index("Trần Thị B")
    assert by_progress.index("Trần Thị B") < by_progress.index("Nguyễn Văn A")


def test_trainer_exports_the_learners_as_csv(client, catalogue):
    course, lessons = course_create(catalogue, code="PCMD-602")
    learner = UserFactory(full_name="Lê Thị Cẩm", staff_id="CA-9")
    enrolment_create(user=learner, course=course)
    lesson_complete(user=learner, course=course, lesson=lessons[0])
    _trainer_client(client, course)

    response = client.get(f"/admin/courses/{course.pk}/learners/?export=csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Họ và tên", "Email", "Mã cán bộ"]
    assert rows[1][0] == "Lê Thị Cẩm"
    assert rows[1][2] == "CA-9"
    assert rows[1][5] == "33"


def test_trainee_cannot_open_the_learner_report(client, trainee, catalogue):
    course, _ = course_create(catalogue, code="PCMD-603")
    client.force_login(trainee)

    assert client.get(f"/admin/courses/{course.pk}/learners/").status_code == 403


def test_trainer_assigns_a_course_to_an_organisation_with_a_due_date(client, catalogue, trainee):
    course, _ = course_create(catalogue, code="PCMD-701", title="Khóa được giao")
    province = organisation_create("Công an tỉnh Mẫu")
    trainee.organisation = organisation_create("Phòng", parent=province)
    trainee.save()
    _trainer_client(client, course=course)  # a trainer assigns the courses they own

    refused = client.post(
        "/admin/assignments/new/", {"course": course.pk, "due_date": "2027-01-31"}
    )
    assert refused.status_code == 200
    assert Assignment.objects.count() == 0
    response = client.post(
        "/admin/assignments/new/",
        {"course": course.pk, "organisation": province.pk, "due_date": "2027-01-31"},
    )

    assert response.status_code == 302
    client.force_login(trainee)
    body = client.get("/dashboard/").content.decode()
    assert "Khóa được giao" in body
    assert "Hạn 31/01/2027" in body
