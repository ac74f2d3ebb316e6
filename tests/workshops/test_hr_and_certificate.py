"""HR registers their own staff (and only them); a blended course's certificate prints and
signs the in-person session attended."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from accounts.roles import HR_OFFICER
from audit.models import AuditEntry
from certificates.models import Certificate
from tests.factories.accounts import UserFactory, organisation_create
from tests.mfa import staff_login
from tests.workshops.conftest import session_create
from workshops import services
from workshops.models import Registration

pytestmark = pytest.mark.django_db


def test_hr_registers_and_cancels_only_their_own_staff(client, blended, enrol):
    course, _, _, session = blended
    province = organisation_create("Công an tỉnh Mẫu")
    unit = organisation_create("Phòng Cảnh sát hình sự", parent=province)
    elsewhere = organisation_create("Công an tỉnh Khác")
    officer = UserFactory(role=HR_OFFICER, organisation=province)
    staff = UserFactory(full_name="Vũ Thị Lan", organisation=unit)
    outsider = UserFactory(organisation=elsewhere)
    for person in (staff, outsider):
        enrol(person, course)
    staff_login(client, officer)
    page = client.get("/hr/sessions/")
    assert page.status_code == 200
    assert "Vũ Thị Lan" in page.content.decode()
    assert outsider.full_name not in page.content.decode()

    client.post("/hr/sessions/", {"session": session.pk, "user": outsider.pk})
    assert not Registration.objects.filter(user=outsider).exists()
    client.post("/hr/sessions/", {"session": session.pk, "user": staff.pk})
    registration = Registration.objects.get(user=staff)
    assert registration.registered_by == officer
    assert AuditEntry.objects.filter(action="session.registered", actor_id=officer.pk).exists()

    other = services.registration_create(user=outsider, session=session)
    assert client.post(f"/hr/sessions/{other.pk}/cancel/").status_code == 404
    client.post(f"/hr/sessions/{registration.pk}/cancel/")
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_hr_pages_need_the_hr_role(client, trainee):
    client.force_login(trainee)
    assert client.get("/hr/sessions/").status_code == 403


def test_a_blended_course_certificate_names_its_in_person_session_under_the_signature(
    blended, trainee, enrol, django_capture_on_commit_callbacks
):
    import io
    import json

    from certificates.issuance import certificate_fields
    from courses.services import lesson_complete

    course, lessons, step, _ = blended
    session = session_create(step, starts_in=timedelta(minutes=-5), place="Nhà văn hóa tỉnh")
    enrol(trainee, course)
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    with django_capture_on_commit_callbacks(execute=True):
        result = services.checkin_record(session=session, user=trainee, method="session_qr")
    assert result.course_completed
    certificate = Certificate.objects.get(user=trainee, course=course)
    assert "Nhà văn hóa tỉnh" in certificate.in_person
    assert certificate.payload_version == 3
    out = io.StringIO()
    data = {**certificate_fields(certificate), "signature": certificate.signature}
    call_command("verify_certificate", json.dumps(data), stdout=out)
    assert "VALID" in out.getvalue()
