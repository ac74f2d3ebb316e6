"""Roster import: the plan per row, applying it once and idempotently, refusing malformed
files whole, scope by subtree, invitations through allauth, the command."""

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from accounts.roles import TRAINER
from audit.models import AuditEntry
from courses.models import Assignment
from hr.models import ImportKind, RosterImport, StaffRecord
from hr.services import RosterApplyError, roster_apply, roster_read
from hr.tables import TableError
from tests.factories.accounts import UserFactory
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

HEADER = "full_name,email,staff_id,job_role,unit,manager_email\n"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(lines) + "\n").encode("utf-8")


def read(data: bytes, *, scope, actor=None, kind=ImportKind.STAFF) -> RosterImport:
    return roster_read(data=data, filename="ds.csv", kind=kind, actor=actor, scope=scope)


def by_line(roster_import) -> dict[int, dict]:
    return {row["line"]: row for row in roster_import.report}


def test_preview_shows_per_row_what_would_happen_and_why_and_writes_no_person(
    tree, hr_officer, vietnamese
):
    UserFactory(
        email="cu@ag.example", staff_id="AG-9", organisation=tree["a_pc02"], full_name="Tên Cũ"
    )
    UserFactory(email="khac@ag.example", staff_id="AG-7", organisation=tree["a_pc06"])
    data = csv_bytes(
        "Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,",  # 2 create by code
        # 3: the unit by its path of names, the role by its Vietnamese label
        "Trần Thị Bình,binh@ag.example,AG-2,Điều tra viên,"
        "Công an tỉnh An Giang › Phòng Cảnh sát hình sự › Đội 1,an@ag.example",
        "Tên Mới,cu@ag.example,AG-9,investigator,CA-AG-PC02,",  # 4 update name
        "Lê Văn C,c@ag.example,AG-3,investigator,KHONG-CO,",  # 5 unknown unit
        "Lê Văn D,d@ag.example,AG-1,investigator,CA-AG-PC06,",  # 6 duplicate staff ID in file
        "Lê Văn E,e@ag.example,AG-4,thủ thư,CA-AG,",  # 7 role not recognised
        "Lê Văn F,not-an-email,AG-5,investigator,CA-AG,",  # 8 malformed e-mail
        "Lê Văn G,g@ag.example,AG-7,investigator,CA-AG,",  # 9 staff ID of someone else
        "Lê Văn H,h@ag.example,AG-8,investigator,CA-BT-PC02,",  # 10 outside the subtree
    )
    people_before = User.objects.count()

    roster_import = read(data, scope=tree["a"], actor=hr_officer)

    rows = by_line(roster_import)
    assert [rows[n]["action"] for n in range(2, 11)] == [
        "create",
        "create",
        "update",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
        "refuse",
    ]
    assert rows[4]["changes"] == ["full_name"]
    assert rows[5]["reasons"] == ["không rõ đơn vị “KHONG-CO”"]
    assert any("AG-1" in r and "2" in r for r in rows[6]["reasons"])
    assert any("thủ thư" in r for r in rows[7]["reasons"])
    assert any("not-an-email" in r for r in rows[8]["reasons"])
    assert any("khac@ag.example" in r for r in rows[9]["reasons"])
    assert any("Bến Tre" in r for r in rows[10]["reasons"])
    assert User.objects.count() == people_before


def test_apply_creates_people_with_role_unit_trainee_group_and_their_path_at_once(
    tree, hr_officer, investigator_path
):
    data = csv_bytes(
        "Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,",
        "Trần Thị Bình,Binh@AG.example,AG-2,prosecutor,CA-AG-PC02-D1,an@ag.example",
    )
    applied = roster_apply(
        roster_import=read(data, scope=tree["a"], actor=hr_officer), actor=hr_officer
    )

    an = User.objects.get(email="an@ag.example")
    binh = User.objects.get(email="binh@ag.example")
    assert (an.full_name, an.staff_id, an.job_role, an.organisation) == (
        "Nguyễn Văn An",
        "AG-1",
        "investigator",
        tree["a_pc02"],
    )
    assert binh.organisation == tree["a_team"] and binh.job_role == "prosecutor"
    assert not an.has_usable_password()
    assert list(an.groups.values_list("name", flat=True)) == ["Học viên"]
    assignment = Assignment.objects.get(user=an)
    assert assignment.path == investigator_path and assignment.assigned_by == hr_officer
    # Due dates are local (Asia/Ho_Chi_Minh) dates, as the trainee's dashboard shows them.
    assert (assignment.due_date - timezone.localdate(assignment.created_at)).days == 60
    assert not Assignment.objects.filter(user=binh).exists()  # no path for prosecutors here
    assert StaffRecord.objects.get(user=binh).manager == an
    assert applied.applied_at is not None
    entry = AuditEntry.objects.get(action="hr.import_staff")
    assert entry.actor_id == hr_officer.pk and entry.data["counts"]["create"] == 2


def test_reimporting_the_same_file_changes_nothing(tree, hr_officer, investigator_path):
    data = csv_bytes(
        "Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,",
        "Trần Thị Bình,binh@ag.example,AG-2,investigator,CA-AG-PC02,an@ag.example",
    )
    roster_apply(roster_import=read(data, scope=tree["a"]), actor=hr_officer)
    snapshot = list(User.objects.order_by("pk").values())
    assignments = Assignment.objects.count()
    mails = len(mail.outbox)

    again = roster_apply(roster_import=read(data, scope=tree["a"]), actor=hr_officer)

    assert [r["action"] for r in again.report] == ["unchanged", "unchanged"]
    assert list(User.objects.order_by("pk").values()) == snapshot
    assert Assignment.objects.count() == assignments
    assert len(mail.outbox) == mails


def test_the_same_import_cannot_be_applied_twice(tree, hr_officer):
    roster_import = read(
        csv_bytes("Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG,"), scope=tree["a"]
    )
    roster_apply(roster_import=roster_import, actor=hr_officer)

    with pytest.raises(RosterApplyError):
        roster_apply(roster_import=roster_import, actor=hr_officer)
    assert User.objects.filter(email="an@ag.example").count() == 1


def test_apply_plans_again_so_a_row_that_became_invalid_is_refused(tree, hr_officer):
    roster_import = read(
        csv_bytes("Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG,"), scope=tree["a"]
    )
    UserFactory(email="someone@ag.example", staff_id="AG-1", organisation=tree["a_pc06"])

    applied = roster_apply(roster_import=roster_import, actor=hr_officer)

    assert applied.report[0]["action"] == "refuse"
    assert not User.objects.filter(email="an@ag.example").exists()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe\x00b\x00a\x00d",
        "họ tên;thư\n".encode(),  # required columns missing
        b"full_name,email,email,staff_id,job_role,unit\n",  # a column twice
        b"PK\x03\x04 not really a workbook",
        b'full_name,email,staff_id,job_role,unit\n"unterminated,a@b.c,1,judge,X\n' + b"x" * 200_000,
    ],
    ids=["empty", "not-utf8", "missing-columns", "duplicate-column", "broken-xlsx", "broken-csv"],
)
def test_a_malformed_file_is_refused_whole_and_nothing_is_kept(tree, data):
    with pytest.raises(TableError):
        read(data, scope=tree["a"])
    assert not RosterImport.objects.exists()


def test_vietnamese_headers_and_xlsx_are_read(tree, hr_officer):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Email", "Mã cán bộ", "Chức danh", "Đơn vị"])
    sheet.append(["Phạm Văn Xuân", "xuan@ag.example", 123456, "Kiểm sát viên", "ca-ag-pc06"])
    buffer = io.BytesIO()
    book.save(buffer)

    roster_apply(roster_import=read(buffer.getvalue(), scope=tree["a"]), actor=hr_officer)

    xuan = User.objects.get(email="xuan@ag.example")
    assert (xuan.staff_id, xuan.job_role, xuan.organisation) == (
        "123456",
        "prosecutor",
        tree["a_pc06"],
    )


def test_hr_import_cannot_touch_a_staff_account_or_someone_in_another_agency(tree, hr_officer):
    trainer = UserFactory(email="gv@ag.example", role=TRAINER, organisation=tree["a"])
    outsider = UserFactory(
        email="bt@bt.example", organisation=tree["b_pc02"], full_name="Người Bến Tre"
    )
    data = csv_bytes(
        "Đổi Tên,gv@ag.example,AG-1,investigator,CA-AG,",
        "Kéo Sang,bt@bt.example,AG-2,investigator,CA-AG,",
    )

    applied = roster_apply(roster_import=read(data, scope=tree["a"]), actor=hr_officer)

    assert [r["action"] for r in applied.report] == ["refuse", "refuse"]
    trainer.refresh_from_db()
    outsider.refresh_from_db()
    assert trainer.full_name != "Đổi Tên" and outsider.organisation == tree["b_pc02"]


def test_new_people_get_one_allauth_invitation_and_following_it_lets_them_sign_in(
    client, tree, hr_officer, investigator_path
):
    data = csv_bytes("Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,")
    roster_apply(roster_import=read(data, scope=tree["a"]), actor=hr_officer)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@ag.example"] and "Nguyễn Văn An" in message.body
    url = re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)
    path = "/" + url.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        "/accounts/login/", {"login": "an@ag.example", "password": "Mat-khau-moi-2026!"}
    )
    assert signed_in.status_code == 302 and client.session["_auth_user_id"]
    dashboard = client.get("/dashboard/")
    assert "Lộ trình điều tra viên" in dashboard.content.decode()


def test_upload_preview_and_apply_through_the_hr_screens(client, tree, hr_officer):
    staff_login(client, hr_officer)
    upload = io.BytesIO(csv_bytes("Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,"))
    upload.name = "ds.csv"

    preview = client.post("/hr/roster/", {"file": upload}, follow=True)

    assert preview.status_code == 200
    assert 'data-action="create"' in preview.content.decode()
    assert not User.objects.filter(email="an@ag.example").exists()
    roster_import = RosterImport.objects.get()
    applied = client.post(f"/hr/imports/{roster_import.pk}/apply/", follow=True)
    assert applied.status_code == 200
    assert User.objects.filter(email="an@ag.example", organisation=tree["a_pc02"]).exists()


def test_a_broken_upload_gets_a_vietnamese_error_not_a_5xx(client, tree, hr_officer):
    staff_login(client, hr_officer)
    upload = io.BytesIO(b"\x00\x01\x02garbage")
    upload.name = "ds.xlsx"

    response = client.post("/hr/roster/", {"file": upload})

    assert response.status_code == 200
    assert "Không có gì được nhập" in response.content.decode()


def test_another_officers_import_is_not_visible(client, tree, hr_officer):
    other = UserFactory(email="hr2@ag.example", role="Cán bộ nhân sự", organisation=tree["a"])
    roster_import = read(csv_bytes("A B,a@ag.example,1,judge,CA-AG,"), scope=tree["a"], actor=other)
    staff_login(client, hr_officer)

    assert client.get(f"/hr/imports/{roster_import.pk}/").status_code == 404
    assert client.post(f"/hr/imports/{roster_import.pk}/apply/").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloadable_templates_import_cleanly(client, tree, hr_officer, administrator, fmt):
    staff_login(client, hr_officer)
    response = client.get(f"/hr/templates/units.{fmt}")
    assert response.status_code == 200
    units = read(b"".join(response.streaming_content), scope=None, kind=ImportKind.UNITS)
    assert [r["action"] for r in units.report] == ["create", "create"], units.report
    roster_apply(roster_import=units, actor=administrator)

    staff = b"".join(client.get(f"/hr/templates/staff.{fmt}").streaming_content)
    plan = read(staff, scope=None)
    assert [r["action"] for r in plan.report] == ["create", "create"], plan.report


def test_units_import_builds_the_tree_and_is_idempotent(tree, administrator, hr_officer):
    data = (
        "code,name,parent,agency_type,province\n"
        "VKS-AG,Viện kiểm sát nhân dân tỉnh An Giang,,procuracy,An Giang\n"
        "VKS-AG-P1,Phòng 1,VKS-AG,Viện kiểm sát nhân dân,An Giang\n"
        "CA-AG-PC02-D2,Đội 2,Công an tỉnh An Giang › Phòng Cảnh sát hình sự,police,\n"
    ).encode()
    applied = roster_apply(
        roster_import=read(data, scope=None, kind=ImportKind.UNITS), actor=administrator
    )
    assert [r["action"] for r in applied.report] == ["create", "create", "create"]
    from accounts.models import Organisation

    p1 = Organisation.objects.get(code="VKS-AG-P1")
    assert p1.get_parent().code == "VKS-AG" and p1.agency_type == "procuracy"
    assert Organisation.objects.get(code="CA-AG-PC02-D2").get_parent() == tree["a_pc02"]

    again = roster_apply(
        roster_import=read(data, scope=None, kind=ImportKind.UNITS), actor=administrator
    )
    assert [r["action"] for r in again.report] == ["unchanged"] * 3

    # An HR officer may add units only inside their own subtree.
    officer = read(data, scope=tree["a"], kind=ImportKind.UNITS)
    assert [r["action"] for r in officer.report] == ["refuse", "refuse", "unchanged"]


def test_the_command_prints_the_same_report_and_dry_run_changes_nothing(tree, tmp_path, capsys):
    path = tmp_path / "ds.csv"
    path.write_bytes(
        csv_bytes(
            "Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,",
            "Lê Văn C,c@ag.example,AG-3,investigator,KHONG-CO,",
        )
    )

    call_command("import_roster", str(path), "--dry-run", "--organisation", "CA-AG")
    dry = capsys.readouterr().out
    assert not User.objects.filter(email="an@ag.example").exists()
    assert "KHONG-CO" in dry and "Nguyễn Văn An" in dry
    assert "Chạy thử, chưa thay đổi gì: sẽ tạo mới 1," in dry

    call_command("import_roster", str(path), "--organisation", "ca-ag")
    applied = capsys.readouterr().out
    assert User.objects.filter(email="an@ag.example").exists()
    assert "Đã áp dụng: tạo mới 1," in applied
    # The same per-row report as the dry run (and the upload screen's preview).
    assert [line.split()[0] for line in applied.splitlines()[:2]] == [
        line.split()[0] for line in dry.splitlines()[:2]
    ]
    assert AuditEntry.objects.filter(action="hr.import_staff").count() == 1


def test_the_command_refuses_in_vietnamese_and_imports_nothing(tree, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes("Nguyễn Văn An,an@ag.example,AG-1,investigator,CA-AG-PC02,"))

    with pytest.raises(CommandError, match="Không có đơn vị nào mang mã KHONG-CO"):
        call_command("import_roster", str(path), "--organisation", "KHONG-CO")
    with pytest.raises(CommandError, match="Không có tệp nào ở"):
        call_command("import_roster", str(tmp_path / "khong-co.csv"))
    path.write_bytes(b"\x00\x01 not a table")
    with pytest.raises(CommandError, match="Không có gì được nhập"):
        call_command("import_roster", str(path))
    assert not User.objects.filter(email="an@ag.example").exists()
