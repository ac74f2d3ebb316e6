"""The authoring admin speaks Vietnamese: a trainer and an administrator walk their screens
in an English-language browser and every text they see or hear is Vietnamese, apart from
brand names and codes (tests/browser/english.py says exactly what counts as English).

The administrator's walk enumerates every admin page the URL resolver has without
parameters, so a new admin screen is walked as soon as it exists."""

import io
import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image as PILImage
from playwright.sync_api import expect

from accounts.roles import ADMINISTRATOR, TRAINER
from tests.browser.english import english_on_page
from tests.factories.accounts import PASSWORD, UserFactory, totp_activate
from tests.factories.assessments import SINGLE, question_create, quiz_create
from tests.factories.courses import (
    catalogue_create,
    course_create,
    legal_provision_create,
    owner_add,
)
from tests.mfa import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)

WORKFLOW = "Duyệt nội dung khóa học"


@pytest.fixture
def authoring(home_page):
    """A small course as trainers build them, with what the admin screens list."""
    from django.contrib.auth.models import Group
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Collection, GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    from accounts.services import role_groups_sync

    role_groups_sync()  # after a flushed database: the media rights and their collection

    catalogue = catalogue_create(home_page)
    provision = legal_provision_create()
    course, lessons = course_create(
        catalogue, code="PCMD-901", title="Kỹ năng phỏng vấn nạn nhân", provision=provision
    )
    question = question_create("Nguyên tắc đầu tiên khi phỏng vấn", "single_choice", SINGLE)
    quiz = quiz_create(course, [question], title="Bài kiểm tra cuối khóa")
    for page in (course, *lessons, quiz):
        page.save_revision().publish()

    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    image = Image.objects.create(
        title="Sơ đồ phối hợp liên ngành", file=ImageFile(buffer, name="so-do.png")
    )
    Collection.get_first_root_node().add_child(name="Tài liệu khóa học PCMD-901")
    document = Document.objects.create(
        title="Hướng dẫn nghiệp vụ", file=ContentFile(b"%PDF-1.4\n", name="huong-dan.pdf")
    )

    task = GroupApprovalTask.objects.create(name="Quản trị viên duyệt")
    task.groups.set([Group.objects.get(name=ADMINISTRATOR)])
    workflow = Workflow.objects.create(name=WORKFLOW)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=catalogue)
    return SimpleNamespace(
        catalogue=catalogue,
        course=course,
        lessons=lessons,
        quiz=quiz,
        question=question,
        image=image,
        document=document,
        workflow=workflow,
        task=task,
    )


def _sign_in(page, user):
    totp = totp_activate(user)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.locator("input[name=code]").fill(fresh_code(totp))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/(dashboard|admin)/"))


class Walk:
    """Scans each screen it is shown and keeps what English it found, screen by screen."""

    def __init__(self, page):
        self.page = page
        self.english: dict[str, list[str]] = {}
        self.screens = 0

    def scan(self, label: str):
        self.screens += 1
        found = english_on_page(self.page)
        if found:
            self.english[label] = found

    def visit(self, url: str, label: str | None = None):
        response = self.page.goto(url)
        assert response is not None and response.status < 500, f"{url}: {response.status}"
        if "html" in response.headers.get("content-type", ""):
            self.scan(label or url)

    def report(self) -> str:
        return "\n".join(
            f"{label}:\n  " + "\n  ".join(lines) for label, lines in self.english.items()
        )


def _placeholder_of_empty_rich_text(page) -> str:
    """The placeholder of the first empty rich-text block, once the editor has drawn one
    (a new block's editor starts after the click that inserts it)."""
    return page.wait_for_function(
        """() => {
            const block = document.querySelector(".Draftail-block--empty");
            const content = block && getComputedStyle(block, "::before").content;
            return content && content !== "none" && content !== '""' ? content : null;
        }"""
    ).json_value()


def test_a_trainer_authors_a_course_in_an_admin_that_is_all_vietnamese(page, authoring):
    trainer = UserFactory(full_name="Trần Văn Bình", email="binh@pcmd.example", role=TRAINER)
    lesson, quiz, course = authoring.lessons[0], authoring.quiz, authoring.course
    owner_add(course, trainer)
    authoring.lessons[2].save_revision(user=trainer, log_action=True)  # "your recent edits"
    _sign_in(page, trainer)
    walk = Walk(page)
    page.on("dialog", lambda dialog: dialog.accept())  # leaving an editor with changes

    walk.visit("/admin/", "dashboard")
    expect(page.get_by_role("heading", name="Những nội dung bạn sửa gần đây")).to_be_visible()
    page.get_by_role("button", name="Trang", exact=True).click()
    expect(page.get_by_role("link", name=course.title, exact=True)).to_be_visible()
    walk.scan("page explorer menu")

    walk.visit(f"/admin/pages/{course.pk}/", "course in the page explorer")
    children = course.get_children().count()
    expect(page.get_by_text(f"1-{children} trong số {children} trang")).to_be_visible()
    walk.visit(f"/admin/pages/{authoring.catalogue.pk}/", "catalogue in the page explorer")
    walk.visit(f"/admin/pages/{course.pk}/add_subpage/", "choosing a page type")

    walk.visit(f"/admin/pages/{lesson.pk}/edit/", "lesson editor")
    page.get_by_role("button", name="Chèn một khối").first.click()
    expect(page.get_by_role("option", name="Nội dung").first).to_be_visible()
    walk.scan("lesson editor: inserting a block")
    page.get_by_role("option", name="Nội dung").first.click()
    assert _placeholder_of_empty_rich_text(page) == '"Viết nội dung hoặc gõ ‘/’ để chèn một khối"'
    walk.scan("lesson editor: a new text block")
    page.locator(".Draftail-block--empty").first.click()
    page.keyboard.type("/")
    expect(page.get_by_text("Khối", exact=True)).to_be_visible()
    walk.scan("lesson editor: the '/' block menu")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Chèn một khối").first.click()
    page.get_by_role("option", name="Hình ảnh").first.click()
    page.get_by_role("button", name="Chọn hình ảnh").first.click()
    expect(page.get_by_role("dialog").get_by_text(authoring.image.title)).to_be_visible()
    walk.scan("image chooser")
    page.get_by_role("dialog").get_by_role("tab", name="Tải lên").click()
    walk.scan("image chooser: upload")
    page.get_by_role("dialog").get_by_role("tab", name="Tìm kiếm").click()
    page.get_by_role("dialog").get_by_text(authoring.image.title).click()
    page.locator(".image-chooser").get_by_role("button", name="Thao tác").click()
    expect(page.get_by_role("link", name="Sửa hình ảnh này")).to_be_visible()
    walk.scan("lesson editor: a chosen image and its actions")
    page.keyboard.press("Escape")
    for panel in ("Mở/đóng trạng thái", "Mở/đóng nhận xét", "Mở/đóng kiểm tra"):
        page.get_by_role("button", name=panel).click()
        walk.scan(f"lesson editor: {panel}")
        page.get_by_role("button", name=panel).click()
    page.get_by_role("tab", name="Quảng bá").click()
    walk.scan("lesson editor: promote tab")

    submitted = authoring.lessons[1]
    walk.visit(f"/admin/pages/{submitted.pk}/edit/", "lesson editor, unchanged")
    page.get_by_role("button", name="Thao tác khác").click()
    walk.scan("lesson editor: publishing actions")
    page.get_by_role("button", name=f"Gửi duyệt theo quy trình {WORKFLOW}").click()
    expect(page.get_by_text(f"Đã gửi duyệt trang '{submitted.title}'.")).to_be_visible()
    walk.scan("lesson editor: submitted for moderation")

    walk.visit(f"/admin/pages/{quiz.pk}/edit/", "quiz editor")
    page.get_by_role("button", name="Thêm: Câu hỏi luôn có trong bài").click()
    page.get_by_role("button", name="Chọn câu hỏi").last.click()
    expect(page.get_by_role("dialog").get_by_text(authoring.question.title)).to_be_visible()
    walk.scan("question chooser")
    page.keyboard.press("Escape")

    for name, args in [
        ("wagtailsnippets_assessments_question:list", []),
        ("wagtailsnippets_assessments_question:edit", [authoring.question.pk]),
        ("wagtailsnippets_assessments_questioncategory:list", []),
        ("wagtailsnippets_content_legalprovision:list", []),
        ("wagtailsnippets_content_h5pcontent:list", []),
        ("wagtailsnippets_courses_learningpath:list", []),
        ("wagtailsnippets_certificates_certificatetemplate:list", []),
        ("wagtailsnippets:index", []),
        ("assignments:index", []),
        ("wagtailimages:index", []),
        ("wagtailimages:edit", [authoring.image.pk]),
        ("wagtailimages:add_multiple", []),
        ("wagtaildocs:index", []),
        ("wagtaildocs:edit", [authoring.document.pk]),
        ("wagtailadmin_pages:history", [lesson.pk]),
        ("wagtailadmin_pages:revisions_index", [lesson.pk]),
        ("wagtailadmin_pages:copy", [lesson.pk]),
        ("wagtailadmin_pages:move", [lesson.pk]),
        ("wagtailadmin_pages:delete", [lesson.pk]),
        ("wagtailadmin_pages:workflow_history", [lesson.pk]),
        ("courses_learners", [course.pk]),
        ("assessments_results", [quiz.pk]),
        ("assessments_analysis", [quiz.pk]),
        ("wagtailadmin_reports:site_history", []),
        ("wagtailadmin_reports:workflow", []),
        ("wagtailadmin_reports:aging_pages", []),
        ("wagtailadmin_account", []),
    ]:
        walk.visit(reverse(name, args=args), name)
    walk.visit("/admin/pages/search/?q=ph%E1%BB%8Fng", "page search")

    assert walk.english == {}, walk.report()
    assert walk.screens > 40


# Admin URLs that are not screens: sign-out, JSON endpoints, partial "results" views, files.
_NOT_SCREENS = re.compile(
    r"(_results|logout|_api:|dismissibles|block_preview|sprite|javascript_catalog|"
    r"tag_autocomplete|process_import|chosen_multiple|error_test|password_reset|"
    r"wagtailadmin_login|^$)"
)


def _parameterless_admin_screens() -> list[str]:
    names = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name or ""
                parameterless = "<" not in route and "^" not in route
                if route.startswith("admin/") and parameterless and not _NOT_SCREENS.search(name):
                    names.append(name)

    walk(get_resolver(), "", None)
    return sorted(set(names))


def test_an_administrator_walks_every_admin_screen_in_vietnamese(page, authoring):
    from wagtail.models import Collection, Site

    admin = UserFactory(full_name="Lê Thị Quản", email="quan@pcmd.example", role=ADMINISTRATOR)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    trainer = UserFactory(full_name="Trần Văn Bình", email="binh@pcmd.example", role=TRAINER)
    lesson = authoring.lessons[1]
    lesson.save_revision(user=trainer)
    authoring.workflow.start(lesson, trainer)
    _sign_in(page, admin)
    walk = Walk(page)

    screens = _parameterless_admin_screens()
    assert {"wagtailadmin_home", "wagtailusers_groups:index", "wagtailimages:index"} <= set(screens)
    for name in screens:
        walk.visit(reverse(name), name)
    walk.visit("/admin/", "dashboard")
    expect(page.get_by_text("Đang chờ bạn xem xét")).to_be_visible()

    from django.contrib.auth.models import Group

    for name, args in [
        ("wagtailadmin_explore", [authoring.course.pk]),
        ("wagtailadmin_pages:edit", [lesson.pk]),
        ("wagtailusers_users:edit", [trainer.pk]),
        ("wagtailusers_groups:edit", [Group.objects.get(name=TRAINER).pk]),
        ("wagtailadmin_workflows:edit", [authoring.workflow.pk]),
        ("wagtailadmin_workflows:edit_task", [authoring.task.pk]),
        ("wagtailadmin_workflows:usage", [authoring.workflow.pk]),
        ("wagtailsites:edit", [Site.objects.get(is_default_site=True).pk]),
        ("wagtailadmin_collections:edit", [Collection.objects.get(depth=2).pk]),
        ("wagtailimages:edit", [authoring.image.pk]),
        ("wagtaildocs:edit", [authoring.document.pk]),
        ("wagtailadmin_pages:workflow_history", [lesson.pk]),
    ]:
        walk.visit(reverse(name, args=args), name)
    expect(page.get_by_text(WORKFLOW).first).to_be_visible()

    assert walk.english == {}, walk.report()
    assert walk.screens > 60
