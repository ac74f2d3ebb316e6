"""Reading what the outside world sends: JSON bodies, CSV and XLSX uploads. Every reader
either returns plain Python values within stated limits or raises InputRejected with a
Vietnamese message for the person who sent it; no other exception escapes, so a view that
uses them answers bad input with a 4xx, never an error page.

Views call `request_json(request)` for a JSON body and `table_rows(upload)` for a
spreadsheet; `InputRejected` raised anywhere in a view becomes a 400 (HostileInputMiddleware).
"""

import codecs
import csv
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass

from django.http import JsonResponse, RawPostDataException
from django.shortcuts import render
from django.utils.translation import gettext as _


class InputRejected(ValueError):
    """Bad input, with the message to show (already translated) and the HTTP status."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# ------------------------------------------------------------------------------------------
# JSON
# ------------------------------------------------------------------------------------------

MAX_JSON_BYTES = 256 * 1024
MAX_JSON_DEPTH = 32
MAX_JSON_NUMBER_DIGITS = 40
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest, counted without parsing (no recursion)."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _not_a_number(_name: str):
    raise InputRejected(_("The data contains a value that is not a number (NaN or Infinity)."))


def _float(text: str) -> float:
    if len(text) > MAX_JSON_NUMBER_DIGITS:
        raise InputRejected(_("The data contains a number that is too long."))
    value = float(text)
    if not math.isfinite(value):
        _not_a_number(text)
    return value


def _int(text: str) -> int:
    if len(text) > MAX_JSON_NUMBER_DIGITS:
        raise InputRejected(_("The data contains a number that is too long."))
    return int(text)


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise InputRejected(_("The data contains a NUL character."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate such as "\ud800"
        raise InputRejected(_("The data contains text that is not valid Unicode.")) from error


def _check_strings(value) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def json_read(data: bytes | str, *, max_bytes: int = MAX_JSON_BYTES, max_depth=MAX_JSON_DEPTH):
    """The JSON value in `data`: UTF-8, at most `max_bytes`, nested at most `max_depth`
    deep, numbers finite and short, strings without NUL or lone surrogates."""
    if isinstance(data, str):
        text = data
        if len(text) > max_bytes:
            raise InputRejected(_("The data is too large."), status=413)
    else:
        if len(data) > max_bytes:
            raise InputRejected(_("The data is too large."), status=413)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputRejected(_("The data is not valid UTF-8 text.")) from error
    if json_depth(text) > max_depth:
        raise InputRejected(_("The data is nested too deeply."))
    try:
        value = json.loads(text, parse_constant=_not_a_number, parse_float=_float, parse_int=_int)
    except InputRejected:
        raise
    except (ValueError, RecursionError) as error:
        raise InputRejected(_("The data is not valid JSON.")) from error
    _check_strings(value)
    return value


def request_json(request, *, max_bytes: int = MAX_JSON_BYTES, max_depth=MAX_JSON_DEPTH):
    """The JSON body of a request, which must say it is JSON."""
    if request.content_type != "application/json":
        raise InputRejected(_("Send the data as JSON (application/json)."), status=415)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_bytes:
        raise InputRejected(_("The data is too large."), status=413)
    try:
        body = request.body
    except RawPostDataException as error:
        raise InputRejected(_("Send the data as JSON (application/json)."), status=415) from error
    return json_read(body, max_bytes=max_bytes, max_depth=max_depth)


# ------------------------------------------------------------------------------------------
# CSV and XLSX
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLimits:
    max_bytes: int = 5_000_000
    max_rows: int = 5000
    max_columns: int = 50
    max_cell_chars: int = 2000
    # XLSX only: a spreadsheet is a zip; what it unpacks to is bounded before it is opened.
    max_unpacked_bytes: int = 50_000_000
    max_ratio: int = 200
    max_members: int = 1000


_CSV_DELIMITERS = ",;\t"  # Excel in a Vietnamese locale separates with semicolons
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def _decode_table_text(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode text"
    else:
        encoding = "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputRejected(_("Save the file as CSV in UTF-8 and upload it again.")) from error


def _check_cell(value: str, row_number: int, limits: TableLimits) -> str:
    if len(value) > limits.max_cell_chars:
        raise InputRejected(
            _("Row %(row)s has a cell longer than %(n)s characters.")
            % {"row": row_number, "n": limits.max_cell_chars}
        )
    if "\x00" in value:
        raise InputRejected(_("Row %(row)s contains a NUL character.") % {"row": row_number})
    return value


def _bounded_rows(rows, limits: TableLimits) -> list[list[str]]:
    out = []
    for number, row in enumerate(rows, start=1):
        if number > limits.max_rows:
            raise InputRejected(_("At most %(n)s rows per file.") % {"n": limits.max_rows})
        if len(row) > limits.max_columns:
            raise InputRejected(
                _("Row %(row)s has more than %(n)s columns.")
                % {"row": number, "n": limits.max_columns}
            )
        out.append([_check_cell(cell, number, limits) for cell in row])
    return out


def csv_rows(raw: bytes, *, limits: TableLimits = TableLimits()) -> list[list[str]]:
    """The rows of a CSV file (comma, semicolon or tab separated; UTF-8 or UTF-16)."""
    if len(raw) > limits.max_bytes:
        raise InputRejected(_("The file is too large."), status=413)
    text = _decode_table_text(raw)
    # The separator is the one the first line uses most outside quoted cells.
    first_line = _QUOTED.sub("", text[:10_000]).split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in _CSV_DELIMITERS}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return _bounded_rows(reader, limits)
    except csv.Error as error:  # a field over csv.field_size_limit(), a stray quote
        raise InputRejected(
            _("The CSV file could not be read (a cell is too long or badly quoted).")
        ) from error


def _xlsx_unpacked_within(raw: bytes, limits: TableLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise InputRejected(_("The file is not a valid XLSX spreadsheet.")) from error
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise InputRejected(_("The XLSX file has too many parts."))
    # A member's declared size bounds what zipfile will unpack from it.
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > limits.max_unpacked_bytes or unpacked / packed > limits.max_ratio:
        raise InputRejected(_("The XLSX file unpacks to too much data."), status=413)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def xlsx_rows(raw: bytes, *, limits: TableLimits = TableLimits()) -> list[list[str]]:
    """The rows of the first sheet of an XLSX workbook, as text."""
    if len(raw) > limits.max_bytes:
        raise InputRejected(_("The file is too large."), status=413)
    _xlsx_unpacked_within(raw, limits)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Read-only sheets pad every row to max_col; the padding is not data.
            rows = (
                _trimmed([_cell_text(v) for v in row])
                for row in sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True)
            )
            out = _bounded_rows(rows, limits)
        finally:
            workbook.close()
    except InputRejected:
        raise
    except Exception as error:  # openpyxl raises many kinds for a malformed workbook
        raise InputRejected(_("The file is not a valid XLSX spreadsheet.")) from error
    # Trailing empty cells and rows are how spreadsheets pad; they are not data.
    while out and not any(out[-1]):
        out.pop()
    return out


def _trimmed(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def table_rows(upload, *, limits: TableLimits = TableLimits()) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file (told apart by content, not by name)."""
    size = getattr(upload, "size", None)
    if size is not None and size > limits.max_bytes:
        raise InputRejected(_("The file is too large."), status=413)
    raw = upload.read(limits.max_bytes + 1)
    if raw.startswith(b"PK\x03\x04"):
        return xlsx_rows(raw, limits=limits)
    return csv_rows(raw, limits=limits)


# ------------------------------------------------------------------------------------------
# Answering
# ------------------------------------------------------------------------------------------


def wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.content_type == "application/json"
        or "application/json" in accept
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def rejected_response(request, message: str, *, status: int = 400):
    """A 4xx that tells the sender, in Vietnamese, what was wrong."""
    if wants_json(request):
        return JsonResponse({"error": "bad_request", "message": message}, status=status)
    return render(request, "400.html", {"message": message}, status=status)
