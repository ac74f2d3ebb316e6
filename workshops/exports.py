"""Streamed CSV of a session's attendance. Cells that a spreadsheet would run as a formula
are escaped (issue 10 point 4).
# exports: switch to the shared streaming writer once i13b lands it (PLAN.md)."""

import csv
from collections.abc import Iterable, Iterator

# What Excel, LibreOffice and Google Sheets read as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


class _Echo:
    def write(self, value):
        return value


def escape_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def export_rows(*, header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines, one at a time, with a byte-order mark so Excel reads UTF-8 Vietnamese."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])
