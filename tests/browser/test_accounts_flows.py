import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from accounts.models import JobRole, User
from accounts.roles import TRAINER
from tests.factories.accounts import PASSWORD, UserFactory, organisation_create
from tests.mfa import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_trainee_signs_up_verifies_signs_in_sets_profile_and_signs_out(page):
    province = organisation_create("Công an tỉnh Mẫu")
    unit = organisation_create("Phòng Cảnh sát hình sự", parent=province)

    page.goto("/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký")
    page.get_by_label("Họ và tên").fill("Đặng Thị Thu Hường")
    page.locator("input[name=email]").fill("thu.huong@pcmd.example")
    page.locator("input[name=password1]").fill("Bao-ve-nan-nhan-2026")
    page.locator("input[name=password2]").fill("Bao-ve-nan-nhan-2026")
    page.get_by_role("button", name="Đăng ký").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xác minh địa chỉ email của bạn")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Xác nhận").click()
    assert EmailAddress.objects.get(email="thu.huong@pcmd.example").verified

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("thu.huong@pcmd.example")
    page.locator("input[name=password]").fill("Bao-ve-nan-nhan-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.get_by_role("link", name="Trang chủ").click()
    expect(page.get_by_text("Chào mừng Hường trở lại.")).to_be_visible()

    page.get_by_role("link", name="Hoàn thiện hồ sơ").click()
    page.get_by_label("Cơ quan, đơn vị").select_option(str(unit.pk))
    page.get_by_label("Chức danh").select_option(JobRole.INVESTIGATOR.value)
    page.get_by_label("Mã cán bộ").fill("CA-7788")
    page.get_by_role("button", name="Lưu hồ sơ").click()
    expect(page.get_by_text("Hồ sơ của bạn đã được lưu.")).to_be_visible()

    user = User.objects.get(email="thu.huong@pcmd.example")
    assert (user.organisation, user.job_role, user.staff_id) == (unit, "investigator", "CA-7788")

    page.get_by_role("link", name="Đăng xuất").click()
    page.get_by_role("main").get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Đăng nhập")).to_be_visible()


def test_trainer_without_mfa_must_set_up_totp_before_reaching_the_admin(page):
    UserFactory(email="giang.vien@pcmd.example", full_name="Trần Văn Bình", role=TRAINER)

    page.goto("/admin/")
    page.locator("input[name=login]").fill("giang.vien@pcmd.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_text("phải dùng xác thực hai lớp")).to_be_visible()
    # Adding an authenticator asks for the password again, so a borrowed session cannot.
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận quyền truy cập")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    page.goto("/admin/")  # still refused without an authenticator
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(
        "123456" if pyotp.TOTP(secret).now() != "123456" else "654321"
    )
    page.get_by_role("button", name="Kích hoạt").click()
    expect(page.get_by_text("Mã không chính xác.")).to_be_visible()

    page.locator("input[name=code]").fill(fresh_code(pyotp.TOTP(secret)))
    page.get_by_role("button", name="Kích hoạt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã khôi phục")
    page.get_by_role("link", name="Tôi đã lưu mã — tiếp tục").click()

    # Setting up is not the code step: this session now passes it like any other.
    expect(page.get_by_text("Nhập mã xác thực:")).to_be_visible()
    page.locator("input[name=code]").fill(fresh_code(pyotp.TOTP(secret)))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("body")).to_contain_text("Trần Văn Bình")
