import pytest

from accounts.models import JobRole, Organisation
from accounts.roles import ADMINISTRATOR, TRAINEE
from accounts.selectors import organisation_subtree
from tests.factories.accounts import UserFactory, organisation_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    province = organisation_create("Công an tỉnh Mẫu")
    unit = organisation_create("Phòng Cảnh sát hình sự", parent=province)
    return province, unit


def test_profile_requires_sign_in(client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_trainee_sets_organisation_and_job_role(client, trainee, police):
    _, unit = police
    client.force_login(trainee)

    response = client.post(
        "/accounts/profile/",
        {
            "full_name": "Nguyễn Thị Minh Anh",
            "staff_id": " CA-0042 ",
            "job_role": JobRole.PROSECUTOR,
            "organisation": unit.pk,
        },
        follow=True,
    )

    assert "Hồ sơ của bạn đã được lưu" in response.content.decode()
    trainee.refresh_from_db()
    assert trainee.organisation == unit
    assert trainee.job_role == JobRole.PROSECUTOR
    assert trainee.staff_id == "CA-0042"


def test_profile_refuses_a_tampered_organisation_and_saves_nothing(client, trainee, police):
    client.force_login(trainee)

    response = client.post(
        "/accounts/profile/",
        {"full_name": "Tên Khác", "job_role": "chief_of_everything", "organisation": 999999},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Lựa chọn không hợp lệ" in body or "Hãy chọn" in body
    trainee.refresh_from_db()
    assert trainee.full_name == "Nguyễn Thị Minh Anh"
    assert trainee.organisation is None


def test_staff_id_must_be_unique_within_an_agency(client, trainee, police):
    _, unit = police
    UserFactory(organisation=unit, staff_id="CA-0042")
    client.force_login(trainee)

    response = client.post(
        "/accounts/profile/",
        {
            "full_name": trainee.full_name,
            "staff_id": "CA-0042",
            "job_role": JobRole.INVESTIGATOR,
            "organisation": unit.pk,
        },
    )

    assert response.status_code == 200
    assert "Mã cán bộ này đã được một tài khoản khác" in response.content.decode()
    trainee.refresh_from_db()
    assert trainee.organisation is None


def test_organisation_subtree_includes_descendants_only(police):
    province, unit = police
    other = organisation_create("Tòa án nhân dân tỉnh Khác", agency_type="court")

    subtree = set(organisation_subtree(organisation=province))

    assert subtree == {province, unit}
    assert other not in subtree


def test_administrator_adds_an_organisation_under_a_parent_in_the_admin(client, police):
    province, _ = police
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    staff_login(client, admin)

    form = client.get("/admin/organisations/new/")
    assert form.status_code == 200
    response = client.post(
        "/admin/organisations/new/",
        {
            "name": "Phòng Cảnh sát điều tra tội phạm về trật tự xã hội",
            "agency_type": "police",
            "province": "Tỉnh Mẫu",
            "parent": province.pk,
        },
    )

    assert response.status_code == 302
    created = Organisation.objects.get(name__startswith="Phòng Cảnh sát điều tra")
    assert created.get_parent() == province
    assert created.province == "Tỉnh Mẫu"


def test_administrator_opens_the_user_forms_with_full_name_fields(client):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    staff_login(client, admin)

    create = client.get("/admin/users/new/")
    edit = client.get(f"/admin/users/edit/{admin.pk}/")

    for response in (create, edit):
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="full_name"' in body
        assert 'name="first_name"' not in body


def test_administrator_creates_a_user_in_the_admin_with_organisation_and_role(client, police):
    from django.contrib.auth.models import Group

    from accounts.models import User

    _, unit = police
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    staff_login(client, admin)

    response = client.post(
        "/admin/users/new/",
        {
            "email": "vo.thi.sau@pcmd.example",
            "full_name": "Võ Thị Sáu",
            "staff_id": "TA-15",
            "job_role": JobRole.JUDGE,
            "organisation": unit.pk,
            "password1": "Tham-phan-2026-an-toan",
            "password2": "Tham-phan-2026-an-toan",
            "groups": [Group.objects.get(name=TRAINEE).pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="vo.thi.sau@pcmd.example")
    assert (created.full_name, created.job_role, created.organisation) == (
        "Võ Thị Sáu",
        JobRole.JUDGE,
        unit,
    )
