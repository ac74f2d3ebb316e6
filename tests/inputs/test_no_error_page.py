"""No error page on hostile input, for every endpoint the URL resolver knows (the platform's
and the content origin's, Wagtail admin and allauth included, and any app added later),
as an anonymous visitor, a trainee, a trainer, an HR officer and an administrator (staff
with this session's MFA step).

Every route gets hostile query strings, bodies and path values (tests/inputs/hostile.py).
No answer may be a 5xx; a 4xx must say in Vietnamese what was wrong; and a request answered
with a 4xx writes nothing (its SQL is recorded: no INSERT, UPDATE or DELETE but the
session's). Each request runs in a savepoint rolled back afterwards, so all see the same
world. To keep the run short the inputs are shared out in turn (a Latin square): each of
the five roles sends every one of our routes a query string, two bodies and two path values,
so that together they send it every input; a dependency's route (Wagtail, allauth) gets one
of each per role, and its staff screens only from the trainer and the administrator.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import ADMINISTRATOR, HR_OFFICER, TRAINER
from assessments.services import attempt_start
from courses.services import enrolment_create
from tests.browser.english import english_words
from tests.factories.accounts import UserFactory, organisation_create
from tests.factories.assessments import SINGLE, question_create, quiz_create
from tests.factories.certificates import certificate_create
from tests.factories.courses import catalogue_create, course_create
from tests.inputs import hostile
from tests.mfa import password_login, staff_login
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")
_VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
# Writes a refused request may make: the session (messages, allauth's state).
_ALLOWED_WRITES = ("django_session",)
_WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)\"?", re.IGNORECASE)
# Sign-out ends the session under test; it is no input-taking endpoint.
# Wagtail's error test page raises on purpose (superusers only; the 500 page is ours).
_SKIP = ("/accounts/logout/", "/admin/failwhale/")
# The platform's own apps, as import-linter knows them: an app added later is in the walk
# with the full set of inputs as soon as it is routed.
OUR_APPS = set(
    tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["importlinter"][
        "root_packages"
    ]
)
# Wagtail's admin API answers the admin's own scripts, never a person: its 4xx messages are
# Wagtail's English strings, outside its translation catalogue.
# Wagtail's multiple upload answers its uploader script, which always sends a file.
_MACHINE_ONLY = ("/admin/api/", "/admin/images/multiple/add/", "/admin/documents/multiple/add/")
STAFF_PREFIXES = tuple(settings.MFA_REQUIRED_PATH_PREFIXES)


@pytest.fixture
def world(home_page):
    unit = organisation_create("Công an tỉnh Mẫu")
    holder = UserFactory(organisation=unit, staff_id="CA-1")
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-F1", lessons=1)
    quiz = quiz_create(course, [question_create("q-fuzz", "single_choice", SINGLE)])
    enrolment_create(user=holder, course=course)
    attempt = attempt_start(user=holder, quiz=quiz)
    certificate = certificate_create(user=holder, course=course)
    return {
        "unit": unit,
        "holder": holder,
        "course": course,
        "lesson": lessons[0],
        "quiz": quiz,
        "attempt": attempt,
        "certificate": certificate,
    }


def _values(world) -> dict:
    return {
        "code": [world["certificate"].code],
        "course_id": [world["course"].pk],
        "lesson_id": [world["lesson"].pk],
        "quiz_id": [world["quiz"].pk],
        "attempt_id": [world["attempt"].pk],
        "page_id": [world["course"].pk],
        "pk": [world["course"].pk],
    }


def _clients(world) -> dict[str, Client]:
    def client():
        return Client(raise_request_exception=False)

    anonymous = client()
    trainee = client()
    password_login(trainee, world["holder"])
    out = {"anonymous": anonymous, "trainee": trainee}
    for name, role, extra in (
        ("trainer", TRAINER, {}),
        ("hr", HR_OFFICER, {"organisation": world["unit"]}),
        ("admin", ADMINISTRATOR, {"is_superuser": True}),
    ):
        out[name] = client()
        staff_login(out[name], UserFactory(role=role, **extra))
    return out


def _hostile_paths(route, index: int) -> list[str]:
    """The route's sample path with one parameter at a time replaced by a hostile value."""
    sample = route.samples[0] if route.samples else route.candidates[0]
    names = [a or b for a, b in _PARAM.findall(route.route)]
    if not names:
        return []
    # The sample has each parameter's value in the place the pattern has it; swap the
    # first one that appears in the sample for the hostile value.
    value = hostile.PATH_VALUES[index % len(hostile.PATH_VALUES)]
    pieces = sample.strip("/").split("/")
    swapped = ["/".join([*pieces[:i], value, *pieces[i + 1 :]]) for i in range(len(pieces))]
    return ["/" + swapped[index % len(swapped)] + "/"]


def _message(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        data = response.json()
        if isinstance(data, dict) and "message" in data:
            return str(data["message"])
        return json.dumps(data, ensure_ascii=False)  # allauth: {"errors": [{"message"...}]}
    return response.content.decode("utf-8", "replace")


def _is_message(response) -> bool:
    """A JSON answer's own message (not a form dump whose keys are English names)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    data = response.json()
    return isinstance(data, dict) and "message" in data


def _check(problems, label, response, queries):
    status = response.status_code
    if status >= 500:
        problems.append(f"{label}: {status}")
        return
    if 400 <= status < 500 and status != 405 and not label.split()[2].startswith(_MACHINE_ONLY):
        text = _message(response)
        if not _VIETNAMESE.search(text):
            problems.append(f"{label}: {status} without a Vietnamese message: {text[:120]!r}")
        elif _is_message(response) and english_words(text):
            problems.append(f"{label}: {status} message in English: {text[:120]!r}")
        writes = [
            m.group(2)
            for q in queries
            if (m := _WRITE.match(q["sql"])) and m.group(2) not in _ALLOWED_WRITES
        ]
        if writes:
            problems.append(f"{label}: {status} but wrote to {sorted(set(writes))}")


def _send(client, method, path, **kwargs):
    """One request in a savepoint that is rolled back: it sees the world, leaves it alone."""
    from django.core.cache import cache

    cache.clear()  # rate-limit counters: every request reaches its view
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **kwargs)
        transaction.set_rollback(True)
    return response, queries.captured_queries


def _requests(route, sample: str, turn: int, *, share: int) -> list[tuple]:
    """The hostile requests one role sends to one route: `share` bodies and path values and
    one query string, picked by `turn` so that the roles together cover every input."""
    out = [("get", f"{sample}?{hostile.QUERIES[turn % len(hostile.QUERIES)]}", {}, "query")]
    for i in range(turn * share, turn * share + share):
        name, body, content_type = hostile.BODIES[i % len(hostile.BODIES)]
        out.append(("post", sample, {"data": body, "content_type": content_type}, name))
        out += [("get", path, {}, "path") for path in _hostile_paths(route, i)]
    return out


def _ours(route) -> bool:
    module = getattr(route.view, "__module__", "")
    return module.split(".")[0] in OUR_APPS


def test_no_endpoint_answers_hostile_input_with_an_error_page(world, vietnamese):
    from content.h5p.middleware import content_host

    routes = [(r, {}) for r in walk(_values(world)) if r.samples or r.candidates]
    content_origin = {"HTTP_HOST": content_host()}
    routes += [(r, content_origin) for r in walk(urlconf="content.h5p.urls")]
    assert len(routes) > 300  # the Wagtail admin and the content origin are in the walk
    ours = [r for r, _ in routes if _ours(r)]
    assert len(ours) > 20
    clients = _clients(world)
    staff_roles = {"trainer": clients["trainer"], "admin": clients["admin"]}
    problems = []
    sent = 0
    for r_index, (route, extra) in enumerate(routes):
        sample = route.samples[0] if route.samples else route.candidates[0]
        if sample.startswith(_SKIP):
            continue
        if _ours(route):
            # Our views: five roles, two bodies and two path values each, so every input.
            senders, share = clients, 2
        elif sample.startswith(STAFF_PREFIXES):
            # A dependency's staff screens (the Wagtail admin): the guard turns the other
            # roles away before any view runs (tests/accounts/test_mfa_per_session.py).
            senders, share = staff_roles, 1
        else:
            senders, share = clients, 1
        for k, (role, client) in enumerate(senders.items()):
            for method, path, kwargs, what in _requests(route, sample, r_index + k, share=share):
                response, queries = _send(client, method, path, **extra, **kwargs)
                sent += 1
                _check(
                    problems, f"{role} {method.upper()} {path[:100]} ({what})", response, queries
                )
    assert problems == [], "\n".join(problems)
    assert sent > 2000, sent
