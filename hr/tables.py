"""Reading an uploaded table (CSV or XLSX) into a header and rows, with the stdlib's csv
reader and openpyxl; anything that is not a readable table is refused as a whole."""

import csv
import io
import zipfile
from dataclasses import dataclass

from anyascii import anyascii
from django.conf import settings
from django.utils.translation import gettext as _

MAX_CELL = 500


class TableError(ValueError):
    """The file as a whole cannot be read; the message is shown to the person."""


@dataclass
class Table:
    columns: list[str]  # canonical column names, in file order (None for ignored ones)
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, {column: value})
    ignored: list[str]


def header_key(text: str) -> str:
    """A header as compared: without diacritics, case, punctuation or extra spaces, so
    that "Họ và tên", "HO VA TEN" and "ho_va_ten" are the same."""
    plain = anyascii(str(text or "")).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a staff ID typed as a number in Excel
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        value = value.isoformat()
    return " ".join(str(value).split())


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from error
    if "\x00" in text:
        raise TableError(_("The file is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [_cell(v) for v in row]
    except csv.Error as error:
        raise TableError(
            _("The CSV file is damaged near line %(line)s.") % {"line": reader.line_num}
        ) from error


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableError(_("The Excel file cannot be read.")) from error
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in row]
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise TableError(_("The Excel file cannot be read.")) from error
    finally:
        book.close()


def read_table(data: bytes, *, aliases: dict[str, str], required: list[str]) -> Table:
    """The header row mapped through `aliases` (header_key → column), then the rows. Empty
    rows are skipped. Raises TableError for a file that is not a table we can use."""
    if not data:
        raise TableError(_("The file is empty."))
    if len(data) > settings.HR_IMPORT_MAX_BYTES:
        raise TableError(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.HR_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    lines = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    header = None
    columns: list[str | None] = []
    ignored: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in lines:
        if not any(cells):
            continue
        if header is None:
            header = cells
            for text in cells:
                column = aliases.get(header_key(text))
                if column is None:
                    if text:
                        ignored.append(text)
                elif column in columns:
                    raise TableError(_("The column “%(column)s” appears twice.") % {"column": text})
                columns.append(column)
            missing = [c for c in required if c not in columns]
            if missing:
                raise TableError(
                    _("The header row lacks the columns: %(columns)s.")
                    % {"columns": ", ".join(missing)}
                )
            continue
        if len(rows) >= settings.HR_IMPORT_MAX_ROWS:
            raise TableError(
                _("The file has more than %(n)s rows.") % {"n": settings.HR_IMPORT_MAX_ROWS}
            )
        values = {}
        for index, value in enumerate(cells):
            column = columns[index] if index < len(columns) else None
            if column is not None:
                values[column] = value[:MAX_CELL]
            elif index >= len(columns) and value:
                values["__extra__"] = value[:MAX_CELL]
        rows.append((number, values))
    if header is None:
        raise TableError(_("The file has no header row."))
    return Table(columns=[c for c in columns if c], rows=rows, ignored=ignored)
