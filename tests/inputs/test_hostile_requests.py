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


@pytest.fixture
def admin_client(client):
    from accounts.roles import ADMINISTRATOR

    staff_login(client, UserFactory(role=ADMINISTRATOR, is_superuser=True))
    return client


def _vietnamese_page(response) -> str:
    text = response.content.decode()
    assert "Không xử lý được" in text or "không hợp lệ" in text or "Biểu mẫu" in text, text[:300]
    return text


def test_a_deep_json_patch_to_wagtails_dismissibles_is_refused_before_it_recurses(
    admin_client, vietnamese
):
    """Wagtail's dismissibles view parses a PATCH body with json.loads and catches only
    JSONDecodeError: 5,000 levels raised RecursionError, an error page."""
    from wagtail.users.models import UserProfile

    response = admin_client.patch(
        "/admin/dismissibles/", data=b"[" * 5000 + b"]" * 5000, content_type="application/json"
    )

    assert response.status_code == 400
    if response["Content-Type"].startswith("application/json"):
        text = response.json()["message"]
    else:
        text = response.content.decode()
    assert "lồng nhau quá nhiều tầng" in text
    assert not UserProfile.objects.exclude(dismissibles={}).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/snippets/choose/content/legalprovision/create/",  # a chooser with no create form
        "/admin/choose-external-link/",  # a form without its url field
    ],
)
def test_a_form_wagtail_never_offers_gets_a_400_not_an_error_page(admin_client, path, vietnamese):
    response = admin_client.post(path, {"title": "x", "q": "ệ"})

    assert response.status_code == 400
    _vietnamese_page(response)


def test_moving_the_root_page_gets_a_400_not_an_error_page(admin_client, home_page, vietnamese):
    """The root page has no parent: Wagtail's set_position failed on None."""
    from wagtail.models import Page

    root = Page.objects.get(depth=1)
    response = admin_client.post(f"/admin/pages/{root.pk}/set_position/?position=0", {"x": "1"})

    assert response.status_code == 400
    _vietnamese_page(response)


def test_an_empty_400_from_wagtail_gets_a_vietnamese_body(client, vietnamese):
    """Wagtail's task chooser answers a trainer (no task type to create) a bare 400."""
    from accounts.roles import TRAINER

    staff_login(client, UserFactory(role=TRAINER))
    response = client.post("/admin/workflows/task_chooser/create/", {"x": "1"})

    assert response.status_code == 400
    assert response.content
    assert "bị từ chối" in response.content.decode()


def test_an_asset_name_longer_than_the_file_system_allows_is_a_404(client, vietnamese):
    from content.h5p.middleware import content_host

    response = client.get("/h5p-static/" + "ệ" * 300 + "/", HTTP_HOST=content_host())

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/2147483648/edit/",
        "/admin/pages/99999999999999999999999/",
        "/admin/images/2147483648/",
        "/admin/snippets/content/legalprovision/edit/2147483648/",
        "/admin/workshops/2147483648/",
    ],
)
def test_admin_ids_beyond_the_database_range_are_404(admin_client, path, vietnamese):
    response = admin_client.get(path)

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()
