"""An HR officer of a department tries to reach people, imports and units outside their
subtree (a sibling department, the headquarters above them, another province) through
every HR route: each id is put in every route that takes one, found by walking the URL
resolver, with GET and POST; every answer is 403, 404 or 405, and nothing is written."""

import pytest

from audit.models import AuditEntry
from certificates.models import Certificate
from hr.models import ImportKind, RosterImport, TranscriptRecord
from hr.services import roster_read
from tests.factories.accounts import UserFactory
from tests.factories.certificates import certificate_create
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import staff_login
from tests.urlwalk import walk

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}


@pytest.fixture
def world(tree, home_page):
    from accounts.roles import HR_OFFICER

    attacker = UserFactory(
        email="ke.tan.cong@ag.example", role=HR_OFFICER, organisation=tree["a_pc02"]
    )
    victims = {
        "sibling": UserFactory(email="pc06@ag.example", organisation=tree["a_pc06"]),
        "above": UserFactory(email="hq@ag.example", organisation=tree["a"]),
        "other province": UserFactory(email="bt@bt.example", organisation=tree["b_pc02"]),
    }
    course, _lessons = course_create(catalogue_create(home_page), code="HR-ATK", lessons=1)
    insider = UserFactory(email="doi1@ag.example", organisation=tree["a_team"])
    for person in [insider, *victims.values()]:
        certificate_create(user=person, course=course)
    other_officer = UserFactory(
        email="nhansu.bt@bt.example", role=HR_OFFICER, organisation=tree["b"]
    )
    foreign_import = roster_read(
        data=b"full_name,email,staff_id,job_role,unit\nX,x@bt.example,BT-1,judge,CA-BT-PC02\n",
        filename="bt.csv",
        kind=ImportKind.STAFF,
        actor=other_officer,
        scope=tree["b"],
    )
    return {
        "attacker": attacker,
        "insider": insider,
        "victims": victims,
        "foreign_import": foreign_import,
    }


def _hr_routes(values):
    return [
        route
        for route in walk(values)
        if route.dotted.startswith("hr.views.") and route.route.startswith("hr/")
    ]


def test_no_hr_route_reaches_a_person_or_import_outside_the_subtree(client, world, tree):
    staff_login(client, world["attacker"])
    victims = list(world["victims"].values())
    values = {
        "user_id": [v.pk for v in victims],
        "roster_id": [world["foreign_import"].pk],
        "kind": ["staff"],
        "fmt": ["csv"],
    }
    routes = [r for r in _hr_routes(values) if "<" in r.route]
    # Enumerated, not listed: the person, the PDF, the preview and its apply at least.
    assert {r.name for r in routes} >= {
        "transcript",
        "transcript_pdf",
        "import_preview",
        "import_apply",
    }
    audit_before = AuditEntry.objects.count()
    answers = {}
    for route in routes:
        if route.name == "import_template":
            continue  # an empty form with examples: no one's data
        for sample in route.samples:
            for method in ("get", "post"):
                answers[(method, sample)] = getattr(client, method)(sample).status_code
    leaked = {k: v for k, v in answers.items() if v not in REFUSED}
    assert leaked == {}
    assert len(answers) >= 2 * (2 * len(victims) + 2)
    assert not TranscriptRecord.objects.exists()
    assert RosterImport.objects.get().applied_at is None
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("outside", ["a", "a_pc06", "b", "b_pc02"])
def test_no_dashboard_list_or_export_opens_a_unit_outside_the_subtree(client, world, tree, outside):
    staff_login(client, world["attacker"])
    unit = tree[outside].pk
    audit_before = AuditEntry.objects.count()
    queries = [
        f"unit={unit}",
        f"unit={unit}&direct=1&certificates=valid",
        f"unit={unit}&direct=0&certificates=revoked",
    ]
    for query in queries:
        assert client.get(f"/hr/compliance/?{query}").status_code == 404, query
        assert client.get(f"/hr/compliance/people/?{query}").status_code == 404, query
        for view in ("people", "dashboard"):
            response = client.post(
                "/hr/compliance/export/",
                {**dict(p.split("=") for p in query.split("&")), "view": view, "format": "csv"},
            )
            assert response.status_code == 404, (query, view)
    assert AuditEntry.objects.count() == audit_before


def test_without_a_unit_the_lists_hold_only_the_subtree(client, world, tree):
    staff_login(client, world["attacker"])
    listed = client.get("/hr/compliance/people/?direct=0&certificates=valid")
    assert listed.status_code == 200
    # The team below the attacker's department is theirs; nobody else's certificate is.
    assert {c.user_id for c in listed.context["page"]} == {world["insider"].pk}
    assert Certificate.objects.count() == 4
