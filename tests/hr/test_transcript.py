"""A person's training record: what it lists, its signed PDF and its verification."""

import subprocess

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from courses.models import Enrolment
from hr.models import TranscriptRecord
from tests.factories.accounts import UserFactory
from tests.factories.certificates import certificate_create
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.fixture
def person(tree, home_page):
    catalogue = catalogue_create(home_page)
    first, _ = course_create(catalogue, code="PCMD-101", title="Nền tảng chung", lessons=1)
    second, _ = course_create(catalogue, code="PCMD-202", title="Điều tra viên", lessons=1)
    user = UserFactory(full_name="Nguyễn Văn An", staff_id="AG-1", organisation=tree["a_pc02"])
    done = timezone.make_aware(timezone.datetime(2026, 10, 15, 9, 0))
    Enrolment.objects.create(
        user=user,
        course=first,
        source="self",
        status="completed",
        completed_at=done,
        progress_percent=100,
    )
    Enrolment.objects.create(user=user, course=second, source="self", progress_percent=40)
    certificate_create(user=user, course=first, title="Nền tảng chung")
    return user


def test_the_pdf_lists_courses_and_dates_and_its_code_verifies(client, person, hr_officer):
    staff_login(client, hr_officer)
    page = client.get(f"/hr/people/{person.pk}/")
    assert page.status_code == 200 and "PCMD-202" in page.content.decode()
    assert client.get(f"/hr/people/{person.pk}/pdf/").status_code == 405

    response = client.post(f"/hr/people/{person.pk}/pdf/")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    record = TranscriptRecord.objects.get()
    for expected in (
        "Nguyễn Văn An",
        "AG-1",
        "PCMD-101",
        "Nền tảng chung",
        "2026-10-15",
        "PCMD-202",
        record.code,
    ):
        assert expected in text, expected
    assert AuditEntry.objects.filter(action="hr.transcript_issued", actor_id=hr_officer.pk).exists()

    client.logout()
    genuine = client.get(f"/transcripts/verify/{record.code}/", {"s": record.signature})
    assert genuine.status_code == 200
    assert 'data-result="genuine"' in genuine.content.decode()
    assert "Nguyễn Văn An" in genuine.content.decode()
    forged = client.get(f"/transcripts/verify/{record.code}/", {"s": "A" * 86})
    assert 'data-result="bad-signature"' in forged.content.decode()
    assert client.get("/transcripts/verify/KHONG-CO-MA/").status_code == 404


def test_a_record_altered_in_the_database_no_longer_verifies(client, person, hr_officer):
    staff_login(client, hr_officer)
    client.post(f"/hr/people/{person.pk}/pdf/")
    record = TranscriptRecord.objects.get()
    content = dict(record.content, holder="Người Khác")
    TranscriptRecord.objects.filter(pk=record.pk).update(content=content)

    response = client.get(f"/transcripts/verify/{record.code}/", {"s": record.signature})

    assert 'data-result="tampered"' in response.content.decode()


def test_an_officer_cannot_print_someone_outside_their_units(client, tree, hr_officer):
    outsider = UserFactory(organisation=tree["b_pc02"])
    staff_login(client, hr_officer)

    assert client.get(f"/hr/people/{outsider.pk}/").status_code == 404
    assert client.post(f"/hr/people/{outsider.pk}/pdf/").status_code == 404
    assert not TranscriptRecord.objects.exists()


def test_a_certificate_from_a_unit_the_person_has_left_names_that_unit(
    client, tree, person, hr_officer
):
    staff_login(client, hr_officer)
    note = "Cấp khi còn công tác tại Phòng Cảnh sát hình sự"
    assert note not in client.get(f"/hr/people/{person.pk}/").content.decode()
    person.organisation = tree["a_team"]  # below the issuing unit: not left it
    person.save()
    assert note not in client.get(f"/hr/people/{person.pk}/").content.decode()

    person.organisation = tree["a_pc06"]
    person.save()

    assert note in client.get(f"/hr/people/{person.pk}/").content.decode()
    client.post(f"/hr/people/{person.pk}/pdf/")
    [certificate] = TranscriptRecord.objects.get().content["certificates"]
    assert certificate[4].endswith(note)
