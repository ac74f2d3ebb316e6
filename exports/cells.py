"""Cells a spreadsheet would run as a formula, and how they are neutralised.

Excel, LibreOffice and Google Sheets treat a CSV cell that starts with `=`, `+`, `-` or `@`
(and, in some versions, a tab or carriage return) as a formula: a trainee named
`=HYPERLINK("http://…","Bấm vào đây")` would otherwise become a live link, or worse, in an HR
officer's spreadsheet. Such a cell gets one leading apostrophe, the usual text marker (OWASP's
advice), so it shows as text and stays readable.

The rule is a prefix test that apostrophes and spaces cannot hide: `needs_quote(s)` holds
when, after any leading apostrophes, `s` starts with a tab, CR or LF, or with blanks followed
by a dangerous character (full-width forms included, which some spreadsheet locales convert).
Because leading apostrophes are looked through, `unquote(quote(s)) == s` for every string: an
export can always be read back to exactly what was stored.

The same rule exists as a PostgreSQL regular expression (`SQL_PATTERN`) for exports that let
the database write the CSV; tests check that both agree.
"""

import re

# Characters that make a cell a formula, with their full-width forms.
FORMULA_STARTS = "=+@\uff1d\uff0b\uff0d\uff20-"  # "-" last: literal inside a bracket
CONTROL_STARTS = "\t\r\n"
SPACES = " \u00a0\u3000"

# Literal characters (no escapes) so that Python's `re` and PostgreSQL's regular expressions
# read the very same pattern.
SQL_PATTERN = f"^'*(?:[{CONTROL_STARTS}]|[{SPACES}{CONTROL_STARTS}]*[{FORMULA_STARTS}])"
_PATTERN = re.compile(SQL_PATTERN)

QUOTE = "'"


def needs_quote(value: str) -> bool:
    return bool(_PATTERN.match(value))


def quote(value: str) -> str:
    """The text to write in a CSV cell for `value`."""
    return QUOTE + value if _PATTERN.match(value) else value


def unquote(cell: str) -> str:
    """The stored value back from a cell written by `quote`."""
    if cell.startswith(QUOTE) and _PATTERN.match(cell[1:]):
        return cell[1:]
    return cell
