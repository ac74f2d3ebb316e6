"""The read path: no GET writes to the database, rendered lessons and course pages come from
the cache and change when their content does, and hot pages cost a constant number of
queries whatever the number of blocks, lessons, enrolments and learners."""

import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from courses.models import Enrolment, EnrolmentStatus, LessonPage, ModulePage, StepCompletion
from courses.positions import positions_flush
from courses.services import enrolment_create, lesson_complete
from tests.factories.courses import course_create, legal_provision_create, lesson_body

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if WRITE.match(q["sql"])]


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, captured


def _big_course(catalogue, code, lessons, blocks, provision=None):
    """A course of modules of lessons; `blocks` groups of 3-4 blocks per lesson."""
    course, _ = course_create(catalogue, code=code, lessons=0)
    module = course.add_child(instance=ModulePage(title="Phần 1", slug="phan-1"))
    created = [
        module.add_child(
            instance=LessonPage(
                title=f"Bài {i + 1}", slug=f"bai-{i + 1}", body=lesson_body(blocks, provision)
            )
        )
        for i in range(lessons)
    ]
    return course, created


def _learners(course, count):
    users = User.objects.bulk_create(
        User(email=f"hv{course.pk}-{i}@pcmd.example", full_name=f"Học viên {i}")
        for i in range(count)
    )
    Enrolment.objects.bulk_create(Enrolment(user=u, course=course, source="self") for u in users)


# --- no writes on GET ---------------------------------------------------------------------


def test_no_trainee_page_writes_to_the_database(client, trainee, enrolled, catalogue):
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    urls = [
        lessons[1].url,
        lessons[1].url,  # again: cached this time
        lessons[2].url,  # another step: a new position
        course.url,
        "/dashboard/",
        catalogue.url,
        f"/learn/{course.pk}/continue/",
    ]
    for url in urls:
        response, captured = _get(client, url)
        assert response.status_code in (200, 302), url
        assert _writes(captured) == [], url


def test_opening_a_course_after_lessons_were_removed_does_not_write(
    client, trainee, enrolled, django_capture_on_commit_callbacks
):
    """The old course page rechecked (and rewrote) the enrolment in every GET."""
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    # The task after the unpublish is lost (its process died): nothing rechecked yet.
    lessons[1].unpublish()
    lessons[2].unpublish()

    response, captured = _get(client, course.url)

    assert response.status_code == 200
    assert _writes(captured) == []
    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.ACTIVE
    # The hourly job completes it.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recheck_course_progress", stdout=open("/dev/null", "w"))  # noqa: SIM115
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.progress_percent == 100


def test_making_the_last_lesson_optional_completes_the_course_after_the_publish(
    trainee, enrolled, django_capture_on_commit_callbacks
):
    course, lessons = enrolled
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    lesson_complete(user=trainee, course=course, lesson=lessons[1])
    last = LessonPage.objects.get(pk=lessons[2].pk)
    last.is_required = False

    with django_capture_on_commit_callbacks(execute=True):
        last.save_revision().publish()

    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.COMPLETED


def test_where_the_trainee_is_is_kept_without_a_write_then_flushed(client, trainee, enrolled):
    course, lessons = enrolled
    client.get(lessons[1].url)

    # "Continue" takes the trainee back at once, from the cache ...
    assert client.get(f"/learn/{course.pk}/continue/")["Location"] == lessons[1].url
    assert Enrolment.objects.get(user=trainee).last_step_id is None
    # ... and the scheduled flush saves it.
    assert positions_flush() == 1
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.last_step_id == lessons[1].pk
    assert enrolment.last_activity_at is not None
    assert positions_flush() == 0  # nothing new


def test_the_position_survives_a_cleared_cache_once_flushed(client, trainee, enrolled):
    course, lessons = enrolled
    client.get(lessons[2].url)
    call_command("flush_course_positions", stdout=open("/dev/null", "w"))  # noqa: SIM115

    cache.clear()

    assert client.get(f"/learn/{course.pk}/continue/")["Location"] == lessons[2].url


def test_a_completion_after_the_view_is_not_overwritten_by_the_flush(client, trainee, enrolled):
    course, lessons = enrolled
    client.get(lessons[0].url)
    lesson_complete(user=trainee, course=course, lesson=lessons[2])  # newer, saved

    positions_flush()

    assert Enrolment.objects.get(user=trainee).last_step_id == lessons[2].pk


def test_the_flush_skips_a_position_on_a_deleted_lesson(client, trainee, enrolled):
    _course, lessons = enrolled
    client.get(lessons[1].url)
    LessonPage.objects.get(pk=lessons[1].pk).delete()

    assert positions_flush() == 0
    assert Enrolment.objects.get(user=trainee).last_step_id is None


def test_the_dashboard_lists_the_course_read_last_first(client, trainee, catalogue):
    first, first_lessons = course_create(catalogue, code="PCMD-D1", lessons=1)
    second, _second_lessons = course_create(catalogue, code="PCMD-D2", lessons=1)
    enrolment_create(user=trainee, course=first)
    enrolment_create(user=trainee, course=second)  # enrolled later
    client.force_login(trainee)
    client.get(first_lessons[0].url)  # but read last

    page = client.get("/dashboard/").content.decode()

    assert page.index(first.title) < page.index(second.title)


# --- cached rendering ---------------------------------------------------------------------


def test_a_published_revision_replaces_the_cached_lesson(client, trainee, enrolled):
    _course, lessons = enrolled
    assert "Đoạn văn số 0." in client.get(lessons[0].url).content.decode()
    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.body = [{"type": "paragraph", "value": "<p>Nội dung mới của bài.</p>"}]
    revision = lesson.save_revision()
    # A draft is not shown to trainees ...
    assert "Đoạn văn số 0." in client.get(lessons[0].url).content.decode()

    revision.publish()

    page = client.get(lessons[0].url).content.decode()
    assert "Nội dung mới của bài." in page
    assert "Đoạn văn số 0." not in page


def test_the_lesson_body_is_rendered_once_per_revision(client, trainee, enrolled, monkeypatch):
    from wagtail.blocks.stream_block import StreamValue

    _course, lessons = enrolled
    client.get(lessons[0].url)
    renders = []
    original = StreamValue.StreamChild.render_as_block

    def counting(self, context=None):
        renders.append(self.block_type)
        return original(self, context)

    monkeypatch.setattr(StreamValue.StreamChild, "render_as_block", counting)

    for _ in range(3):
        assert "Đoạn văn số 0." in client.get(lessons[0].url).content.decode()

    assert renders == []


def test_an_edited_legal_provision_shows_in_cached_lessons_and_courses(client, trainee, catalogue):
    provision = legal_provision_create(short_text="Văn bản cũ của điều luật.")
    course, lessons = course_create(catalogue, code="PCMD-L1", lessons=1, provision=provision)
    course.legal_provisions.add(provision)
    course.save_revision().publish()
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert "Văn bản cũ" in client.get(lessons[0].url).content.decode()
    assert "Điều 329" in client.get(course.url).content.decode()

    provision.short_text = "Văn bản mới sau sửa đổi."
    provision.article = "Điều 330"
    provision.save()

    assert "Văn bản mới sau sửa đổi." in client.get(lessons[0].url).content.decode()
    assert "Điều 330" in client.get(course.url).content.decode()


def test_a_published_course_change_and_a_new_lesson_show_on_the_cached_course_page(
    client, trainee, enrolled
):
    course, lessons = enrolled
    assert "Mục tiêu." in client.get(course.url).content.decode()
    page = type(course).objects.get(pk=course.pk)
    page.objectives = "<ul><li>Mục tiêu đã cập nhật.</li></ul>"
    page.save_revision().publish()
    new = LessonPage(title="Bài bổ sung về bảo vệ trẻ em", slug="bo-sung", body=[], live=False)
    page.add_child(instance=new)
    new.save_revision().publish()

    html = client.get(course.url).content.decode()
    assert "Mục tiêu đã cập nhật." in html
    assert "Bài bổ sung về bảo vệ trẻ em" in html
    assert "Bài bổ sung về bảo vệ trẻ em" in client.get(lessons[0].url).content.decode()


def test_an_unpublished_lesson_leaves_the_cached_outline(client, trainee, enrolled):
    course, lessons = enrolled
    assert lessons[2].url in client.get(course.url).content.decode()

    LessonPage.objects.get(pk=lessons[2].pk).unpublish()

    assert lessons[2].url not in client.get(course.url).content.decode()
    assert lessons[2].url not in client.get(lessons[0].url).content.decode()


def test_the_cached_lesson_keeps_each_learners_own_h5p_player_address(client, home_page):
    from accounts.roles import ADMINISTRATOR
    from content.h5p.packaging import build_choice_package
    from content.h5p.services import h5p_content_process
    from content.h5p.tokens import read_player_token
    from content.models import H5PContent, H5PStatus
    from tests.factories.accounts import UserFactory
    from tests.factories.courses import catalogue_create

    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    package = build_choice_package(
        title="Nhận diện",
        question="<p>Câu hỏi?</p>",
        choices=[
            {"text": "Sai", "correct": False, "feedback": "Chưa đúng."},
            {"text": "Đúng", "correct": True, "feedback": "Đúng."},
        ],
    )
    activity = H5PContent.objects.create(
        title="Nhận diện", package=ContentFile(package, name="goi.h5p"), uploaded_by=admin
    )
    activity = h5p_content_process(content_id=activity.pk)
    assert activity.status == H5PStatus.READY
    course, _ = course_create(catalogue_create(home_page), code="PCMD-HP", lessons=0)
    lesson = course.add_child(
        instance=LessonPage(
            title="Bài có hoạt động",
            slug="bai-h5p",
            body=[
                {
                    "type": "h5p_activity",
                    "value": {"activity": activity.pk, "required": True, "pass_threshold": 100},
                }
            ],
        )
    )
    pages = {}
    for name in ("a", "b"):
        user = UserFactory(email=f"{name}@pcmd.example")
        enrolment_create(user=user, course=course)
        client.force_login(user)
        pages[user.pk] = client.get(lesson.url).content.decode()

    for user_id, html in pages.items():
        tokens = re.findall(r'src="[^"]*/h5p/([^/"]+)/player/"', html)
        assert [read_player_token(t) for t in tokens] == [{"c": activity.pk, "u": user_id}]
        assert "pcmd-h5p-" not in html


def test_a_marker_typed_by_an_author_is_not_replaced(client, trainee, catalogue):
    """Markers carry a secret: text that looks like one stays text."""
    course, _lessons = course_create(catalogue, code="PCMD-MK", lessons=0)
    lesson = course.add_child(
        instance=LessonPage(
            title="Bài",
            slug="bai",
            body=[{"type": "paragraph", "value": "<p>pcmd-h5p-0123456789abcdef0123-1</p>"}],
        )
    )
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)

    assert "pcmd-h5p-0123456789abcdef0123-1" in client.get(lesson.url).content.decode()


# --- query counts -------------------------------------------------------------------------


def _counts(client, trainee, catalogue, *, code, lessons, blocks, learners):
    provision = legal_provision_create(article=f"Điều {lessons}")
    course, created = _big_course(catalogue, code, lessons, blocks, provision)
    enrolment_create(user=trainee, course=course)
    for lesson in created[:2]:
        lesson_complete(user=trainee, course=course, lesson=lesson)
    _learners(course, learners)
    StepCompletion.objects.bulk_create(
        StepCompletion(enrolment=e, step=created[0])
        for e in Enrolment.objects.filter(course=course).exclude(user=trainee)
    )
    client.force_login(trainee)
    counts = {}
    for name, url in (
        ("lesson", created[-1].url),
        ("course", course.url),
        ("dashboard", "/dashboard/"),
    ):
        client.get(url)  # the first view fills the cache
        response, captured = _get(client, url)
        assert response.status_code == 200
        counts[name] = len(captured.captured_queries)
    return counts


def test_hot_pages_cost_the_same_few_queries_for_small_and_large_courses(
    client, trainee, catalogue, django_assert_num_queries
):
    small = _counts(client, trainee, catalogue, code="PCMD-S", lessons=2, blocks=1, learners=1)
    large = _counts(client, trainee, catalogue, code="PCMD-L", lessons=15, blocks=10, learners=300)

    assert small == large
    # The session (from the database in tests) and the page's row (site and route from the
    # cache: content.serving; no view restriction anywhere: content.pages); the user
    # (accounts.sessionuser), the enrolment and its completions
    # (courses.selectors.enrolment_progress), the menu's links and the lesson's activities
    # come from the cache too.
    assert large["lesson"] == 2, large
    assert large["course"] == 2, large
    assert large["dashboard"] <= 10, large

    lesson = LessonPage.objects.get(slug="bai-15")
    with django_assert_num_queries(2):
        client.get(lesson.url)
