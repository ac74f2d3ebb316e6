import re
import subprocess

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.roles import HR_OFFICER
from assessments.models import QuizPage
from certificates.models import Certificate
from courses.models import CoursePage, LessonPage
from courses.selectors import course_steps
from tests.factories.accounts import UserFactory, totp_activate
from tests.mfa import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, email, password):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()


def test_completion_to_certificate_to_qr_verification_to_revocation(
    page, live_server, settings, demo
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    demo()
    course = CoursePage.objects.get(code="PCMD-101")
    QuizPage.objects.descendant_of(course).update(is_required=False)
    lessons = [
        s for s in course_steps(course=course) if isinstance(s, LessonPage) and s.is_required
    ]

    _sign_in(page, "hocvien@pcmd.example", DEMO_PASSWORD)
    page.goto(course.url)
    page.get_by_role("button", name="Ghi danh khóa học này").click()
    for lesson in lessons:
        page.goto(lesson.url)
        page.get_by_role("button", name="Đánh dấu đã hoàn thành bài học").click()
    expect(page.get_by_text("Chúc mừng! Bạn đã hoàn thành khóa học này.")).to_be_visible()

    page.get_by_role("link", name="Chứng nhận của tôi").click()
    row = page.get_by_role("row").filter(has_text=course.title)
    expect(row.get_by_text("Còn hiệu lực")).to_be_visible()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Tải PDF").click()
    pdf_path = download_info.value.path()

    certificate = Certificate.objects.get(user__email="hocvien@pcmd.example")
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Nguyễn Thị Minh Anh" in text
    assert course.title in " ".join(text.split())
    assert certificate.code in text

    document = pypdfium2.PdfDocument(str(pdf_path))
    assert len(document) == 1
    image = document[0].render(scale=3).to_pil()
    decoded = zxingcpp.read_barcodes(image)
    assert decoded, "no QR code found on the rendered page"
    url = decoded[0].text
    assert url.startswith(f"{live_server.url}/verify/{certificate.code}/?s=")

    page.goto(url)
    expect(page.get_by_text("Còn hiệu lực")).to_be_visible()
    expect(page.get_by_text("khớp với khóa của nền tảng")).to_be_visible()

    hr = UserFactory(
        email="nhansu.test@pcmd.example",
        role=HR_OFFICER,
        organisation=certificate.user.organisation.get_root(),
    )
    totp = totp_activate(hr)
    page.context.clear_cookies()
    _sign_in(page, hr.email, "Mat-khau-an-toan-2026")
    page.locator("input[name=code]").fill(fresh_code(totp))
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"/hr/certificates/?query={certificate.code}")
    page.get_by_text("Thu hồi hoặc cấp lại").click()
    page.get_by_label("Lý do thu hồi").fill("Cấp nhầm do lỗi dữ liệu")
    page.get_by_role("button", name="Thu hồi", exact=True).click()
    expect(page.get_by_text(f"Đã thu hồi chứng nhận {certificate.code}.")).to_be_visible()

    page.goto(url)
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(page.get_by_text(f"Đã thu hồi ngày {today}")).to_be_visible()
    assert re.search("Nguyễn Thị Minh Anh", page.content())
