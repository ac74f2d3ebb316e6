"""No error page on hostile input, for every endpoint the URL resolver knows (the platform's
and the content origin's, Wagtail admin, allauth, the workshops and HR views, and any app or
view added later: nothing is listed by hand).

Each route is driven by hypothesis as the roles that reach its view (the staff areas as the
staff who use them; a dependency's admin screens as the administrator, who sees them all):
hostile query strings, bodies and path values from tests/inputs/hostile.py, mixed with
generated junk (random parameters and values, random JSON, random bytes under a random
content type, random path segments). No answer may be a 5xx; a 4xx must say in Vietnamese
what was wrong; and a request answered with a 4xx writes nothing (every statement it runs
is seen: no INSERT, UPDATE or DELETE but the session's). Each request runs in a savepoint
rolled back afterwards, so all see the same world.

Two hypothesis profiles: `hostile-fuzz` (the default, in `make test`: a few examples per
route, every route, derandomised so a run is reproducible; about 20 s on a quiet machine,
55 s at load 4) and `hostile-deep` (HOSTILE_FUZZ=deep: every hostile input of the catalogue
to every route from every role, then 3,000 generated examples; about 9 minutes, for a change
to the guards or a new app).
"""

import json
import os
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.encoding import repercent_broken_unicode
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

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
from tests.workshops.conftest import session_create, step_create

pytestmark = pytest.mark.django_db

hsettings.register_profile(
    "hostile-fuzz",
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),  # a failure is reported as found, not shrunk
    suppress_health_check=list(HealthCheck),
)
hsettings.register_profile(
    "hostile-deep", parent=hsettings.get_profile("hostile-fuzz"), max_examples=3000
)
DEEP = os.environ.get("HOSTILE_FUZZ") == "deep"
PROFILE = hsettings.get_profile("hostile-deep" if DEEP else "hostile-fuzz")
# Catalogue inputs per route: our own views get more than a dependency's.
SHARE_OURS = 8
SHARE_DEPENDENCY = 2

_VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
# Writes a refused request may make: the session (messages, allauth's state).
_ALLOWED_WRITES = ("django_session",)
_WRITE = re.compile(r"^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)\"?", re.IGNORECASE)
# Sign-out ends the session under test; it is no input-taking endpoint.
# Wagtail's error test page raises on purpose (superusers only; the 500 page is ours).
_SKIP = ("/accounts/logout/", "/admin/failwhale/")
# The platform's own apps, as import-linter knows them: an app added later is in the walk
# with the larger share of examples as soon as it is routed.
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

# Generated junk: parameter names views read, values a careless view chokes on.
_PARAM_NAMES = (
    "p",
    "page",
    "q",
    "ordering",
    "sort",
    "order_by",
    "id",
    "pk",
    "course",
    "user",
    "status",
    "next",
    "format",
    "export",
    "page_size",
    "per_page",
    "limit",
    "offset",
    "date_from",
    "date_to",
    "locale",
    "action",
    "parent_page_id",
    "content_type",
    "batch",
    "code",
    "query",
    "session",
    "unit",
    "organisation",
)
_NASTY = (
    "99999999999999999999999",
    "-99999999999999999999999",
    "-1",
    "0",
    "NaN",
    "1e999",
    "' OR 1=1 --",
    "\u202e",
    "0x1f",
    "",
    "ệ" * 300,
    "../../etc/passwd",
    "[]",
    '{"a":',
    "2026-13-45",
    "９",
    "\x00",
    "%ff",
)
_TEXT = st.one_of(
    st.sampled_from(_NASTY), st.text(st.characters(codec="utf-8"), max_size=30), st.integers()
).map(str)
_QUERY = st.lists(
    st.tuples(st.sampled_from(_PARAM_NAMES) | st.text(min_size=1, max_size=8), _TEXT),
    min_size=1,
    max_size=5,
).map(urlencode)
_JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)
_CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/csv",
    "text/plain",
    "application/octet-stream",
)


def _junk_bodies():
    form = st.dictionaries(st.sampled_from(_PARAM_NAMES) | st.text(max_size=8), _TEXT).map(
        lambda data: ("junk form", urlencode(data).encode(), "application/x-www-form-urlencoded")
    )
    as_json = _JSON.map(lambda data: ("junk JSON", json.dumps(data).encode(), "application/json"))
    raw = st.tuples(st.binary(max_size=300), st.sampled_from(_CONTENT_TYPES)).map(
        lambda pair: ("junk bytes", *pair)
    )
    return form | as_json | raw


@pytest.fixture
def world(home_page):
    unit = organisation_create("Công an tỉnh Mẫu")
    holder = UserFactory(organisation=unit, staff_id="CA-1")
    trainer = UserFactory(role=TRAINER)
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-F1", lessons=1)
    quiz = quiz_create(course, [question_create("q-fuzz", "single_choice", SINGLE)])
    enrolment_create(user=holder, course=course)
    attempt = attempt_start(user=holder, quiz=quiz)
    certificate = certificate_create(user=holder, course=course)
    session = session_create(step_create(course), capacity=5)
    session.trainers.add(trainer)
    from workshops.models import Registration

    registration = Registration.objects.create(
        session=session,
        step=session.step,
        user=holder,
        status="registered",
        queued_at=session.starts_at - timedelta(days=1),
    )
    from hr.models import ImportKind
    from hr.services import roster_read

    roster = roster_read(
        data=b"full_name,email,staff_id,job_role,unit\nA,a@fuzz.example,CA-2,judge,X\n",
        filename="roster.csv",
        kind=ImportKind.STAFF,
        actor=None,
        scope=unit,
    )
    return {
        "unit": unit,
        "roster": roster,
        "holder": holder,
        "trainer": trainer,
        "course": course,
        "lesson": lessons[0],
        "quiz": quiz,
        "attempt": attempt,
        "certificate": certificate,
        "session": session,
        "registration": registration,
    }


def _values(world) -> dict:
    from courses.calendar import feed_renew, feed_token

    return {
        "feed_token": [feed_token(feed_renew(user=world["holder"]))],
        "code": [world["certificate"].code],
        "course_id": [world["course"].pk],
        "lesson_id": [world["lesson"].pk],
        "quiz_id": [world["quiz"].pk],
        "attempt_id": [world["attempt"].pk],
        "page_id": [world["course"].pk],
        "pk": [world["course"].pk],
        "session_id": [world["session"].pk],
        "registration_id": [world["registration"].pk],
        "roster_id": [world["roster"].pk],
        "user_id": [world["holder"].pk],
        "kind": ["staff"],
        "fmt": ["csv"],
    }


def _clients(world) -> dict[str, Client]:
    def client():
        return Client(raise_request_exception=False)

    out = {"anonymous": client(), "trainee": client()}
    password_login(out["trainee"], world["holder"])
    out["trainer"] = client()
    staff_login(out["trainer"], world["trainer"])
    out["hr"] = client()
    staff_login(out["hr"], UserFactory(role=HR_OFFICER, organisation=world["unit"]))
    out["admin"] = client()
    staff_login(out["admin"], UserFactory(role=ADMINISTRATOR, is_superuser=True))
    return out


def _ours(route) -> bool:
    module = getattr(route.view, "__module__", "")
    return module.split(".")[0] in OUR_APPS


def _senders(route, sample: str) -> tuple[str, ...]:
    """The roles whose requests reach this route's view (and not only a sign-in redirect)."""
    if DEEP:
        if _ours(route) or not sample.startswith(STAFF_PREFIXES):
            return ("anonymous", "trainee", "trainer", "hr", "admin")
        return ("trainer", "admin")
    if sample.startswith("/hr/"):
        return ("hr", "admin")
    if sample.startswith(STAFF_PREFIXES):
        return ("trainer", "admin") if _ours(route) else ("admin",)
    return ("anonymous", "trainee", "admin") if _ours(route) else ("anonymous", "trainee")


def _reaches(path: str, route, urlconf) -> bool:
    """Whether `path`, as the server will see it, still resolves to this route's view."""
    seen = repercent_broken_unicode(unquote_to_bytes(path)).decode()
    try:
        match = resolve(seen, urlconf)
    except (Resolver404, UnicodeError, ValueError):
        return False
    return match.func is route.callback or match.route == route.route


def _swaps(sample: str, value: str) -> list[str]:
    pieces = sample.strip("/").split("/")
    return [
        "/" + "/".join([*pieces[:i], value, *pieces[i + 1 :]]) + "/" for i in range(len(pieces))
    ]


def _catalogue(sample: str) -> list[tuple]:
    """Every hostile input of the catalogue for this route: each query string, each body,
    and each path value in each place of the path (kept only if it reaches the view)."""
    out = [("get", f"{sample}?{query}", {}, "query") for query in hostile.QUERIES]
    out += [
        ("post", sample, {"data": body, "content_type": content_type}, name)
        for name, body, content_type in hostile.BODIES
    ]
    # The other methods a view may take a body on (Wagtail's dismissibles take PATCH).
    out += [
        (method, sample, {"data": body, "content_type": content_type}, f"{name} ({method})")
        for method in ("put", "patch", "delete")
        for name, body, content_type in hostile.BODIES
        if name in {"deep JSON", "NaN JSON", "invalid UTF-8 form"}
    ]
    out += [
        ("get", path, {}, "path") for value in hostile.PATH_VALUES for path in _swaps(sample, value)
    ]
    return out


def _junk(sample: str):
    """Generated requests: a random query, a random body, or a random path segment."""
    query = _QUERY.map(lambda q: ("get", f"{sample}?{q}", {}, "junk query"))
    methods = st.sampled_from(("post", "post", "put", "patch", "delete"))
    body = st.tuples(methods, _junk_bodies()).map(
        lambda mb: (mb[0], sample, {"data": mb[1][1], "content_type": mb[1][2]}, mb[1][0])
    )
    places = len(_swaps(sample, "x"))
    path = st.tuples(_TEXT, st.integers(0, places - 1)).map(
        lambda pair: (
            "get",
            _swaps(sample, quote(pair[0], safe="") or "-")[pair[1]],
            {},
            "junk path",
        )
    )
    return query | body | path


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


def _problem(path, response, writes) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if 400 <= status < 500 and status != 405 and not path.startswith(_MACHINE_ONLY):
        text = _message(response)
        if not _VIETNAMESE.search(text):
            return f"{status} without a Vietnamese message: {text[:120]!r}"
        if _is_message(response) and english_words(text):
            return f"{status} message in English: {text[:120]!r}"
        if writes:
            return f"{status} but wrote to {sorted(set(writes))}"
    return None


def _send(client, method, path, **kwargs):
    """One request in a savepoint that is rolled back: it sees the world, leaves it alone.
    Every statement it runs is looked at (not the query log, which keeps only 9,000)."""
    writes = []

    def watch(execute, sql, params, many, context):
        if (m := _WRITE.match(sql)) and m.group(1) not in _ALLOWED_WRITES:
            writes.append(m.group(1))
        return execute(sql, params, many, context)

    cache.clear()  # rate-limit counters: every request reaches its view
    with transaction.atomic(), connection.execute_wrapper(watch):
        response = getattr(client, method)(path, **kwargs)
        transaction.set_rollback(True)
    return response, writes


class _Run:
    def __init__(self, clients):
        self.clients = clients
        self.problems: dict[tuple, str] = {}
        self.sent = 0
        self.routes = 0

    def send(self, role, request, extra, route=None, urlconf=None) -> bool:
        """Send one request (False, and nothing sent, for a path that no longer reaches
        the route's view: the resolver's 404 is the same for every such path)."""
        method, path, kwargs, what = request
        if route is not None and what.endswith("path") and not _reaches(path, route, urlconf):
            return False
        response, writes = _send(self.clients[role], method, path, **extra, **kwargs)
        self.sent += 1
        if problem := _problem(path, response, writes):
            key = (role, method, path[:60], what)
            text = f"{role} {method.upper()} {path[:100]} ({what}): {problem}"
            if DEEP and key not in self.problems:
                print(text, flush=True)  # a long run shows what it finds as it goes
            self.problems.setdefault(key, text)
        return True

    def drive(self, index: int, route, extra, urlconf):
        """The route's share of the catalogue: taken in turn (each route starts where the
        previous one's turn left it, so across routes every input is sent to many), from
        its roles in turn; every input from every role with HOSTILE_FUZZ=deep."""
        sample = _sample(route)
        self.routes += 1
        senders = _senders(route, sample)
        catalogue = _catalogue(sample)
        if DEEP:
            for role in senders:
                for request in catalogue:
                    self.send(role, request, extra, route, urlconf)
            return
        share = SHARE_OURS if _ours(route) else SHARE_DEPENDENCY
        sent = 0
        for j in range(len(catalogue)):
            if sent == share:
                break
            request = catalogue[(index * share + j) % len(catalogue)]
            sent += self.send(
                senders[(index + sent) % len(senders)], request, extra, route, urlconf
            )


def _sample(route) -> str:
    return route.samples[0] if route.samples else route.candidates[0]


def test_no_endpoint_answers_hostile_input_with_an_error_page(world, vietnamese):
    from content.h5p.middleware import content_host

    routes = [(r, {}, None) for r in walk(_values(world)) if r.samples or r.candidates]
    content_origin = {"HTTP_HOST": content_host()}
    routes += [(r, content_origin, "content.h5p.urls") for r in walk(urlconf="content.h5p.urls")]
    assert len(routes) > 300  # the Wagtail admin and the content origin are in the walk
    ours = [r for r, _, _ in routes if _ours(r)]
    assert len(ours) > 20
    assert any(r.route.startswith("hr/") for r in ours)  # the HR views
    assert any(r.route.startswith("admin/workshops/") for r in ours)  # the trainers' tools
    routes = [(r, e, u) for r, e, u in routes if not _sample(r).startswith(_SKIP)]
    run = _Run(_clients(world))
    # Addresses no route takes still get a Vietnamese 4xx (the guards, the 404 page).
    for value in hostile.PATH_VALUES:
        run.send("anonymous", ("get", f"/{value}/", {}, "path"), {})
        run.send("admin", ("get", f"/admin/{value}/", {}, "path"), {})
    run.send("trainee", ("get", f"/learn/?{hostile.HUGE_QUERY}", {}, "huge query"), {})
    # Every route, its share of the catalogue.
    for index, (route, extra, urlconf) in enumerate(routes):
        run.drive(index, route, extra, urlconf)

    # Generated junk on top, for routes picked at random (our own three times as often).
    weighted = [(r, e, u) for r, e, u in routes for _ in range(3 if _ours(r) else 1)]

    @hsettings(PROFILE)
    @given(
        picked=st.sampled_from(weighted).flatmap(
            lambda p: st.tuples(
                st.just(p), st.sampled_from(_senders(p[0], _sample(p[0]))), _junk(_sample(p[0]))
            )
        )
    )
    def junk(picked):
        (route, extra, urlconf), role, request = picked
        run.send(role, request, extra, route, urlconf)

    junk()
    print(f"hostile input: {run.routes} routes, {run.sent} requests")
    assert list(run.problems.values()) == [], "\n".join(run.problems.values())
    assert run.routes > 300 and run.sent > 2 * run.routes, (run.routes, run.sent)
