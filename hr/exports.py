"""HR's compliance exports as the shared exports app writes them (`exports.responses`:
the second factor of this session, an `export.personal_data` audit entry before the first
byte, CSV streamed, formula cells guarded, typed XLSX cells). This module only says what
the spreadsheets hold."""

from collections.abc import Callable, Iterator, Sequence

from django.utils.translation import gettext as _

from exports import spreadsheet
from exports.spreadsheet import Column, Spreadsheet

CHUNK = 2000


class Lines(Sequence):
    """The lines of an export over a source that counts and slices itself (a queryset, a
    compliance `Requirements`): `len()` is one COUNT (the audit entry's row count) and
    iterating reads the source in chunks, so nothing is loaded whole."""

    def __init__(self, source, line: Callable):
        self.source, self.line = source, line

    def __len__(self) -> int:
        return self.source.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self.line(item) for item in self.source[key]]
        return self.line(self.source[key])

    def __iter__(self) -> Iterator[Sequence]:
        iterate = getattr(self.source, "iterator", None)
        items = iterate(chunk_size=CHUNK) if iterate is not None else iter(self.source)
        for item in items:
            yield self.line(item)


def people_sheet(requirements) -> Spreadsheet:
    """The people behind one dashboard number (a learning path and a status)."""
    return Spreadsheet(
        columns=[
            Column(_("Full name"), "full_name"),
            Column(_("E-mail"), "email"),
            Column(_("Staff ID"), "staff_id"),
            Column(_("Job role"), "job_role"),
            Column(_("Unit"), "unit"),
            Column(_("Courses completed"), "done", kind=spreadsheet.NUMBER),
            Column(_("Courses"), "total", kind=spreadsheet.NUMBER),
            Column(_("Due"), "due", kind=spreadsheet.DATE),
        ],
        rows=Lines(
            requirements,
            lambda u: (
                u.full_name,
                u.email,
                u.staff_id,
                str(u.get_job_role_display()),
                u.organisation.name,
                u.done,
                u.total,
                u.due,
            ),
        ),
        sheet_title=_("Compliance"),
    )


def certificates_sheet(certificates) -> Spreadsheet:
    """The certificates behind one dashboard number (valid, expiring, expired, revoked)."""
    return Spreadsheet(
        columns=[
            Column(_("Full name"), "full_name"),
            Column(_("E-mail"), "email"),
            Column(_("Staff ID"), "staff_id"),
            Column(_("Unit at issue"), "unit"),
            Column(_("Certificate code"), "code"),
            Column(_("Course or path"), "course"),
            Column(_("Issued"), "issued_on", kind=spreadsheet.DATE),
            Column(_("Valid until"), "expires_on", kind=spreadsheet.DATE),
            Column(_("Status"), "status"),
        ],
        rows=Lines(
            certificates,
            lambda c: (
                c.user.full_name,
                c.user.email,
                c.user.staff_id,
                c.organisation.name,
                c.code,
                c.course_title,
                c.issued_on,
                c.expires_on,
                str(c.get_status_display()),
            ),
        ),
        sheet_title=_("Certificates"),
    )


def dashboard_sheet(data: dict, *, status_labels: dict, certificate_labels: dict) -> Spreadsheet:
    """The dashboard as shown: one line per unit row, one column per path and status."""
    from .compliance import CERTIFICATE_STATUSES, STATUSES

    columns = [Column(_("Unit"), "unit")]
    for path in data["paths"]:
        columns += [
            Column(f"{path.name}: {status_labels[s]}", f"p{path.pk}_{s}", kind=spreadsheet.NUMBER)
            for s in STATUSES
        ]
    columns += [
        Column(certificate_labels[s], f"certificates_{s}", kind=spreadsheet.NUMBER)
        for s in CERTIFICATE_STATUSES
    ]
    lines = []
    for row in data["rows"]:
        label = _("Directly in %(unit)s") % {"unit": row.unit.name} if row.direct else row.unit.name
        line = [label]
        for path in data["paths"]:
            line += [row.counts[path.pk][s] for s in STATUSES]
        line += [row.certificates[s] for s in CERTIFICATE_STATUSES]
        lines.append(tuple(line))
    return Spreadsheet(columns=columns, rows=lines, sheet_title=_("Compliance"))
