"""Bulk verification for HR officers: a CSV of certificate codes or staff IDs in, a table
and a CSV out. Every row gets an answer; a malformed row is reported, never dropped."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from . import signing
from .models import Certificate
from .selectors import hr_scope_q

MAX_ROWS = 5000
MAX_BYTES = 1_000_000
STAFF_ID = re.compile(r"^[\w./-]{1,50}$")


class BulkFileError(ValueError):
    pass


@dataclass
class BulkRow:
    number: int
    value: str
    kind: str = ""
    error: str = ""
    certificates: list[Certificate] = field(default_factory=list)


def read_values(upload) -> list[tuple[int, str]]:
    if upload.size > MAX_BYTES:
        raise BulkFileError(_("The file is larger than 1 MB."))
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BulkFileError(_("Save the file as CSV in UTF-8 and upload it again.")) from error
    rows = list(csv.reader(io.StringIO(text)))
    if (
        rows
        and rows[0]
        and rows[0][0].strip().lower() in {"code", "mã", "ma", "staff_id", "mã cán bộ"}
    ):
        rows = rows[1:]
    if len(rows) > MAX_ROWS:
        raise BulkFileError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return [(i, (row[0] if row else "").strip()) for i, row in enumerate(rows, start=1)]


def verify_values(*, hr_user, values: list[tuple[int, str]]) -> list[BulkRow]:
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
    # Codes are checked for any certificate: people move between agencies.
    for certificate in Certificate.objects.filter(code__in=codes).select_related("superseded_by"):
        for row in codes[certificate.code]:
            row.certificates.append(certificate)
    # Staff IDs only within the officer's own organisation subtree.
    found = (
        Certificate.objects.filter(hr_scope_q(hr_user=hr_user))
        .filter(Q(staff_id__in=staff_ids) | Q(user__staff_id__in=staff_ids))
        .select_related("superseded_by", "user")
        .order_by("-issued_on")
    )
    for certificate in found:
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


def rows_to_csv(rows: list[BulkRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Row"),
            _("Input"),
            _("Result"),
            _("Code"),
            _("Holder"),
            _("Course"),
            _("Issued"),
            _("Expires"),
        ]
    )
    for row in rows:
        if row.error:
            writer.writerow([row.number, row.value, row.error, "", "", "", "", ""])
        for c in row.certificates:
            writer.writerow(
                [
                    row.number,
                    row.value,
                    c.get_status_display(),
                    c.code,
                    c.holder_name,
                    c.course_title,
                    c.issued_on.strftime("%d/%m/%Y"),
                    c.expires_on.strftime("%d/%m/%Y") if c.expires_on else "",
                ]
            )
    return "\ufeff" + out.getvalue()  # BOM: Excel opens Vietnamese text correctly
