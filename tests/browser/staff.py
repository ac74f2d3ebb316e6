"""Signing staff in through the browser: password, then the authenticator code."""

import re

from playwright.sync_api import expect

from tests.factories.accounts import PASSWORD
from tests.mfa import fresh_code


def staff_sign_in(page, user, totp, *, password=PASSWORD):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(fresh_code(totp))
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))


def publish(page):
    """Click the editor's Publish action (it may sit in the footer's more-actions menu)."""
    button = page.locator('button[name="action-publish"]')
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.click()
