"""Health and readiness endpoints, request ids, JSON logs, the client address behind the
proxy, and errors that reach the log but never the user."""

import json
import logging
import uuid

import pytest
from django.db import connection
from django.test import Client

from ops import health
from ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_answers_for_any_host_before_https_redirects(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["daotao.example.gov.vn"]

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8001")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_each_check(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "storage": "ok",
            "h5p_storage": "ok",
            "migrations": "ok",
        },
    }


def test_readyz_fails_when_the_cache_is_unreachable_and_says_only_which(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "fail"
    assert response.json()["checks"]["database"] == "ok"
    assert "127.0.0.1:9" not in response.content.decode()
    assert any("readiness check cache failed" in r.getMessage() for r in caplog.records)


def test_readyz_fails_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'ops'")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "fail"


def test_every_response_carries_a_request_id_and_keeps_a_well_formed_one(client, home_page):
    given = uuid.uuid4().hex

    fresh = client.get("/")
    kept = client.get("/", HTTP_X_REQUEST_ID=given)
    hostile = client.get("/", HTTP_X_REQUEST_ID='"><script>alert(1)</script>')

    assert len(fresh["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == given
    assert "script" not in hostile["X-Request-ID"] and len(hostile["X-Request-ID"]) == 32


def _access_record(caplog, path):
    return next(r for r in caplog.records if r.name == "ops.request" and r.path == path)


def test_the_proxys_client_address_is_believed_only_from_a_trusted_proxy(
    settings, caplog, home_page
):
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1", "10.0.0.0/8"]
    caplog.set_level(logging.INFO, logger="ops.request")
    cases = {
        "/?a": ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # from the proxy
        "/?b": ("10.1.2.3", "203.0.113.10", "203.0.113.10"),  # a proxy in a trusted network
        "/?c": ("198.51.100.7", "203.0.113.11", "198.51.100.7"),  # straight to the app server
        "/?d": ("127.0.0.1", "not-an-address", "127.0.0.1"),  # garbage from the proxy
    }
    seen = {}
    for query, (peer, claimed, _) in cases.items():
        caplog.clear()
        Client(REMOTE_ADDR=peer).get(query, HTTP_X_REAL_IP=claimed)
        seen[query] = _access_record(caplog, "/").client

    assert seen == {query: expected for query, (_, _, expected) in cases.items()}


def test_access_log_lines_are_json_with_request_id_and_no_query_string(client, caplog, home_page):
    caplog.set_level(logging.INFO, logger="ops.request")
    from django_guid.log_filters import CorrelationId

    given = uuid.uuid4().hex
    client.get("/?s=signature-that-must-not-be-logged", HTTP_X_REQUEST_ID=given)
    record = _access_record(caplog, "/")
    CorrelationId().filter(record)
    line = json.loads(JsonFormatter().format(record))

    assert line["request_id"] is None or line["request_id"] == given
    assert line["logger"] == "ops.request"
    assert line["status"] == 200 and line["method"] == "GET" and line["path"] == "/"
    assert "signature-that-must-not-be-logged" not in json.dumps(line)
    assert {"time", "level", "message", "ms", "client", "host", "process"} <= set(line)


@pytest.mark.urls("tests.ops.urls_failing")
def test_an_unexpected_error_shows_a_vietnamese_page_and_logs_the_traceback(caplog):
    client = Client(raise_request_exception=False)
    caplog.set_level(logging.ERROR, logger="django.request")

    response = client.get("/boom/", HTTP_X_REQUEST_ID=uuid.uuid4().hex)

    page = response.content.decode()
    assert response.status_code == 500
    assert "Đã có lỗi" in page
    assert response["X-Request-ID"] in page  # the user can quote it to the administrator
    assert "hunter2" not in page and "RuntimeError" not in page and "Traceback" not in page
    record = next(r for r in caplog.records if r.name == "django.request")
    line = json.loads(JsonFormatter().format(record))
    assert "hunter2" in line["exc_info"]  # the details are in the log
    assert line["path"] == "/boom/" and line["method"] == "GET"


def test_an_unknown_page_gets_a_vietnamese_404(client, home_page):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_an_expired_form_gets_a_vietnamese_403(home_page):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@b.vn", "password": "x"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
