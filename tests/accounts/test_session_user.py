"""The signed-in user from the cache (accounts.sessionuser): no query for them once cached,
and every change to them counts at once: a password changed logs their sessions out, an
account deactivated or deleted is signed out, one person's row never serves another."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import sessionuser
from accounts.models import User
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


@pytest.fixture
def signed_in(client, trainee, home_page):
    client.force_login(trainee)
    assert client.get(DASHBOARD).status_code == 200  # the row is cached from here on
    return client


def _user_queries(client, url=DASHBOARD):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    rows = [q["sql"] for q in captured.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    return response, rows


def test_a_signed_in_users_row_comes_from_the_cache(signed_in, trainee):
    response, rows = _user_queries(signed_in)
    assert response.status_code == 200
    assert trainee.full_name in response.content.decode()
    assert rows == []


def test_a_password_changed_logs_the_session_out_at_once(signed_in, trainee):
    trainee.set_password("Mật-khẩu-mới-2026")
    trainee.save()

    response = signed_in.get(DASHBOARD)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in signed_in.session  # flushed, as Django does


@pytest.mark.parametrize("how", ["deactivated", "deleted"])
def test_an_account_deactivated_or_deleted_is_signed_out_at_once(signed_in, trainee, how):
    if how == "deactivated":
        trainee.is_active = False
        trainee.save()
    else:
        trainee.delete()

    response = signed_in.get(DASHBOARD)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_profile_saved_shows_on_the_next_request(signed_in, trainee):
    trainee.full_name = "Nguyễn Thị Minh Anh Mới"
    trainee.save(update_fields=["full_name"])

    response, rows = _user_queries(signed_in)

    assert "Nguyễn Thị Minh Anh Mới" in response.content.decode()
    assert len(rows) >= 1  # read afresh


def test_a_change_without_signals_lasts_at_most_the_entrys_lifetime(signed_in, trainee):
    User.objects.filter(pk=trainee.pk).update(is_active=False)  # behind the models' back
    key = cache.make_key(sessionuser._entry_key(trainee.pk))
    assert cache._expire_info[key] - time.time() <= sessionuser.USER_SECONDS  # LocMemCache
    assert signed_in.get(DASHBOARD).status_code == 200  # until the entry expires ...

    sessionuser.all_users_changed()  # ... or code that updates many users says so

    assert signed_in.get(DASHBOARD).status_code == 302


def test_a_session_whose_hash_does_not_match_is_djangos_to_judge(signed_in, trainee):
    session = signed_in.session
    session["_auth_user_hash"] = "0" * 64
    session.save()

    response = signed_in.get(DASHBOARD)

    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


def test_each_session_gets_its_own_user_even_from_a_tampered_cache(
    signed_in, client, trainee, home_page
):
    other_user = UserFactory(email="hocvien4@pcmd.example", full_name="Phạm Văn Khác")
    other = client.__class__()
    other.force_login(other_user)
    assert "Phạm Văn Khác" in other.get(DASHBOARD).content.decode()
    # The other's entry now holds the trainee's row, under the other's current version.
    found = cache.get(sessionuser._entry_key(other_user.pk))
    trainee._session_auth_hash = trainee.get_session_auth_hash()
    planted = (found[0], sessionuser._to_entry(trainee))
    cache.set(sessionuser._entry_key(other_user.pk), planted, 60)

    mine = signed_in.get(DASHBOARD).content.decode()
    theirs = other.get(DASHBOARD).content.decode()

    assert trainee.full_name in mine and "Phạm Văn Khác" not in mine
    assert "Phạm Văn Khác" in theirs and trainee.full_name not in theirs


def test_the_cache_never_holds_the_password_hash(signed_in, trainee):
    entry = cache.get(sessionuser._entry_key(trainee.pk))

    assert trainee.password not in repr(entry)
    assert "password" not in entry[1]["columns"]


def test_saving_the_cached_user_keeps_their_password(signed_in, trainee):
    user = sessionuser._user_row(trainee.pk)
    assert "password" in user.get_deferred_fields()  # built from the cache

    user.full_name = "Nguyễn Thị Lưu Lại"
    user.save()

    trainee.refresh_from_db()
    assert trainee.full_name == "Nguyễn Thị Lưu Lại"
    assert trainee.check_password(PASSWORD)
    assert user.check_password(PASSWORD)  # read from the database when asked for
