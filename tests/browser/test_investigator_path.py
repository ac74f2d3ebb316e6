"""An investigator works through PCMD-202 in Chromium – every lesson with its case study, the
investigation stage of the case simulation (whose debrief shows at once) and the final quiz –
and receives the course certificate and, since the path's other courses are done, the
investigator path's certificate."""

import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from assessments import grading
from assessments.models import Attempt, QuizPage
from certificates.models import Certificate
from courses.models import CoursePage, Enrolment, EnrolmentStatus, LearningPath, LessonPage
from courses.selectors import course_steps
from courses.services import enrolment_create, step_complete

pytestmark = pytest.mark.django_db(transaction=True)

TRAINEE = "hocvien@pcmd.example"  # the demo trainee is an investigator


def _complete_through_services(user, code):
    course = CoursePage.objects.get(code=code)
    enrolment_create(user=user, course=course)
    for step in course_steps(course=course):
        if step.is_required:
            step_complete(user=user, course=course, step=step)
    assert Enrolment.objects.get(user=user, course=course).status == EnrolmentStatus.COMPLETED


def _fill(page, kind, name, answer, parts=None):
    if kind == "single_choice":
        page.check(f"input[name='{name}'][value='{answer}']")
    elif kind == "multiple_response":
        for choice in answer:
            page.check(f"input[name='{name}'][value='{choice}']")
    elif kind == "true_false":
        page.check(f"input[name='{name}'][value='{'true' if answer else 'false'}']")
    elif kind == "short_answer":
        page.fill(f"input[name='{name}']", answer)
    elif kind == "matching":
        for left, right in answer.items():
            page.select_option(f"select[name='{name}-{left}']", right)
    elif kind == "ordering":
        for place, item in enumerate(answer, start=1):
            page.select_option(f"select[name='{name}-{item}']", str(place))
    elif kind == "scenario":
        for part_id, part_answer in answer.items():
            part = next(p for p in parts if p["id"] == part_id)
            _fill(page, part["kind"], f"{name}-{part_id}", part_answer)


def _pass_quiz(page, quiz, user):
    page.goto(quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page).to_have_url(re.compile(r"/quiz/attempts/\d+/$"))
    attempt = Attempt.objects.filter(user=user, quiz=quiz).latest("started_at")
    items = list(attempt.items.all())
    for item in items:
        answer = grading.correct_answer(item.kind, item.spec)
        _fill(page, item.kind, f"q-{item.pk}", answer, parts=item.spec.get("parts"))
    # Neither keys nor debriefs reach the page before the attempt is graded.
    expect(page.get_by_text("Nhìn lại quyết định")).to_have_count(0)
    page.get_by_role("button", name="Nộp bài để chấm").click()
    expect(page.get_by_text("Điểm:")).to_contain_text("(100%)")
    expect(page.get_by_text("Đạt", exact=True)).to_be_visible()
    return items


def test_investigator_completes_pcmd_202_and_receives_course_and_path_certificates(
    page, live_server, settings, django_user_model, demo
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    demo()
    user = django_user_model.objects.get(email=TRAINEE)
    path = LearningPath.objects.get(job_role="investigator")
    assert [c.course.code for c in path.path_courses.all()] == ["PCMD-101", "PCMD-202", "PCMD-205"]
    # The other courses of the path, done beforehand through the services.
    _complete_through_services(user, "PCMD-101")
    _complete_through_services(user, "PCMD-205")
    assert not Certificate.objects.filter(user=user, path=path).exists()

    course = CoursePage.objects.get(code="PCMD-202")
    steps = course_steps(course=course)
    lessons = [s for s in steps if isinstance(s, LessonPage)]
    quizzes = [s for s in steps if isinstance(s, QuizPage)]
    assert len(lessons) == 6 and len(quizzes) == 2
    simulation, final = quizzes

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(TRAINEE)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(course.url)
    page.get_by_role("button", name="Ghi danh khóa học này").click()
    expect(page.get_by_text("Bạn đã ghi danh")).to_be_visible()

    for lesson in lessons:
        page.goto(lesson.url)
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        case_titles = [b.value["title"] for b in lesson.body if b.block_type == "case_study"]
        assert case_titles, f"{lesson.title} has no case study"
        for title in case_titles:
            expect(page.locator(".case-study h3", has_text=title)).to_be_visible()
        for warning in page.locator(".content-warning details").all():
            # The distressing part stays hidden unless the trainee opens it.
            expect(warning.locator("div.mt-3")).to_be_hidden()
        page.get_by_role("button", name="Đánh dấu đã hoàn thành bài học").click()

    # The investigation stage of the simulation: the debrief shows after the attempt.
    items = _pass_quiz(page, simulation, user)
    assert [i.question.key for i in items] == [
        "sim_investigation_qualification",
        "sim_investigation_interview_plan",
        "sim_investigation_corroboration",
        "sim_investigation_second_victim",
    ]
    expect(page.get_by_text("Nhìn lại quyết định.").first).to_be_visible()
    expect(page.get_by_text(re.compile("15 tuổi 8 tháng")).first).to_be_visible()

    items = _pass_quiz(page, final, user)
    assert len(items) == 14

    page.goto(course.url)
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.get_by_text(f"Hoàn thành ngày {today}")).to_be_visible()

    page.get_by_role("link", name="Chứng nhận của tôi").click()
    course_row = page.get_by_role("row").filter(has_text=course.title)
    expect(course_row.get_by_text("Còn hiệu lực")).to_be_visible()
    path_row = page.get_by_role("row").filter(has_text=path.name)
    expect(path_row.get_by_text("Còn hiệu lực")).to_be_visible()
    assert Certificate.objects.filter(user=user, course=course).count() == 1
    assert Certificate.objects.filter(user=user, path=path).count() == 1

    with page.expect_download() as download_info:
        course_row.get_by_role("link", name="Tải PDF").click()
    text = subprocess.run(
        ["pdftotext", str(download_info.value.path()), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Nguyễn Thị Minh Anh" in text
    assert course.title in " ".join(text.split())
