import re
from datetime import datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse

from accounts.models import SignupMode, SignupPolicy, User
from accounts.roles import TRAINEE
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def _signup(client, email="tran.thi.lan@pcmd.example", full_name="  Trần   Thị Lan "):
    return client.post(
        SIGNUP,
        {
            "full_name": full_name,
            "email": email,
            "password1": "Hoc-tap-suot-doi-2026",
            "password2": "Hoc-tap-suot-doi-2026",
        },
    )


def test_signup_creates_an_unverified_trainee_and_sends_a_vietnamese_verification_email(client):
    response = _signup(client)

    assert response.status_code == 302
    user = User.objects.get(email="tran.thi.lan@pcmd.example")
    assert user.full_name == "Trần Thị Lan"  # spaces folded, diacritics kept
    assert list(user.groups.values_list("name", flat=True)) == [TRAINEE]
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "Xác nhận" in mail.outbox[0].subject or "xác nhận" in mail.outbox[0].body
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


def test_unverified_account_cannot_sign_in_until_the_email_is_confirmed(client):
    _signup(client)
    client.logout()

    response = client.post(
        LOGIN, {"login": "tran.thi.lan@pcmd.example", "password": "Hoc-tap-suot-doi-2026"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert "Xác minh địa chỉ email" in client.get(response["Location"]).content.decode()


def test_duplicate_email_creates_no_second_account_and_tells_the_owner(client):
    UserFactory(email="pham.van.duc@pcmd.example")
    mail.outbox.clear()

    response = _signup(client, email="Pham.Van.Duc@PCMD.example")

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="pham.van.duc@pcmd.example").count() == 1
    # Enumeration protection: the form does not reveal that the address is taken; the
    # owner of the address is told by e-mail instead.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pham.van.duc@pcmd.example"]
    assert "đã có tài khoản" in mail.outbox[0].body or "đã tồn tại" in mail.outbox[0].body


def test_wrong_verification_key_is_refused_and_the_address_stays_unverified(client):
    _signup(client)

    response = client.get("/accounts/confirm-email/not-a-real-key/")

    assert response.status_code == 200
    assert "đã hết hạn hoặc không hợp lệ" in response.content.decode()
    assert not EmailAddress.objects.get(email="tran.thi.lan@pcmd.example").verified


def test_confirming_with_the_emailed_link_verifies_the_address(client):
    _signup(client)
    link = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body).group(1)

    page = client.get(link)
    assert page.status_code == 200
    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="tran.thi.lan@pcmd.example").verified


def test_expired_password_reset_link_is_refused_and_the_password_unchanged(client, monkeypatch):
    user = UserFactory()
    generator = PasswordResetTokenGenerator()
    four_days_ago = datetime.now() - timedelta(days=4)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: four_days_ago)
    token = generator.make_token(user)
    monkeypatch.undo()
    from allauth.account.utils import user_pk_to_url_str

    url = f"/accounts/password/reset/key/{user_pk_to_url_str(user)}-{token}/"

    response = client.get(url, follow=True)

    body = response.content.decode()
    assert "Mã không hợp lệ" in body
    assert 'name="password1"' not in body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_repeated_wrong_passwords_are_rate_limited_with_a_vietnamese_message(client):
    UserFactory(email="hoang.minh@pcmd.example")
    for _ in range(5):
        response = client.post(LOGIN, {"login": "hoang.minh@pcmd.example", "password": "sai"})
        assert "không chính xác" in response.content.decode()

    # Even the right password is refused while the limit holds.
    response = client.post(LOGIN, {"login": "hoang.minh@pcmd.example", "password": PASSWORD})

    assert response.status_code == 200
    assert "đăng nhập không thành công quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_limited_to_allowed_domains_refuses_other_addresses(client):
    policy = SignupPolicy.load()
    policy.mode = SignupMode.DOMAINS
    policy.allowed_domains = "congan.gov.vn\n@toaan.gov.vn"
    policy.save()

    refused = _signup(client, email="someone@gmail.com")
    assert refused.status_code == 200
    assert "congan.gov.vn, toaan.gov.vn" in refused.content.decode()
    assert not User.objects.filter(email="someone@gmail.com").exists()

    accepted = _signup(client, email="can.bo@hanoi.congan.gov.vn")
    assert accepted.status_code == 302
    assert User.objects.filter(email="can.bo@hanoi.congan.gov.vn").exists()


def test_password_change_keeps_the_session_and_notifies_the_owner(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Mat-khau-moi-2026!",
            "password2": "Mat-khau-moi-2026!",
        },
        follow=True,
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026!")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert any(user.email in m.to for m in mail.outbox)


def test_password_change_with_a_wrong_current_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "doan-sai",
            "password1": "Mat-khau-moi-2026!",
            "password2": "Mat-khau-moi-2026!",
        },
    )

    assert response.status_code == 200
    assert "mật khẩu hiện tại" in response.content.decode().lower()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
