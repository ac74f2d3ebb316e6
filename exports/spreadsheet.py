"""The writers: a list of columns over a queryset (or over rows already in memory) becomes a
CSV stream or an XLSX file, in constant memory whatever the number of rows.

CSV on PostgreSQL is written by the database itself: one `COPY (SELECT …) TO STDOUT` whose
select list formats every cell (labels, local times, the formula guard of `exports.cells`),
read through psycopg block by block. Elsewhere (SQLite for `make run`, rows in memory) the
same cells are formatted in Python over `values_list(...).iterator()`. Both give the same
cells; tests compare them.

XLSX goes through openpyxl's write-only workbook into a temporary file: numbers and dates
stay typed, and every string is written as a string (never a formula), marked with Excel's
quote prefix when it would look like one.
"""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from psycopg import ClientCursor

from . import cells

TEXT = "text"
NUMBER = "number"
DATETIME = "datetime"
DATE = "date"
BOOL = "bool"
CHOICE = "choice"
KINDS = (TEXT, NUMBER, DATETIME, DATE, BOOL, CHOICE)

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
SQL_DATE_FORMAT = "DD/MM/YYYY"
SQL_DATETIME_FORMAT = "DD/MM/YYYY HH24:MI"
XLSX_DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
XLSX_DATE_FORMAT = "dd/mm/yyyy"

BOM = "\ufeff"  # Excel opens UTF-8 (Vietnamese) text correctly only with it
CHUNK_BYTES = 64 * 1024  # what is handed to the server at a time
ITERATOR_CHUNK = 2000  # rows per fetch on the Python path

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: its heading, the `values_list` lookup it reads, and how cells are shown.
    CHOICE columns map stored values to labels (`labels`); BOOL columns print yes/no."""

    heading: object
    lookup: str
    kind: str = TEXT
    labels: Mapping | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Spreadsheet:
    """What an export writes: columns over a queryset, or over `rows` of plain values (one
    tuple per row, in column order) when the answer is computed rather than stored."""

    columns: Sequence[Column]
    queryset: QuerySet | None = None
    rows: Iterable[Sequence] | None = None
    sheet_title: str = field(default="")

    def __post_init__(self):
        if (self.queryset is None) == (self.rows is None):
            raise ValueError("give exactly one of queryset and rows")

    def headings(self) -> list[str]:
        return [cells.quote(force_str(column.heading)) for column in self.columns]

    def value_rows(self) -> Iterator[Sequence]:
        if self.rows is not None:
            yield from self.rows
            return
        lookups = [column.lookup for column in self.columns]
        yield from self.queryset.values_list(*lookups).iterator(chunk_size=ITERATOR_CHUNK)


def _yes_no() -> tuple[str, str]:
    return _("Yes"), _("No")


def _label(column: Column, value) -> str:
    labels = column.labels or {}
    return cells.quote(force_str(labels.get(value, value)))


def csv_cell(column: Column, value) -> str:
    """The text of one CSV cell (the Python path; `_sql_cell` is the database's twin)."""
    if value is None:
        return ""
    kind = column.kind
    if kind == TEXT:
        return cells.quote(force_str(value))
    if kind == CHOICE:
        return _label(column, value)
    if kind == BOOL:
        yes, no = _yes_no()
        return yes if value else no
    if kind == DATETIME:
        return timezone.localtime(value).strftime(DATETIME_FORMAT)
    if kind == DATE:
        return value.strftime(DATE_FORMAT)
    return str(value)


class _Buffer:
    """The file csv.writer writes into; handed over in chunks."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        # csv.writer hands over one whole line at a time. Its lines end in CRLF so that it
        # quotes any field holding a CR (it quotes only for the terminator's characters);
        # they are stored with LF, as PostgreSQL's COPY ends its lines.
        if text.endswith("\r\n"):
            text = text[:-2] + "\n"
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> bytes:
        data = "".join(self.parts).encode()
        self.parts, self.size = [], 0
        return data


def _writer(buffer):
    return csv.writer(buffer, lineterminator="\r\n")


def csv_heading_bytes(sheet: Spreadsheet) -> bytes:
    buffer = _Buffer()
    buffer.write(BOM)
    _writer(buffer).writerow(sheet.headings())
    return buffer.take()


def csv_stream_python(sheet: Spreadsheet) -> Iterator[bytes]:
    yield csv_heading_bytes(sheet)
    buffer = _Buffer()
    writer = _writer(buffer)
    columns = sheet.columns
    for row in sheet.value_rows():
        writer.writerow(
            [csv_cell(column, value) for column, value in zip(columns, row, strict=True)]
        )
        if buffer.size >= CHUNK_BYTES:
            yield buffer.take()
    if buffer.size:
        yield buffer.take()


# ---- The database writes the CSV -----------------------------------------------------------


def _sql_text(ref: str) -> tuple[str, list]:
    text = f"{ref}::text"
    return f"CASE WHEN {text} ~ %s THEN '{cells.QUOTE * 2}' || {text} ELSE {text} END", [
        cells.SQL_PATTERN
    ]


def _sql_cell(column: Column, ref: str) -> tuple[str, list]:
    kind = column.kind
    if kind == TEXT:
        return _sql_text(ref)
    if kind == CHOICE:
        whens, params = [], []
        for stored, label in (column.labels or {}).items():
            whens.append("WHEN %s THEN %s")
            params += [force_str(stored), cells.quote(force_str(label))]
        default, default_params = _sql_text(ref)
        if not whens:
            return default, default_params
        return f"CASE {ref}::text {' '.join(whens)} ELSE {default} END", params + default_params
    if kind == BOOL:
        yes, no = _yes_no()
        return f"CASE WHEN {ref} THEN %s WHEN NOT {ref} THEN %s END", [yes, no]
    if kind == DATETIME:
        return f"to_char({ref} AT TIME ZONE %s, '{SQL_DATETIME_FORMAT}')", [settings.TIME_ZONE]
    if kind == DATE:
        return f"to_char({ref}, '{SQL_DATE_FORMAT}')", []
    return ref, []


def copy_statement(sheet: Spreadsheet) -> tuple[str, list]:
    """`COPY (SELECT <formatted cells> FROM (<the queryset>) t) TO STDOUT` and its
    parameters (psycopg binds COPY parameters client-side)."""
    columns = sheet.columns
    queryset = sheet.queryset.values_list(*[column.lookup for column in columns])
    inner, inner_params = queryset.query.sql_with_params()
    names = [f"c{i}" for i in range(len(columns))]
    select, params = [], []
    for column, name in zip(columns, names, strict=True):
        sql, sql_params = _sql_cell(column, f"t.{name}")
        select.append(sql)
        params += sql_params
    # Only our own column SQL and Django's compiled query are joined; values are parameters.
    query = f"SELECT {', '.join(select)} FROM ({inner}) AS t({', '.join(names)})"  # noqa: S608
    statement = f"COPY ({query}) TO STDOUT (FORMAT csv)"
    return statement, [*params, *inner_params]


def csv_stream_copy(sheet: Spreadsheet) -> Iterator[bytes]:
    yield csv_heading_bytes(sheet)
    statement, params = copy_statement(sheet)
    connection = connections[sheet.queryset.db]
    with connection.cursor() as cursor:
        # Bound here, client-side (COPY takes no server-side parameters; Django's debug
        # cursor passes the statement alone).
        query = ClientCursor(cursor.connection).mogrify(statement, params)
        yield from _copy_chunks(cursor, query)


def _copy_chunks(cursor, query: str) -> Iterator[bytes]:
    with cursor.copy(query) as copy:
        # psycopg hands over one row per block; gather them into larger chunks.
        parts, size = [], 0
        for block in copy:
            parts.append(block)
            size += len(block)
            if size >= CHUNK_BYTES:
                yield b"".join(parts)
                parts, size = [], 0
        if parts:
            yield b"".join(parts)


def uses_copy(sheet: Spreadsheet) -> bool:
    return sheet.queryset is not None and connections[sheet.queryset.db].vendor == "postgresql"


def csv_stream(sheet: Spreadsheet) -> Iterator[bytes]:
    """The CSV, UTF-8 with a byte-order mark, as a stream of byte chunks."""
    return csv_stream_copy(sheet) if uses_copy(sheet) else csv_stream_python(sheet)


# ---- XLSX ----------------------------------------------------------------------------------


def _xlsx_text(worksheet, text: str):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters cannot be stored in an XLSX string: show them as U+FFFD.
    cell = WriteOnlyCell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))
    cell.data_type = "s"  # a string, even when it looks like a formula
    if cells.needs_quote(text):
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def _xlsx_cell(worksheet, column: Column, value):
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return WriteOnlyCell(worksheet, value=None)
    kind = column.kind
    if kind == TEXT:
        return _xlsx_text(worksheet, force_str(value))
    if kind == CHOICE:
        labels = column.labels or {}
        return _xlsx_text(worksheet, force_str(labels.get(value, value)))
    if kind == BOOL:
        yes, no = _yes_no()
        return _xlsx_text(worksheet, yes if value else no)
    if kind == DATETIME:
        cell = WriteOnlyCell(worksheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if kind == DATE:
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return WriteOnlyCell(worksheet, value=value)
    if isinstance(value, (datetime.date, datetime.time)):
        return WriteOnlyCell(worksheet, value=value)
    return _xlsx_text(worksheet, force_str(value))


def xlsx_file(sheet: Spreadsheet):
    """The workbook in a temporary file, positioned at its start (closing deletes it)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=(sheet.sheet_title or _("Data"))[:31])
    worksheet.append([_xlsx_text(worksheet, force_str(column.heading)) for column in sheet.columns])
    columns = sheet.columns
    for row in sheet.value_rows():
        worksheet.append(
            [
                _xlsx_cell(worksheet, column, value)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes (and deletes) it
    workbook.save(output)
    output.seek(0)
    return output
