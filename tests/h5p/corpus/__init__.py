"""A real-content corpus: our own content (Vietnamese, synthetic) for the official H5P content
types, packaged the way H5P.org and Lumi exports come (library folders with README files,
`#tmp` media paths, macOS zip debris, older unversioned folders).

Each folder here holds one item's `h5p.json` (without dependencies: they are worked out),
`content.json` and `package.json` (how the export is shaped). The libraries themselves are
the released h5p/ content types (MIT), taken from a local library folder laid out as in an
H5P export (`<Machine.Name>-<major>.<minor>/`), `H5P_CORPUS_LIBRARIES` or
`~/.cache/pcmd-h5p-corpus/libraries`. Their code is never committed here; without that
folder the corpus tests are skipped and say so.
"""

import io
import json
import os
import zipfile
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEDIA = HERE / "media"
LIBRARIES = Path(
    os.environ.get("H5P_CORPUS_LIBRARIES", "~/.cache/pcmd-h5p-corpus/libraries")
).expanduser()
ITEMS = sorted(p.name for p in HERE.iterdir() if (p / "content.json").is_file())


def available() -> bool:
    return LIBRARIES.is_dir() and any(LIBRARIES.iterdir())


def missing_reason() -> str:
    return f"H5P corpus libraries not found in {LIBRARIES} (set H5P_CORPUS_LIBRARIES)"


@cache
def library_json(key: str) -> dict:
    name, version = key.rsplit(" ", 1)
    return json.loads((LIBRARIES / f"{name}-{version}" / "library.json").read_text("utf-8"))


def _key(dep: dict) -> str:
    return f"{dep['machineName']} {dep['majorVersion']}.{dep['minorVersion']}"


def _sub_content(value) -> set[str]:
    found = set()
    if isinstance(value, dict):
        if isinstance(value.get("library"), str) and "params" in value:
            found.add(value["library"])
        for item in value.values():
            found |= _sub_content(item)
    elif isinstance(value, list):
        for item in value:
            found |= _sub_content(item)
    return found


def closure(keys) -> list[str]:
    """Libraries needed to play, dependencies first (editor dependencies left out)."""
    ordered: list[str] = []

    def visit(key: str) -> None:
        if key in ordered:
            return
        meta = library_json(key)
        for dep in meta.get("preloadedDependencies", []) + meta.get("dynamicDependencies", []):
            visit(_key(dep))
        ordered.append(key)

    for key in keys:
        visit(key)
    return ordered


def spec(name: str) -> dict:
    return json.loads((HERE / name / "package.json").read_text("utf-8"))


def content(name: str) -> dict:
    return json.loads((HERE / name / "content.json").read_text("utf-8"))


def build(name: str, *, replace: dict[str, bytes] | None = None) -> bytes:
    """The item's .h5p file, as an export of H5P.org or Lumi would be."""
    shape = spec(name)
    h5p = json.loads((HERE / name / "h5p.json").read_text("utf-8"))
    body = content(name)
    main = f"{h5p['mainLibrary']} {shape['main_version']}"
    needed = closure([main, *sorted(_sub_content(body))])
    h5p["preloadedDependencies"] = [
        {
            "machineName": key.rsplit(" ", 1)[0],
            "majorVersion": int(key.rsplit(" ", 1)[1].split(".")[0]),
            "minorVersion": int(key.rsplit(" ", 1)[1].split(".")[1]),
        }
        for key in needed
    ]
    files: dict[str, bytes] = {
        "h5p.json": json.dumps(h5p, ensure_ascii=False, indent=2).encode(),
        "content/content.json": json.dumps(body, ensure_ascii=False).encode(),
    }
    for target, source in shape.get("media", {}).items():
        files[f"content/{target}"] = (MEDIA / source).read_bytes()
    unversioned = set(shape.get("unversioned_folders", []))
    for key in needed:
        folder_name = key.rsplit(" ", 1)[0] if key in unversioned else key.replace(" ", "-")
        source = LIBRARIES / key.replace(" ", "-")
        for path in sorted(source.rglob("*")):
            if path.is_file():
                files[f"{folder_name}/{path.relative_to(source).as_posix()}"] = path.read_bytes()
    for extra in shape.get("debris", []):
        files.update(DEBRIS[extra])
    files.update(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if "macos" in shape.get("debris", []):
            archive.writestr("content/", b"")  # macOS's Archive Utility writes folder entries
        for member, data in files.items():
            archive.writestr(member, data)
    return out.getvalue()


DEBRIS = {
    # Lumi and some H5P.org exports mark the package with a top-level text file.
    "content_here": {"H5P_CONTENT_HERE.txt": b"This file marks an H5P package."},
    # A package unpacked and zipped again on macOS.
    "macos": {
        ".DS_Store": b"\x00\x00\x00\x01Bud1" + b"\x00" * 32,
        "content/.DS_Store": b"\x00\x00\x00\x01Bud1" + b"\x00" * 32,
        "__MACOSX/._h5p.json": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
        "__MACOSX/content/._content.json": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X",
    },
}
