"""The dashboard's per-trainee part is cached (home.views) and the catalogue's part per role
and language (CourseIndexPage.get_context): each change a trainee could see makes a new
version at once, one trainee's part never reaches another, and a cached page costs a
small constant number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import JobRole
from courses.models import Assignment, Enrolment, LearningPath, LearningPathCourse
from courses.services import enrolment_create, enrolment_leave, lesson_complete
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import catalogue_create, course_create

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


@pytest.fixture
def catalogue(home_page):
    return catalogue_create(home_page)


def _page(client, url=DASHBOARD) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, heading_id: str) -> str:
    """The text of one dashboard section (from its heading to the next section)."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _tables(captured) -> str:
    return " ".join(q["sql"] for q in captured.captured_queries)


# --- the cache is used -------------------------------------------------------------------


def test_a_cached_dashboard_reads_no_learning_rows(client, trainee, catalogue, monkeypatch):
    course, lessons = course_create(catalogue, code="DC-1", lessons=2)
    enrolment_create(user=trainee, course=course)
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    client.force_login(trainee)
    first = _page(client)

    import home.views

    def refuse(**kwargs):
        raise AssertionError("the dashboard was computed again")

    monkeypatch.setattr(home.views, "dashboard_for", refuse)
    with CaptureQueriesContext(connection) as captured:
        again = _page(client)

    assert _main(again) == _main(first)  # the page around it differs (its CSRF token)
    sql = _tables(captured)
    for table in ("courses_", "wagtailcore_page", "assessments_"):
        assert table not in sql, sql


def test_cached_dashboard_query_count_is_constant(client, catalogue, django_assert_num_queries):
    """The same number of queries for a trainee with one course as for one with twelve,
    whether the part is cached or computed (cache cleared)."""

    def trainee_with(count, tag, role):
        user = UserFactory(job_role=role)
        province = organisation_create(f"Tỉnh {tag}")
        user.organisation = organisation_create("Phòng", parent=province)
        user.save()
        path = LearningPath.objects.create(name=f"Lộ trình {tag}", job_role=role, due_days=10)
        for i in range(count):
            course, lessons = course_create(catalogue, code=f"DQ{tag}-{i}", lessons=2)
            enrolment_create(user=user, course=course)
            lesson_complete(user=user, course=course, lesson=lessons[0])
            LearningPathCourse.objects.create(path=path, course=course, sort_order=i)
            Assignment.objects.create(course=course, organisation=province)
        return user

    small = trainee_with(1, "a", JobRole.INVESTIGATOR)
    large = trainee_with(12, "b", JobRole.JUDGE)
    counts = {}
    for name, user in (("small", small), ("large", large)):
        client.force_login(user)
        _page(client)  # per-process caches (site root paths)
        cache.clear()
        client.force_login(user)  # the session lived in the cleared cache only if cached
        with CaptureQueriesContext(connection) as computed:
            _page(client)
        with CaptureQueriesContext(connection) as cached:
            _page(client)
        counts[name] = (len(computed), len(cached))
    assert counts["small"] == counts["large"]
    computed_count, cached_count = counts["large"]
    assert cached_count < computed_count
    with django_assert_num_queries(cached_count):
        _page(client)


# --- every change shows at once ------------------------------------------------------------


def test_enrolling_progress_completion_and_leaving_show_at_once(client, trainee, catalogue):
    course, lessons = course_create(catalogue, code="DC-2", title="Khóa nhận diện", lessons=2)
    client.force_login(trainee)
    assert "Khóa nhận diện" not in _section(_page(client), "progress-heading")

    enrolment_create(user=trainee, course=course)
    assert "Khóa nhận diện" in _section(_page(client), "progress-heading")

    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    assert "50%" in _section(_page(client), "progress-heading")

    lesson_complete(user=trainee, course=course, lesson=lessons[1])
    html = _page(client)
    assert "Khóa nhận diện" not in _section(html, "progress-heading")
    assert "Khóa nhận diện" in _section(html, "completed-heading")

    other, _ = course_create(catalogue, code="DC-3", title="Khóa sẽ rời", lessons=1)
    enrolment_create(user=trainee, course=other)
    assert "Khóa sẽ rời" in _section(_page(client), "progress-heading")
    enrolment_leave(user=trainee, course=other)
    assert "Khóa sẽ rời" not in _section(_page(client), "progress-heading")


def test_the_course_read_last_comes_first_on_a_cached_dashboard(client, trainee, catalogue):
    first, first_lessons = course_create(catalogue, code="DC-4", title="Khóa thứ nhất", lessons=1)
    second, second_lessons = course_create(catalogue, code="DC-5", title="Khóa thứ hai", lessons=1)
    enrolment_create(user=trainee, course=first)
    enrolment_create(user=trainee, course=second)
    client.force_login(trainee)
    client.get(second_lessons[0].url)
    html = _page(client)
    assert html.index("Khóa thứ hai") < html.index("Khóa thứ nhất")

    client.get(first_lessons[0].url)  # read later: a new position, no database write

    html = _page(client)
    assert html.index("Khóa thứ nhất") < html.index("Khóa thứ hai")


def test_assignments_paths_groups_and_role_show_at_once(client, trainee, catalogue):
    client.force_login(trainee)
    assigned = lambda: _section(_page(client), "assigned-heading")  # noqa: E731
    by_org, _ = course_create(catalogue, code="DC-6", title="Giao cho đơn vị", lessons=1)
    by_group, _ = course_create(catalogue, code="DC-7", title="Giao cho nhóm", lessons=1)
    on_path, _ = course_create(catalogue, code="DC-8", title="Trên lộ trình", lessons=1)
    judges, _ = course_create(catalogue, code="DC-9", title="Lộ trình thẩm phán", lessons=1)
    province = organisation_create("Tỉnh Giao Việc")
    trainee.organisation = organisation_create("Phòng Giao Việc", parent=province)
    trainee.save()
    assert "Giao cho đơn vị" not in assigned()

    Assignment.objects.create(course=by_org, organisation=province)  # the unit above
    assert "Giao cho đơn vị" in assigned()

    group = Group.objects.create(name="Tổ công tác liên ngành")
    Assignment.objects.create(course=by_group, group=group)
    assert "Giao cho nhóm" not in assigned()
    trainee.groups.add(group)
    assert "Giao cho nhóm" in assigned()
    group.user_set.remove(trainee)  # from the group's side
    assert "Giao cho nhóm" not in assigned()

    path = LearningPath.objects.create(name="Lộ trình điều tra", job_role=JobRole.INVESTIGATOR)
    assert "Lộ trình điều tra" in assigned()
    LearningPathCourse.objects.create(path=path, course=on_path, sort_order=1)
    assert "Trên lộ trình" in assigned()

    LearningPathCourse.objects.create(
        path=LearningPath.objects.create(name="Lộ trình xét xử", job_role=JobRole.JUDGE),
        course=judges,
        sort_order=1,
    )
    assert "Lộ trình thẩm phán" not in assigned()
    trainee.job_role = JobRole.JUDGE
    trainee.save()
    assert "Lộ trình thẩm phán" in assigned()

    Assignment.objects.filter(course=by_org).delete()
    assert "Giao cho đơn vị" not in assigned()


def test_a_published_course_title_shows_on_the_cached_dashboard(client, trainee, catalogue):
    course, _ = course_create(catalogue, code="DC-10", title="Tên cũ của khóa", lessons=1)
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert "Tên cũ của khóa" in _page(client)

    page = type(course).objects.get(pk=course.pk)
    page.title = "Tên mới của khóa"
    page.save_revision().publish()

    html = _page(client)
    assert "Tên mới của khóa" in html and "Tên cũ của khóa" not in html


def test_a_new_day_and_another_language_are_other_keys(client, trainee, catalogue, monkeypatch):
    course, _ = course_create(catalogue, code="DC-11", title="Khóa có hạn", lessons=1)
    today = timezone.localdate()
    Assignment.objects.create(course=course, user=trainee, due_date=today)
    client.force_login(trainee)
    assert "Quá hạn" not in _page(client)

    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert "Quá hạn" in _page(client)

    client.cookies["django_language"] = "en"
    english = _page(client)
    assert "My learning" in english and "Overdue since" in english


# --- one trainee's part never reaches another ------------------------------------------------


def test_no_trainee_ever_gets_another_trainees_dashboard(client, catalogue):
    secret, _ = course_create(
        catalogue,
        code="DC-12",
        title="Khóa riêng của người thứ nhất",
        lessons=1,
        target_job_roles=[JobRole.JUDGE],
    )
    first = UserFactory(job_role=JobRole.JUDGE, full_name="Người Thứ Nhất")
    second = UserFactory(job_role=JobRole.INVESTIGATOR, full_name="Người Thứ Hai")
    enrolment_create(user=first, course=secret)
    for _round in range(2):  # computed, then cached
        client.force_login(first)
        assert "Khóa riêng của người thứ nhất" in _page(client)
        client.force_login(second)
        html = _page(client)
        assert "Khóa riêng của người thứ nhất" not in html
        assert "Người Thứ Nhất" not in html
    assert Enrolment.objects.filter(user=second).count() == 0


# --- the catalogue ---------------------------------------------------------------------------


def test_the_catalogue_is_cached_per_role_and_follows_a_publish(
    client, trainee, catalogue, django_assert_num_queries
):
    course_create(catalogue, code="CC-1", title="Cho mọi người", lessons=1)
    course_create(
        catalogue, code="CC-2", title="Cho thẩm phán", lessons=1, target_job_roles=[JobRole.JUDGE]
    )
    client.force_login(trainee)  # an investigator
    html = _page(client, catalogue.url)
    assert "Cho mọi người" in html and "Cho thẩm phán" not in html
    assert "Cho thẩm phán" in _page(client, f"{catalogue.url}?role={JobRole.JUDGE}")
    everything = _page(client, f"{catalogue.url}?role=all")
    assert "Cho mọi người" in everything and "Cho thẩm phán" in everything
    assert _main(_page(client, f"{catalogue.url}?role=%3Cscript%3E")) == _main(everything)

    with CaptureQueriesContext(connection) as captured:
        _page(client, catalogue.url)
    assert "courses_coursepage" not in _tables(captured)
    with django_assert_num_queries(len(captured)):
        _page(client, f"{catalogue.url}?role={JobRole.JUDGE}")

    added, _ = course_create(catalogue, code="CC-3", title="Khóa vừa xuất bản", lessons=1)
    added.save_revision().publish()
    assert "Khóa vừa xuất bản" in _page(client, catalogue.url)


def test_the_catalogue_query_count_does_not_grow_with_courses(client, trainee, catalogue):
    def count():
        cache.clear()
        client.force_login(trainee)
        _page(client, catalogue.url)
        with CaptureQueriesContext(connection) as computed:
            _page(client, f"{catalogue.url}?role=all")
        return len(computed)

    course_create(catalogue, code="CN-0", lessons=0)
    few = count()
    for i in range(1, 9):
        course_create(catalogue, code=f"CN-{i}", lessons=0)
    assert count() == few


def test_the_dashboard_suggestions_come_from_the_cached_catalogue(client, trainee, catalogue):
    course, _ = course_create(catalogue, code="CS-1", title="Gợi ý cho điều tra viên", lessons=1)
    client.force_login(trainee)
    html = _section(_page(client), "catalogue-heading")
    assert f'<a href="{course.url}">Gợi ý cho điều tra viên</a>' in html and "CS-1" in html


def test_a_catalogue_preview_is_never_cached(client, trainee, catalogue, rf):
    from courses.models import CourseIndexPage

    draft = CourseIndexPage.objects.get(pk=catalogue.pk)
    draft.title = "Bản nháp danh mục chưa xuất bản"
    request = rf.get(catalogue.url)
    request.user = trainee
    request.is_preview = True  # as Wagtail's preview marks it

    assert "Bản nháp danh mục chưa xuất bản" in draft.get_context(request)["catalogue_html"]
    client.force_login(trainee)
    assert "Bản nháp danh mục chưa xuất bản" not in _page(client, catalogue.url)
