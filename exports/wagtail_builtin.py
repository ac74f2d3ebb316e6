"""Wagtail's own exports (site history, locked and aging pages, workflow reports, redirects,
form submissions) write through its SpreadsheetExportMixin, which puts text into CSV cells
as it is: a page titled `=HYPERLINK(…)` or a form answer starting with `@` would run in the
spreadsheet. `guard_wagtail_exports` (ExportsConfig.ready) makes its CSV cells go through the
same formula guard as ours, and records each of those downloads (they name people: editors,
lockers, form senders) in the audit log. Wagtail already writes XLSX formulas as strings.
Our own reports never reach this code: StreamingExportMixin answers their exports."""

from django.utils.encoding import force_str

from . import cells


def _guarded_preprocess(original):
    def preprocess_field_value(self, field, value, export_format):
        result = original(self, field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(result, str):
            return cells.quote(result)
        return result

    preprocess_field_value.pcmd_guarded = True
    return preprocess_field_value


def _audited(original):
    def as_spreadsheet(self, queryset, spreadsheet_format):
        from audit.services import audit_record

        what = f"wagtail:{type(self).__name__}"
        try:
            rows = queryset.count()
        except TypeError:  # a list, whose count() wants an argument
            rows = len(queryset)
        audit_record(
            action="export.personal_data",
            request=self.request,
            summary=f"{what} ({spreadsheet_format}, {rows})",
            data={"what": what, "format": force_str(spreadsheet_format), "rows": rows},
        )
        return original(self, queryset, spreadsheet_format)

    as_spreadsheet.pcmd_guarded = True
    return as_spreadsheet


def guard_wagtail_exports() -> None:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    mixin = SpreadsheetExportMixin
    if getattr(mixin.preprocess_field_value, "pcmd_guarded", False):
        return
    mixin.preprocess_field_value = _guarded_preprocess(mixin.preprocess_field_value)
    mixin.as_spreadsheet = _audited(mixin.as_spreadsheet)
