"""Exports of HR views as CSV (streamed) or XLSX. Cells that a spreadsheet would run as a
formula are escaped. Until the shared export module is on main (PLAN: i13b), HR's exports
go through `export_rows`, so switching is one function."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def export_rows(*, header: list[str], rows, filename: str, fmt: str):
    """A download of `rows` (an iterable of lists), CSV streamed row by row or XLSX."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])
            for row in rows:
                yield writer.writerow([safe_cell(v) for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
