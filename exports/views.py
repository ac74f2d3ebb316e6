"""Exports that belong to no higher app: the audit log (its app sits below this one)."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Func, TextField
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from audit.actions import ACTION_LABELS
from audit.models import AuditEntry
from audit.wagtail_hooks import AuditEntryFilterSet

from . import spreadsheet
from .responses import FORMATS, export_response
from .spreadsheet import Column, Spreadsheet

AUDIT_LOG_COLUMNS = [
    Column("#", "seq", kind=spreadsheet.NUMBER),
    Column(_("Time"), "at", kind=spreadsheet.DATETIME),
    Column(_("Action"), "action", kind=spreadsheet.CHOICE, labels=ACTION_LABELS),
    Column(_("By"), "actor_label"),
    Column(_("Object type"), "target_type"),
    Column(_("Object ID"), "target_id"),
    Column(_("Object"), "target_label"),
    Column(_("Summary"), "summary"),
    Column(_("IP address"), "ip_address"),
    Column(_("Hash"), "hash"),
]


class _Host(Func):
    """An address as text without PostgreSQL's "/32" netmask (SQLite stores plain text)."""

    function = "HOST"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


@require_GET
def audit_log_export(request, fmt: str):
    """The audit log as the administrator filtered it on its screen (same filters)."""
    if fmt not in FORMATS:
        raise Http404
    if not request.user.has_perm("audit.view_auditentry"):
        raise PermissionDenied
    entries = AuditEntry.objects.annotate(ip_address=_Host(F("ip"))).order_by("seq")
    filters = AuditEntryFilterSet(request.GET, queryset=entries)
    return export_response(
        request=request,
        sheet=Spreadsheet(columns=AUDIT_LOG_COLUMNS, queryset=filters.qs, sheet_title="audit"),
        fmt=fmt,
        filename="nhat-ky-kiem-toan",
        what="audit_log",
    )
