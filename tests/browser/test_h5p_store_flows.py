"""The library store as trainers, administrators and trainees meet it in Chromium: a changed
library under an approved version never reaches a trainee, a patch upgrade waits for an
administrator, and broken packages end Refused in Vietnamese with nothing on disk."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from accounts.roles import ADMINISTRATOR, TRAINER
from content.models import H5PContent, H5PLibrary, H5PStatus
from courses.models import ActivityResult
from tests.browser.test_h5p_corpus import install, open_lesson
from tests.factories.accounts import PASSWORD, UserFactory, totp_activate
from tests.h5p import corpus, hostile
from tests.mfa import fresh_code

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not corpus.available(), reason=corpus.missing_reason()),
]

SCRIPT = "H5P.MultiChoice-1.16/js/multichoice.js"
FORGED = (
    b"\n;window.parent.postMessage({type: 'pcmd-h5p-xapi', statement: {verb: {id: "
    b"'http://adlnet.gov/expapi/verbs/completed'}, result: {score: {raw: 1, max: 1}}}}, '*');"
    b" /* PCMD-FORGED */\n"
)


def changed_multichoice(*, patch: int | None = None, extra: bytes = FORGED) -> bytes:
    original = corpus.LIBRARIES / "H5P.MultiChoice-1.16"
    replace = {SCRIPT: (original / "js/multichoice.js").read_bytes() + extra}
    if patch is not None:
        library = json.loads((original / "library.json").read_text("utf-8"))
        library["patchVersion"] = patch
        replace["H5P.MultiChoice-1.16/library.json"] = json.dumps(library).encode()
    return corpus.build("multichoice", replace=replace)


def staff_sign_in(browser, base_url: str, user):
    totp = totp_activate(user)
    context = browser.new_context(base_url=base_url, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.locator("input[name=code]").fill(fresh_code(totp))
    page.get_by_role("main").get_by_role("button").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    return page


def upload(page, title: str, data: bytes) -> H5PContent:
    page.goto("/admin/snippets/content/h5pcontent/add/")
    page.locator("input[name=title]").fill(title)
    page.locator("input[name=package]").set_input_files(
        files=[{"name": "goi.h5p", "mimeType": "application/zip", "buffer": data}]
    )
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/admin/snippets/content/h5pcontent/"))
    return H5PContent.objects.get(title=title)


def served_scripts(page) -> list[bytes]:
    bodies = []
    page.on(
        "response",
        lambda r: bodies.append(r.body()) if "/libraries/" in r.url and r.ok else None,
    )
    return bodies


def test_a_trainers_changed_library_is_refused_and_never_reaches_a_trainee(
    browser,
    page,
    platform,
    home_page,
    trainee,
):
    _approved, lesson = install("multichoice", home_page=home_page, trainee=trainee)
    trainer_page = staff_sign_in(browser, platform.url, UserFactory(role=TRAINER))

    bypass = upload(trainer_page, "Cùng phiên bản, sửa một dòng", changed_multichoice())

    assert bypass.status == H5PStatus.REJECTED
    listing = trainer_page.locator("table.listing")
    expect(listing).to_contain_text("Bị từ chối")
    expect(listing).to_contain_text("H5P.MultiChoice 1.16.27")
    trainer_page.context.close()

    bodies = served_scripts(page)
    frame = open_lesson(page, lesson, trainee, platform)
    expect(frame.get_by_text("đủ 18 tuổi trở lên")).to_be_visible()
    page.wait_for_timeout(500)
    assert any(b"H5P.MultiChoice" in body for body in bodies)
    assert not any(b"PCMD-FORGED" in body for body in bodies)
    assert not ActivityResult.objects.exists()
    assert not list(Path(django_settings.H5P_ROOT).rglob("*.js.*"))


def test_a_patch_upgrade_needs_an_administrator_then_plays_in_every_item(
    browser,
    page,
    platform,
    home_page,
    trainee,
):
    _old_item, lesson = install("multichoice", home_page=home_page, trainee=trainee)
    trainer_page = staff_sign_in(browser, platform.url, UserFactory(role=TRAINER))
    marker = b"\n/* PCMD 1.16.28 */\n"

    waiting = upload(trainer_page, "Bản vá 1.16.28", changed_multichoice(patch=28, extra=marker))

    assert waiting.status == H5PStatus.AWAITING_LIBRARY
    expect(trainer_page.locator("table.listing")).to_contain_text("nâng cấp từ 1.16.27")
    trainer_page.goto(f"/admin/h5p/{waiting.pk}/approve-libraries/")
    assert trainer_page.get_by_role("button", name="Phê duyệt").count() == 0
    trainer_page.context.close()

    bodies = served_scripts(page)
    open_lesson(page, lesson, trainee, platform)
    page.wait_for_timeout(300)
    assert bodies and not any(marker in body for body in bodies)

    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    admin_page = staff_sign_in(browser, platform.url, admin)
    admin_page.goto(f"/admin/h5p/{waiting.pk}/approve-libraries/")
    table = admin_page.locator("table.listing")
    expect(table).to_contain_text("nâng cấp từ 1.16.27")
    expect(table).to_contain_text("js/multichoice.js")
    admin_page.get_by_role("button", name="Phê duyệt").click()
    expect(admin_page.locator("table.listing")).to_contain_text("Sẵn sàng")
    admin_page.context.close()

    assert H5PLibrary.objects.get(patch_version=28).approved_by == admin
    bodies.clear()
    page.reload()
    page.frame_locator("iframe[sandbox]").get_by_text("đủ 18 tuổi trở lên").wait_for()
    page.wait_for_timeout(300)
    assert any(marker in body for body in bodies)  # the old item plays the new patch


def test_stuck_and_long_name_packages_end_refused_in_vietnamese_with_nothing_on_disk(
    browser,
    platform,
):
    trainer_page = staff_sign_in(browser, platform.url, UserFactory(role=TRAINER))
    cases = {
        "Mã hóa": (hostile.encrypted(), "được mã hóa"),
        "Deflate64": (hostile.deflate64(), "phương thức nén không được hỗ trợ"),
        "Lồng 500 tầng": (hostile.deep_json(500), "lồng nhau quá sâu"),
        "Tên 300 ký tự": (hostile.long_name(300), "quá dài"),
    }

    for title, (data, _reason) in cases.items():
        upload(trainer_page, title, data)

    trainer_page.goto("/admin/snippets/content/h5pcontent/")
    for title, (_data, reason) in cases.items():
        row = trainer_page.locator("tr", has_text=title)
        expect(row).to_contain_text("Bị từ chối")
        expect(row).to_contain_text(reason)
        expect(row).not_to_contain_text("Errno")
        item = H5PContent.objects.get(title=title)
        assert item.status == H5PStatus.REJECTED and not item.package
    root = Path(django_settings.H5P_ROOT)
    assert not [p for p in root.rglob("*") if p.is_file()]
    trainer_page.context.close()
