"""Benchmark the HR compliance dashboard at a province (20,000 staff) and a national tree
(200,000 staff) in one database (a benchmark, not a test).

    export TEST_PG_PORT=55406
    scripts/testdb.sh start
    DATABASE_URL=postgres://postgres@127.0.0.1:$TEST_PG_PORT/bench_hr \\
        DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python scripts/bench_hr.py

Creates the database if need be, migrates it and seeds it once (a national root, provinces
with departments and teams, staff with job roles, enrolments in the role paths' courses and
certificates; province 1 holds --province staff, the whole tree --national). Then, in
interleaved rounds, it opens the dashboard and one drill-down through Django's test client
as an HR officer of the province and one of the national root (sessions that passed the
second factor), and prints the median time, the ratio national/province (issue 14 asks
≤ 11) and the number of queries of each page (the same at both sizes).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROVINCES = 20
DEPARTMENTS = 8
TEAMS = 4
MARK = "BENCH-VN"


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def seed(national: int, province: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Organisation, User
    from certificates.models import Certificate
    from courses.models import CourseIndexPage, Enrolment, LearningPath, LearningPathCourse
    from home.services import site_homepage_ensure
    from tests.factories.courses import catalogue_create, course_create

    rng = random.Random(14)  # noqa: S311 - reproducible data, not secrets
    started = time.monotonic()
    with transaction.atomic():
        # The benchmark's other groups may have made the catalogue already.
        catalogue = CourseIndexPage.objects.first() or catalogue_create(site_homepage_ensure())
        courses = [course_create(catalogue, code=f"BENCH-HR-{n}", lessons=1)[0] for n in range(4)]
        long_ago = timezone.now() - timedelta(days=365)
        paths = []
        for role, members in [("investigator", courses[:2]), ("prosecutor", courses[1:3])]:
            # The starter curriculum (loaded by the benchmark's other groups) may have the
            # role's path already: the benchmark's courses join it.
            path = LearningPath.objects.filter(job_role=role).order_by("pk").first()
            if path is None:
                path = LearningPath.objects.create(
                    name=f"Lộ trình {role}", job_role=role, due_days=90
                )
            first = path.path_courses.count()
            for order, course in enumerate(members, start=first):
                LearningPathCourse.objects.create(path=path, course=course, sort_order=order)
            paths.append(path)
        LearningPath.objects.update(created_at=long_ago)

        # The tree, with treebeard's own path arithmetic, in a few bulk inserts.
        get_path = Organisation._get_path
        root = Organisation.add_root(name="Toàn quốc (đo hiệu năng)", code=MARK)
        nodes, teams = [], {}
        for p in range(1, PROVINCES + 1):
            p_path = get_path(root.path, 2, p)
            nodes.append(
                Organisation(
                    path=p_path,
                    depth=2,
                    numchild=DEPARTMENTS,
                    name=f"Tỉnh {p:02d}",
                    code=f"{MARK}-{p}",
                    agency_type="police",
                    province=f"Tỉnh {p:02d}",
                )
            )
            for d in range(1, DEPARTMENTS + 1):
                d_path = get_path(p_path, 3, d)
                nodes.append(
                    Organisation(
                        path=d_path,
                        depth=3,
                        numchild=TEAMS,
                        name=f"Phòng {d}",
                        code=f"{MARK}-{p}-{d}",
                        agency_type="police",
                    )
                )
                for t in range(1, TEAMS + 1):
                    nodes.append(
                        Organisation(
                            path=get_path(d_path, 4, t),
                            depth=4,
                            numchild=0,
                            name=f"Đội {t}",
                            code=f"{MARK}-{p}-{d}-{t}",
                            agency_type="police",
                        )
                    )
        Organisation.objects.bulk_create(nodes, batch_size=2000)
        Organisation.objects.filter(pk=root.pk).update(numchild=PROVINCES)
        for unit in Organisation.objects.filter(depth=4, code__startswith=MARK):
            teams.setdefault(unit.path[:8], []).append(unit.pk)
        provinces = sorted(teams)
        first, others = teams[provinces[0]], [t for p in provinces[1:] for t in teams[p]]
    print(f"  tree: {len(nodes) + 1} units ({time.monotonic() - started:.0f} s)", flush=True)

    roles = ["investigator", "prosecutor", "judge", "investigator"]
    now = timezone.now()
    batch = []
    for n in range(national):
        unit = first[n % len(first)] if n < province else others[n % len(others)]
        batch.append(
            User(
                email=f"b{n}@bench.example",
                full_name=f"Cán bộ {n}",
                staff_id=f"B{n}",
                job_role=roles[n % 4],
                organisation_id=unit,
                agency_id=root.pk,  # what User.save() sets; bulk_create does not call it
                password="!",  # noqa: S106 - an unusable password
                date_joined=now - timedelta(days=rng.choice([10, 100, 200])),
            )
        )
        if len(batch) == 10_000:
            User.objects.bulk_create(batch)
            batch = []
    User.objects.bulk_create(batch)
    print(f"  staff: {national} ({time.monotonic() - started:.0f} s)", flush=True)

    ids = list(
        User.objects.filter(agency_id=root.pk, email__endswith="@bench.example").values_list(
            "pk", "organisation_id"
        )
    )
    enrolments, certificates = [], []
    for pk, unit_id in ids:
        for course in courses[:3]:
            roll = rng.random()
            if roll < 0.4:
                continue
            done = roll > 0.65
            enrolments.append(
                Enrolment(
                    user_id=pk,
                    course=course,
                    source="assignment",
                    status="completed" if done else "active",
                    completed_at=now if done else None,
                    progress_percent=100 if done else 30,
                )
            )
        if rng.random() < 0.5:
            certificates.append(
                Certificate(
                    code=f"BENCH-{pk}",
                    user_id=pk,
                    organisation_id=unit_id,  # issued in their unit: HR counts it there
                    course=courses[0],
                    holder_name="Cán bộ",
                    course_title="Khóa đo hiệu năng",
                    issuer_name="Đo hiệu năng",
                    issued_on=now.date(),
                    signature="-",
                    expires_on=now.date() + timedelta(days=rng.choice([-10, 20, 50, 80, 400])),
                )
            )
        if len(enrolments) > 20_000:
            Enrolment.objects.bulk_create(enrolments)
            enrolments = []
        if len(certificates) > 20_000:
            Certificate.objects.bulk_create(certificates)
            certificates = []
    Enrolment.objects.bulk_create(enrolments)
    Certificate.objects.bulk_create(certificates)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  enrolments and certificates ({time.monotonic() - started:.0f} s)", flush=True)


def officer_client(unit):
    from django.test import Client

    from accounts.models import User
    from accounts.roles import HR_OFFICER
    from accounts.services import user_add_to_role

    email = f"hr-{unit.code.lower()}@bench.example"
    officer = User.objects.filter(email=email).first()
    if officer is None:
        officer = User.objects.create(email=email, full_name="Cán bộ nhân sự", organisation=unit)
        user_add_to_role(user=officer, role=HR_OFFICER)
    client = Client()
    client.force_login(officer)
    session = client.session
    # What allauth records after a password and a TOTP step (accounts.selectors reads it).
    session["account_authentication_methods_user"] = str(officer.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "type": "totp", "at": time.time()},
    ]
    session.save()
    return client


def timed(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return seconds, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=int, default=200_000)
    parser.add_argument("--province", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from accounts.models import Organisation
    from courses.models import LearningPath

    if not Organisation.objects.filter(code=MARK).exists():
        print(f"Seeding {args.national} staff ({args.province} in province 1)…", flush=True)
        seed(args.national, args.province)
    root = Organisation.objects.get(code=MARK)
    province = Organisation.objects.filter(depth=2, path__startswith=root.path).order_by("path")[0]
    from accounts.models import User

    staff = {"province": User.objects.filter(organisation__path__startswith=province.path).count()}
    path = LearningPath.objects.filter(job_role="investigator").order_by("pk").first()
    pages = {
        "dashboard": "/hr/compliance/",
        "drill-down": (
            f"/hr/compliance/people/?unit={{unit}}&direct=0&path={path.pk}&status=overdue"
        ),
    }
    clients = {
        "province": (officer_client(province), province),
        "national": (officer_client(root), root),
    }
    results = {(size, page): [] for size in clients for page in pages}
    queries = {}
    for _round in range(args.rounds):
        for page, url in pages.items():
            for size, (client, unit) in clients.items():
                seconds, count = timed(client, url.format(unit=unit.pk))
                results[(size, page)].append(seconds)
                queries[(size, page)] = count
    print(
        f"\nStaff in province 1: {staff['province']}; national tree: "
        f"{root.get_descendants().count() + 1} units\n"
    )
    print(f"{'page':<12} {'province s':>11} {'national s':>11} {'ratio':>7} {'queries':>10}")
    for page in pages:
        p = statistics.median(results[("province", page)])
        n = statistics.median(results[("national", page)])
        q = f"{queries[('province', page)]}/{queries[('national', page)]}"
        print(f"{page:<12} {p:>11.3f} {n:>11.3f} {n / p:>7.2f} {q:>10}")
    print("\nGoals (issue 14): national/province ≤ 11; the national dashboard under 1 s.")


if __name__ == "__main__":
    main()
