"""Checks an uploaded .h5p package before anything of it is stored or served.

pyh5p reads the archive safely (paths, symlinks, sizes, ratios, h5p.json); the checks it does not
make (shared/H5P.md) are made here. Every problem found is reported, not only the first.
Passing these checks does not make package files safe to serve from the platform's origin: SVG
and library JavaScript are allowed, so packages are served only from the content origin.
"""

import io
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import nh3
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pyh5p import PackageError, PackageLimits, SecurityError, read_package

from .packaging import LIBRARIES_DIR

# H5P core's content whitelist (H5PCore::$defaultContentWhitelist, less swf md textile gltf glb).
# fmt: off
CONTENT_EXTENSIONS = frozenset((
    "json", "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "svg", "eot", "ttf", "woff",
    "woff2", "otf", "webm", "mp4", "ogg", "mp3", "m4a", "wav", "txt", "pdf", "rtf", "doc", "docx",
    "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "xml", "csv", "diff", "patch", "vtt",
    "webvtt",
))
# fmt: on
# H5P core allows these in library folders only (H5PCore::$defaultLibraryWhitelistExtras).
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}

LIMITS = PackageLimits(
    max_files=2000,
    max_file_size=20 * 1024 * 1024,
    max_total_size=100 * 1024 * 1024,
    max_compression_ratio=100.0,
    # pyh5p's default list is wider (wasm, swf, map, md...): use H5P core's.
    allowed_extensions=LIBRARY_EXTENSIONS,
)

# Tags for an html-widget text field that declares none: about what H5P's editor offers.
# fmt: off
DEFAULT_HTML_TAGS = frozenset((
    "p", "br", "strong", "em", "b", "i", "u", "s", "sub", "sup", "ul", "ol", "li", "a",
    "blockquote", "h2", "h3", "h4", "hr",
))
# fmt: on
# nh3 drops these with their content; it refuses them in the allowed set.
_CONTENT_DROPPED_TAGS = {"script", "style"}

TOO_LARGE = _("The package is too large or too compressed")
MISSING_H5P_JSON = _("Missing h5p.json")


class PackageRejected(Exception):
    """The package cannot be used; `reasons` says why, one problem per entry."""

    def __init__(self, reasons: list) -> None:
        self.reasons = reasons
        super().__init__("; ".join(str(reason) for reason in reasons))


@dataclass
class PackageReport:
    title: str
    main_library: str
    main_version: str
    size: int  # bytes of the .h5p file
    dependencies: list[str]  # "H5P.PcmdChoice 1.1", from h5p.json preloadedDependencies
    libraries_in_package: list[str]
    content_json: dict  # content/content.json with its HTML cleaned
    files: list[str]


def inspect_package(data: bytes, *, installed_libraries: set[str]) -> PackageReport:
    """Reads, checks and describes a package; raises PackageRejected with every reason found.

    `installed_libraries` holds "Machine.Name major.minor" strings of the libraries the platform
    already has, which a package may use without carrying them.
    """
    reasons = _check_members(data)
    if reasons:
        # Nothing is decompressed before the names and sizes are known to be acceptable.
        raise PackageRejected(reasons)
    try:
        package = read_package(data, limits=LIMITS)
    except PackageError as exc:
        raise PackageRejected([_reason_for(exc)]) from exc

    reasons = [
        format_lazy(_("The package is not a valid H5P file: {problem}"), problem=str(issue))
        # Content-only packages are fine when the platform has their libraries (checked below).
        for issue in package.validate(require_content=True, allow_content_only=True)
    ]
    metadata = package.metadata
    in_package = {_library_key(lib.metadata) for lib in package.libraries}
    available = in_package | set(installed_libraries)

    dependencies = _dependency_keys(metadata.get("preloadedDependencies"))
    needed = dependencies + _dependency_keys(metadata.get("dynamicDependencies"))
    for library in package.libraries:
        for key in ("preloadedDependencies", "dynamicDependencies"):
            needed += _dependency_keys(library.metadata.get(key))
    for lib in dict.fromkeys(needed):
        if lib not in available:
            reasons.append(
                format_lazy(_("The package needs a library that is not installed: {lib}"), lib=lib)
            )
    main_library = str(metadata.get("mainLibrary", ""))
    main_version = next(
        (key.rsplit(" ", 1)[1] for key in dependencies if key.rsplit(" ", 1)[0] == main_library),
        "",
    )
    if main_library and not main_version:
        reasons.append(
            format_lazy(
                _("The package is not a valid H5P file: {problem}"),
                problem="mainLibrary is not in preloadedDependencies",
            )
        )
    if reasons:
        raise PackageRejected(reasons)

    semantics = _semantics_by_library(package)
    main_semantics = semantics.get(f"{main_library} {main_version}")
    return PackageReport(
        title=str(metadata.get("title", "")),
        main_library=main_library,
        main_version=main_version,
        size=len(data),
        dependencies=dependencies,
        libraries_in_package=sorted(in_package),
        content_json=_clean_group(main_semantics, package.content or {}, semantics),
        files=sorted(package.files),
    )


def extract_package(data: bytes, destination: Path, *, content_json: dict | None = None) -> None:
    """Extracts a package to `destination`, which must not exist yet: all of it or nothing.

    Pass `content_json=report.content_json` so the player reads the cleaned content.
    """
    destination = Path(destination)
    reasons = _check_members(data)
    if reasons:
        raise PackageRejected(reasons)
    try:
        package = read_package(data, limits=LIMITS)
    except PackageError as exc:
        raise PackageRejected([_reason_for(exc)]) from exc
    if destination.exists():
        raise FileExistsError(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    # A sibling folder is on the same file system, so the final rename is atomic.
    temporary = Path(
        tempfile.mkdtemp(prefix=f".{destination.name}-", suffix=".tmp", dir=destination.parent)
    )
    try:
        package.extract(temporary, limits=LIMITS)
        if content_json is not None:
            (temporary / "content" / "content.json").write_text(
                json.dumps(content_json, ensure_ascii=False), encoding="utf-8"
            )
        # mkdtemp makes the folder private; the content origin's server must read it.
        temporary.chmod(0o755)
        os.rename(temporary, destination)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


# ------------------------------------------------------------------------------------------------
# Archive members
# ------------------------------------------------------------------------------------------------


def _check_members(data: bytes) -> list:
    """Every problem with the archive's names, kinds and sizes, read from its directory only."""
    if len(data) > LIMITS.max_total_size:
        return [TOO_LARGE]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return [_("The package is not a valid H5P file: it is not a ZIP archive")]

    reasons: list = []
    too_large = len(infos) > LIMITS.max_files
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        reasons += _name_problems(name, is_dir=info.is_dir())
        if name in seen:
            reasons.append(format_lazy(_("A file appears twice in the package: {name}"), name=name))
        seen.add(name)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            reasons.append(
                format_lazy(_("Links are not allowed in the package: {name}"), name=name)
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > LIMITS.max_file_size or ratio > LIMITS.max_compression_ratio:
            too_large = True
    if too_large or total > LIMITS.max_total_size:
        reasons.append(TOO_LARGE)
    if "h5p.json" not in seen:
        reasons.append(MISSING_H5P_JSON)
    return reasons


def _name_problems(name: str, *, is_dir: bool) -> list:
    path = name.rstrip("/") if is_dir else name
    parts = path.split("/")
    unsafe = (
        not path
        or path.startswith("/")
        or "\\" in path
        or ":" in path
        or "\x00" in path
        or any(part in {"", ".", ".."} for part in parts)
    )
    if unsafe:
        return [format_lazy(_("Unsafe path in the package: {name}"), name=name)]
    not_allowed = format_lazy(_("A file name is not allowed: {name}"), name=name)
    for part in parts:
        # Dot-files (.htaccess) and dot-folders, names a web server may read as another type
        # (x.php.), and control characters.
        if (
            part.startswith(".")
            or part.endswith((".", " "))
            or any(ord(char) < 32 or ord(char) == 127 for char in part)
        ):
            return [not_allowed]
    if is_dir:
        return []
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    if not suffix:
        return [not_allowed]
    if parts[0] == "content" and suffix in {"js", "css"}:
        return [format_lazy(_("Scripts or styles are not allowed in content/: {name}"), name=name)]
    # Only library folders may hold code; h5p.json is the one file at the top.
    allowed = LIBRARY_EXTENSIONS if len(parts) > 1 and parts[0] != "content" else CONTENT_EXTENSIONS
    if suffix not in allowed:
        return [format_lazy(_("A file type is not allowed: {name}"), name=name)]
    if len(parts) == 1 and path != "h5p.json":
        return [format_lazy(_("Only h5p.json may be at the top of the package: {name}"), name=name)]
    return []


def _reason_for(exc: PackageError):
    """pyh5p's error as one of our reasons (the pre-check catches most of these first)."""
    message = str(exc)
    if "missing root h5p.json" in message:
        return MISSING_H5P_JSON
    if isinstance(exc, SecurityError):
        if "unsafe archive member path" in message:
            return format_lazy(_("Unsafe path in the package: {name}"), name=_quoted_name(message))
        if "symbolic links" in message:
            return format_lazy(
                _("Links are not allowed in the package: {name}"), name=_quoted_name(message)
            )
        if "extension is not allowed" in message:
            return format_lazy(_("A file type is not allowed: {name}"), name=_quoted_name(message))
        return TOO_LARGE
    if "more than" in message or "size limit" in message:
        return TOO_LARGE
    return format_lazy(_("The package is not a valid H5P file: {problem}"), problem=message)


def _quoted_name(message: str) -> str:
    return message.split(": ", 1)[-1].strip("'\"")


# ------------------------------------------------------------------------------------------------
# Libraries
# ------------------------------------------------------------------------------------------------


def _library_key(value: Any) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    return f"{value.get('machineName')} {value.get('majorVersion')}.{value.get('minorVersion')}"


def _dependency_keys(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(_library_key(item) for item in value))


def _semantics_by_library(package) -> dict[str, list]:
    """Semantics by "Name major.minor": the package's own, else our installed libraries'."""
    result: dict[str, list] = {}
    for path in LIBRARIES_DIR.glob("*/library.json"):
        try:
            raw = json.loads((path.parent / "semantics.json").read_text(encoding="utf-8"))
            result[_library_key(json.loads(path.read_text(encoding="utf-8")))] = raw
        except (OSError, ValueError):
            continue
    for library in package.libraries:
        try:
            raw = library.semantics_raw
        except (UnicodeDecodeError, json.JSONDecodeError):
            raw = None
        if isinstance(raw, list):
            result[_library_key(library.metadata)] = raw
    return result


# ------------------------------------------------------------------------------------------------
# HTML in content.json
# ------------------------------------------------------------------------------------------------


def _clean_group(fields: list | None, value: Any, semantics: dict[str, list]) -> Any:
    """Cleans a group's values field by field; without semantics, everything is plain text."""
    if not isinstance(value, Mapping):
        return _strip_all(value)
    known = {
        item.get("name"): item
        for item in (fields or [])
        if isinstance(item, Mapping) and isinstance(item.get("name"), str)
    }
    return {
        key: _clean_value(known[key], item, semantics) if key in known else _strip_all(item)
        for key, item in value.items()
    }


def _clean_value(semantic: Mapping, value: Any, semantics: dict[str, list]) -> Any:
    kind = semantic.get("type")
    if kind == "text":
        return _clean_text(semantic, value) if isinstance(value, str) else _strip_all(value)
    if kind == "group":
        children = semantic.get("fields") or []
        if len(children) == 1 and not isinstance(value, Mapping):
            # H5P stores a one-field group as that field's value.
            return _clean_value(children[0], value, semantics)
        return _clean_group(children, value, semantics)
    if kind == "list" and isinstance(value, list) and isinstance(semantic.get("field"), Mapping):
        return [_clean_value(semantic["field"], item, semantics) for item in value]
    if kind == "library" and isinstance(value, Mapping):
        chosen = value.get("library")
        result = _strip_all({key: item for key, item in value.items() if key != "params"})
        if "params" in value:
            result["params"] = _clean_group(semantics.get(str(chosen)), value["params"], semantics)
        return result
    if kind == "image" and isinstance(value, Mapping):
        return _clean_file(value)
    if kind in {"file", "video", "audio"} and isinstance(value, list):
        return [_clean_file(item) if isinstance(item, Mapping) else item for item in value]
    return _strip_all(value)


def _clean_file(value: Mapping) -> dict:
    # Paths were checked by pyh5p; escaping them would break them. Copyright texts are shown.
    return {
        key: item if key in {"path", "mime"} else _strip_all(item) for key, item in value.items()
    }


def _clean_text(semantic: Mapping, value: str) -> str:
    tags = semantic.get("tags")
    if isinstance(tags, list) and tags:
        allowed = {str(tag).lower() for tag in tags}
    elif semantic.get("widget") == "html":
        allowed = set(DEFAULT_HTML_TAGS)
    else:
        allowed = set()
    allowed -= _CONTENT_DROPPED_TAGS
    return nh3.clean(
        value,
        tags=allowed,
        attributes={"a": {"href"}} if "a" in allowed else {},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags=_CONTENT_DROPPED_TAGS,
    )


def _strip_all(value: Any) -> Any:
    if isinstance(value, str):
        return nh3.clean(value, tags=set(), attributes={}, clean_content_tags=_CONTENT_DROPPED_TAGS)
    if isinstance(value, list):
        return [_strip_all(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _strip_all(item) for key, item in value.items()}
    return value
