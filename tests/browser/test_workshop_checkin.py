"""A trainer's phone shows the session's rotating QR code; a trainee's phone (mobile
viewport, another browser context) scans it - the code is decoded from a screenshot - and
confirms: the step and the course complete and the certificate is issued. A code from a
minute ago, or yesterday's, or a forged one is refused with a clear Vietnamese message; the
trainer's screen changes its code within 30 seconds without a reload."""

import re
import time
from datetime import timedelta
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.models import Enrolment
from courses.services import enrolment_create, lesson_complete
from tests.browser.staff import staff_sign_in
from tests.factories.accounts import PASSWORD, UserFactory, totp_activate
from tests.factories.courses import catalogue_create, course_create
from tests.workshops.conftest import session_create, step_create
from workshops import tokens
from workshops.models import Attendance

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(15_000)
    return context


def _decode(element) -> str:
    image = Image.open(BytesIO(element.screenshot()))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, "exactly one QR code on the trainer's screen"
    return results[0].text


def test_trainee_phone_scans_the_trainers_rotating_code_and_completes_the_course(
    browser, platform, home_page
):
    from accounts.roles import TRAINER

    course, lessons = course_create(catalogue_create(home_page), code="PCMD-TT", lessons=1)
    step = step_create(course)
    session = session_create(step, starts_in=timedelta(minutes=-5), capacity=20)
    trainer = UserFactory(full_name="Trần Văn Bình", role=TRAINER)
    session.trainers.add(trainer)
    totp = totp_activate(trainer)
    trainee = UserFactory(full_name="Nguyễn Thị Minh Anh")
    enrolment_create(user=trainee, course=course)
    lesson_complete(user=trainee, course=course, lesson=lessons[0])

    trainer_context = _phone(browser, platform)
    trainee_context = _phone(browser, platform)
    try:
        screen = trainer_context.new_page()
        staff_sign_in(screen, trainer, totp)
        screen.goto(f"/admin/workshops/{session.pk}/checkin/")
        qr = screen.locator("[data-checkin-qr]")
        expect(qr.locator("svg")).to_be_visible()
        first_url = _decode(qr)
        assert first_url.startswith(platform.url + "/sessions/checkin/")

        phone = trainee_context.new_page()
        phone.goto("/accounts/login/")
        phone.locator("input[name=login]").fill(trainee.email)
        phone.locator("input[name=password]").fill(PASSWORD)
        phone.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
        expect(phone).not_to_have_url(re.compile(r"/accounts/login/"))

        # A code copied a minute ago, and one from yesterday: refused, in Vietnamese.
        for age in (2 * tokens.WINDOW_SECONDS, 24 * 3600):
            old = tokens.session_token(session_id=session.pk, now=time.time() - age)
            phone.goto(f"/sessions/checkin/{old}/")
            expect(phone.get_by_role("alert")).to_contain_text("Mã điểm danh này đã hết hạn")
        phone.goto(first_url.replace("/sessions/checkin/", "/sessions/checkin/x"))
        expect(phone.get_by_role("alert")).to_contain_text("không phải là mã điểm danh hợp lệ")
        assert not Attendance.objects.exists()

        # The screen shows a new code within one window, with no reload.
        screen.wait_for_function(
            "url => document.querySelector('[data-checkin-qr]').dataset.checkinUrl !== url",
            arg=first_url,
            timeout=(tokens.WINDOW_SECONDS + 5) * 1000,
        )
        current_url = _decode(qr)
        assert current_url != first_url

        phone.goto(current_url)
        phone.get_by_role("button", name="Xác nhận tôi có mặt").click()
        expect(phone.get_by_role("status")).to_contain_text("Đã ghi nhận bạn tham dự: có mặt")
        expect(phone.get_by_text("Bạn đã hoàn thành khóa học này")).to_be_visible()
        # Nothing overflows the phone's width.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        assert Attendance.objects.get(user=trainee).method == "session_qr"
        assert Enrolment.objects.get(user=trainee, course=course).status == "completed"
        # The certificate of the blended course names the session attended, under its
        # signature (payload v3).
        certificate = Certificate.objects.get(user=trainee, course=course)
        assert session.place in certificate.in_person and certificate.payload_version == 3
        # The trainer's count follows.
        expect(screen.locator("[data-checkin-attended]")).to_have_text(
            "1", timeout=(tokens.WINDOW_SECONDS + 5) * 1000
        )
    finally:
        trainer_context.close()
        trainee_context.close()
