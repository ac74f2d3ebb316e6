"""The shared readers of outside input (ops.safeinput): whatever bytes arrive, they return
plain values within their limits or raise InputRejected with a message; nothing else."""

import csv
import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops.safeinput import (
    InputRejected,
    TableLimits,
    csv_rows,
    json_read,
    table_rows,
    xlsx_rows,
)
from tests.browser.english import english_words

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _vietnamese(error: InputRejected) -> None:
    assert error.message and not english_words(error.message), error.message
    assert 400 <= error.status < 500


@pytest.fixture(autouse=True)
def _vi(vietnamese):
    yield


# --- JSON ---------------------------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(
                st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@FAST
@given(_json_values)
def test_json_within_limits_reads_back_unchanged(value):
    assert json_read(json.dumps(value).encode()) == value


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_give_a_value_or_a_rejection(data):
    try:
        json_read(data)
    except InputRejected as error:
        _vietnamese(error)


@FAST
@given(st.text(alphabet='[]{}":,0123456789.eE-+ntrufalsNIiy\\ud80', max_size=200))
def test_any_json_like_text_gives_a_value_or_a_rejection(text):
    try:
        json_read(text)
    except InputRejected as error:
        _vietnamese(error)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        '{"raw": NaN}',
        '{"raw": Infinity}',
        "[-Infinity]",
        "[1e999]",  # Python reads it as inf
        "[" + "9" * 5000 + "]",  # past int's digit limit
        '["\\ud800"]',  # a lone surrogate PostgreSQL cannot store
        '{"a": "x\\u0000y"}',
        '{"\\u0000": 1}',
    ],
    ids=lambda t: t[:12],
)
def test_hostile_json_is_rejected_with_a_message(text):
    with pytest.raises(InputRejected) as caught:
        json_read(text.encode())
    _vietnamese(caught.value)


def test_oversized_and_non_utf8_json_is_rejected():
    with pytest.raises(InputRejected) as big:
        json_read(b"[" + b"1," * 200_000 + b"1]", max_bytes=1000)
    assert big.value.status == 413
    with pytest.raises(InputRejected):
        json_read(b'{"a": "\xff\xfe"}')


# --- CSV ----------------------------------------------------------------------------------

# Without ";" and tab: the reader takes the separator the first line uses most (a Vietnamese
# Excel writes ";"), so a one-column file whose cell holds one is read as two columns.
_cells = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n;\t"), max_size=30
)


def _csv(rows, delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode()


@FAST
@given(st.lists(st.lists(_cells, min_size=1, max_size=5), min_size=1, max_size=20))
def test_csv_within_limits_reads_back_unchanged(rows):
    assert csv_rows(_csv(rows)) == rows


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_a_rejection_for_csv(data):
    try:
        rows = csv_rows(data)
    except InputRejected as error:
        _vietnamese(error)
    else:
        assert all(isinstance(c, str) and "\x00" not in c for row in rows for c in row)


def test_a_field_beyond_the_csv_module_limit_is_refused_not_a_crash():
    huge = b"code\n" + b"A" * 131_073 + b"\n"
    with pytest.raises(InputRejected) as caught:
        csv_rows(huge, limits=TableLimits(max_cell_chars=10**6))
    _vietnamese(caught.value)
    quoted = b'"' + b"A" * 200_000 + b'"\n'
    with pytest.raises(InputRejected):
        csv_rows(quoted)


@pytest.mark.parametrize(
    ("data", "limits"),
    [
        (b"a\n" * 11, TableLimits(max_rows=10)),
        (b",".join([b"x"] * 51) + b"\n", TableLimits()),
        (b"x" * 2001 + b"\n", TableLimits()),
        (b"a\x00b\n", TableLimits()),
        ("Mã cán bộ\n".encode("windows-1258", "replace") + b"\xff", TableLimits()),
        (b"x" * 100, TableLimits(max_bytes=99)),
    ],
    ids=["rows", "columns", "cell", "nul", "not-utf8", "bytes"],
)
def test_csv_limits_are_refused_with_a_message(data, limits):
    with pytest.raises(InputRejected) as caught:
        csv_rows(data, limits=limits)
    _vietnamese(caught.value)


def test_semicolon_and_utf16_files_from_a_vietnamese_excel_are_read():
    assert csv_rows(_csv([["Mã", "Họ tên"], ["CA-1", "Lê Văn An"]], ";")) == [
        ["Mã", "Họ tên"],
        ["CA-1", "Lê Văn An"],
    ]
    utf16 = "Mã\tHọ tên\r\nCA-1\tLê Văn An\r\n".encode("utf-16")
    assert csv_rows(utf16)[1] == ["CA-1", "Lê Văn An"]


# --- XLSX ---------------------------------------------------------------------------------


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=20),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=10,
    )
)
def test_xlsx_within_limits_reads_back_unchanged(rows):
    assert xlsx_rows(_xlsx(rows)) == rows


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked():
    bomb = _zip({"xl/worksheets/sheet1.xml": b"\0" * 60_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(InputRejected) as caught:
        xlsx_rows(bomb)
    _vietnamese(caught.value)


def test_an_xlsx_with_an_entity_expansion_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 9)
        ).replace(b"&lol0;", b"&lol;")
        + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheets><sheet name='&lol8;' sheetId='1'/></sheets></workbook>"
    )
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["a"]])))
    members = {name: good.read(name) for name in good.namelist()}
    members["xl/workbook.xml"] = laughs
    with pytest.raises(InputRejected) as caught:
        xlsx_rows(_zip(members))
    _vietnamese(caught.value)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_after_a_zip_signature_give_rows_or_a_rejection(data):
    upload = io.BytesIO(b"PK\x03\x04" + data)
    try:
        table_rows(upload)
    except InputRejected as error:
        _vietnamese(error)


def test_xlsx_row_and_cell_limits():
    with pytest.raises(InputRejected):
        xlsx_rows(_xlsx([["a"]] * 11), limits=TableLimits(max_rows=10))
    with pytest.raises(InputRejected):
        xlsx_rows(_xlsx([["x" * 2001]]))
    with pytest.raises(InputRejected):
        xlsx_rows(_xlsx([list(range(60))]))
