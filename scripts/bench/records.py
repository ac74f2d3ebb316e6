"""Scenario group "records": a trainee downloading their certificate's PDF, and an HR
officer checking a list of 5,000 certificate codes (issue 13), served by the platform
(gunicorn, production settings).

- ``certificate-pdf``: GET /certificates/<code>/pdf/ as its holder (the PDF rendered once at
  issue, as the first download leaves it); ratio to hello.
- ``hr-bulk-page-5000``: the bulk check form POSTed (multipart, CSRF cookie and token) with a
  CSV of 5,000 codes of issued certificates, answered with the first page of the table
  (100 rows; the list kept for its further pages); ratio to the CSV of the same 5,000 rows.
- ``hr-bulk-csv-5000``: the same form with "download CSV": every row in one CSV.

Before the rounds, one POST of each kind is read and checked (HTTP 200, the expected rows);
a wrong answer is printed as an ERROR line under the table.

    scripts/bench_pages.py --only records [--rounds 3]
"""

from __future__ import annotations

import csv
import io
import re
import time

from .core import Context, Group, Scenario, log
from .loadgen import one_request

ROWS = 5000
HOLDERS = 50
BOUNDARY = "pcmdBenchBoundary7d1f"
SECONDS = 4  # per wrk run at most: the group stays cheap at the default --duration


def setup_data(options: dict) -> dict:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import role_groups_sync
    from certificates import signing
    from certificates.models import Certificate
    from certificates.services import certificate_render_pdf, certificate_sign
    from scripts.bench.django_side import csrf_pair, session_cookie_for
    from scripts.bench.hr import _officer_cookie
    from tests.factories.accounts import UserFactory, organisation_create
    from tests.factories.certificates import certificate_create

    started = time.monotonic()
    run = time.time_ns()  # a database kept between runs has the last run's people
    role_groups_sync()
    unit = organisation_create(f"Công an tỉnh Chứng Nhận {run}")
    trainee = UserFactory(
        email=f"chungnhan-{run}@bench.example", staff_id=f"CN-{run}", organisation=unit
    )
    certificate = certificate_create(user=trainee, title="Nền tảng chung về phòng, chống mại dâm")
    certificate_render_pdf(certificate)  # as issuance leaves it: rendered once, then kept
    owner_cookie = session_cookie_for(trainee)
    host = settings.PLATFORM_BASE_URL.split("://", 1)[1]
    client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
    name, value = owner_cookie.split("=", 1)
    client.cookies[name] = value
    pdf_path = f"/certificates/{certificate.code}/pdf/"
    check = client.get(pdf_path)
    if check.status_code != 200 or check["Content-Type"] != "application/pdf":
        raise SystemExit(f"the holder cannot download the certificate's PDF: {check}")

    # 5,000 issued certificates of 50 holders of the officer's unit, each signed as issued.
    holders = User.objects.bulk_create(
        User(
            email=f"chungnhan-{run}-{i:03d}@bench.example",
            full_name=f"Trần Thị Chứng {i:03d}",
            staff_id=f"CN-{run}-{i:03d}",
            organisation=unit,
            password="!",  # noqa: S106 - unusable
        )
        for i in range(HOLDERS)
    )
    today = timezone.localdate()
    certificates = []
    for i in range(ROWS):
        holder = holders[i % HOLDERS]
        item = Certificate(
            code=signing.new_code(),
            user=holder,
            holder_name=holder.full_name,
            staff_id=holder.staff_id,
            organisation=unit,
            organisation_name=unit.name,
            course_title=f"Chuyên đề {i % 12 + 1}",
            issuer_name="Chương trình Phòng, chống mại dâm",
            issued_on=today,
        )
        certificate_sign(item)
        certificates.append(item)
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    csrf_cookie, token = csrf_pair()
    return {
        "pdf_path": pdf_path,
        "owner_cookie": owner_cookie,
        "hr_cookie": f"{_officer_cookie(unit)}; {csrf_cookie}",
        "csrf_token": token,
        "codes": [c.code for c in certificates],
        "seconds": round(time.monotonic() - started, 1),
    }


def _csv(codes: list[str]) -> str:
    return "ma\n" + "\n".join(codes) + "\n"


def _multipart(token: str, fmt: str, codes: list[str]) -> bytes:
    def part(name: str, value: str) -> str:
        return f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'

    return (
        part("csrfmiddlewaretoken", token)
        + part("format", fmt)
        + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="ds.csv"\r\n'
        + f"Content-Type: text/csv\r\n\r\n{_csv(codes)}\r\n--{BOUNDARY}--\r\n"
    ).encode()


def _headers(ctx: Context) -> dict:
    origin = f"https://{ctx.host}"
    return {
        "Origin": origin,
        "Referer": f"{origin}/hr/certificates/",
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }


def _lua(ctx: Context, name: str, form: tuple[str, str, list[str]]) -> str:
    """A wrk script POSTing the same form each time. Lua turns the CR LF of a long string
    into LF, so the multipart framing is joined with "\\r\\n" escapes and only the CSV
    (LF lines, as a file may have them) is a long string."""
    token, fmt, codes = form
    headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in _headers(ctx).items())
    script = ctx.work / f"{name}.lua"
    script.write_text(
        f"""
local b = "{BOUNDARY}"
local csv = [==[
{_csv(codes)}]==]
local function part(name, value)
  return "--" .. b .. "\\r\\nContent-Disposition: form-data; name=\\"" .. name
    .. "\\"\\r\\n\\r\\n" .. value .. "\\r\\n"
end
wrk.method = "POST"
{headers}
wrk.body = part("csrfmiddlewaretoken", "{token}") .. part("format", "{fmt}")
  .. "--" .. b .. "\\r\\nContent-Disposition: form-data; name=\\"file\\"; filename=\\"ds.csv\\""
  .. "\\r\\nContent-Type: text/csv\\r\\n\\r\\n" .. csv .. "\\r\\n--" .. b .. "--\\r\\n"
"""
    )
    return str(script)


def _post(ctx: Context, cookie: str, body: bytes) -> tuple[int, str, bytes, float]:
    return one_request(
        ctx, "POST", "/hr/certificates/", cookie=cookie, body=body, headers=_headers(ctx)
    )


def answer_check(ctx: Context, data: dict) -> dict:
    """One POST of each kind, read to the end: HTTP 200 and the expected rows, or errors."""
    codes = data["codes"]
    out: dict = {"errors": []}
    status, kind, content, _seconds = _post(
        ctx, data["hr_cookie"], _multipart(data["csrf_token"], "html", codes)
    )
    page = content.decode("utf-8", "replace")
    summary = f"Đã kiểm tra {ROWS} dòng: {ROWS} dòng có chứng nhận, 0 dòng"
    shown = [code for code in codes[:100] if code in page]
    out["page"] = {"status": status, "bytes": len(content)}
    if status != 200 or "text/html" not in kind:
        out["errors"].append(f"the first page answered HTTP {status} {kind}")
    elif summary not in page or len(shown) != 100 or codes[100] in page:
        error = re.search(r'class="[^"]*invalid-feedback[^"]*"[^>]*>(.*?)<', page, re.S)
        out["errors"].append(
            f"the first page lacks the summary of {ROWS} found rows or its 100 rows "
            f"(found {len(shown)} of the first 100 codes)"
            + (f"; form error: {error.group(1).strip()}" if error else "")
        )
    status, kind, content, seconds = _post(
        ctx, data["hr_cookie"], _multipart(data["csrf_token"], "csv", codes)
    )
    out["csv"] = {"status": status, "bytes": len(content), "s": round(seconds, 3)}
    if status != 200 or "text/csv" not in kind:
        out["errors"].append(f"the CSV answered HTTP {status} {kind}")
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
        found = {row[3] for row in rows if len(row) > 3}
        out["csv"]["rows"] = len(rows)
        if len(rows) != ROWS or found != set(codes):
            out["errors"].append(
                f"the CSV has {len(rows)} rows and {len(found & set(codes))} of the "
                f"{ROWS} codes (expected {ROWS} rows, each code found)"
            )
    # The first POSTs above were a fresh worker's first requests: time the page once more.
    status, kind, content, seconds = _post(
        ctx, data["hr_cookie"], _multipart(data["csrf_token"], "html", codes)
    )
    out["page"]["s"] = round(seconds, 3)
    for error in out["errors"]:
        log(f"records: ERROR {error}")
    return out


def scenarios(ctx: Context, data: dict) -> list[Scenario]:
    checked = answer_check(ctx, data)
    connections = min(ctx.options.connections, ctx.options.workers)
    today = (
        "issue 13's 'today' (the whole 5,000-row answer as one 7.5 MB HTML page) no longer "
        "exists: the answer is shown 100 rows a page, the CSV holds every row"
    )

    def after(ctx: Context) -> dict:
        res = ctx.results
        import statistics

        def p50(name):
            return statistics.median(r.p50_ms for r in res[name] if r.p50_ms is not None)

        out = {
            "seed s": data["seconds"],
            "first page, one POST read to the end": checked["page"],
            "CSV, one POST read to the end": checked["csv"],
            "p50 csv / p50 first page": round(
                p50("hr-bulk-csv-5000") / p50("hr-bulk-page-5000"), 2
            ),
        }
        if checked["errors"]:
            out["ERROR"] = checked["errors"]
        return out

    return [
        Scenario(
            name="certificate-pdf",
            group="records",
            path=data["pdf_path"],
            cookie=data["owner_cookie"],
            max_seconds=SECONDS,
            probe=True,
            note="the holder's own certificate PDF (rendered at issue, kept)",
        ),
        Scenario(
            name="hr-bulk-page-5000",
            group="records",
            path="/hr/certificates/",
            cookie=data["hr_cookie"],
            lua=_lua(ctx, "hr-bulk-page", (data["csrf_token"], "html", data["codes"])),
            connections=connections,
            max_seconds=SECONDS,
            baseline="hr-bulk-csv-5000",
            note=(
                f"POST of {ROWS:,} codes, answered with the first 100 rows; ratio = "
                f"req/s over the whole CSV's; {today}"
                + ("; ERROR: " + "; ".join(checked["errors"]) if checked["errors"] else "")
            ),
        ),
        Scenario(
            name="hr-bulk-csv-5000",
            group="records",
            path="/hr/certificates/",
            cookie=data["hr_cookie"],
            lua=_lua(ctx, "hr-bulk-csv", (data["csrf_token"], "csv", data["codes"])),
            connections=connections,
            max_seconds=SECONDS,
            note=f"the same {ROWS:,} codes answered as one CSV of every row",
            after_rounds=after,
        ),
    ]


GROUP = Group(name="records", setup_data=setup_data, scenarios=scenarios)
