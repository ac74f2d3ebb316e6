"""Hostile inputs for the endpoint fuzz: path parameters, query strings and request bodies
that a careless view turns into an error page."""

import io
import json
import zipfile

# Put in place of a URL parameter (whatever its converter: those that do not match it
# must still answer, as a 404).
PATH_VALUES = (
    "99999999999999999999999",  # beyond any bigint id
    "2147483648",  # beyond a PostgreSQL integer (Wagtail's ids), within a bigint
    "x" * 3000,
    "%ff%fe%fd",  # not UTF-8
    "0x1f",
    "-1",
    "%E1%BB%87%2F..%2F..",  # "ệ/../.." percent-encoded
)

# Query strings: bad pagination, sorting and filters, junk and encodings.
QUERIES = (
    "p=abc&page=abc&page_size=-1&per_page=99999999999999999999&limit=NaN&offset=1e999",
    "p=99999999999999999999&page=-5&ordering=-__nope__&sort=%27%22%3C&order_by=id%3B",
    "q=%ff%fe%28&id=99999999999999999999&course=abc&user=-1&status=%E2%80%AE&role=%ff"
    "&code=' OR 1=1 --&next=//evil.example&format=evil&s=%ff&query=%ff",
    "ordering=title&ordering=-title&p=0&p=1&q=" + "ệ" * 200,
)
HUGE_QUERY = "q=" + "a" * 200_000


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


XLSX_BOMB = _zip(
    {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": b" " * 80_000_000,
    }
)
LONG_FIELD_CSV = b"code\n" + b"A" * 140_000 + b"\n"
BAD_UTF8_CSV = b"code\n\xff\xfe\xfd\n"

_FILE_FIELDS = ("file", "package", "upload", "files", "document", "image", "csv")
_TEXT_FIELDS = ("q", "query", "title", "name", "full_name", "reason", "holder_name", "data")


def _multipart(files: dict[str, tuple[str, bytes]], fields: dict[str, str]) -> bytes:
    boundary = b"----hostile"
    parts = []
    for name, value in fields.items():
        parts.append(
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="'
            + name.encode()
            + b'"\r\n\r\n'
            + value.encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    for name, (filename, data) in files.items():
        parts.append(
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="'
            + name.encode()
            + b'"; filename="'
            + filename.encode()
            + b'"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
        )
    return b"".join(parts) + b"--" + boundary + b"--\r\n"


def _uploads(data: bytes, filename: str) -> tuple[bytes, str]:
    fields = dict.fromkeys(_TEXT_FIELDS, "x\x00" + "ệ" * 5000)
    files = dict.fromkeys(_FILE_FIELDS, (filename, data))
    return _multipart(files, fields), "multipart/form-data; boundary=----hostile"


# (name, body, content type): every POST-taking view gets each of these.
BODIES = (
    ("multipart without boundary", b"garbage", "multipart/form-data"),
    (
        "truncated multipart",
        b"------hostile\r\nContent-Disposition: form-d",
        "multipart/form-data; boundary=----hostile",
    ),
    (
        "invalid UTF-8 form",
        b"q=%ff%fe&title=\xff\xfe&name=a%00b&reason=\xc3\x28&data=%ff",
        "application/x-www-form-urlencoded",
    ),
    ("deep JSON", b"[" * 5000 + b"]" * 5000, "application/json"),
    (
        "NaN JSON",
        json.dumps({"statement": {"result": {"score": {"raw": float("nan")}}}}).encode(),
        "application/json",
    ),
    (
        "wrong content type",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
        "application/xml",
    ),
    ("CSV field over 131,072 characters", *_uploads(LONG_FIELD_CSV, "ds.csv")),
    ("XLSX bomb", *_uploads(XLSX_BOMB, "ds.xlsx")),
    ("CSV not UTF-8", *_uploads(BAD_UTF8_CSV, "ds.csv")),
)
