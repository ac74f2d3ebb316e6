"""Scenario group "exports": a trainer's learner-report CSV for courses of 10,000 and 100,000
learners, downloaded from the platform (gunicorn, production settings) and read to the end,
against PostgreSQL's own `COPY` of the same rows and columns to the same kind of client.

Printed: the report's first HTML page at both sizes (req/s, ratio to hello, queries, and
time(100k)/time(10k)); each export's time as a ratio to its COPY (goal ≥ 0.25 at 100k), the
growth from 10k to 100k (goal ≤ 11), the memory the platform's workers hold after the
exports against before them (goal: within 20 MB), and the query plan of the report's first
page (the `(full_name, id)` index of users serves the name order without sorting all
enrolments).

    scripts/bench_pages.py --only exports [--rounds 3]
"""

from __future__ import annotations

import http.client
import time
from pathlib import Path

from .core import Context, Group, Result, Scenario

SIZES = {"10k": 10_000, "100k": 100_000}

# The report's columns, straight from the tables: what the export computes, without the
# labels, local times and formula guard it adds.
RAW_COPY = """
COPY (
    SELECT u.full_name, u.email, u.staff_id, o.name, e.status, e.progress_percent,
           e.enrolled_at, e.last_activity_at, e.completed_at
    FROM courses_enrolment e
    JOIN accounts_user u ON u.id = e.user_id
    LEFT JOIN accounts_organisation o ON o.id = u.organisation_id
    WHERE e.course_id = {course}
    ORDER BY u.full_name, u.id
) TO STDOUT (FORMAT csv)
"""


def setup_data(options: dict) -> dict:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Organisation, User
    from accounts.roles import TRAINER
    from courses.models import CourseIndexPage, CoursePage, Enrolment
    from home.services import site_homepage_ensure
    from tests.factories.accounts import PASSWORD, UserFactory, totp_activate
    from tests.factories.courses import catalogue_create, owner_add

    biggest = int(options.get("export_learners") or SIZES["100k"])
    sizes = {"10k": min(SIZES["10k"], biggest), "100k": biggest}
    catalogue = CourseIndexPage.objects.first() or catalogue_create(site_homepage_ensure())
    units = [
        Organisation.add_root(name=f"Công an tỉnh Đo Tải {i}", agency_type="police")
        for i in range(20)
    ]
    courses = {}
    now = timezone.now()
    for label, n in sizes.items():
        course = catalogue.add_child(
            instance=CoursePage(
                title=f"Khóa học xuất dữ liệu {label}",
                slug=f"bench-export-{label}",
                code=f"BENCH-EXP-{label.upper()}",
                summary="Khóa học sinh tự động để đo tốc độ xuất dữ liệu.",
                objectives="<ul><li>Đo hiệu năng.</li></ul>",
            )
        )
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"xuat{label}-{i:06d}@bench.example",
                        full_name=f"Nguyễn Văn Xuất {(i * 7919) % n:06d}",
                        staff_id=f"CB-{label}-{i:06d}",
                        organisation=units[i % len(units)],
                        password="!",  # noqa: S106 - unusable
                    )
                    for i in range(n)
                ],
                batch_size=5000,
            )
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        user=u,
                        course=course,
                        source="self",
                        status="completed" if i % 3 == 0 else "active",
                        progress_percent=(i * 37) % 101,
                        last_activity_at=now,
                        completed_at=now if i % 3 == 0 else None,
                    )
                    for i, u in enumerate(users)
                ],
                batch_size=5000,
            )
        courses[label] = course.pk
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user, courses_enrolment, accounts_organisation")
    # A trainer signed in as staff must be: password, then the authenticator code.
    trainer = UserFactory(email="giangvien.xuat@pcmd.example", role=TRAINER)
    for pk in courses.values():  # trainers report on the courses they own only
        owner_add(CoursePage.objects.get(pk=pk), trainer)
    totp = totp_activate(trainer)
    client = Client(
        HTTP_HOST=settings.PLATFORM_BASE_URL.split("://", 1)[1], HTTP_X_FORWARDED_PROTO="https"
    )
    client.post("/accounts/login/", {"login": trainer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp.now()})
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    check = client.get(f"/admin/courses/{courses['10k']}/learners/")
    if check.status_code != 200:
        raise SystemExit(f"the trainer cannot open the report: {check.status_code} {check}")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT e.id FROM courses_enrolment e JOIN accounts_user u "
            "ON u.id = e.user_id WHERE e.course_id = %s ORDER BY u.full_name, u.id LIMIT 100",
            [courses["100k"]],
        )
        plan = [row[0] for row in cursor.fetchall()]
    return {"cookie": cookie, "courses": courses, "sizes": sizes, "first_page_plan": plan}


def _worker_rss_mb(ctx: Context) -> float | None:
    """Resident memory of the platform's gunicorn workers (the master's children)."""
    master = ctx.procs.running.get("app")
    if master is None:
        return None
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master.pid:
            pages = int((stat.parent / "statm").read_text().split()[1])
            total += pages * 4096
    return total / 2**20


def _download(ctx: Context, path: str, cookie: str) -> tuple[float, int]:
    host, port = ctx.platform_url.split("://", 1)[1].split(":")
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    connection.request(
        "GET",
        path,
        headers={"Host": ctx.host, "Cookie": cookie, "X-Forwarded-Proto": "https"},
    )
    response = connection.getresponse()
    if response.status != 200:
        raise SystemExit(f"export {path} answered HTTP {response.status}")
    size = 0
    while block := response.read(1 << 16):
        size += len(block)
    connection.close()
    return time.perf_counter() - started, size


def _copy(ctx: Context, course: int) -> tuple[float, int]:
    import psycopg

    url = ctx.env["DATABASE_URL"]
    started = time.perf_counter()
    size = 0
    with (
        psycopg.connect(url) as connection,
        connection.cursor() as cursor,
        cursor.copy(RAW_COPY.format(course=int(course))) as copy,
    ):
        for block in copy:
            size += len(block)
    return time.perf_counter() - started, size


def scenarios(ctx: Context, data: dict) -> list[Scenario]:
    cookie, courses = data["cookie"], data["courses"]
    state = ctx.shared.setdefault("exports", {"times": {}, "rss": []})

    def copy_of(label):
        def measure(ctx):
            seconds, size = _copy(ctx, courses[label])
            return Result(seconds=seconds, extra={"bytes": size})

        return measure

    def export_of(label):
        path = f"/admin/courses/{courses[label]}/learners/?export=csv"

        def measure(ctx):
            if not state.get("warm"):
                # Each sync worker loads the application on its first request (+~230 MB
                # together, measured): serve some pages first, so that "before" is a worker
                # ready to work and the difference is what the export leaves behind.
                report = f"/admin/courses/{courses[label]}/learners/"
                for _ in range(4 * ctx.options.workers):
                    _download(ctx, report, cookie)
                state["warm"] = True
            before = _worker_rss_mb(ctx)
            seconds, size = _download(ctx, path, cookie)
            after = _worker_rss_mb(ctx)
            state["times"].setdefault(label, []).append(seconds)
            state["rss"].append((label, before, after))
            return Result(seconds=seconds, extra={"bytes": size})

        return measure

    def checks(ctx):
        import statistics

        times = {k: statistics.median(v) for k, v in state["times"].items()}
        growth = times["100k"] / times["10k"] if times.get("10k") else None
        first_before = state["rss"][0][1] if state["rss"] else None
        last_after = state["rss"][-1][2] if state["rss"] else None
        held = (
            round(last_after - first_before, 1)
            if first_before is not None and last_after is not None
            else None
        )
        return {
            "time(100k)/time(10k)": round(growth, 2) if growth else None,
            "goal growth": "≤ 11",
            "workers' RSS MB before first export": round(first_before or 0, 1),
            "after last export": round(last_after or 0, 1),
            "held": held,
            "goal held": "≤ 20 MB",
            "each export (label, before, after)": [
                (label, round(b or 0, 1), round(a or 0, 1)) for label, b, a in state["rss"]
            ],
        }

    def page_growth(ctx):
        import statistics

        def median(name, attr):
            values = [getattr(r, attr) for r in ctx.results[name] if getattr(r, attr)]
            return statistics.median(values) if values else None

        rps = {label: median(f"report-page-{label}", "rps") for label in SIZES}
        p50 = {label: median(f"report-page-{label}", "p50_ms") for label in SIZES}
        return {
            "time(100k)/time(10k) (1/req/s)": (
                round(rps["10k"] / rps["100k"], 2) if rps["10k"] and rps["100k"] else None
            ),
            "p50(100k)/p50(10k)": (
                round(p50["100k"] / p50["10k"], 2) if p50["10k"] and p50["100k"] else None
            ),
        }

    shape = f"{data['sizes']['100k']:,} learners"
    pages = [
        Scenario(
            name=f"report-page-{label}",
            group="exports",
            path=f"/admin/courses/{courses[label]}/learners/",
            cookie=cookie,
            probe=True,
            max_seconds=4,
            note=(
                f"the learner report's first HTML page, {data['sizes'][label]:,} learners,"
                " as the course's trainer (MFA passed)"
            ),
        )
        for label in SIZES
    ]
    pages[-1].after_rounds = page_growth
    return [
        *pages,
        Scenario(
            name="copy-10k",
            group="exports",
            measure=copy_of("10k"),
            baseline=None,
            note="PostgreSQL COPY of the report's rows (10k), read by psycopg",
        ),
        Scenario(
            name="export-csv-10k",
            group="exports",
            measure=export_of("10k"),
            baseline="copy-10k",
            compare="time",
        ),
        Scenario(
            name="copy-100k",
            group="exports",
            measure=copy_of("100k"),
            baseline=None,
            note=f"PostgreSQL COPY of the report's rows ({shape})",
        ),
        Scenario(
            name="export-csv-100k",
            group="exports",
            measure=export_of("100k"),
            baseline="copy-100k",
            compare="time",
            goal=0.25,
            note="first page plan: " + " / ".join(p.strip() for p in data["first_page_plan"][:4]),
            after_rounds=checks,
        ),
    ]


GROUP = Group(name="exports", setup_data=setup_data, scenarios=scenarios)
