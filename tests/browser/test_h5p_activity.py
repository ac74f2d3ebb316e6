import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from courses.models import ActivityResult, ActivityStatement, CoursePage, LessonPage
from courses.services import enrolment_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_trainee_answers_the_demo_h5p_activity_and_the_lesson_completes(
    page, live_server, settings, demo
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.H5P_CONTENT_ORIGIN = live_server.url.replace("//localhost", "//content.localhost")
    demo()
    course = CoursePage.objects.get(code="PCMD-101")
    lesson = LessonPage.objects.child_of(course).get(slug="luyen-tap-nhan-dien")
    from accounts.models import User

    trainee = User.objects.get(email="hocvien@pcmd.example")
    enrolment_create(user=trainee, course=course)

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(trainee.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.goto(lesson.url)
    expect(page.get_by_text("Hoàn thành các hoạt động tương tác")).to_be_visible()

    frame = page.frame_locator("iframe[sandbox]")
    frame.get_by_text("Coi là nạn nhân tiềm năng, bảo vệ và chuyển cơ quan điều tra").click()
    frame.get_by_role("button", name="Kiểm tra").click()

    expect(page.get_by_text("Bạn đã hoàn thành bài học này")).to_be_visible(timeout=15_000)
    answered = ActivityStatement.objects.filter(user=trainee, verb="answered", is_child=False)
    assert answered.exists()
    statement = answered.first().statement
    assert statement["actor"]["account"]["name"] == str(trainee.pk)
    assert statement["result"]["score"]["raw"] == statement["result"]["score"]["max"]
    assert ActivityResult.objects.get(user=trainee, lesson=lesson).passed
    assert re.search(r"/h5p/activity/", statement["object"]["id"])
