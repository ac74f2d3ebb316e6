"""Trainer tools: the export (streamed, formula cells escaped), the no-show list, the
printable sign-in sheet (its text read back with pdftotext), later entry from it, and the
selector HR views use."""

import csv
import io
import subprocess
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.courses import owner_add
from tests.mfa import staff_login
from tests.workshops.conftest import session_create
from workshops import selectors, services
from workshops.models import Attendance, Registration

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "＝1+1"]


@pytest.fixture
def running(blended, enrol, trainer):
    """A session under way: three seat holders (one with a hostile name), one on the
    waiting list; the trainer runs it."""
    course, _, step, _ = blended
    session = session_create(step, starts_in=timedelta(minutes=-10), capacity=3)
    session.trainers.add(trainer)
    people = [
        UserFactory(full_name=HOSTILE[0], staff_id="=1+2"),
        UserFactory(full_name="Lê Thị Hoa", staff_id="CA-0012"),
        UserFactory(full_name="Phạm Văn Đức"),
        UserFactory(full_name="Đỗ Minh Khang"),
    ]
    for i, person in enumerate(people):
        enrol(person, course)
        Registration.objects.create(
            session=session,
            step=step,
            user=person,
            status="registered" if i < 3 else "waitlisted",
            queued_at=session.starts_at - timedelta(days=5 - i),
        )
    services.checkin_record(session=session, user=people[1], method="session_qr")
    return session, people


def test_export_streams_every_row_with_formulas_escaped(client, running, trainer):
    session, people = running
    staff_login(client, trainer)
    response = client.get(reverse("workshops_export", args=[session.pk]))
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Họ và tên"
    by_email = {row[1]: row for row in rows[1:]}
    assert len(by_email) == 4
    hostile = by_email[people[0].email]
    assert hostile[0] == "'" + HOSTILE[0]
    assert hostile[2] == "'=1+2"
    assert by_email[people[1].email][5] == "Có mặt"
    assert by_email[people[3].email][4] == "Trong danh sách chờ"
    formula = ("=", "+", "-", "@", "\t", "＝")
    assert not any(cell.startswith(formula) for row in rows for cell in row)
    entry = AuditEntry.objects.get(action="export.personal_data")
    assert entry.data["what"] == "session_attendance" and entry.data["rows"] == 4
    assert entry.data["format"] == "csv" and entry.target_id == str(session.pk)
    assert "no-store" in response["Cache-Control"]


def test_export_as_xlsx_writes_strings_as_strings_and_is_audited(client, running, trainer):
    session, people = running
    staff_login(client, trainer)
    response = client.get(reverse("workshops_export", args=[session.pk]) + "?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and len(rows) == 5
    hostile = next(row for row in rows if row[1] == people[0].email)
    assert hostile[0] == HOSTILE[0] and hostile[2] == "=1+2"  # strings, never formulas
    cells = {c.value: c for row in sheet.iter_rows() for c in row}
    assert cells[HOSTILE[0]].data_type == "s"
    assert AuditEntry.objects.get(action="export.personal_data").data["format"] == "xlsx"


def test_export_refuses_an_unknown_format_and_a_session_without_its_second_factor(
    client, running, trainer
):
    session, _people = running
    staff_login(client, trainer)
    url = reverse("workshops_export", args=[session.pk])
    assert client.get(url + "?export=pdf").status_code == 404
    client.logout()
    client.force_login(trainer)  # signed in, second factor not passed this session
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="export.personal_data").exists()


def test_no_show_list_is_seat_holders_not_recorded_attending(client, running, trainer):
    session, people = running
    services.attendance_mark(session=session, user=people[2], status="absent", by=trainer)
    names = [row.user.full_name for row in selectors.session_no_shows(session=session)]
    assert sorted(names) == sorted([people[0].full_name, people[2].full_name])
    staff_login(client, trainer)
    page = client.get(reverse("workshops_no_shows", args=[session.pk])).content.decode()
    assert "Phạm Văn Đức" in page and "Lê Thị Hoa" not in page
    assert "Đỗ Minh Khang" not in page  # waiting, never had a seat


def test_sign_in_sheet_pdf_lists_seat_holders_with_blank_lines(client, running, trainer, tmp_path):
    session, people = running
    staff_login(client, trainer)
    response = client.get(reverse("workshops_sheet", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Danh sách ký tên" in text
    assert session.place in text
    assert trainer.full_name in text
    for person in people[:3]:
        assert person.full_name.split("(")[0][:12] in text
    assert "Đỗ Minh Khang" not in text  # on the waiting list
    assert "CA-0012" in text
    assert "Chữ ký" in text
    assert " 8 " in text or "\n8" in text or " 8\n" in text  # blank lines numbered on


def test_later_entry_from_the_paper_sheet_records_each_row_with_its_source(
    client, running, trainer
):
    from audit.models import AuditEntry

    session, people = running
    staff_login(client, trainer)
    data = {"source": "sheet", "row": []}
    for person, status in zip(people[:3], ["present", "present", "late"], strict=True):
        prefix = f"u{person.pk}"
        data["row"].append(prefix)
        data[f"{prefix}-user"] = person.pk
        data[f"{prefix}-status"] = status
    response = client.post(reverse("workshops_session", args=[session.pk]), data)
    assert response.status_code == 302
    attendances = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    assert attendances[people[0].pk].method == "sheet"
    assert attendances[people[2].pk].status == "late"
    # The QR check-in of people[1] was already "present": unchanged, so no new audit entry.
    assert attendances[people[1].pk].method == "session_qr"
    assert AuditEntry.objects.filter(action="attendance.marked").count() == 2


def test_attendance_list_page_runs_a_fixed_number_of_queries(
    client, running, trainer, django_assert_max_num_queries, enrol
):
    session, _ = running
    staff_login(client, trainer)
    url = reverse("workshops_session", args=[session.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(10):
        person = UserFactory()
        enrol(person, session.step.get_parent().specific)
        Registration.objects.create(
            session=session,
            step=session.step,
            user=person,
            status="waitlisted",
            queued_at=session.starts_at,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_attendance_for_gives_hr_each_persons_sessions_in_three_queries(
    running, django_assert_num_queries
):
    session, people = running
    with django_assert_num_queries(3):
        records = selectors.attendance_for(users=people)
    attended = records[people[1].pk]
    assert len(attended) == 1
    assert attended[0].attended and attended[0].attendance_status == "present"
    assert attended[0].course_title == session.step.get_parent().title
    assert attended[0].is_required
    waiting = records[people[3].pk][0]
    assert (waiting.registration_status, waiting.attended) == ("waitlisted", False)


def test_the_demo_has_an_in_person_step_with_a_session_under_way_once(db, demo):
    from django.core.management import call_command

    from workshops.models import TrainingSession, TrainingSessionPage

    demo()  # what load_demo built on an empty database (tests/demo.py)
    call_command("load_demo", verbosity=0)  # a second run adds no session
    step = TrainingSessionPage.objects.get()
    assert step.live and step.get_parent().specific.code == "PCMD-101"
    sessions = list(TrainingSession.objects.filter(step=step))
    assert len(sessions) == 2
    assert any(services.checkin_is_open(s) for s in sessions)
    assert all(s.trainers.filter(email="giangvien@pcmd.example").exists() for s in sessions)


def test_trainer_schedules_a_session_in_the_admin_and_bad_times_are_refused(
    client, blended, trainer
):
    from workshops.models import TrainingSession

    course, _, step, _ = blended
    owner_add(course, trainer)  # sessions are scheduled by the course's owners
    staff_login(client, trainer)
    assert client.get("/admin/training_sessions/new/").status_code == 200
    data = {
        "step": step.pk,
        "starts_at": "2027-03-10 08:00",
        "ends_at": "2027-03-10 07:00",
        "place": "Hội trường tỉnh",
        "capacity": "25",
        "trainers": [trainer.pk],
    }
    refused = client.post("/admin/training_sessions/new/", data)
    assert refused.status_code == 200
    assert "Giờ kết thúc phải sau giờ bắt đầu" in refused.content.decode()
    created = client.post("/admin/training_sessions/new/", {**data, "ends_at": "2027-03-10 11:30"})
    assert created.status_code == 302
    session = TrainingSession.objects.get(place="Hội trường tỉnh")
    assert session.starts_at.hour == 1  # 08:00 in Hà Nội is 01:00 UTC
    assert list(session.trainers.all()) == [trainer]
    assert client.get(reverse("workshops_sessions")).status_code == 200
