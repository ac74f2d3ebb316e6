"""The benchmark's Django side, run under the production settings by scripts/bench/core.py:

    django_side.py setup GROUP OPTIONS_JSON   a group's data; prints its facts as JSON
    django_side.py probe SCENARIOS_JSON       queries and writes of one GET per page
    django_side.py call MODULE:FUNCTION JSON  a group's own function (e.g. checks after)

Its last line of output is JSON.
"""

import importlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def csrf_pair() -> tuple[str, str]:
    """A CSRF cookie (Cookie header part) and the matching form token."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    return f"{settings.CSRF_COOKIE_NAME}={secret}", secret


def session_cookie_for(user) -> str:
    """A signed-in session for `user` in the session store, as a Cookie header value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(7 * 24 * 3600)
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def probe(scenarios: list[dict]) -> dict:
    """One warm-up GET, then one counted GET of each page, as the benchmark's client."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    host = settings.PLATFORM_BASE_URL.split("://", 1)[1]
    out = {}
    for scenario in scenarios:
        client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="vi")
        for pair in filter(None, (scenario.get("cookie") or "").split("; ")):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        client.get(scenario["path"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(scenario["path"])
        sql = [q["sql"] for q in captured.captured_queries]
        out[scenario["name"]] = {
            "status": response.status_code,
            "queries": len(sql),
            "writes": sum(1 for s in sql if WRITE.match(s)),
            "write_sql": [s[:200] for s in sql if WRITE.match(s)][:5],
            "bytes": len(
                b"".join(response.streaming_content) if response.streaming else response.content
            ),
        }
    return out


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "setup":
        group = importlib.import_module(f"scripts.bench.{sys.argv[2]}").GROUP
        options = json.loads(sys.argv[3])
        result = group.setup_data(options) if group.setup_data else {}
    elif command == "probe":
        result = probe(json.loads(sys.argv[2]))
    elif command == "call":  # a group's own check: module:function, with JSON arguments
        module, function = sys.argv[2].split(":")
        result = getattr(importlib.import_module(module), function)(json.loads(sys.argv[3]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
