import io
import json
import subprocess

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.roles import HR_OFFICER
from certificates import signing
from certificates.models import Certificate, CertificateEvent
from certificates.services import certificate_issue_for_completion
from courses.models import Enrolment
from courses.services import enrolment_create, lesson_complete
from courses.signals import course_completed
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    province = organisation_create("Công an tỉnh Mẫu")
    return province, organisation_create("Phòng Cảnh sát hình sự", parent=province)


@pytest.fixture
def certified(home_page, units, django_capture_on_commit_callbacks):
    """A trainee with a staff ID in a police unit who completes a one-lesson course."""
    _, unit = units
    trainee = UserFactory(
        full_name="Nguyễn Thị Minh Anh",
        email="minhanh@pcmd.example",
        staff_id="CA-0042",
        organisation=unit,
    )
    course, lessons = course_create(
        catalogue_create(home_page),
        code="PCMD-101",
        lessons=1,
        title="Nền tảng chung về phòng, chống mại dâm",
        certificate_validity_months=24,
    )
    enrolment_create(user=trainee, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=trainee, course=course, lesson=lessons[0])
    return Certificate.objects.get(user=trainee)


def test_completion_issues_a_signed_certificate_with_a_snapshot_and_mails_the_pdf(certified):
    cert = certified
    assert cert.holder_name == "Nguyễn Thị Minh Anh"
    assert (cert.staff_id, cert.organisation_name) == ("CA-0042", "Phòng Cảnh sát hình sự")
    assert cert.issued_on == timezone.localdate()
    assert cert.expires_on.year == cert.issued_on.year + 2
    assert len(cert.code.replace("-", "")) == 26
    assert cert.pdf.name.endswith(".pdf")
    message = mail.outbox[-1]
    assert message.to == ["minhanh@pcmd.example"]
    assert message.attachments[0][2] == "application/pdf"
    assert cert.code in message.body
    assert CertificateEvent.objects.filter(certificate=cert, action="issued").exists()


def test_retrying_issuance_or_a_second_signal_never_issues_twice(certified):
    enrolment = Enrolment.objects.get(user=certified.user)
    key_time = enrolment.completed_at.isoformat()

    again = certificate_issue_for_completion(enrolment_id=enrolment.pk, completed_at=key_time)
    course_completed.send(
        sender=Enrolment,
        user=enrolment.user,
        course=enrolment.course,
        enrolment=enrolment,
        completed_at=enrolment.completed_at,
    )

    assert again.pk == certified.pk
    assert Certificate.objects.count() == 1


def test_profile_changes_after_issue_do_not_change_the_certificate(certified):
    user = certified.user
    user.full_name = "Tên Đã Đổi"
    user.save()

    certified.refresh_from_db()
    assert certified.holder_name == "Nguyễn Thị Minh Anh"


def test_public_page_shows_validity_holder_course_and_nothing_personal(client, certified):
    body = client.get(f"/verify/{certified.code}/").content.decode()

    assert "Còn hiệu lực" in body
    assert "Nguyễn Thị Minh Anh" in body
    assert "Nền tảng chung về phòng, chống mại dâm" in body
    for private in ("minhanh@pcmd.example", "CA-0042", "Phòng Cảnh sát hình sự"):
        assert private not in body


def test_codes_are_accepted_as_people_type_them(client, certified):
    typed = certified.code.replace("-", "").lower().replace("0", "o")

    body = client.get("/verify/", {"code": typed}).content.decode()

    assert "Nguyễn Thị Minh Anh" in body


def test_unknown_and_malformed_codes_get_the_same_answer(client, certified):
    fake = signing.new_code()
    last = "Z" if certified.code[-1] != "Z" else "Y"  # one character off the real code
    answers = [
        client.get(f"/api/verify/{value}/")
        for value in (fake, "not-a-code", certified.code[:-1] + last)
    ]

    assert {a.status_code for a in answers} == {404}
    assert {tuple(sorted(a.json())) for a in answers} == {("code", "message", "status")}
    assert len({a.json()["message"] for a in answers}) == 1
    assert all(a.json()["status"] == "not_found" for a in answers)


def test_json_answer_for_machines(client, certified):
    data = client.get(f"/api/verify/{certified.code}/", {"s": certified.signature}).json()

    assert data["status"] == "valid"
    assert data["holder_name"] == "Nguyễn Thị Minh Anh"
    assert data["signature_valid"] is True
    assert "email" not in json.dumps(data)


def test_verification_is_rate_limited(client, certified):
    statuses = [client.get(f"/api/verify/{certified.code}/").status_code for _ in range(31)]

    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_signature_from_the_qr_is_checked_and_a_tampered_one_is_flagged(client, certified):
    good = client.get(f"/verify/{certified.code}/", {"s": certified.signature}).content.decode()
    forged = signing.sign(b"other", signing.load_private_key(signing.generate_private_key_pem()))
    bad = client.get(f"/verify/{certified.code}/", {"s": forged}).content.decode()

    assert "khớp với khóa của nền tảng" in good
    assert "không khớp" in bad


def test_offline_command_verifies_a_genuine_certificate_and_rejects_a_changed_name(certified):
    from certificates.issuance import certificate_fields

    data = {**certificate_fields(certified), "signature": certified.signature}
    out = io.StringIO()
    call_command("verify_certificate", json.dumps(data), stdout=out)
    assert "VALID" in out.getvalue()
    assert f"payload v{signing.PAYLOAD_VERSION}" in out.getvalue()

    with pytest.raises(CommandError, match="INVALID"):
        call_command("verify_certificate", json.dumps({**data, "holder": "Nguyễn Thị Minh An"}))


def test_public_key_is_published_for_offline_checks(client, certified):
    pem = client.get("/.well-known/pcmd-certificate-key.pem").content.decode()
    key = signing.load_public_key(pem)
    from certificates.services import certificate_payload

    assert signing.verify(certificate_payload(certified), certified.signature, key)


def _hr(units, **kwargs):
    province, _ = units
    return UserFactory(role=HR_OFFICER, organisation=province, **kwargs)


def _hr_client(client, user):

    staff_login(client, user)


def test_hr_officer_revokes_with_a_reason_and_the_public_page_shows_the_date(
    client, certified, units
):
    hr = _hr(units)
    _hr_client(client, hr)

    client.post(f"/hr/certificates/{certified.code}/revoke/", {"reason": "Cấp nhầm người"})

    certified.refresh_from_db()
    assert certified.revoked_at is not None
    event = CertificateEvent.objects.get(certificate=certified, action="revoked")
    assert (event.actor, event.detail) == (hr, "Cấp nhầm người")
    client.logout()
    body = client.get(f"/verify/{certified.code}/").content.decode()
    assert f"Đã thu hồi ngày {timezone.localdate().strftime('%d/%m/%Y')}" in body


def test_hr_officer_outside_the_organisation_cannot_revoke(client, certified):
    outsider = UserFactory(role=HR_OFFICER, organisation=organisation_create("Tòa án tỉnh Khác"))
    _hr_client(client, outsider)

    response = client.post(f"/hr/certificates/{certified.code}/revoke/", {"reason": "Thử"})

    assert response.status_code == 404
    certified.refresh_from_db()
    assert certified.revoked_at is None


def test_trainee_cannot_open_hr_screens(client, certified):
    client.force_login(certified.user)

    assert client.get("/hr/certificates/").status_code == 403


def test_reissue_supersedes_the_old_certificate_and_both_show_the_lineage(client, certified, units):
    _hr_client(client, _hr(units))

    client.post(
        f"/hr/certificates/{certified.code}/reissue/",
        {"holder_name": "Nguyễn Thị Minh Anh (sửa)", "reason": "Sửa chính tả họ tên"},
    )

    certified.refresh_from_db()
    new = certified.superseded_by
    assert new.holder_name == "Nguyễn Thị Minh Anh (sửa)"
    old_page = client.get(f"/verify/{certified.code}/").content.decode()
    new_page = client.get(f"/verify/{new.code}/").content.decode()
    assert "Đã được thay thế" in old_page and new.code in old_page
    assert "Còn hiệu lực" in new_page and certified.code in new_page


def test_bulk_check_of_a_thousand_rows_reports_each_row(client, certified, units):
    _hr_client(client, _hr(units))
    lines = ["ma"]
    for i in range(1000):
        if i % 100 == 0:
            lines.append("@@ not valid @@")
        elif i % 10 == 0:
            lines.append("CA-0042")
        elif i % 7 == 0:
            lines.append(certified.code.lower())
        else:
            lines.append(signing.new_code())
    upload = SimpleUploadedFile("ds.csv", "\n".join(lines).encode(), content_type="text/csv")

    response = client.post("/hr/certificates/", {"file": upload, "format": "csv"})

    import csv

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + 1000
    by_row = {int(r[0]): r for r in rows[1:]}
    assert set(by_row) == set(range(1, 1001))
    assert "Không phải mã chứng nhận" in by_row[1][2]
    assert by_row[11][3] == certified.code  # staff ID found within the officer's subtree
    assert by_row[8][3] == certified.code  # code found
    assert "Không có chứng nhận với mã này" in by_row[2][2]


def test_bulk_check_finds_codes_anywhere_but_staff_ids_only_in_scope(client, certified):
    outsider = UserFactory(role=HR_OFFICER, organisation=organisation_create("Tòa án tỉnh Khác"))
    _hr_client(client, outsider)
    upload = SimpleUploadedFile(
        "ds.csv", f"{certified.code}\nCA-0042\n".encode(), content_type="text/csv"
    )

    response = client.post("/hr/certificates/", {"file": upload, "format": "html"})

    body = response.content.decode()
    assert certified.code in body
    assert "Không có chứng nhận cho mã cán bộ này trong đơn vị của bạn" in body


def test_owner_downloads_the_pdf_and_others_cannot(client, certified):
    client.force_login(certified.user)
    own = client.get(f"/certificates/{certified.code}/pdf/")
    assert own["Content-Type"] == "application/pdf"
    content = b"".join(own.streaming_content)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Nguyễn Thị Minh Anh" in text
    assert certified.code in text

    client.force_login(UserFactory())
    assert client.get(f"/certificates/{certified.code}/pdf/").status_code == 404


def test_expiry_reminders_are_sent_once(certified):
    from datetime import timedelta

    from certificates.services import expiry_reminders_send

    Certificate.objects.filter(pk=certified.pk).update(
        expires_on=timezone.localdate() + timedelta(days=10)
    )
    mail.outbox.clear()

    assert expiry_reminders_send(days_before=30) == 1
    assert expiry_reminders_send(days_before=30) == 0
    assert "sắp hết hạn" in mail.outbox[0].subject


def test_template_logo_is_printed_on_the_certificate(home_page, units, tmp_path):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from certificates.models import CertificateTemplate
    from certificates.services import certificate_render_pdf

    buffer = BytesIO()
    PILImage.new("RGB", (64, 64), "#8b0000").save(buffer, "PNG")
    logo = Image.objects.create(title="Con dấu", file=ImageFile(buffer, name="dau.png"))
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-LOGO", lessons=1)
    CertificateTemplate.objects.create(
        name="Mẫu", course=course, issuer_name="Cơ quan cấp mẫu", logo=logo
    )
    trainee = UserFactory()
    enrolment_create(user=trainee, course=course)
    lesson_complete(user=trainee, course=course, lesson=lessons[0])
    enrolment = Enrolment.objects.get(user=trainee)
    certificate = certificate_issue_for_completion(
        enrolment_id=enrolment.pk, completed_at=enrolment.completed_at.isoformat()
    )
    certificate_render_pdf(certificate, force=True)

    images = (
        subprocess.run(
            ["pdfimages", "-list", certificate.pdf.path], capture_output=True, check=True, text=True
        )
        .stdout.strip()
        .splitlines()
    )
    assert len(images) >= 3  # header lines plus at least the logo
    assert certificate.issuer_name == "Cơ quan cấp mẫu"


def test_completing_the_course_again_renews_the_certificate(
    client, certified, django_capture_on_commit_callbacks
):
    from courses.selectors import course_steps

    user = certified.user
    course = certified.course
    client.force_login(user)
    client.post(f"/learn/{course.pk}/restart/")
    enrolment = Enrolment.objects.get(user=user)
    assert enrolment.status == "active" and not enrolment.completions.exists()

    with django_capture_on_commit_callbacks(execute=True):
        for step in course_steps(course=course):
            lesson_complete(user=user, course=course, lesson=step)

    certified.refresh_from_db()
    renewed = Certificate.objects.exclude(pk=certified.pk).get(user=user)
    assert certified.superseded_by == renewed
    assert renewed.status == "valid"
    assert client.get(f"/verify/{certified.code}/").content.decode().count(renewed.code) >= 1


def test_finishing_every_course_of_a_path_issues_one_path_certificate(
    home_page, django_capture_on_commit_callbacks
):
    from certificates.models import CertificateTemplate
    from courses.models import LearningPath, LearningPathCourse

    catalogue = catalogue_create(home_page)
    first, first_lessons = course_create(catalogue, code="PCMD-P1", lessons=1)
    second, second_lessons = course_create(catalogue, code="PCMD-P2", lessons=1)
    path = LearningPath.objects.create(name="Lộ trình điều tra viên")
    for order, course in enumerate((first, second)):
        LearningPathCourse.objects.create(path=path, course=course, sort_order=order)
    CertificateTemplate.objects.create(
        name="Chứng nhận lộ trình", path=path, issuer_name="Cơ quan cấp", validity_months=12
    )
    trainee = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=trainee, course=first)
        lesson_complete(user=trainee, course=first, lesson=first_lessons[0])
    assert not Certificate.objects.filter(path=path).exists()

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=trainee, course=second)
        lesson_complete(user=trainee, course=second, lesson=second_lessons[0])
        from certificates.services import path_certificates_issue

        path_certificates_issue(user_id=trainee.pk, course_id=second.pk)  # a retry

    path_certificate = Certificate.objects.get(path=path)
    assert path_certificate.course_title == "Lộ trình điều tra viên"
    assert path_certificate.expires_on is not None
    assert Certificate.objects.filter(user=trainee).count() == 3  # two courses, one path
