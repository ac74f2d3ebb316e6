"""Scenario group "hr": the HR compliance dashboard (/hr/compliance/) and one drill-down
(the overdue investigators of the officer's whole subtree) for an HR officer of a province
of 20,000 staff and one of the national tree of 200,000, served by the platform (gunicorn,
production settings) and read to the end.

The tree and the people come from scripts/bench_hr.py's seed (a national root, 20
provinces of 8 departments of 4 teams; province 1 holds --hr-province staff, the tree
--hr-national; enrolments in the role paths' courses and certificates, by bulk inserts),
made once per benchmark database. Printed: each page's time at both sizes, the growth
time(200k)/time(20k) (issue 14: ≤ 11), the national first screen (goal < 1 s) and each
page's queries at both sizes (q/req: the same number).

    scripts/bench_pages.py --only hr [--rounds 3]
"""

from __future__ import annotations

import statistics
import time

from .core import Context, Group, Result, Scenario
from .loadgen import one_request

NATIONAL = 200_000
PROVINCE = 20_000


def _officer_cookie(unit) -> str:
    """An HR officer of `unit`, signed in as staff must be: password, then the code."""
    from django.conf import settings
    from django.test import Client

    from accounts.roles import HR_OFFICER
    from tests.factories.accounts import PASSWORD, UserFactory, totp_activate

    officer = UserFactory(  # a new one per run: a database kept between runs has the last
        email=f"hr-{unit.code.lower()}-{time.time_ns()}@bench.example",
        role=HR_OFFICER,
        organisation=unit,
    )
    totp = totp_activate(officer)
    client = Client(
        HTTP_HOST=settings.PLATFORM_BASE_URL.split("://", 1)[1], HTTP_X_FORWARDED_PROTO="https"
    )
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp.now()})
    check = client.get("/hr/compliance/")
    if check.status_code != 200:
        raise SystemExit(f"the HR officer of {unit.code} cannot open the dashboard: {check}")
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def setup_data(options: dict) -> dict:
    from accounts.models import Organisation, User
    from accounts.services import role_groups_sync
    from courses.models import LearningPath
    from scripts.bench_hr import MARK, seed

    national = int(options.get("hr_national") or NATIONAL)
    province_size = int(options.get("hr_province") or PROVINCE)
    started = time.monotonic()
    role_groups_sync()  # the HR officers' permissions, in a database made by migrate alone
    if not Organisation.objects.filter(code=MARK).exists():
        seed(national, province_size)
    seconds = time.monotonic() - started
    root = Organisation.objects.get(code=MARK)
    province = Organisation.objects.filter(depth=2, path__startswith=root.path).order_by("path")[0]
    path = LearningPath.objects.filter(job_role="investigator").order_by("pk").first()
    units = {"20k": province, "200k": root}
    staff = {
        label: User.objects.filter(organisation__path__startswith=unit.path).count()
        for label, unit in units.items()
    }
    return {
        "cookies": {label: _officer_cookie(unit) for label, unit in units.items()},
        "units": {label: unit.pk for label, unit in units.items()},
        "path": path.pk,
        "staff": staff,
        "seed_seconds": round(seconds, 1),
    }


def _get(ctx: Context, path: str, cookie: str) -> float:
    status, _kind, _content, seconds = one_request(ctx, "GET", path, cookie=cookie)
    if status != 200:
        raise SystemExit(f"{path} answered HTTP {status}")
    return seconds


def scenarios(ctx: Context, data: dict) -> list[Scenario]:
    state = ctx.shared.setdefault("hr", {})
    pages = {
        "dashboard": lambda unit: "/hr/compliance/",
        "drill": lambda unit: (
            f"/hr/compliance/people/?unit={unit}&direct=0&path={data['path']}&status=overdue"
        ),
    }

    def timed(page: str, label: str):
        path = pages[page](data["units"][label])

        def measure(ctx):
            seconds = _get(ctx, path, data["cookies"][label])
            state.setdefault((page, label), []).append(seconds)
            return Result(seconds=seconds)

        return path, measure

    def checks(ctx):
        out = {"staff": data["staff"], "seed s": data["seed_seconds"]}
        for page in pages:
            small = statistics.median(state[(page, "20k")])
            large = statistics.median(state[(page, "200k")])
            out[f"{page}: time(200k)/time(20k)"] = round(large / small, 2)
            out[f"{page}: 200k s"] = round(large, 3)
        out["goals"] = "dashboard growth ≤ 11; dashboard at 200k < 1 s; q/req equal at both sizes"
        out["goals met"] = (
            out["dashboard: time(200k)/time(20k)"] <= 11 and out["dashboard: 200k s"] < 1
        )
        return out

    out = []
    for page in pages:
        for label in ("20k", "200k"):
            path, measure = timed(page, label)
            out.append(
                Scenario(
                    name=f"hr-{page}-{label}",
                    group="hr",
                    path=path,
                    cookie=data["cookies"][label],
                    measure=measure,
                    probe=True,
                    baseline=f"hr-{page}-20k" if label == "200k" else None,
                    compare="time",
                    goal=1 / 11 if label == "200k" else None,
                    note=(
                        f"{data['staff'][label]:,} staff in the officer's subtree"
                        + ("; ratio = time(20k)/time(200k), goal ≥ 1/11" if label == "200k" else "")
                    ),
                )
            )
    out[-1].after_rounds = checks
    return out


GROUP = Group(name="hr", setup_data=setup_data, scenarios=scenarios)
