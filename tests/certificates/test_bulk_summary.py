"""The HR bulk check's first page: its figures are counted over every row from bare columns,
and must be exactly those of checking every row with its certificates."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import HR_OFFICER
from certificates import bulk, signing
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.certificates import certificate_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


def _upload(values):
    out = io.StringIO()
    csv.writer(out).writerows([["ma"], *([v] for v in values)])
    return SimpleUploadedFile("ds.csv", out.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def mix():
    province = organisation_create("Công an tỉnh Mẫu")
    unit = organisation_create("Phòng Cảnh sát hình sự", parent=province)
    elsewhere = organisation_create("Tòa án tỉnh Khác")
    hr = UserFactory(role=HR_OFFICER, organisation=province)
    today = timezone.localdate()

    def holder(staff_id, organisation=unit):
        return UserFactory(staff_id=staff_id, organisation=organisation)

    valid = certificate_create(user=holder("CA-0001"))
    revoked = certificate_create(
        user=holder("CA-0002"), revoked_at=timezone.now(), revoked_reason="Cấp nhầm"
    )
    expired = certificate_create(user=holder("CA-0003"), expires_on=today - timedelta(days=1))
    old = certificate_create(user=holder("CA-0004"))
    new = certificate_create(user=old.user)
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    # Printed under an earlier staff ID; the holder's current one finds it too.
    renamed = holder("CA-0005-CU")
    certificate_create(user=renamed)
    renamed.staff_id = "CA-0005-MOI"
    renamed.save(update_fields=["staff_id"])
    # Outside the officer's subtree: found by its code, never by its staff ID.
    outsider = certificate_create(user=holder("TA-0001", organisation=elsewhere))
    holder("CA-0006")  # in scope, no certificate

    mixed = [
        valid.code,
        revoked.code.lower(),
        expired.code.replace("-", " "),
        old.code,
        new.code,
        outsider.code,
        signing.new_code(),  # unknown code
        "CA-0001",
        "CA-0004",  # two certificates
        "CA-0005-MOI",
        "CA-0005-CU",
        "TA-0001",  # out of scope
        "CA-0006",
        "CA-9999",
        "@@ không hợp lệ @@",
        "",
        valid.code,  # duplicates
        "CA-0001",
        "TA-0001",
    ]
    # After a first page of unknown codes, so the figures cannot come from the page alone.
    values = [*(signing.new_code() for _ in range(bulk.PAGE_SIZE + 20)), *mixed]
    return hr, values


def test_the_first_page_shows_the_figures_of_checking_every_row(client, mix):
    hr, values = mix
    staff_login(client, hr)

    response = client.post("/hr/certificates/", {"file": _upload(values), "format": "html"})

    every_row = bulk.verify_values(hr_user=hr, values=bulk.read_values(_upload(values)))
    expected = bulk.summary(every_row)
    # valid, revoked, expired, old, new, outsider codes; CA-0001, CA-0004, both IDs of the
    # renamed holder; the duplicated code and CA-0001 again.
    assert expected["found"] == 12 and expected["total"] == len(values)
    assert response.status_code == 200
    assert response.context["summary"] == expected
    assert len(response.context["rows"]) == bulk.PAGE_SIZE
    stored = bulk.batch_load(hr_user=hr, key=response.context["batch"])
    assert stored["summary"] == expected
    assert f"Đã kiểm tra {len(values)} dòng: 12 dòng có chứng nhận" in response.content.decode()
    second = client.get("/hr/certificates/", {"batch": response.context["batch"], "page": 2})
    assert second.context["summary"] == expected


def test_the_figures_do_not_depend_on_the_officer_seeing_everything(mix):
    hr, values = mix
    numbered = bulk.read_values(_upload(values))
    for officer in (
        hr,
        UserFactory(role=HR_OFFICER, organisation=None),
        UserFactory(is_superuser=True),
    ):
        assert bulk.summary_of_values(hr_user=officer, values=numbered) == bulk.summary(
            bulk.verify_values(hr_user=officer, values=numbered)
        )
