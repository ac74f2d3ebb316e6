"""allauth is the only sign-in, sign-out, password and verification flow: every other one a
dependency routes is found by walking the URL resolver and must lead to allauth's."""

import pytest
from django.contrib.auth import views as auth_views
from django.urls import resolve
from django.urls.exceptions import Resolver404

from accounts.roles import ADMINISTRATOR
from tests.factories.accounts import PASSWORD, UserFactory, totp_activate
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db

_DJANGO_AUTH_VIEWS = (
    auth_views.LoginView,
    auth_views.LogoutView,
    auth_views.PasswordChangeView,
    auth_views.PasswordChangeDoneView,
    auth_views.PasswordResetView,
    auth_views.PasswordResetDoneView,
    auth_views.PasswordResetConfirmView,
    auth_views.PasswordResetCompleteView,
)
_AUTH_WORDS = ("login", "logout", "password", "signin", "signout", "verif", "2fa", "otp")
# Routed views whose names sound like sign-in but that give no session to anyone: a
# password a page or document is shared with (Wagtail's view restrictions).
_NOT_A_SIGN_IN = {
    "wagtail.views.authenticate_with_password",
    "wagtail.documents.views.serve.authenticate_with_password",
}


def _is_foreign_auth_view(route) -> bool:
    view = route.view
    module = getattr(view, "__module__", "")
    if module.startswith("allauth.") or route.dotted in _NOT_A_SIGN_IN:
        return False
    if isinstance(view, type) and issubclass(view, _DJANGO_AUTH_VIEWS):
        return True
    if getattr(route.callback, "allauth_equivalent", None):
        return False
    name = f"{route.name or ''} {route.dotted}".lower()
    return module.startswith(("django.contrib.auth", "wagtail.")) and any(
        word in name for word in _AUTH_WORDS
    )


def test_every_dependency_sign_in_logout_or_password_url_leads_to_allauth():
    foreign = [route for route in walk() if _is_foreign_auth_view(route)]
    # The walk does see what Wagtail and Django route (so the test can fail) ...
    assert {"admin/login/", "admin/logout/", "_util/login/"} <= {r.route for r in foreign}
    assert any(r.route.startswith("admin/password_reset/confirm/") for r in foreign)
    # ... and not one of them can be reached: its address resolves to our redirect to
    # allauth, or to nothing.
    for route in foreign:
        assert route.samples == (), f"{route.route} reaches {route.dotted}"
        for path in route.candidates:
            try:
                match = resolve(path)
            except Resolver404:
                continue
            assert getattr(match.func, "allauth_equivalent", None), (path, match.func)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/admin/login/?next=/admin/pages/", "/accounts/login/?next=%2Fadmin%2Fpages%2F"),
        ("/_util/login/?next=/khoa-hoc/", "/accounts/login/?next=%2Fkhoa-hoc%2F"),
        ("/admin/password_reset/", "/accounts/password/reset/"),
        ("/admin/password_reset/confirm/MQ/abc-123/", "/accounts/password/reset/"),
        ("/admin/logout/", "/accounts/logout/"),
    ],
)
def test_dependency_auth_urls_redirect_to_allauth(client, path, target):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == target


def test_administrator_with_totp_posting_the_right_password_to_admin_login_gets_no_session(
    client,
):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True, email="quantri@pcmd.example")
    totp_activate(admin)

    response = client.post(
        "/admin/login/", {"username": admin.email, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_twenty_five_wrong_passwords_then_the_right_one_gets_nothing(client, trainer):
    for _ in range(25):
        client.post("/admin/login/", {"username": trainer.email, "password": "sai-mat-khau"})
        client.post("/accounts/login/", {"login": trainer.email, "password": "sai-mat-khau"})

    right = client.post("/accounts/login/", {"login": trainer.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "đăng nhập không thành công quá nhiều lần" in right.content.decode()


def test_unverified_address_never_gets_a_session_by_any_sign_in(client):
    person = UserFactory(verified=False, email="chuaxacminh@pcmd.example")

    client.post("/admin/login/", {"username": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post("/_util/login/", {"username": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response["Location"] == "/accounts/confirm-email/"


def test_admin_logout_post_signs_out_through_allauth(client, trainer):
    from tests.mfa import staff_login

    staff_login(client, trainer)

    response = client.post("/admin/logout/", follow=True)

    assert response.redirect_chain[0] == ("/accounts/logout/", 307)
    assert "_auth_user_id" not in client.session
