"""Exports as HTTP responses: who may take one, the audit entry, and the Wagtail views.

Every export of personal data goes through `export_response`: the person must be signed in
and, this session, have passed the second factor (staff areas require it; checking here too
means an export view mounted outside them cannot leak), and an `export.personal_data` entry
(what, format, how many rows, by whom, from where) is committed before the first byte leaves.
Who may export *what* (a course they may edit, their HR scope, the audit log's permission)
stays with each view, which checks it before building the spreadsheet.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from accounts.selectors import session_passed_mfa
from audit.services import audit_record

from . import spreadsheet
from .spreadsheet import Column, Spreadsheet

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)


def _row_count(sheet: Spreadsheet) -> int | None:
    if sheet.queryset is not None:
        return sheet.queryset.order_by().count()
    if isinstance(sheet.rows, Sequence):
        return len(sheet.rows)
    return None


def export_allowed(*, request) -> bool:
    return request.user.is_authenticated and session_passed_mfa(request=request)


def export_response(
    *,
    request,
    sheet: Spreadsheet,
    fmt: str,
    filename: str,
    what: str,
    target=None,
    personal: bool = True,
    details: dict | None = None,
):
    """The export as a download (`fmt` "csv" or "xlsx"); `filename` without extension,
    `what` names the export in the audit log, `details` (the filters, say) go into its entry
    too. Raises PermissionDenied for a session that may not take personal data away."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if personal:
        if not export_allowed(request=request):
            raise PermissionDenied
        rows = _row_count(sheet)
        audit_record(
            action="export.personal_data",
            request=request,
            target=target,
            summary=f"{what} ({fmt}, {rows if rows is not None else '?'})",
            data={
                **(details or {}),
                "what": what,
                "format": fmt,
                "rows": rows,
                "filename": f"{filename}.{fmt}",
            },
        )
    if fmt == CSV:
        response = StreamingHttpResponse(
            spreadsheet.csv_stream(sheet), content_type=spreadsheet.CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{filename}.csv"
        )
    else:
        response = FileResponse(
            spreadsheet.xlsx_file(sheet),
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type=spreadsheet.XLSX_CONTENT_TYPE,
        )
    # Personal data: no cache, shared or private, keeps a copy.
    patch_cache_control(response, no_store=True, private=True)
    return response


class StreamingExportMixin:
    """For Wagtail listing views that mix in SpreadsheetExportMixin (reports, index views):
    `export_columns` describe the spreadsheet, which is streamed by `export_response` from
    the listing's own queryset (filters, search and ordering applied) without loading it.

    Set `export_what` (the audit name); override `get_export_target()` to name the object
    the export is about (a course, a quiz)."""

    export_columns: Sequence[Column] = ()
    export_what = ""
    export_personal = True

    @property
    def list_export(self):  # Wagtail shows its download buttons when this is not empty
        return [column.lookup for column in self.export_columns]

    def get_export_target(self):
        return None

    def get_export_queryset(self):
        return self.get_queryset()

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.export(request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str):
        return export_response(
            request=self.request,
            sheet=Spreadsheet(
                columns=self.export_columns,
                queryset=self.get_export_queryset(),
                sheet_title=self.get_filename(),
            ),
            fmt=fmt,
            filename=self.get_filename(),
            what=self.export_what,
            target=self.get_export_target(),
            personal=self.export_personal,
        )
