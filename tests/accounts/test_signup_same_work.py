"""Sign-up does the same work whether or not the address is registered, so its timing tells
nothing: one password hash and one queued mail in both cases, no mail sent while the request
waits. (The times themselves are measured by scripts/bench_signup.py, which prints a ratio.)"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from accounts.models import User
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    algorithm = "md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def queued(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_same_work.CountingHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    CountingHasher.calls = 0
    return default_task_backend


def _signup(client, email):
    return client.post(
        "/accounts/signup/",
        {
            "full_name": "Lê Văn Thử",
            "email": email,
            "password1": "Hoc-tap-suot-doi-2026",
            "password2": "Hoc-tap-suot-doi-2026",
        },
    )


def _work(client, email, backend):
    CountingHasher.calls = 0
    backend.clear()
    response = _signup(client, email)
    tasks = [result.task.name for result in backend.results]
    return response.status_code, response["Location"], CountingHasher.calls, tasks


def test_a_new_and_a_registered_address_cost_the_same(client, queued):
    UserFactory(email="da.co@pcmd.example")

    new = _work(client, "moi@pcmd.example", queued)
    client.logout()
    known = _work(client, "da.co@pcmd.example", queued)

    assert new == known
    status, _, hashes, tasks = new
    assert status == 302 and hashes == 1 and tasks == ["send_account_mail"]
    assert mail.outbox == []  # nothing is sent while the visitor waits
    assert User.objects.filter(email="moi@pcmd.example").exists()


def test_the_queued_mails_are_the_verification_and_the_already_registered_notice(client, queued):
    UserFactory(email="da.co@pcmd.example")
    _signup(client, "moi@pcmd.example")
    client.logout()
    _signup(client, "da.co@pcmd.example")

    for result in list(queued.results):
        result.task.call(*result.args, **result.kwargs)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"moi@pcmd.example", "da.co@pcmd.example"}
    assert "/accounts/confirm-email/" in by_address["moi@pcmd.example"].body
    assert "/accounts/confirm-email/" not in by_address["da.co@pcmd.example"].body
    assert all(m.subject.startswith("[Đào tạo PCMD]") for m in mail.outbox)
