"""Reading an uploaded table (CSV or XLSX) into a header and rows, through the platform's
shared readers (ops.safeinput: the stdlib's csv reader, openpyxl); anything that is not a
readable table is refused as a whole."""

from dataclasses import dataclass

from anyascii import anyascii
from django.conf import settings
from django.utils.translation import gettext as _

from ops.safeinput import InputRejected, TableLimits, csv_rows, xlsx_rows

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


def _cell(text: str) -> str:
    return " ".join(text.split())


def _limits() -> TableLimits:
    return TableLimits(
        max_bytes=settings.HR_IMPORT_MAX_BYTES,
        max_rows=settings.HR_IMPORT_MAX_ROWS + 1,  # and the header row
        # Sheet XML packs tightly: a workbook at the size limit may unpack to ten times it.
        max_unpacked_bytes=10 * settings.HR_IMPORT_MAX_BYTES,
    )


def _lines(data: bytes):
    """(line number, cells) of the file, read by the platform's readers of outside input
    (ops.safeinput: UTF-8 or UTF-16 CSV with its separator found, XLSX with openpyxl after
    its unpacked size is bounded)."""
    limits = _limits()
    try:
        read = xlsx_rows if data[:4] == b"PK\x03\x04" else csv_rows
        rows = read(data, limits=limits)
    except InputRejected as error:
        raise TableError(error.message) from error
    for number, row in enumerate(rows, start=1):
        yield number, [_cell(value) for value in row]


def read_table(data: bytes, *, aliases: dict[str, str], required: list[str]) -> Table:
    """The header row mapped through `aliases` (header_key → column), then the rows. Empty
    rows are skipped. Raises TableError for a file that is not a table we can use."""
    if not data:
        raise TableError(_("The file is empty."))
    lines = _lines(data)
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
