"""Staff access in a real browser: no way around allauth, and no staff area for a session
that has not passed its TOTP step."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import ADMINISTRATOR
from accounts.services import user_add_to_role
from tests.factories.accounts import PASSWORD, UserFactory, organisation_create, totp_activate
from tests.factories.certificates import certificate_create
from tests.mfa import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_administrator_posting_the_right_password_to_admin_login_does_not_reach_admin(page):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True, email="quantri@pcmd.example")
    totp_activate(admin)

    page.goto("/admin/login/?next=/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    # What Wagtail's own form would have posted, sent by the page itself.
    page.evaluate(
        """([email, password]) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/admin/login/';
            for (const [name, value] of [['username', email], ['password', password]]) {
                const input = document.createElement('input');
                input.name = name; input.value = value; form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [admin.email, PASSWORD],
    )
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_a_staff_session_without_the_totp_step_gets_nothing_until_it_enters_a_code(page):
    unit = organisation_create("Công an tỉnh Mẫu")
    holder = UserFactory(organisation=unit)
    certificate = certificate_create(user=holder)
    person = UserFactory(email="can.bo@pcmd.example", full_name="Lê Thị Hoa", organisation=unit)

    # Signed in with a password as a trainee; then made an administrator, with an
    # authenticator, while the session lives on.
    _sign_in(page, person.email)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    person.is_superuser = True
    person.save(update_fields=["is_superuser"])
    user_add_to_role(user=person, role=ADMINISTRATOR)
    totp = totp_activate(person)

    pdf_path = f"/certificates/{certificate.code}/pdf/"
    for path in ("/admin/", "/admin/users/", "/hr/certificates/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/\?next="))
        expect(page.get_by_text("Nhập mã xác thực:")).to_be_visible()
    refused = page.request.get(pdf_path, max_redirects=0)
    assert refused.status == 302
    assert refused.headers["location"].startswith("/accounts/2fa/reauthenticate/")

    page.goto("/admin/users/")
    page.locator("input[name=code]").fill(fresh_code(totp))
    page.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(re.compile(r"/admin/users/$"))
    expect(page.locator("body")).to_contain_text("Lê Thị Hoa")
    page.goto("/hr/certificates/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    allowed = page.request.get(pdf_path)
    assert allowed.status == 200
    assert allowed.headers["content-type"] == "application/pdf"
