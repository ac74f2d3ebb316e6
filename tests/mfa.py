"""Signing staff in the way the platform requires: password, then the authenticator code."""

import time

from tests.factories.accounts import PASSWORD


def fresh_code(totp) -> str:
    """The current code, taken early enough in its 30-second window that the server still
    accepts it when it arrives (a browser on a loaded machine can take seconds to submit)."""
    left = totp.interval - time.time() % totp.interval
    if left < 6:
        time.sleep(left + 0.2)
    return totp.now()


def mfa_login(client, user, totp, *, password=PASSWORD):
    """Sign `user` in through allauth with the password and then a TOTP code, so the session
    carries allauth's own record of both steps."""
    client.logout()
    first = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert first.status_code == 302, first.content[:500]
    assert first["Location"] == "/accounts/2fa/authenticate/", first["Location"]
    second = client.post("/accounts/2fa/authenticate/", {"code": fresh_code(totp)})
    assert second.status_code == 302, second.content[:500]
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def password_login(client, user, *, password=PASSWORD):
    """Sign in with the password only (for accounts without an authenticator)."""
    client.logout()
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content[:500]
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def staff_login(client, user):
    """Give `user` an authenticator and sign in with password and code (a full staff
    session). Returns the TOTP generator."""
    from tests.factories.accounts import totp_activate

    totp = totp_activate(user)
    mfa_login(client, user, totp)
    return totp
