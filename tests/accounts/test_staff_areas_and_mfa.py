import pytest

from accounts.roles import ADMINISTRATOR, HR_OFFICER, TRAINEE, TRAINER
from tests.factories.accounts import PASSWORD, UserFactory, totp_activate

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_to_admin_is_sent_to_the_platform_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_trainee_opening_admin_is_refused_with_a_vietnamese_explanation(client, trainee):
    client.force_login(trainee)

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_trainee_opening_hr_area_is_refused(client, trainee):
    client.force_login(trainee)

    assert client.get("/hr/").status_code == 403


@pytest.mark.parametrize(("role", "path"), [(TRAINER, "/admin/"), (HR_OFFICER, "/hr/")])
def test_staff_without_two_factor_are_sent_to_set_up_an_authenticator(client, role, path):
    user = UserFactory(role=role)
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.session["accounts_mfa_setup_next"] == path


def test_administrator_without_two_factor_cannot_reach_admin(client):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    client.force_login(admin)

    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_trainer_with_authenticator_must_enter_a_code_at_sign_in_then_reaches_admin(
    client, trainer
):
    totp = totp_activate(trainer)

    first_step = client.post("/accounts/login/", {"login": trainer.email, "password": PASSWORD})
    assert first_step["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    client.post("/accounts/2fa/authenticate/", {"code": totp.now()})
    assert client.session["_auth_user_id"] == str(trainer.pk)
    assert client.get("/admin/").status_code == 200


def test_the_role_groups_hold_least_privilege(db):
    from django.contrib.auth.models import Group

    trainee_perms = set(Group.objects.get(name=TRAINEE).permissions.all())
    trainer_perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=TRAINER).permissions.select_related("content_type")
    }
    hr_perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=HR_OFFICER).permissions.select_related("content_type")
    }

    assert trainee_perms == set()
    assert "wagtailadmin.access_admin" in trainer_perms
    assert "accounts.access_hr_area" not in trainer_perms
    assert "accounts.access_hr_area" in hr_perms
    assert "wagtailadmin.access_admin" not in hr_perms


def test_trainers_upload_images_and_documents_to_every_collection(client):
    """Wagtail checks media rights per collection: the trainer role holds its image and
    document rights on the root collection, so in every collection below it."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection
    from wagtail.permissions import policy_registry

    from tests.mfa import mfa_login

    images = policy_registry.get_by_type(get_image_model())
    documents = policy_registry.get_by_type(get_document_model())
    trainer = UserFactory(role=TRAINER)
    trainee = UserFactory(role=TRAINEE)
    course_files = Collection.get_first_root_node().add_child(name="Khóa PCMD-101")

    assert course_files in images.collections_user_has_permission_for(trainer, "add")
    assert course_files in documents.collections_user_has_permission_for(trainer, "add")
    assert not images.collections_user_has_permission_for(trainee, "add").exists()
    mfa_login(client, trainer, totp_activate(trainer))
    assert client.get("/admin/images/").status_code == 200
    assert client.get("/admin/documents/").status_code == 200
    assert 'id="tab-upload"' in client.get("/admin/images/chooser/").json()["html"]
