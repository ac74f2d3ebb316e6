"""The HR bulk check: a page of the answer at a time, the whole answer as a CSV that a
spreadsheet cannot be tricked by, and a checked list that only its officer can page through."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import HR_OFFICER
from audit.models import AuditEntry
from certificates import bulk
from exports import cells
from tests.factories.accounts import UserFactory, organisation_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://example.invalid","Mở")', "@SUM(A1)", "+1", "-1"]


@pytest.fixture
def officer(client):
    hr = UserFactory(role=HR_OFFICER, organisation=organisation_create("Sở Nội vụ tỉnh Mẫu"))
    staff_login(client, hr)
    return hr


def _upload(values):
    out = io.StringIO()
    csv.writer(out).writerows([["ma"], *([v] for v in values)])
    return SimpleUploadedFile("ds.csv", out.getvalue().encode(), content_type="text/csv")


def _values(n):
    return [*HOSTILE, *(f"NV-{i:05d}" for i in range(n - len(HOSTILE)))]


def test_a_long_list_is_answered_a_page_at_a_time(client, officer):
    values = _values(250)

    first = client.post("/hr/certificates/", {"file": _upload(values), "format": "html"})

    body = first.content.decode()
    assert first.status_code == 200
    assert "Đã kiểm tra 250 dòng: 0 dòng có chứng nhận, 250 dòng" in body
    assert "NV-00095" in body and "NV-00096" not in body  # rows 1–100 only
    assert "Trang 1/3" in body
    batch = first.context["batch"]

    third = client.get("/hr/certificates/", {"batch": batch, "page": 3}).content.decode()
    assert "NV-00245" in third and "NV-00095" not in third
    assert "Trang 3/3" in third
    odd = client.get("/hr/certificates/", {"batch": batch, "page": "x' OR 1=1"})
    assert odd.status_code == 200 and "Trang 1/3" in odd.content.decode()


def test_the_answer_for_5000_rows_is_a_small_page(client, officer):
    response = client.post("/hr/certificates/", {"file": _upload(_values(5000)), "format": "html"})

    assert response.status_code == 200
    # Was 7.5 MB with every row's forms; one page of 100 rows is a small fraction.
    assert len(response.content) < 200_000
    assert "Trang 1/50" in response.content.decode()


def test_another_officer_cannot_page_through_someone_elses_list(client, officer):
    batch = client.post(
        "/hr/certificates/", {"file": _upload(_values(150)), "format": "html"}
    ).context["batch"]
    other = UserFactory(role=HR_OFFICER, organisation=organisation_create("Sở khác"))
    staff_login(client, other)

    page = client.get("/hr/certificates/", {"batch": batch, "page": 2}).content.decode()
    download = client.post("/hr/certificates/", {"batch": batch})

    assert "Danh sách này không còn được lưu" in page and "NV-00" not in page
    assert download.status_code == 200
    assert "NV-00" not in download.content.decode()
    assert bulk.batch_load(hr_user=other, key=batch) is None
    assert bulk.batch_load(hr_user=officer, key="../../etc") is None


def test_the_whole_answer_downloads_as_a_csv_with_every_cell_guarded(client, officer):
    values = _values(250)
    batch = client.post("/hr/certificates/", {"file": _upload(values), "format": "html"}).context[
        "batch"
    ]

    for response in (
        client.post("/hr/certificates/", {"batch": batch}),
        client.post("/hr/certificates/", {"file": _upload(values), "format": "csv"}),
    ):
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) == 1 + 250
        assert [cells.unquote(r[1]) for r in rows[1:]] == values
        for row in rows[1:]:
            assert row[1][:1] not in "=+-@", row
    entries = AuditEntry.objects.filter(action="export.personal_data")
    assert [e.data["what"] for e in entries] == ["hr_bulk_check", "hr_bulk_check"]
    assert {e.data["rows"] for e in entries} == {250}
