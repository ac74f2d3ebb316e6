"""Real H5P content types, as exported by H5P.org and Lumi, uploaded, played and scored in
Chromium: every corpus item is accepted, plays, and a right answer completes its lesson."""

import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.test import Client
from playwright.sync_api import expect

from accounts.roles import ADMINISTRATOR
from content.h5p.services import h5p_content_process
from content.models import H5PContent, H5PStatus
from courses.models import ActivityResult, LessonPage
from courses.services import enrolment_create
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue_create, course_create
from tests.h5p import corpus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not corpus.available(), reason=corpus.missing_reason()),
]

RIGHT_329 = "đủ 18 tuổi trở lên"


def install(name: str, *, home_page, trainee, code: str = "H5P-CORPUS"):
    """An administrator uploads the item; a lesson requires it; the trainee is enrolled."""
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    item = H5PContent.objects.create(
        title="", package=ContentFile(corpus.build(name), name=f"{name}.h5p"), uploaded_by=admin
    )
    item = h5p_content_process(content_id=item.pk)
    assert item.status == H5PStatus.READY, item.problems
    course, _lessons = course_create(catalogue_create(home_page), code=code, lessons=0)
    lesson = course.add_child(
        instance=LessonPage(
            title=f"Bài {name}",
            slug=name.replace("_", "-"),
            body=[
                {
                    "type": "h5p_activity",
                    "value": {"activity": item.pk, "required": True, "pass_threshold": 100},
                }
            ],
        )
    )
    enrolment_create(user=trainee, course=course)
    return item, lesson


def sign_in(context, user, base_url: str) -> None:
    """The trainee's session, made on the server and handed to the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def open_lesson(page, lesson, trainee, live_server):
    sign_in(page.context, trainee, live_server.url)
    page.goto(lesson.url)
    frame = page.frame_locator("iframe[sandbox]")
    frame.locator(".h5p-content").first.wait_for()
    return frame


def lesson_completes(page, trainee, lesson) -> None:
    expect(page.get_by_text("Bạn đã hoàn thành bài học này")).to_be_visible(timeout=20_000)
    result = ActivityResult.objects.get(user=trainee, lesson=lesson)
    assert result.passed and result.best_scaled == 1


def wait_until(page, condition, *, seconds: float = 20) -> None:
    for _ in range(int(seconds * 5)):
        if condition():
            return
        page.wait_for_timeout(200)
    raise AssertionError("condition not met in time")


def check(frame) -> None:
    frame.get_by_role("button", name="Kiểm tra").first.click()


# --- answering each content type ------------------------------------------------------------


def answer_multichoice(frame, page):
    frame.get_by_text(RIGHT_329).click()
    check(frame)


def answer_truefalse(frame, page):
    frame.get_by_role("radio", name="Đúng").click()
    check(frame)


def answer_blanks(frame, page):
    frame.locator("input.h5p-text-input").fill("2")
    check(frame)


def drag(page, source, target) -> None:
    """A mouse drag in small steps, as jQuery UI's draggable needs (no HTML5 drag events)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def answer_dragtext(frame, page):
    for word, zone in (("bảo vệ", 0), ("điều tra", 1)):
        drag(
            page,
            frame.locator(".h5p-draggable", has_text=word),
            frame.locator(".h5p-dropzone").nth(zone),
        )
    check(frame)


def answer_dragquestion(frame, page):
    drag(
        page,
        frame.locator(".h5p-draggable", has_text="Người dưới 18 tuổi"),
        frame.locator(".h5p-dropzone", has_text="Nạn nhân tiềm năng"),
    )
    check(frame)


def answer_questionset(frame, page):
    frame.get_by_text(RIGHT_329).click()
    check(frame)
    frame.get_by_role("button", name="Câu tiếp").click()
    frame.get_by_role("radio", name="Đúng").click()
    check(frame)
    frame.get_by_role("button", name="Kết thúc").click()


def answer_singlechoiceset(frame, page):
    frame.get_by_text("Không gây hại").click()
    frame.get_by_text("Bị nghiêm cấm").click()


def answer_coursepresentation(frame, page):
    frame.get_by_role("button", name="Trang sau").first.click()
    frame.get_by_text(RIGHT_329).click()
    check(frame)
    frame.get_by_role("button", name="Trang sau").first.click()  # to the summary slide


def answer_interactivebook(frame, page):
    frame.get_by_text(RIGHT_329).click()
    check(frame)
    frame.get_by_role("button", name="Tổng kết và nộp").first.click()
    frame.get_by_role("button", name="Nộp báo cáo").first.click()


def answer_interactivevideo_mp4(frame, page):
    frame.locator(".h5p-splash-wrapper, .h5p-video-start-screen, .h5p-play").first.click()
    frame.get_by_text(RIGHT_329).click(timeout=20_000)  # the question pauses the video at 1 s
    check(frame)
    frame.get_by_role("button", name="Tiếp tục").first.click()
    frame.get_by_role("button", name="Nộp bài").first.click(timeout=30_000)  # endscreen at 7 s


ANSWERS = {
    "multichoice": answer_multichoice,
    "truefalse": answer_truefalse,
    "blanks": answer_blanks,
    "dragtext": answer_dragtext,
    "dragquestion": answer_dragquestion,
    "questionset": answer_questionset,
    "singlechoiceset": answer_singlechoiceset,
    "coursepresentation": answer_coursepresentation,
    "interactivebook": answer_interactivebook,
    "interactivevideo_mp4": answer_interactivevideo_mp4,
}


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_a_real_content_type_plays_and_a_right_answer_completes_its_lesson(
    page, platform, home_page, trainee, name
):
    _item, lesson = install(name, home_page=home_page, trainee=trainee)

    frame = open_lesson(page, lesson, trainee, platform)
    ANSWERS[name](frame, page)

    lesson_completes(page, trainee, lesson)


def test_the_youtube_interactive_video_is_accepted_and_starts_its_player(
    page, platform, home_page, trainee
):
    item, lesson = install("interactivevideo_youtube", home_page=home_page, trainee=trainee)
    asked = []
    page.context.route(
        re.compile(r"^https://www\.youtube\.com/"),
        lambda route: (asked.append(route.request.url), route.abort()),
    )

    frame = open_lesson(page, lesson, trainee, platform)

    expect(frame.locator(".h5p-interactive-video")).to_be_visible()
    # Offline, the YouTube player cannot load; the video handler asked for it.
    page.wait_for_timeout(500)
    assert any("iframe_api" in url for url in asked), asked
    assert item.main_library == "H5P.InteractiveVideo 1.28"


def test_a_trainee_resumes_an_interactive_video_where_they_left_it_on_another_device(
    browser, platform, home_page, trainee, settings
):
    from content.models import H5PUserData

    settings.H5P_SAVE_FREQUENCY = 1
    item, lesson = install("interactivevideo_mp4", home_page=home_page, trainee=trainee)
    first = browser.new_context(base_url=platform.url, viewport={"width": 1440, "height": 900})
    page = first.new_page()
    frame = open_lesson(page, lesson, trainee, platform)
    frame.locator(".h5p-splash-wrapper, .h5p-video-start-screen, .h5p-play").first.click()
    frame.get_by_text(RIGHT_329).click(timeout=20_000)
    check(frame)
    frame.get_by_role("button", name="Tiếp tục").first.click()
    video = frame.locator("video")
    wait_until(page, lambda: video.evaluate("v => v.currentTime") >= 4)
    video.evaluate("v => v.pause()")
    left_at = video.evaluate("v => v.currentTime")

    def saved_progress():
        row = H5PUserData.objects.filter(user=trainee, content=item, data_type="state").first()
        return json.loads(row.data).get("progress") if row else None

    wait_until(page, lambda: (saved_progress() or 0) >= 4)
    first.close()

    # Another device: a new browser context with nothing stored locally.
    second = browser.new_context(base_url=platform.url, viewport={"width": 1440, "height": 900})
    page = second.new_page()
    frame = open_lesson(page, lesson, trainee, platform)
    frame.locator(".h5p-splash-wrapper, .h5p-video-start-screen, .h5p-play").first.click()
    video = frame.locator("video")
    wait_until(page, lambda: video.evaluate("v => !v.paused && v.currentTime > 0"))
    page.wait_for_timeout(1000)  # from 0 it would now be near 1 s; resumed, past the saved point
    resumed_at = video.evaluate("v => v.currentTime")
    second.close()

    saved = saved_progress()
    assert saved - 0.5 <= resumed_at <= saved + 2.5, (left_at, saved, resumed_at)
