import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from assessments.models import QuizPage
from courses.models import CoursePage, Enrolment, EnrolmentStatus, LessonPage
from courses.selectors import course_steps

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_trainee_follows_the_foundation_course_to_completion(page, live_server, demo):
    demo()
    course = CoursePage.objects.get(code="PCMD-101")
    # This test follows the reading path; the final quiz has its own browser test.
    QuizPage.objects.descendant_of(course).update(is_required=False)
    lessons = [
        step
        for step in course_steps(course=course)
        if isinstance(step, LessonPage) and step.is_required
    ]
    assert len(lessons) >= 4

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("hocvien@pcmd.example")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assigned = page.get_by_role("region", name="Được giao cho bạn")
    expect(assigned.get_by_text("Lộ trình cho điều tra viên")).to_be_visible()
    assigned.get_by_role("link", name=course.title).click()

    page.get_by_role("button", name="Ghi danh khóa học này").click()
    expect(page.get_by_text("Bạn đã ghi danh")).to_be_visible()
    page.get_by_role("link", name="Bắt đầu học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)

    page.get_by_role("button", name="Đánh dấu đã hoàn thành bài học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)

    page.get_by_role("link", name="Học tập của tôi").click()
    first_step = 100 // len(lessons)
    in_progress = page.get_by_role("region", name="Đang học")
    expect(in_progress.get_by_role("progressbar")).to_have_attribute(
        "aria-valuenow", str(first_step)
    )
    in_progress.get_by_role("link", name=re.compile("^Học tiếp")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)

    for lesson in lessons[1:]:
        page.goto(lesson.url)
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        warning = page.locator(".content-warning details").first
        if warning.count():
            # The distressing part stays hidden; the trainee skips it and still progresses.
            expect(warning.locator("div.mt-3")).to_be_hidden()
        page.get_by_role("button", name="Đánh dấu đã hoàn thành bài học").click()

    expect(page.get_by_text("Chúc mừng! Bạn đã hoàn thành khóa học này.")).to_be_visible()
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.get_by_text(f"Hoàn thành ngày {today}")).to_be_visible()

    page.get_by_role("link", name="Học tập của tôi").click()
    completed = page.get_by_role("region", name="Mới hoàn thành")
    expect(completed.get_by_role("link", name=course.title)).to_be_visible()
    expect(completed.get_by_text(f"Hoàn thành {today}")).to_be_visible()

    enrolment = Enrolment.objects.get(user__email="hocvien@pcmd.example", course=course)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completions.count() == len(lessons)
