"""The shared guards against hostile input, one by one, on the endpoints that matter most:
the xAPI endpoint, H5P saved state, HR's bulk upload, addresses and ids."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import HR_OFFICER
from courses.models import ActivityStatement
from tests.browser.english import english_words
from tests.factories.accounts import UserFactory, organisation_create
from tests.inputs import hostile
from tests.mfa import password_login, staff_login

pytestmark = pytest.mark.django_db


def _vietnamese_json(response) -> str:
    message = response.json()["message"]
    assert message and not english_words(message), message
    return message


@pytest.fixture
def signed_in(client, trainee):
    password_login(client, trainee)
    return client


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[" * 5000 + b"]" * 5000, 400),
        (b'{"statement": {"result": {"score": {"raw": NaN}}}}', 400),
        (b'{"statement": {"result": {"score": {"raw": 1e999}}}}', 400),
        (b'{"statement": "\xff"}', 400),
        (b'{"statement": {"x": "' + b"a" * 70_000 + b'"}}', 413),
    ],
    ids=["deep", "nan", "overflow", "not-utf8", "too-large"],
)
def test_xapi_endpoint_refuses_hostile_json_in_vietnamese(signed_in, body, status, vietnamese):
    response = signed_in.post("/learn/h5p/1/1/xapi/", data=body, content_type="application/json")

    assert response.status_code == status
    _vietnamese_json(response)
    assert not ActivityStatement.objects.exists()


def test_xapi_endpoint_wants_json_and_survives_a_multipart_body(signed_in, vietnamese):
    _name, body, content_type = next(b for b in hostile.BODIES if b[0] == "XLSX bomb")

    response = signed_in.post("/learn/h5p/1/1/xapi/", data=body, content_type=content_type)

    assert response.status_code in {400, 415}
    assert response.status_code != 500


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/verify/?" + hostile.HUGE_QUERY, 414),
        ("/verify/?code=%00abc", 400),
        ("/quiz/attempts/99999999999999999999999/", 404),
        ("/learn/99999999999999999999999/continue/", 404),
        ("/verify/" + "A" * 1000 + "/", 404),
        ("/verify/" + "A" * 3000 + "/", 414),
    ],
    ids=["huge-query", "nul", "beyond-bigint", "beyond-bigint-2", "long-parameter", "long-path"],
)
def test_addresses_beyond_reason_get_a_vietnamese_4xx(signed_in, path, status, vietnamese):
    response = signed_in.get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == status
    assert "Địa chỉ" in response.content.decode() or "Không tìm thấy" in response.content.decode()


def test_a_nul_in_a_form_is_refused_before_any_view(signed_in, trainee, vietnamese):
    response = signed_in.post("/accounts/profile/", {"full_name": "Lê\x00Văn"})

    assert response.status_code == 400
    assert "ký tự rỗng" in response.content.decode()
    trainee.refresh_from_db()
    assert "\x00" not in trainee.full_name


@pytest.fixture
def hr_client(client):
    hr = UserFactory(role=HR_OFFICER, organisation=organisation_create("Sở Tư pháp Mẫu"))
    staff_login(client, hr)
    return client


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (hostile.LONG_FIELD_CSV, "ô"),
        (hostile.XLSX_BOMB, "XLSX"),
        (hostile.BAD_UTF8_CSV, "UTF-8"),
        (b"PK\x03\x04" + b"\x00" * 100, "XLSX"),
    ],
    ids=["csv-field-over-131072", "xlsx-bomb", "not-utf8", "broken-xlsx"],
)
def test_hr_bulk_upload_refuses_hostile_files_with_a_message(hr_client, data, expected, vietnamese):
    upload = SimpleUploadedFile("ds.csv", data, content_type="text/csv")

    response = hr_client.post("/hr/certificates/", {"file": upload})

    assert response.status_code == 200  # the form again, with the reason
    text = response.content.decode()
    assert "invalid-feedback" in text or "errorlist" in text or expected in text
    assert expected in text


def test_hr_bulk_upload_reads_an_xlsx_file(hr_client, vietnamese):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã"])
    workbook.active.append(["KHONG-CO-MA"])
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("ds.xlsx", out.getvalue())

    response = hr_client.post("/hr/certificates/", {"file": upload})

    assert response.status_code == 200
    assert "KHONG-CO-MA" in response.content.decode()
