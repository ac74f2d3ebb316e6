"""Streamed CSV of a session's attendance. Cells that a spreadsheet would run as a formula
are escaped by the exports app's one rule (issue 10 point 4)."""

import csv
from collections.abc import Iterable, Iterator

from exports.cells import quote


class _Echo:
    def write(self, value):
        return value


def escape_cell(value) -> str:
    return quote("" if value is None else str(value))


def export_rows(*, header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines, one at a time, with a byte-order mark so Excel reads UTF-8 Vietnamese."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([escape_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([escape_cell(cell) for cell in row])
