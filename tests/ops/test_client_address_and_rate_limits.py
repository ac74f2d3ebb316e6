"""Rate limits key on the real client address behind the trusted proxy.

The proxy (nginx, deploy/nginx/pcmd-proxy.conf) connects from TRUSTED_PROXY_IPS and sets
X-Real-IP to the address it saw; ops.middleware.TrustedProxyMiddleware puts that address in
REMOTE_ADDR, and allauth (no ALLAUTH_TRUSTED_PROXY_COUNT, no trusted header), django-ratelimit
(no RATELIMIT_IP_META_KEY) and the audit log all read REMOTE_ADDR and nothing else. So two
people behind the proxy have a budget each, and a header a client forges changes nothing:
from outside the proxy it is ignored, through the proxy nginx replaces it. The same is
checked through a real nginx by scripts/prod_smoke.py."""

from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.test import Client

from audit.models import AuditEntry
from audit.services import audit_record
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.1.0.2"
FORGED = {"HTTP_X_FORWARDED_FOR": "198.51.100.77", "HTTP_X_REAL_IP": "198.51.100.77"}


@pytest.fixture(autouse=True)
def behind_the_proxy(settings, monkeypatch):
    settings.TRUSTED_PROXY_IPS = [PROXY]
    # django-ratelimit counts in fixed windows; hold its clock so that no window ends
    # in the middle of a test.
    now = django_ratelimit.core.time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def via_proxy(address: str) -> Client:
    """A browser at `address`, reaching the app through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=address)


def verify(client: Client, n: int, **headers) -> list[int]:
    """Alternate the HTML page and the JSON answer, n requests in all."""
    paths = ("/verify/NOPE-0000/", "/api/verify/NOPE-0000/")
    return [client.get(paths[i % 2], **headers).status_code for i in range(n)]


def test_the_html_and_json_verification_share_one_budget_per_client():
    first = via_proxy("203.0.113.10")

    statuses = verify(first, 31)

    assert 429 not in statuses[:30]
    assert statuses[30] == 429
    assert first.get("/api/verify/NOPE-0000/").status_code == 429
    assert first.get("/verify/NOPE-0000/").status_code == 429


def test_two_clients_behind_the_proxy_are_limited_separately():
    first, second = via_proxy("203.0.113.10"), via_proxy("203.0.113.11")
    verify(first, 31)

    assert verify(second, 30) == [200, 404] * 15
    assert verify(first, 1) == [429]


def test_forged_forwarding_headers_do_not_reset_the_limit():
    # From outside the proxy: the headers are not believed at all.
    outsider = Client(REMOTE_ADDR="203.0.113.50")
    assert 429 not in verify(outsider, 30, **FORGED)
    assert verify(outsider, 1, HTTP_X_FORWARDED_FOR="198.51.100.1") == [429]
    assert verify(outsider, 1, HTTP_X_REAL_IP="198.51.100.2") == [429]
    # Through the proxy, whatever X-Forwarded-For the client adds, the proxy's X-Real-IP
    # (the address it saw) is the one counted.
    insider = via_proxy("203.0.113.60")
    verify(insider, 30, HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert verify(insider, 1, HTTP_X_FORWARDED_FOR="198.51.100.4") == [429]


def _failed_logins(client: Client, n: int, **headers):
    for i in range(n):
        client.post(
            "/accounts/login/",
            {"login": f"khong-co-{i}@pcmd.example", "password": "sai-mat-khau-123"},
            **headers,
        )


def test_allauth_counts_failed_sign_ins_per_real_client():
    user = UserFactory(email="nguyen.van.an@pcmd.example")
    attacker, colleague = via_proxy("203.0.113.20"), via_proxy("203.0.113.21")
    _failed_logins(attacker, 10, HTTP_X_FORWARDED_FOR="198.51.100.9")

    # Even the right password is refused to that address for now, forged headers or not…
    refused = attacker.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.10",
    )
    assert refused.status_code == 200
    assert "đăng nhập không thành công quá nhiều lần" in refused.content.decode()
    # …while a colleague behind the same proxy signs in.
    signed_in = colleague.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and "_auth_user_id" in colleague.session


def test_a_direct_client_cannot_pick_its_address_for_allauth():
    user = UserFactory(email="le.thi.hoa@pcmd.example")
    outsider = Client(REMOTE_ADDR="203.0.113.30")
    for i in range(10):
        outsider.post(
            "/accounts/login/",
            {"login": f"khong-co-{i}@pcmd.example", "password": "sai-mat-khau-123"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
            HTTP_X_REAL_IP=f"198.51.100.{i}",
        )

    refused = outsider.post(
        "/accounts/login/",
        {"login": user.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
        HTTP_X_REAL_IP="198.51.100.200",
    )

    assert "đăng nhập không thành công quá nhiều lần" in refused.content.decode()


def test_the_audit_log_records_the_address_the_proxy_saw(rf, settings):
    from ops.middleware import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen["entry"] = audit_record(action="export.personal_data", request=request)

    request = rf.get(
        "/",
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP="203.0.113.40",
        **{"HTTP_X_FORWARDED_FOR": "198.51.100.5"},
    )
    request.user = UserFactory()
    TrustedProxyMiddleware(view)(request)

    assert AuditEntry.objects.get(pk=seen["entry"].pk).ip == "203.0.113.40"
