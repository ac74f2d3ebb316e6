"""Bulk verification for HR officers: a CSV of certificate codes or staff IDs in, a table
and a CSV out. Every row gets an answer; a malformed row is reported, never dropped.

The table is shown a page at a time (a whole 5,000-row answer with its revoke and reissue
forms was a 7.5 MB page): the checked list is kept in the cache for an hour under a random
key bound to the officer, and each page checks its own rows again, so it is current. The
CSV always holds every row."""

import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import gettext as _

from exports import spreadsheet
from exports.spreadsheet import Column, Spreadsheet
from ops.safeinput import InputRejected, TableLimits, table_rows

from . import signing
from .models import Certificate
from .selectors import hr_scope_q

MAX_ROWS = 5000
MAX_BYTES = 1_000_000
STAFF_ID = re.compile(r"^[\w./-]{1,50}$")
PAGE_SIZE = 100
BATCH_SECONDS = 3600
BATCH_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class BulkFileError(ValueError):
    pass


@dataclass
class BulkRow:
    number: int
    value: str
    kind: str = ""
    error: str = ""
    certificates: list[Certificate] = field(default_factory=list)


_LIMITS = TableLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1, max_cell_chars=200)


def read_values(upload) -> list[tuple[int, str]]:
    """The first column of an uploaded CSV or XLSX file, a header row dropped."""
    try:
        rows = table_rows(upload, limits=_LIMITS)
    except InputRejected as error:
        raise BulkFileError(error.message) from error
    if (
        rows
        and rows[0]
        and rows[0][0].strip().lower() in {"code", "mã", "ma", "staff_id", "mã cán bộ"}
    ):
        rows = rows[1:]
    if len(rows) > MAX_ROWS:
        raise BulkFileError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return [(i, (row[0] if row else "").strip()) for i, row in enumerate(rows, start=1)]


def _classify(values: list[tuple[int, str]]):
    """Each value as a row, and the rows by the code or the staff ID they hold."""
    rows: list[BulkRow] = []
    codes: dict[str, list[BulkRow]] = {}
    staff_ids: dict[str, list[BulkRow]] = {}
    for number, value in values:
        row = BulkRow(number=number, value=value)
        rows.append(row)
        code = signing.normalise_code(value)
        if code:
            row.kind = "code"
            codes.setdefault(code, []).append(row)
        elif value and STAFF_ID.match(value):
            row.kind = "staff_id"
            staff_ids.setdefault(value, []).append(row)
        else:
            row.error = _("Not a certificate code or a staff ID.") if value else _("Empty row.")
    return rows, codes, staff_ids


def verify_values(*, hr_user, values: list[tuple[int, str]]) -> list[BulkRow]:
    rows, codes, staff_ids = _classify(values)
    # Codes are checked for any certificate: people move between agencies.
    for certificate in Certificate.objects.filter(code__in=codes).select_related("superseded_by"):
        for row in codes[certificate.code]:
            row.certificates.append(certificate)
    # Staff IDs only within the officer's own organisation subtree. The ID printed on the
    # certificate and the holder's current one are looked up separately, each through its
    # index: one OR across the join made PostgreSQL scan both tables.
    in_scope = Certificate.objects.filter(hr_scope_q(hr_user=hr_user)).select_related(
        "superseded_by", "user"
    )
    found = {}
    if staff_ids:
        holders = get_user_model().objects.filter(staff_id__in=staff_ids).values("pk")
        for certificate in [
            *in_scope.filter(staff_id__in=staff_ids),
            *in_scope.filter(user__in=holders),
        ]:
            found[certificate.pk] = certificate
    for certificate in sorted(found.values(), key=lambda c: (c.issued_on, c.pk), reverse=True):
        for key in {certificate.staff_id, certificate.user.staff_id} & staff_ids.keys():
            for row in staff_ids[key]:
                if certificate not in row.certificates:
                    row.certificates.append(certificate)
    for row in rows:
        if not row.error and not row.certificates:
            row.error = (
                _("No certificate with this code.")
                if row.kind == "code"
                else _("No certificate for this staff ID in your organisation.")
            )
    return rows


def bulk_spreadsheet(rows: list[BulkRow]) -> Spreadsheet:
    """Every row of the answer, one line per certificate found (or per problem)."""

    def lines():
        for row in rows:
            if row.error:
                yield (row.number, row.value, row.error, "", "", "", None, None)
            for c in row.certificates:
                yield (
                    row.number,
                    row.value,
                    c.get_status_display(),
                    c.code,
                    c.holder_name,
                    c.course_title,
                    c.issued_on,
                    c.expires_on,
                )

    return Spreadsheet(
        columns=[
            Column(_("Row"), "row", kind=spreadsheet.NUMBER),
            Column(_("Input"), "input"),
            Column(_("Result"), "result"),
            Column(_("Code"), "code"),
            Column(_("Holder"), "holder"),
            Column(_("Course"), "course"),
            Column(_("Issued"), "issued", kind=spreadsheet.DATE),
            Column(_("Expires"), "expires", kind=spreadsheet.DATE),
        ],
        rows=list(lines()),
        sheet_title=_("Certificate checks"),
    )


def summary(rows: list[BulkRow]) -> dict:
    found = sum(1 for row in rows if row.certificates)
    return {"total": len(rows), "found": found, "problems": len(rows) - found}


def summary_of_values(*, hr_user, values: list[tuple[int, str]]) -> dict:
    """summary(verify_values(...)) without building the certificates: which codes exist and
    which staff IDs have a certificate in scope, read as bare columns through the same
    indexes, so the first page of a long list does not load every row's certificates."""
    rows, codes, staff_ids = _classify(values)
    known_codes = set(Certificate.objects.filter(code__in=codes).values_list("code", flat=True))
    known_staff_ids = set()
    if staff_ids:
        in_scope = Certificate.objects.filter(hr_scope_q(hr_user=hr_user))
        known_staff_ids.update(
            in_scope.filter(staff_id__in=staff_ids).values_list("staff_id", flat=True).distinct()
        )
        holders = dict(
            get_user_model().objects.filter(staff_id__in=staff_ids).values_list("pk", "staff_id")
        )
        if holders:
            known_staff_ids.update(
                holders[pk]
                for pk in in_scope.filter(user__in=list(holders))
                .values_list("user_id", flat=True)
                .distinct()
            )
    found = sum(len(codes[code]) for code in known_codes & codes.keys()) + sum(
        len(staff_ids[staff_id]) for staff_id in known_staff_ids & staff_ids.keys()
    )
    return {"total": len(rows), "found": found, "problems": len(rows) - found}


def _batch_cache_key(*, hr_user, key: str) -> str:
    return f"certificates:hr-bulk:{hr_user.pk}:{key}"


def batch_store(*, hr_user, values: list[tuple[int, str]], summary: dict) -> str:
    """Keep a checked list for its further pages; the key only works for this officer."""
    key = secrets.token_urlsafe(24)
    cache.set(
        _batch_cache_key(hr_user=hr_user, key=key),
        {"values": values, "summary": summary},
        BATCH_SECONDS,
    )
    return key


def batch_load(*, hr_user, key: str) -> dict | None:
    if not BATCH_KEY.match(key or ""):
        return None
    return cache.get(_batch_cache_key(hr_user=hr_user, key=key))
