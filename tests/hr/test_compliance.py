"""The compliance dashboard: every number against a direct count, scope by subtree,
drill-down, export, and a query count that does not grow with the tree."""

import csv
import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation, User
from audit.models import AuditEntry
from certificates.models import Certificate
from courses.models import Assignment, Enrolment, LearningPath, LearningPathCourse
from hr import compliance
from tests.factories.accounts import UserFactory
from tests.factories.certificates import certificate_create
from tests.factories.courses import catalogue_create, course_create
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(home_page):
    catalogue = catalogue_create(home_page)
    return [course_create(catalogue, code=f"HR-{n}", lessons=1)[0] for n in range(3)]


@pytest.fixture
def paths(courses):
    investigator = LearningPath.objects.create(
        name="Lộ trình điều tra viên", job_role="investigator", due_days=30
    )
    judge = LearningPath.objects.create(name="Lộ trình thẩm phán", job_role="judge", due_days=None)
    for order, course in enumerate(courses[:2]):
        LearningPathCourse.objects.create(path=investigator, course=course, sort_order=order)
    LearningPathCourse.objects.create(path=judge, course=courses[2], sort_order=0)
    # Paths made long ago: people who joined more than 30 days back are due already.
    LearningPath.objects.update(created_at=timezone.now() - timedelta(days=365))
    investigator.refresh_from_db()
    judge.refresh_from_db()
    return {"investigator": investigator, "judge": judge}


def seed(tree, courses, paths, *, per_unit: int, rng: random.Random):
    """Staff in every unit of the tree with a mix of progress, due dates and certificates."""
    now = timezone.now()
    units = list(Organisation.objects.all())
    made = []
    for unit in units:
        for n in range(per_unit):
            role = rng.choice(["investigator", "judge", "prosecutor"])
            user = UserFactory(
                email=f"u{unit.pk}-{n}-{rng.randrange(10**9)}@seed.example",
                job_role=role,
                organisation=unit,
            )
            joined = now - timedelta(days=rng.choice([5, 40, 100]))
            User.objects.filter(pk=user.pk).update(date_joined=joined)
            for course in courses:
                roll = rng.random()
                if roll < 0.35:
                    continue
                status = "completed" if roll > 0.6 else ("withdrawn" if roll > 0.55 else "active")
                Enrolment.objects.create(
                    user=user,
                    course=course,
                    source="assignment",
                    status=status,
                    completed_at=now if status == "completed" else None,
                )
            if role == "prosecutor" and rng.random() < 0.5:
                Assignment.objects.create(
                    user=user, path=paths["judge"], due_date=timezone.localdate() - timedelta(3)
                )
            if role == "investigator" and rng.random() < 0.3:
                Assignment.objects.create(
                    user=user,
                    path=paths["investigator"],
                    due_date=timezone.localdate() + timedelta(10),
                )
            if rng.random() < 0.5:
                expires = timezone.localdate() + timedelta(days=rng.choice([-5, 10, 45, 80, 400]))
                certificate = certificate_create(user=user, course=courses[0], expires_on=expires)
                if rng.random() < 0.2:
                    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=now)
            made.append(user)
    return made


def expected(unit, direct, path, *, job_role="", due_before=None):
    """Counted in Python, person by person, from the rules the dashboard states."""
    today = timezone.localdate()
    courses = set(
        LearningPathCourse.objects.filter(path=path, course__live=True).values_list(
            "course_id", flat=True
        )
    )
    counts = dict.fromkeys(compliance.STATUSES, 0)
    for user in User.objects.filter(is_active=True, organisation__isnull=False):
        path_text = user.organisation.path
        if (direct and path_text != unit.path) or not path_text.startswith(unit.path):
            continue
        if job_role and user.job_role != job_role:
            continue
        personal = Assignment.objects.filter(user=user, path=path)
        if not (user.job_role == path.job_role or personal.exists()):
            continue
        enrolments = Enrolment.objects.filter(user=user, course_id__in=courses).exclude(
            status="withdrawn"
        )
        done = enrolments.filter(status="completed").count()
        started = enrolments.count()
        dated = [a.due_date for a in personal if a.due_date]
        if dated:
            due = min(dated)
        elif path.due_days:
            start = max(user.date_joined, path.created_at)
            due = timezone.localtime(start).date() + timedelta(days=path.due_days)
        else:
            due = None
        if due_before is not None and (due is None or due > due_before):
            continue
        counts["required"] += 1
        is_done = done >= len(courses)
        counts["completed"] += is_done
        counts["in_progress"] += (not is_done) and started > 0
        counts["not_started"] += (not is_done) and started == 0
        counts["overdue"] += (not is_done) and due is not None and due < today
    return counts


def expected_certificates(unit, direct):
    today = timezone.localdate()
    counts = dict.fromkeys(compliance.CERTIFICATE_STATUSES, 0)
    # Certificates count where they were issued, whatever unit the holder is in today.
    for c in Certificate.objects.filter(superseded_by__isnull=True).select_related("organisation"):
        path_text = c.organisation.path
        if (direct and path_text != unit.path) or not path_text.startswith(unit.path):
            continue
        if c.revoked_at:
            counts["revoked"] += 1
            continue
        if c.expires_on and c.expires_on < today:
            counts["expired"] += 1
            continue
        counts["valid"] += 1
        for days in (30, 60, 90):
            if c.expires_on and c.expires_on <= today + timedelta(days):
                counts[f"expiring_{days}"] += 1
    return counts


@pytest.mark.parametrize("mask_bits", [compliance.MASK_BITS, 1])
def test_every_number_matches_a_direct_count_and_officers_see_only_their_subtree(
    client, tree, courses, paths, hr_officer, monkeypatch, mask_bits
):
    # Courses counted as bit sets, and (more courses than bits) one count per path.
    monkeypatch.setattr(compliance, "MASK_BITS", mask_bits)
    seed(tree, courses, paths, per_unit=6, rng=random.Random(14))
    staff_login(client, hr_officer)

    response = client.get("/hr/compliance/")
    assert response.status_code == 200
    data = response.context
    shown = {(r.unit.pk, r.direct) for r in data["rows"]}
    # Province A's headquarters (its own staff) and its two departments; nothing of B.
    assert shown == {(tree["a"].pk, True), (tree["a_pc02"].pk, False), (tree["a_pc06"].pk, False)}
    for row in data["rows"]:
        for path in paths.values():
            assert row.counts[path.pk] == expected(row.unit, row.direct, path), (row.unit, path)
        assert row.certificates == expected_certificates(row.unit, row.direct)
    assert sum(r.counts[paths["investigator"].pk]["required"] for r in data["rows"]) > 0
    assert sum(r.counts[paths["investigator"].pk]["overdue"] for r in data["rows"]) > 0

    # Expanding a department: its own staff and its team below.
    deeper = client.get(f"/hr/compliance/?unit={tree['a_pc02'].pk}&job_role=investigator")
    for row in deeper.context["rows"]:
        assert row.counts[paths["investigator"].pk] == expected(
            row.unit, row.direct, paths["investigator"], job_role="investigator"
        )

    # A due-date filter, and a unit below the root (whose count reads only its subtree's
    # enrolments), for every path.
    due_before = timezone.localdate() + timedelta(days=5)
    cases = [(f"due_before={due_before}", due_before), (f"unit={tree['a_pc02'].pk}", None)]
    for query, before in cases:
        rows = client.get(f"/hr/compliance/?{query}").context["rows"]
        assert rows
        for row in rows:
            for path in paths.values():
                wanted = expected(row.unit, row.direct, path, due_before=before)
                assert row.counts[path.pk] == wanted, (query, row.unit, path)

    # Another province is out of reach, by unit and by person.
    assert client.get(f"/hr/compliance/?unit={tree['b'].pk}").status_code == 404
    outsider = User.objects.filter(organisation=tree["b_pc02"]).first()
    assert client.get(f"/hr/people/{outsider.pk}/").status_code == 404


def test_drill_down_lists_exactly_the_people_behind_a_number(
    client, tree, courses, paths, hr_officer
):
    seed(tree, courses, paths, per_unit=5, rng=random.Random(3))
    staff_login(client, hr_officer)
    path = paths["investigator"]
    row = next(r for r in client.get("/hr/compliance/").context["rows"] if r.unit == tree["a_pc02"])
    for status in compliance.STATUSES:
        listed = client.get(
            f"/hr/compliance/people/?unit={tree['a_pc02'].pk}&direct=0&path={path.pk}&status={status}"
        )
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == row.counts[path.pk][status], status
        for person in listed.context["page"]:
            assert person.organisation.path.startswith(tree["a_pc02"].path)
    valid = client.get(f"/hr/compliance/people/?unit={tree['a'].pk}&direct=0&certificates=valid")
    assert valid.context["page"].paginator.count == expected_certificates(tree["a"], False)["valid"]


def test_export_is_escaped_audited_and_refused_on_get(client, tree, courses, paths, hr_officer):
    UserFactory(
        email="formula@ag.example",
        full_name='=HYPERLINK("http://x")',
        job_role="investigator",
        organisation=tree["a_pc02"],
    )
    staff_login(client, hr_officer)
    assert client.get("/hr/compliance/export/").status_code == 405

    response = client.post(
        "/hr/compliance/export/",
        {
            "view": "people",
            "unit": tree["a"].pk,
            "direct": "0",
            "path": paths["investigator"].pk,
            "status": "required",
            "format": "csv",
        },
    )

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    entry = AuditEntry.objects.get(action="export.personal_data", actor_id=hr_officer.pk)
    assert entry.data["what"] == "hr_compliance_people"
    assert entry.data["rows"] == len(rows) - 1
    assert entry.data["path"] == str(paths["investigator"].pk)
    xlsx = client.post("/hr/compliance/export/", {"unit": tree["a"].pk, "format": "xlsx"})
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][0] == "Đơn vị"
    assert {line[0] for line in lines[1:]} >= {"Phòng Cảnh sát hình sự"}


def _grow(tree, courses, paths, size):
    seed(tree, courses, paths, per_unit=size, rng=random.Random(size))


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_and_drill_down_make_the_same_queries_at_any_size_depth_or_number_of_paths(
    client, tree, courses, paths, hr_officer
):
    """The same number of queries for a small and a six-times larger tree, for the officer's
    root and a unit below it (a root's ancestors used to cost no query, a province's one),
    and with a third path (one query counts every path)."""
    staff_login(client, hr_officer)
    client.get("/dashboard/")  # the officer's row is cached from here on (accounts.sessionuser)
    # Someone on every list measured (an empty page makes no query for its people).
    UserFactory(email="dtv@ag.example", job_role="investigator", organisation=tree["a_team"])
    path = paths["investigator"].pk
    pages = {
        "dashboard": "/hr/compliance/?unit={unit}",
        "drill-down": f"/hr/compliance/people/?unit={{unit}}&direct=0&path={path}&status=required",
    }
    units = [tree["a"].pk, tree["a_pc02"].pk]
    counts = {}
    for size in (2, 12):
        _grow(tree, courses, paths, size)
        for page, url in pages.items():
            counts[(page, size)] = {_queries(client, url.format(unit=u)) for u in units}
    for page in pages:
        assert len(counts[(page, 2)]) == 1, (page, counts)
        assert counts[(page, 2)] == counts[(page, 12)], (page, counts)
    prosecutor = LearningPath.objects.create(name="Lộ trình kiểm sát viên", job_role="prosecutor")
    LearningPathCourse.objects.create(path=prosecutor, course=courses[1], sort_order=0)
    assert {_queries(client, pages["dashboard"].format(unit=u)) for u in units} == counts[
        ("dashboard", 12)
    ]
    assert max(counts[("dashboard", 12)]) <= 20
    person = User.objects.filter(organisation=tree["a_pc02"]).first()
    assert _queries(client, f"/hr/people/{person.pk}/") <= 22


def test_cached_figures_change_with_the_next_enrolment_completed_or_certificate_revoked(
    client, tree, courses, paths, hr_officer
):
    """The second view reads its figures from the cache (no counting query), and a change
    to what it counts is on the next view: a course completed, a certificate revoked, a
    person leaving the unit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certificates.services import certificate_revoke

    path = paths["judge"]  # one course: completing it completes the path
    judge = UserFactory(email="tp@ag.example", job_role="judge", organisation=tree["a_pc02"])
    enrolment = Enrolment.objects.create(
        user=judge, course=courses[2], source="assignment", status="active"
    )
    certificate = certificate_create(user=judge, course=courses[2])
    staff_login(client, hr_officer)

    def view():
        with CaptureQueriesContext(connection) as queries:
            rows = client.get("/hr/compliance/").context["rows"]
        row = next(r for r in rows if r.unit == tree["a_pc02"])
        counting = [q for q in queries if "courses_enrolment" in q["sql"]]
        return row.counts[path.pk], row.certificates, counting

    counts, certificates, counting = view()
    assert counts == expected(tree["a_pc02"], False, path)
    assert (counts["completed"], counts["in_progress"], certificates["valid"]) == (0, 1, 1)
    assert counting
    assert view()[2] == []  # from the cache

    enrolment.status = "completed"
    enrolment.save()
    counts, certificates, counting = view()
    assert counting
    assert (counts["completed"], counts["in_progress"]) == (1, 0)
    assert counts == expected(tree["a_pc02"], False, path)

    certificate_revoke(certificate=certificate, by=hr_officer, reason="Cấp nhầm")
    certificates = view()[1]
    assert (certificates["valid"], certificates["revoked"]) == (0, 1)
    assert certificates == expected_certificates(tree["a_pc02"], False)

    judge.organisation = tree["a_pc06"]
    judge.save()
    assert view()[0]["required"] == 0
