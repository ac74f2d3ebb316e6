"""Everything the certificate prints about its holder and issuer is signed (issue 10,
point 5): a versioned payload, older certificates still verifying, and verifiers told which
fields were checked."""

import io
import json
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from django.template.loader import get_template

from certificates import signing
from certificates.issuance import PRINTED_FIELDS, certificate_fields, pdf_context
from certificates.models import Certificate, CertificateSignatory, CertificateTemplate
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.courses import catalogue_create, course_create

pytestmark = pytest.mark.django_db

# Template variables that are not facts about the holder or the issuer: the layout, and what
# is derived from the signed fields (the link and QR hold the code and the signature).
NOT_FACTS = {
    "body_font_pt",
    "bilingual",
    "holder_long",
    "course_long",
    "verify_url",
    "qr_data_uri",
    "signature_text",
    "payload_version",
    "signatory",
}


@pytest.fixture
def logo():
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (48, 48), "#7b1d1d").save(buffer, "PNG")
    return Image.objects.create(title="Con dấu", file=ImageFile(buffer, name="con-dau.png"))


@pytest.fixture
def certificate(home_page, logo, django_capture_on_commit_callbacks):
    """A certificate with every printable field filled, issued the normal way."""
    course, lessons = course_create(
        catalogue_create(home_page),
        code="PCMD-S1",
        lessons=1,
        title="Điều tra vụ án mua bán người",
        certificate_validity_months=24,
    )
    template = CertificateTemplate.objects.create(
        name="Mẫu đầy đủ",
        course=course,
        issuer_name="Học viện Cảnh sát nhân dân",
        wording_vi="đã hoàn thành khóa bồi dưỡng",
        wording_en="has completed the training course",
        course_title_en="Investigating human trafficking cases",
        logo=logo,
    )
    for order, (name, title) in enumerate(
        [("Trần Văn Ký", "Giám đốc"), ("Lê Thị Duyệt", "Trưởng phòng Đào tạo")]
    ):
        CertificateSignatory.objects.create(
            template=template, name=name, title=title, sort_order=order
        )
    trainee = UserFactory(
        full_name="Phạm Thị Thu Hà",
        staff_id="ĐTV-0815",
        organisation=organisation_create("Phòng Cảnh sát hình sự Công an tỉnh Mẫu"),
    )
    enrolment_create(user=trainee, course=course)
    # A blended course: the trainee attended its (optional) in-person session.
    from datetime import timedelta

    from tests.workshops.conftest import session_create, step_create
    from workshops.services import checkin_record

    session = session_create(
        step_create(course, is_required=False),
        starts_in=timedelta(minutes=-5),
        place="Hội trường Công an tỉnh Mẫu",
    )
    checkin_record(session=session, user=trainee, method="session_qr")
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=trainee, course=course, lesson=lessons[0])
    return Certificate.objects.get(user=trainee)


def _offline(data: dict) -> str:
    out = io.StringIO()
    call_command("verify_certificate", json.dumps(data), stdout=out)
    return out.getvalue()


def _printed_text(certificate) -> str:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", certificate.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(text.split())


def test_the_pdf_template_prints_no_fact_that_is_not_signed():
    source = Path(get_template("certificates/certificate_pdf.html").origin.name).read_text()
    printed = set(re.findall(r"{{\s*([a-z_0-9]+)", source)) | set(
        re.findall(r"{%\s*(?:if|for \w+ in)\s+([a-z_0-9]+)", source)
    )
    unsigned = printed - set(PRINTED_FIELDS) - NOT_FACTS
    assert not unsigned, f"printed but not signed: {unsigned}"
    assert set(PRINTED_FIELDS.values()) == set(signing.SIGNED_FIELDS[signing.PAYLOAD_VERSION])


def test_every_signed_field_is_printed_on_the_pdf(certificate):
    fields = certificate_fields(certificate)
    assert fields["v"] == signing.PAYLOAD_VERSION == 3
    assert fields["signatories"] == [
        ["Giám đốc", "Trần Văn Ký"],
        ["Trưởng phòng Đào tạo", "Lê Thị Duyệt"],
    ]
    assert fields["logo"].startswith("sha256:")
    printed = _printed_text(certificate)
    upper = printed.upper()  # the issuer and the signatories' titles are set in capitals
    for value in (
        fields["code"],
        fields["holder"],
        fields["staff_id"],
        fields["organisation"],
        fields["course"],
        fields["course_en"],
        fields["wording"],
        fields["wording_en"],
        certificate.issued_on.strftime("%d/%m/%Y"),
        certificate.expires_on.strftime("%d/%m/%Y"),
        fields["logo"].removeprefix("sha256:"),
        fields["in_person"],
        "Trần Văn Ký",
        "Lê Thị Duyệt",
    ):
        assert value in printed, value
    for value in (fields["issuer"], "Giám đốc", "Trưởng phòng Đào tạo"):
        assert value.upper() in upper, value
    assert "Hội trường Công an tỉnh Mẫu" in fields["in_person"]
    assert "có tập huấn trực tiếp" in printed
    assert "phiên bản 3" in printed


def test_the_genuine_details_verify_offline_and_name_the_fields_checked(certificate):
    output = _offline({**certificate_fields(certificate), "signature": certificate.signature})

    assert "VALID" in output and "payload v3" in output
    checked = output.split("Checked: ")[1].splitlines()[0].split(", ")
    assert checked == list(signing.SIGNED_FIELDS[3])


ALTERED = {
    "code": lambda v: signing.new_code(),
    "holder": lambda v: v + " (giả)",
    "staff_id": lambda v: "ĐTV-0816",
    "organisation": lambda v: "Công an tỉnh Khác",
    "course": lambda v: v + " nâng cao",
    "course_en": lambda v: v + " (advanced)",
    "wording": lambda v: "đã hoàn thành xuất sắc khóa bồi dưỡng",
    "wording_en": lambda v: "has excelled in the course",
    "issued": lambda v: "2020-01-01",
    "expires": lambda v: "2099-12-31",
    "issuer": lambda v: "Cơ quan giả mạo",
    "signatories": lambda v: [["Giám đốc", "Người Khác"], *v[1:]],
    "logo": lambda v: "sha256:" + "0" * 64,
    "in_person": lambda v: v + "; 06/12/2026, Nơi khác",
}


def test_altering_any_printed_field_fails_offline_verification(certificate):
    genuine = {**certificate_fields(certificate), "signature": certificate.signature}
    for field, alter in ALTERED.items():
        tampered = {**genuine, field: alter(genuine[field])}
        assert tampered[field] != genuine[field]
        with pytest.raises(CommandError, match="INVALID"):
            _offline(tampered)


def test_dropping_or_reordering_signatories_fails_too(certificate):
    data = {**certificate_fields(certificate), "signature": certificate.signature}
    for signatories in (data["signatories"][:1], data["signatories"][::-1], []):
        with pytest.raises(CommandError, match="INVALID"):
            _offline({**data, "signatories": signatories})


def test_the_test_covers_every_signed_field():
    assert set(ALTERED) == set(signing.SIGNED_FIELDS[signing.PAYLOAD_VERSION])


# --------------------------------------------------------------------------------------------
# Certificates signed with version 1 still verify, and say what was not covered
# --------------------------------------------------------------------------------------------


@pytest.fixture
def old_certificate(certificate):
    """The same certificate as the first version of the platform signed it."""
    certificate.payload_version = 1
    fields = {k: certificate_fields(certificate)[k] for k in signing.SIGNED_FIELDS[1]}
    certificate.signature = signing.sign(
        signing.canonical_payload(v=1, **fields), signing.platform_private_key()
    )
    certificate.save()
    return certificate


def test_a_version_1_certificate_still_verifies_and_flags_what_it_does_not_cover(old_certificate):
    fields = {k: certificate_fields(old_certificate)[k] for k in signing.SIGNED_FIELDS[1]}
    output = _offline(
        {**fields, "staff_id": "ĐTV-0815", "signature": old_certificate.signature}
    )  # no "v": the first certificates printed none

    assert "VALID" in output and "payload v1" in output
    assert "NOT checked by this signature" in output and "staff_id" in output
    with pytest.raises(CommandError, match="INVALID"):
        _offline({**fields, "holder": "Người Khác", "signature": old_certificate.signature})


def test_a_version_2_certificate_still_verifies_and_names_the_in_person_field_unchecked(
    certificate,
):
    certificate.payload_version = 2
    fields = {k: certificate_fields(certificate)[k] for k in signing.SIGNED_FIELDS[2]}
    certificate.signature = signing.sign(
        signing.canonical_payload(v=2, **fields), signing.platform_private_key()
    )
    certificate.save()
    output = _offline({**fields, "v": 2, "signature": certificate.signature})
    assert "VALID" in output and "payload v2" in output
    from certificates.selectors import signed_fields

    assert signed_fields(certificate)[1] == ["in_person"]
    # Re-rendered, it prints no in-person line it never signed.
    assert pdf_context(certificate)["in_person"] == ""
    with pytest.raises(CommandError, match="INVALID"):
        _offline({**fields, "v": 2, "holder": "Người Khác", "signature": certificate.signature})


def test_a_version_1_certificate_rendered_again_prints_only_what_it_signed(old_certificate):
    context = pdf_context(old_certificate)

    assert context["holder_name"] == "Phạm Thị Thu Hà"
    assert context["staff_id"] == context["organisation_name"] == ""
    assert context["signatories"] == [] and context["logo_data_uri"] == ""


def test_public_page_and_json_report_the_fields_checked(client, certificate, old_certificate):
    # (old_certificate is the same row, now signed with version 1.)
    signature = old_certificate.signature
    page = client.get(f"/verify/{certificate.code}/", {"s": signature}).content.decode()
    data = client.get(f"/api/verify/{certificate.code}/", {"s": signature}).json()

    assert data["signature_valid"] is True
    assert data["payload_version"] == 1
    assert data["signed_fields"] == list(signing.SIGNED_FIELDS[1])
    assert "staff_id" in data["unsigned_fields"]
    assert "Các thông tin chữ ký đã kiểm tra:" in page
    assert "mã cán bộ" in page  # named as not covered, never shown
    for private in ("ĐTV-0815", "Phòng Cảnh sát hình sự Công an tỉnh Mẫu"):
        assert private not in page and private not in json.dumps(data, ensure_ascii=False)


def test_public_page_of_a_current_certificate_lists_every_printed_field(client, certificate):
    page = client.get(f"/verify/{certificate.code}/", {"s": certificate.signature})
    body = page.content.decode()
    listed = re.search(r'id="signed-fields">(.*?)</p>', body, re.S).group(1)

    assert "Các thông tin chữ ký đã kiểm tra:" in listed
    for label in ("họ tên", "mã cán bộ", "cơ quan, đơn vị", "người ký", "biểu trưng"):
        assert label in listed, label
    assert 'id="unsigned-fields"' not in body
