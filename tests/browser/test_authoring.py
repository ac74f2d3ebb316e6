"""A trainer authors in Vietnamese: ASCII slugs, a quiz published while its autosave is in
flight gives one page and no error, and courses move to another deployment as a file."""

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.roles import TRAINER
from assessments.models import QuizPage
from tests.browser.staff import editor_open, publish, staff_sign_in
from tests.factories.accounts import UserFactory, totp_activate
from tests.factories.courses import catalogue_create, course_create, owner_add

pytestmark = pytest.mark.django_db(transaction=True)

QUIZ_TITLE = "Kiểm tra nhanh: Điều 329 và người dưới 18 tuổi"


def _hold_autosave_responses(page):
    """Let each autosave reach the server, but keep its answer from the browser: the state in
    which a trainer's Publish click used to create the page a second time."""
    held = []

    def handler(route, request):
        if request.method == "POST" and "application/json" in (request.headers.get("accept") or ""):
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.route(re.compile(r".*/admin/pages/add/.*"), handler)
    return held


def _wait_for(page, condition, what):
    for _attempt in range(150):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def test_publishing_a_new_quiz_while_its_autosave_is_in_flight_gives_one_page_and_no_error(
    page, home_page
):
    course, _lessons = course_create(catalogue_create(home_page), code="PCMD-701", lessons=1)
    trainer = UserFactory(role=TRAINER)
    owner_add(course, trainer)
    staff_sign_in(page, trainer, totp_activate(trainer))
    held = _hold_autosave_responses(page)

    editor_open(page, f"/admin/pages/add/assessments/quizpage/{course.pk}/")
    page.locator("#id_title").press_sequentially(QUIZ_TITLE)  # typed, as a trainer does
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("kiem-tra-nhanh-dieu-329-va-nguoi-duoi-18-tuoi")
    _wait_for(page, lambda: held, "the autosave")
    assert QuizPage.objects.child_of(course).count() == 1  # the autosave made a draft

    publish(page)

    expect(page.locator(".messages")).to_contain_text(QUIZ_TITLE)
    body = page.locator("body").inner_text()
    assert "already in use" not in body and "đã được sử dụng" not in body
    for route, response in held:  # the late answers, to a page that has moved on
        with contextlib.suppress(PlaywrightError):
            route.fulfill(response=response)
    quiz = QuizPage.objects.child_of(course).get()
    assert quiz.live and quiz.title == QUIZ_TITLE
    assert quiz.slug == "kiem-tra-nhanh-dieu-329-va-nguoi-duoi-18-tuoi"


def _header_menu(page):
    """Open the page header's more-actions menu (Copy course, Export as a package…)."""
    page.locator("header [data-w-dropdown-target='toggle']").first.click()


def _h5p_activity(admin):
    from django.core.files.base import ContentFile

    from content.h5p.packaging import LIBRARIES_DIR
    from content.h5p.services import h5p_content_process, h5p_library_install_directory
    from content.models import H5PContent
    from tests.h5p import hostile

    h5p_library_install_directory(directory=LIBRARIES_DIR / "H5P.PcmdChoice-1.1")
    activity = H5PContent.objects.create(
        title="Luyện tập nhận diện",
        package=ContentFile(hostile.genuine(), name="a.h5p"),
        uploaded_by=admin,
    )
    return h5p_content_process(content_id=activity.pk)


def test_a_trainer_builds_copies_and_exports_a_course_and_an_administrator_installs_it(
    page, home_page, live_server, tmp_path
):
    from django.core.management import call_command

    from accounts.roles import ADMINISTRATOR
    from assessments.models import QuestionCategory
    from courses.models import CoursePage, LessonPage
    from home.services import site_homepage_ensure
    from tests.factories.assessments import SINGLE, question_create

    catalogue = catalogue_create(home_page)
    trainer = UserFactory(role=TRAINER)
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True, email="quantri.moi@pcmd.example")
    category = QuestionCategory.objects.create(name="Khung pháp lý", key="legal")
    question_create("Chủ thể Điều 329", "single_choice", SINGLE, category=category)
    other = QuestionCategory.objects.create(name="Bảo vệ nạn nhân")
    question_create("Nguyên tắc không gây hại", "single_choice", SINGLE, category=other)
    activity = _h5p_activity(admin)
    staff_sign_in(page, trainer, totp_activate(trainer))

    # A course titled in Vietnamese gets an ASCII slug.
    page.goto(f"/admin/pages/add/courses/coursepage/{catalogue.pk}/")
    page.wait_for_load_state("networkidle")
    page.locator("#id_title").fill("Kỹ năng lấy lời khai người dưới 18 tuổi")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("ky-nang-lay-loi-khai-nguoi-duoi-18-tuoi")
    page.locator("#id_code").fill("PCMD-310")
    page.locator("#id_summary").fill("Lấy lời khai thân thiện với người dưới 18 tuổi.")
    page.locator('[data-contentpath="objectives"] [contenteditable="true"]').click()
    page.keyboard.type("Áp dụng mô hình PEACE.")
    page.locator("#id_code").click()  # leaving the editor saves its content to the form
    expect(page.locator("#id_objectives")).not_to_have_value("null")
    publish(page)
    expect(page.locator(".messages")).to_contain_text("Kỹ năng lấy lời khai")
    course = CoursePage.objects.get(code="PCMD-310")
    assert course.live and course.url.endswith("/ky-nang-lay-loi-khai-nguoi-duoi-18-tuoi/")
    course.add_child(
        instance=LessonPage(
            title="Nguyên tắc lấy lời khai",
            body=[{"type": "paragraph", "value": "<p>Không quá 2 lần một ngày.</p>"}],
        )
    )
    course.add_child(
        instance=LessonPage(
            title="Luyện tập tình huống",
            body=[
                {
                    "type": "h5p_activity",
                    "value": {"activity": activity.pk, "required": True, "pass_threshold": 100},
                }
            ],
        )
    )

    # A new quiz, one question chosen by category, published right after typing.
    editor_open(page, f"/admin/pages/add/assessments/quizpage/{course.pk}/")
    page.locator("#id_title").press_sequentially("Kiểm tra cuối khóa")
    page.locator("#id_fixed_questions-ADD").click()
    page.locator("#id_fixed_questions-0-question-chooser .unchosen button").click()
    modal = page.locator(".modal-content")
    modal.locator("select[name=category]").select_option(label="Khung pháp lý")
    expect(modal.get_by_role("link", name="Nguyên tắc không gây hại")).to_have_count(0)
    modal.get_by_role("link", name="Chủ thể Điều 329").click()
    publish(page)
    expect(page.locator(".messages")).to_contain_text("Kiểm tra cuối khóa")
    quiz = QuizPage.objects.child_of(course).get()  # one quiz: no orphan draft
    assert quiz.live and [f.question.title for f in quiz.fixed_questions.all()] == [
        "Chủ thể Điều 329"
    ]

    # Copy the course, then export it.
    page.goto(f"/admin/pages/{course.pk}/edit/")
    _header_menu(page)
    page.locator(f'a[href="/admin/courses/{course.pk}/copy/"]').click()
    page.locator("#id_code").fill("PCMD-310-HN")
    page.get_by_role("button", name="Sao chép thành bản nháp").click()
    expect(page.locator(".messages")).to_contain_text("PCMD-310-HN")
    copy = CoursePage.objects.get(code="PCMD-310-HN")
    assert not copy.live and copy.get_descendants().count() == 3
    page.goto(f"/admin/pages/{course.pk}/edit/")
    _header_menu(page)
    with page.expect_download() as download:
        page.locator(f'a[href="/admin/courses/{course.pk}/export/"]').click()
    package_file = tmp_path / "PCMD-310.pcmd.zip"
    download.value.save_as(package_file)
    assert download.value.suggested_filename == "PCMD-310.pcmd.zip"

    # Another deployment: a fresh database; its administrator imports the file.
    call_command("flush", interactive=False)
    catalogue_create(site_homepage_ensure())
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True, email="quantri.tinh@pcmd.example")
    page.context.clear_cookies()
    staff_sign_in(page, admin, totp_activate(admin))
    page.goto("/admin/course-packages/")
    page.locator("input[type=file][name=package]").set_input_files(package_file)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.locator("table.listing")).to_contain_text("PCMD-310")
    page.get_by_role("button", name="Nhập", exact=True).click()
    expect(page.locator("#import-status")).to_have_text("Đã nhập")

    installed = CoursePage.objects.get(code="PCMD-310")
    assert not installed.live  # arrives as a draft
    titles = [p.title for p in installed.get_descendants().order_by("path")]
    assert titles == ["Nguyên tắc lấy lời khai", "Luyện tập tình huống", "Kiểm tra cuối khóa"]
    from assessments.models import Question
    from content.models import H5PContent, H5PStatus

    quiz = QuizPage.objects.child_of(installed).get()
    assert [f.question.title for f in quiz.fixed_questions.all()] == ["Chủ thể Điều 329"]
    assert Question.objects.count() == 1
    h5p = H5PContent.objects.get()
    assert h5p.status == H5PStatus.READY
    practice = LessonPage.objects.get(title="Luyện tập tình huống")
    assert practice.body[0].value["activity"] == h5p
