"""The Wagtail editor works under the platform's CSP: a trainer edits a lesson's rich text in
Draftail and publishes it with no violation (the page fixture fails on any); an injected
inline script is refused, so the watch that every browser test relies on can fail."""

import pytest
from playwright.sync_api import expect

from accounts.roles import TRAINER
from courses.models import LessonPage
from tests.browser.staff import publish, staff_sign_in
from tests.factories.accounts import UserFactory, totp_activate
from tests.factories.courses import catalogue_create, course_create, owner_add

pytestmark = pytest.mark.django_db(transaction=True)

ADDED = "Nạn nhân dưới 18 tuổi được hỏi với sự có mặt của người đại diện."


def test_a_trainer_edits_and_publishes_a_lesson_in_draftail_under_the_csp(page, home_page):
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-CSP", lessons=1)
    lesson = lessons[0]
    trainer = UserFactory(role=TRAINER)
    owner_add(course, trainer)  # a trainer edits the courses they own
    staff_sign_in(page, trainer, totp_activate(trainer))

    response = page.goto(f"/admin/pages/{lesson.pk}/edit/")
    policy = response.headers["content-security-policy"]
    assert (
        "'nonce-" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    # Draftail is ready when its editable area exists: Wagtail's scripts (with the nonce) ran.
    editor = page.locator(
        '[data-contentpath="body"] .public-DraftEditor-content[contenteditable="true"]'
    )
    expect(editor.first).to_be_visible()
    editor.first.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(ADDED)
    page.locator("#id_title").click()  # leaving the editor writes its content to the form
    page.wait_for_function(
        """(text) => [...document.querySelectorAll('input[type="hidden"]')]
            .some((input) => input.value.includes(text))""",
        arg=ADDED,
    )
    publish(page)

    expect(page.locator(".messages")).to_contain_text(lesson.title)
    lesson = LessonPage.objects.get(pk=lesson.pk)
    # Published with the added text. (Wagtail's autosave may store one more draft revision
    # of the same content just after the publish; the live page is what this test is about.)
    assert lesson.live and lesson.live_revision_id is not None
    assert ADDED in str(lesson.live_revision.as_object().body)
    assert ADDED in str(lesson.body)


def test_an_injected_inline_script_is_refused_and_reported(page, home_page, csp_violations):
    page.goto("/accounts/login/")

    ran = page.evaluate(
        """() => {
            window.injected = false;
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            const button = document.createElement("button");
            button.setAttribute("onclick", "window.injected = true");
            document.body.append(button);
            button.click();
            return window.injected;
        }"""
    )

    assert ran is False
    wanted = {"script-src-elem", "script-src-attr"}
    for _ in range(100):  # the reports arrive as queued events: wait for them, not a time
        if wanted <= {v.get("directive") for v in csp_violations}:
            break
        page.wait_for_timeout(50)
    assert wanted <= {v.get("directive") for v in csp_violations}, csp_violations
    csp_violations.clear()
