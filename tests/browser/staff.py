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


def editor_open(page, url):
    """Open a Wagtail editor and wait until it watches the form for edits.

    Wagtail snapshots the form about two seconds after the editor starts (the unsaved-changes
    controller's initial delay) and compares later states with that snapshot; whatever is typed
    before it counts as the page's starting state and is never autosaved. The controller says
    when the snapshot is taken with a `w-unsaved:watch-edits` event."""
    page.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits',"
        " () => { window.__editsWatched = true; });"
    )
    page.goto(url)
    page.wait_for_function("() => window.__editsWatched === true", timeout=30_000)
