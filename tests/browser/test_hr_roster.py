"""Issue 14 end to end in a browser: an HR officer (password and authenticator) imports a
50-row roster with 5 bad rows, reads the preview's per-row reasons, applies it; the new staff
exist with their role's path assigned; importing the same file again changes nothing; one of
the new people follows the invitation e-mail, sets a password and sees the assigned path."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Organisation, User
from accounts.roles import HR_OFFICER
from courses.models import Assignment, LearningPath, LearningPathCourse
from tests.browser.staff import staff_sign_in
from tests.factories.accounts import UserFactory, totp_activate
from tests.factories.courses import catalogue_create, course_create

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Họ và tên,Email,Mã cán bộ,Chức danh,Đơn vị"  # the Vietnamese headers
UNIT_PATH = "Công an tỉnh An Giang › Phòng Cảnh sát hình sự"
BAD = {  # row number in the file (the header is row 1) → the reason the preview gives
    12: "không rõ đơn vị “CA-KHONG-CO”",
    20: "trùng mã cán bộ AG-0003",
    28: "không nhận ra chức danh “phi công”",
    36: "email không hợp lệ “sai-dia-chi@”",
    44: "đơn vị “Công an tỉnh Bến Tre” không thuộc phạm vi của bạn",
}


def _roster() -> tuple[bytes, list[tuple[str, str, str]]]:
    """50 data rows: 45 good (by unit code and by unit path, by role value and by label),
    5 bad. Returns the CSV and the good rows' (name, e-mail, role)."""
    lines, good = [HEADER], []
    for n in range(50):
        row = n + 2
        name = f"Nguyễn Thị Nhập {n:02d}"
        email = f"nhap{n:02d}@ag.example"
        staff_id = f"AG-{n:04d}"
        role, role_text = (
            ("investigator", "Điều tra viên") if n % 2 else ("prosecutor", "prosecutor")
        )
        unit = "CA-AG-PC02" if n % 3 else UNIT_PATH
        if row == 12:
            unit = "CA-KHONG-CO"
        elif row == 20:
            staff_id = "AG-0003"
        elif row == 28:
            role_text = "phi công"
        elif row == 36:
            email = "sai-dia-chi@"
        elif row == 44:
            unit = "CA-BT"
        else:
            good.append((name, email, role))
        lines.append(f"{name},{email},{staff_id},{role_text},{unit}")
    return ("\n".join(lines) + "\n").encode(), good


def _counts(page) -> dict[str, int]:
    return {
        action: int(page.locator(f"[data-count={action}]").inner_text())
        for action in ("create", "update", "unchanged", "refuse")
    }


def _upload(page, data: bytes):
    page.goto("/hr/")
    page.get_by_role("link", name="Nhập danh sách cán bộ").click()
    page.get_by_label("Tệp CSV hoặc Excel (.xlsx)").set_input_files(
        files=[{"name": "danh-sach-an-giang.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xem trước kết quả nhập")


def _snapshot() -> tuple:
    return (
        sorted(
            User.objects.values_list("email", "full_name", "staff_id", "job_role", "organisation")
        ),
        sorted(Assignment.objects.values_list("user", "path", "due_date")),
        len(mail.outbox),
    )


def test_hr_officer_imports_a_roster_and_a_new_person_follows_the_invitation(browser, platform):
    from accounts.services import role_groups_sync

    role_groups_sync()  # the roles' permissions, after an earlier test flushed the database
    province = Organisation.add_root(
        name="Công an tỉnh An Giang", code="CA-AG", agency_type="police"
    )
    province.add_child(name="Phòng Cảnh sát hình sự", code="CA-AG-PC02", agency_type="police")
    Organisation.add_root(name="Công an tỉnh Bến Tre", code="CA-BT", agency_type="police")
    from home.services import site_homepage_ensure

    catalogue = catalogue_create(site_homepage_ensure())
    law, _ = course_create(catalogue, code="PCMD-HR1", title="Pháp luật về phòng, chống mại dâm")
    victims, _ = course_create(catalogue, code="PCMD-HR2", title="Bảo vệ nạn nhân trong tố tụng")
    paths = {}
    for role, name, courses in [
        ("investigator", "Lộ trình điều tra viên", [law, victims]),
        ("prosecutor", "Lộ trình kiểm sát viên", [victims]),
    ]:
        paths[role] = LearningPath.objects.create(name=name, job_role=role, due_days=60)
        for order, course in enumerate(courses):
            LearningPathCourse.objects.create(path=paths[role], course=course, sort_order=order)
    officer = UserFactory(
        full_name="Lê Thu Hà", email="thuha@ag.example", role=HR_OFFICER, organisation=province
    )
    data, good = _roster()

    context = browser.new_context(base_url=platform.url, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    staff_sign_in(page, officer, totp_activate(officer))

    # The preview: 45 to create, 5 refused, each with its reason on its row; nothing yet.
    before = _snapshot()
    _upload(page, data)
    assert _counts(page) == {"create": 45, "update": 0, "unchanged": 0, "refuse": 5}
    refused = page.locator("tr[data-action=refuse]")
    expect(refused).to_have_count(5)
    for line, reason in BAD.items():
        row = refused.filter(has=page.locator("td:first-child", has_text=re.compile(rf"^{line}$")))
        expect(row).to_contain_text(reason)
    expect(page.locator("tr[data-action=create]")).to_have_count(45)
    assert _snapshot() == before

    page.get_by_role("button", name="Áp dụng danh sách").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã áp dụng danh sách")
    expect(
        page.get_by_text("Đã áp dụng: tạo mới 45, cập nhật 0, không đổi 0, từ chối 5.")
    ).to_be_visible()

    # The new staff, in their units, with their role's path due in 60 days.
    created = {
        u.email: u
        for u in User.objects.filter(email__endswith="@ag.example").exclude(pk=officer.pk)
    }
    assert sorted(created) == sorted(email for _, email, _ in good)
    for name, email, role in good:
        person = created[email]
        assert (person.full_name, person.job_role) == (name, role)
        assert person.organisation.code == "CA-AG-PC02"
        assert not person.has_usable_password()
        assert list(Assignment.objects.filter(user=person).values_list("path", flat=True)) == [
            paths[role].pk
        ]
    invitations = {m.to[0]: m for m in mail.outbox}
    assert sorted(invitations) == sorted(created)  # one invitation each, nobody else

    # The same file again: nothing to apply, nothing changes.
    after = _snapshot()
    _upload(page, data)
    assert _counts(page) == {"create": 0, "update": 0, "unchanged": 45, "refuse": 5}
    expect(page.get_by_role("button", name="Áp dụng danh sách")).to_be_disabled()
    assert _snapshot() == after
    context.close()

    # A new investigator follows the invitation in their own browser.
    name, email, _ = next(row for row in good if row[2] == "investigator")
    body = invitations[email].body
    assert name in body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", body).group(0)
    newcomer = browser.new_context(base_url=platform.url, locale="en-US")
    newcomer.set_default_timeout(15_000)
    page = newcomer.new_page()
    page.goto(link)
    page.locator("input[name=password1]").fill("Phong-chong-mai-dam-2026")
    page.locator("input[name=password2]").fill("Phong-chong-mai-dam-2026")
    page.get_by_role("main").get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.locator("input[name=password1]")).to_have_count(0)
    page.goto("/accounts/login/")
    if "/accounts/login/" in page.url:  # not signed in by the reset itself
        page.locator("input[name=login]").fill(email)
        page.locator("input[name=password]").fill("Phong-chong-mai-dam-2026")
        page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assigned = page.get_by_role("region", name="Được giao cho bạn")
    expect(assigned).to_contain_text("Lộ trình điều tra viên")
    expect(assigned).to_contain_text("Pháp luật về phòng, chống mại dâm")
    expect(assigned).to_contain_text("Đã hoàn thành 0/2 khóa học")
    newcomer.close()
