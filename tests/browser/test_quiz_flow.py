import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from assessments import grading
from assessments.models import Attempt, AttemptStatus, QuizPage
from courses.models import CoursePage

pytestmark = pytest.mark.django_db(transaction=True)


def _fill(page, kind, name, answer):
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
            part = next(p for p in SPEC_PARTS[name] if p["id"] == part_id)
            _fill(page, part["kind"], f"{name}-{part_id}", part_answer)


SPEC_PARTS: dict = {}


def test_trainee_takes_the_final_quiz_resumes_after_reload_and_meets_the_cooldown(page, demo):
    demo()
    course = CoursePage.objects.get(code="PCMD-101")
    quiz = QuizPage.objects.child_of(course).get()

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("hocvien@pcmd.example")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.goto(course.url)
    page.get_by_role("button", name="Ghi danh khóa học này").click()
    page.goto(quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    expect(page).to_have_url(re.compile(r"/quiz/attempts/\d+/$"))

    attempt = Attempt.objects.get(user__email="hocvien@pcmd.example", quiz=quiz)
    items = list(attempt.items.all())
    assert len(items) == 15
    for item in items:
        if item.kind == "scenario":
            SPEC_PARTS[f"q-{item.pk}"] = item.spec["parts"]

    # Answer the first question, wait for the autosave, then lose the page.
    first = items[0]
    _fill(page, first.kind, f"q-{first.pk}", grading.correct_answer(first.kind, first.spec))
    expect(page.locator("#autosave-status")).to_contain_text("Đã lưu lúc")
    page.reload()
    first.refresh_from_db()
    assert first.answer == grading.correct_answer(first.kind, first.spec)
    if first.kind in ("single_choice", "true_false"):
        expect(page.locator(f"input[name='q-{first.pk}']:checked")).to_have_count(1)

    for item in items[1:]:
        _fill(page, item.kind, f"q-{item.pk}", grading.correct_answer(item.kind, item.spec))
    page.get_by_role("button", name="Nộp bài để chấm").click()

    expect(page.get_by_text("Điểm:")).to_contain_text("(100%)")
    expect(page.get_by_text("Đạt", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Xem lại bài")).to_be_visible()
    expect(page.get_by_text("Đáp án đúng").first).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.passed

    page.get_by_role("link", name="Quay lại bài kiểm tra").click()
    expect(page.get_by_text("Bạn có thể làm lại lúc")).to_be_visible()
    expect(page.get_by_role("button", name="Làm lại bài kiểm tra")).to_have_count(0)
