"""Checks an uploaded .h5p package before anything of it is stored or served.

The rules follow H5P core's validator (h5p-php-library `H5PValidator::isValidPackage`), so
real exports from H5P.org and Lumi are accepted: any path segment starting with `.` or `_`
(`__MACOSX/`, `.DS_Store`) is skipped, a top-level file other than `h5p.json` is ignored,
library folders may be named `Machine.Name` or `Machine.Name-1.2`, media may be external URLs
or missing, and `#tmp` suffixes are harmless. On top of that come the checks that matter for
a platform that serves the files (README, "Where we are stricter than H5P core"): unsafe
paths, links, encryption, compression methods, name lengths, folder and JSON nesting, sizes
and ratios, script files under `content/`, every dependency present or installed, and HTML
in `content.json` cleaned by each library's semantics. Every problem is reported, not only
the first, and every reason is a translated sentence without server paths or errno texts.

Passing these checks does not make package files safe to serve from the platform's origin:
SVG and library JavaScript are allowed, so packages are served only from the content origin.
"""

import hashlib
import json
import re
import stat
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

import nh3
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ops.safeinput import json_depth

# H5P core's content whitelist (H5PCore::$defaultContentWhitelist, with svg and xml as older
# cores and H5P.md list them) less swf: Flash is an executable format no browser plays.
# fmt: off
CONTENT_EXTENSIONS = frozenset((
    "json", "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "svg", "eot", "ttf", "woff",
    "woff2", "otf", "webm", "mp4", "ogg", "mp3", "m4a", "wav", "txt", "pdf", "rtf", "doc", "docx",
    "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "xml", "csv", "diff", "patch", "md",
    "textile", "vtt", "webvtt", "gltf", "glb",
))
# fmt: on
# H5P core allows these in library folders only (H5PCore::$defaultLibraryWhitelistExtras).
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}
# Documentation in a library folder (README.md, LICENSE.md) never runs: left out of its hash.
DOCUMENT_EXTENSIONS = frozenset(("md", "txt", "textile"))


@dataclass(frozen=True)
class Limits:
    max_files: int = 3000
    max_file_size: int = 64 * 1024 * 1024
    max_total_size: int = 256 * 1024 * 1024
    # Checked on members of 1 MiB and more: small text files legitimately compress well.
    max_compression_ratio: float = 100.0
    max_json_size: int = 16 * 1024 * 1024
    max_json_depth: int = 64
    max_folder_depth: int = 16
    max_segment_bytes: int = 200  # file systems allow 255 bytes; S3 keys 1,024 in all
    max_path_bytes: int = 600


def limits() -> Limits:
    return Limits(
        max_file_size=getattr(settings, "H5P_MAX_FILE_SIZE", Limits.max_file_size),
        max_total_size=getattr(settings, "H5P_MAX_TOTAL_SIZE", Limits.max_total_size),
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
_MACHINE_NAME = re.compile(r"^[\w.-]{1,255}$")
_LIBRARY_REFERENCE = re.compile(r"^([\w.-]{1,255}) (\d{1,5})\.(\d{1,5})$")

TOO_LARGE = _("The package is too large or too compressed")
MISSING_H5P_JSON = _("Missing h5p.json")
NOT_A_ZIP = _("The package is not a valid H5P file: it is not a ZIP archive")


class PackageRejected(Exception):
    """The package cannot be used; `reasons` says why, one problem per entry."""

    def __init__(self, reasons: list) -> None:
        self.reasons = reasons
        super().__init__("; ".join(str(reason) for reason in reasons))


@dataclass
class PackagedLibrary:
    machine_name: str
    major: int
    minor: int
    patch: int
    folder: str  # its folder in the archive: "H5P.MultiChoice-1.16" or "H5P.MultiChoice"
    metadata: dict
    members: dict[str, str]  # relative path in the library -> archive member name
    files: dict[str, str] = field(default_factory=dict)  # relative path -> SHA-256 (hashed)
    semantics: list | None = None

    @property
    def key(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"

    @property
    def version(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def files_hash(self) -> str:
        return files_hash(self.files)


@dataclass
class PackageReport:
    title: str
    main_library: str
    main_version: str
    size: int  # bytes of the .h5p file
    dependencies: list[str]  # "H5P.PcmdChoice 1.1", from h5p.json preloadedDependencies
    needed: list[str]  # every library the content needs to play, packaged or installed
    libraries: list[PackagedLibrary]
    h5p_json: dict
    content_json: dict  # content/content.json with its HTML cleaned
    content_members: list[str]  # archive members under content/, content.json excluded
    skipped: list[str]  # `.`/`_` entries and stray top-level files, as H5P core skips them

    @property
    def libraries_in_package(self) -> list[str]:
        return sorted(library.key for library in self.libraries)

    @property
    def files(self) -> list[str]:
        names = ["h5p.json", "content/content.json", *self.content_members]
        for library in self.libraries:
            names += list(library.members.values())
        return sorted(names)


def files_hash(files: Mapping[str, str]) -> str:
    """One SHA-256 over a library's files: each relative path with its own SHA-256."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(f"{path}\0{files[path]}\n".encode())
    return digest.hexdigest()


def inspect_package(
    source: bytes | IO[bytes],
    *,
    installed_libraries: set[str],
    installed_semantics: Callable[[str], list | None] | None = None,
    package_limits: Limits | None = None,
) -> PackageReport:
    """Reads, checks and describes a package; raises PackageRejected with every reason found.

    `installed_libraries` holds "Machine.Name major.minor" of the libraries the platform
    already has, which a package may use without carrying them; `installed_semantics` gives
    their semantics for cleaning content that uses them.
    """
    rules = package_limits or limits()
    import io

    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    size = _stream_size(stream)
    if size > rules.max_total_size:
        raise PackageRejected([TOO_LARGE])
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise PackageRejected([NOT_A_ZIP]) from None
    with archive:
        kept, skipped, reasons = _check_members(archive.infolist(), rules)
        if reasons:
            # Nothing is decompressed before names, kinds and sizes are known to be acceptable.
            raise PackageRejected(reasons)
        reader = _Reader(archive, rules)
        h5p_json = reader.json("h5p.json")
        content_json = (
            reader.json("content/content.json") if "content/content.json" in kept else None
        )
        libraries = _libraries(kept, reader)
        reasons = reader.reasons
        if "h5p.json" not in kept:
            reasons.append(MISSING_H5P_JSON)
        elif h5p_json is not None and not isinstance(h5p_json, dict):
            reasons.append(_invalid("h5p.json must contain an object"))
        if "content/content.json" not in kept:
            reasons.append(_invalid("content/content.json is required"))
        elif content_json is not None and not isinstance(content_json, dict):
            reasons.append(_invalid("content/content.json must contain an object"))
        if reasons:
            raise PackageRejected(_unique(reasons))
        for library in libraries:
            _hash_library(library, archive, reader)
        if reader.reasons:
            raise PackageRejected(_unique(reader.reasons))

    reasons = _metadata_problems(h5p_json)
    dependencies = _dependency_keys(h5p_json.get("preloadedDependencies"))
    needed = dependencies + _dependency_keys(h5p_json.get("dynamicDependencies"))
    for library in libraries:
        for key in ("preloadedDependencies", "dynamicDependencies"):
            needed += _dependency_keys(library.metadata.get(key))
    needed += sorted(_sub_content_libraries(content_json))
    needed = list(dict.fromkeys(needed))
    available = {library.key for library in libraries} | set(installed_libraries)
    for lib in needed:
        if lib not in available:
            reasons.append(
                format_lazy(_("The package needs a library that is not installed: {lib}"), lib=lib)
            )
    main_library = str(h5p_json.get("mainLibrary", ""))
    main_version = next(
        (key.rsplit(" ", 1)[1] for key in dependencies if key.rsplit(" ", 1)[0] == main_library),
        "",
    )
    if main_library and not main_version:
        reasons.append(_invalid("mainLibrary is not in preloadedDependencies"))
    if reasons:
        raise PackageRejected(_unique(reasons))

    semantics = {library.key: library.semantics for library in libraries if library.semantics}

    def semantics_for(key: str) -> list | None:
        if key not in semantics and installed_semantics is not None:
            semantics[key] = installed_semantics(key)
        return semantics.get(key)

    return PackageReport(
        title=str(h5p_json.get("title", "")),
        main_library=main_library,
        main_version=main_version,
        size=size,
        dependencies=dependencies,
        needed=needed,
        libraries=libraries,
        h5p_json=h5p_json,
        content_json=_clean_group(
            semantics_for(f"{main_library} {main_version}"), content_json, semantics_for
        ),
        content_members=sorted(
            name for name in kept if name.startswith("content/") and name != "content/content.json"
        ),
        skipped=skipped,
    )


def _invalid(problem: str):
    return format_lazy(_("The package is not a valid H5P file: {problem}"), problem=problem)


def _unique(reasons: list) -> list:
    return list(dict.fromkeys(str(reason) for reason in reasons))


def _stream_size(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


# ------------------------------------------------------------------------------------------------
# Archive members
# ------------------------------------------------------------------------------------------------


def _check_members(infos: list[zipfile.ZipInfo], rules: Limits) -> tuple[dict, list, list]:
    """The members H5P core would use (name -> info), those it skips, and every problem."""
    reasons: list = []
    kept: dict[str, zipfile.ZipInfo] = {}
    skipped: list[str] = []
    too_large = len(infos) > rules.max_files
    total = 0
    for info in infos:
        name = info.filename
        path = name.rstrip("/")
        parts = path.split("/")
        if _unsafe(path):
            # H5P core would skip "../x" (it starts with a dot); it is hostile, so we refuse.
            reasons.append(format_lazy(_("Unsafe path in the package: {name}"), name=name))
            continue
        if info.is_dir():
            continue
        if any(part.startswith((".", "_")) for part in parts) or (
            len(parts) == 1 and (path != "h5p.json")
        ):
            skipped.append(name)  # as H5P core does: never read, stored or served
            continue
        reasons += _name_problems(name, parts, rules)
        if info.flag_bits & 0x1:
            reasons.append(
                format_lazy(_("A file in the package is encrypted: {name}"), name=_short(name))
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            reasons.append(
                format_lazy(
                    _("A file in the package uses an unsupported compression method: {name}"),
                    name=_short(name),
                )
            )
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind not in (0, stat.S_IFREG):
            reasons.append(
                format_lazy(_("Links are not allowed in the package: {name}"), name=_short(name))
            )
        if name in kept:
            reasons.append(
                format_lazy(_("A file appears twice in the package: {name}"), name=_short(name))
            )
        kept[name] = info
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > rules.max_file_size or (
            info.file_size >= 1024 * 1024 and ratio > rules.max_compression_ratio
        ):
            too_large = True
    if too_large or total > rules.max_total_size:
        reasons.append(TOO_LARGE)
    if not reasons and "h5p.json" not in kept:
        reasons.append(MISSING_H5P_JSON)
    return kept, skipped, _unique(reasons)


def _unsafe(path: str) -> bool:
    return (
        not path
        or path.startswith("/")
        or "\\" in path
        or "\x00" in path
        or re.match(r"^[A-Za-z]:", path) is not None
        or any(part in {"", ".", ".."} for part in path.split("/"))
    )


def _short(name: str) -> str:
    """A member name as shown to the trainer: long names are cut, never echoed whole."""
    return name if len(name) <= 80 else f"{name[:40]}…{name[-30:]}"


def _name_problems(name: str, parts: list[str], rules: Limits) -> list:
    if len(parts) > rules.max_folder_depth:
        return [
            format_lazy(
                _("Folders are nested too deeply in the package: {name}"), name=_short(name)
            )
        ]
    if len(name.encode()) > rules.max_path_bytes or any(
        len(part.encode()) > rules.max_segment_bytes for part in parts
    ):
        return [format_lazy(_("A file name in the package is too long: {name}"), name=_short(name))]
    not_allowed = format_lazy(_("A file name is not allowed: {name}"), name=_short(name))
    for part in parts:
        # Names a web server may read as another type (x.php.) and control characters.
        if part.endswith((".", " ")) or any(ord(char) < 32 or ord(char) == 127 for char in part):
            return [not_allowed]
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    if name == "h5p.json":
        return []
    if not suffix:
        return [not_allowed]  # H5P core's whitelist needs an extension too
    if parts[0] == "content" and suffix in {"js", "css"}:
        return [format_lazy(_("Scripts or styles are not allowed in content/: {name}"), name=name)]
    allowed = CONTENT_EXTENSIONS if parts[0] == "content" else LIBRARY_EXTENSIONS
    if suffix not in allowed:
        return [format_lazy(_("A file type is not allowed: {name}"), name=_short(name))]
    return []


class _Reader:
    """Reads members, turning every failure into a reason instead of an exception."""

    def __init__(self, archive: zipfile.ZipFile, rules: Limits) -> None:
        self.archive = archive
        self.rules = rules
        self.reasons: list = []

    def read(self, name: str, *, limit: int | None = None) -> bytes | None:
        limit = limit or self.rules.max_file_size
        try:
            with self.archive.open(name) as handle:
                data = handle.read(limit + 1)
        except KeyError:
            return None
        except (
            RuntimeError,
            NotImplementedError,
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
        ):
            # Encrypted or unsupported members were refused before; a corrupt one ends here.
            self.reasons.append(
                format_lazy(_("A file in the package cannot be read: {name}"), name=_short(name))
            )
            return None
        if len(data) > limit:
            self.reasons.append(TOO_LARGE)
            return None
        return data

    def json(self, name: str) -> Any:
        data = self.read(name, limit=self.rules.max_json_size)
        if data is None:
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.reasons.append(
                format_lazy(_("A JSON file in the package is not valid: {name}"), name=_short(name))
            )
            return None
        if json_depth(text) > self.rules.max_json_depth:
            self.reasons.append(
                format_lazy(
                    _("A JSON file in the package is nested too deeply: {name}"), name=_short(name)
                )
            )
            return None
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            self.reasons.append(
                format_lazy(_("A JSON file in the package is not valid: {name}"), name=_short(name))
            )
            return None


# ------------------------------------------------------------------------------------------------
# Libraries
# ------------------------------------------------------------------------------------------------


def _libraries(kept: Mapping[str, zipfile.ZipInfo], reader: _Reader) -> list[PackagedLibrary]:
    folders: dict[str, dict[str, str]] = {}
    for name in kept:
        folder, _sep, relative = name.partition("/")
        if relative and folder != "content":
            folders.setdefault(folder, {})[relative] = name
    libraries = []
    for folder, members in sorted(folders.items()):
        if "library.json" not in members:
            reader.reasons.append(
                format_lazy(_("A library folder has no library.json: {name}"), name=_short(folder))
            )
            continue
        metadata = reader.json(members["library.json"])
        if metadata is None:
            continue
        library = _library(folder, members, metadata)
        if library is None:
            reader.reasons.append(
                format_lazy(_("A library in the package is not valid: {name}"), name=_short(folder))
            )
            continue
        if "semantics.json" in members:
            semantics = reader.json(members["semantics.json"])
            library.semantics = semantics if isinstance(semantics, list) else None
        for item in _listed_files(metadata):
            if item not in members:
                reader.reasons.append(
                    format_lazy(
                        _("A file listed by a library is missing: {name}"),
                        name=_short(f"{folder}/{item}"),
                    )
                )
        libraries.append(library)
    keys = [library.key for library in libraries]
    for key in {key for key in keys if keys.count(key) > 1}:
        reader.reasons.append(
            format_lazy(_("A library appears twice in the package: {name}"), name=key)
        )
    return libraries


def _library(folder: str, members: dict[str, str], metadata: Any) -> PackagedLibrary | None:
    if not isinstance(metadata, dict):
        return None
    name = metadata.get("machineName")
    versions = [metadata.get(key) for key in ("majorVersion", "minorVersion", "patchVersion")]
    if not isinstance(name, str) or not _MACHINE_NAME.match(name):
        return None
    if not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 100000 for v in versions
    ):
        return None
    major, minor, patch = versions
    # H5P core: the folder is "Machine.Name" (older exports) or "Machine.Name-major.minor".
    if folder not in {name, f"{name}-{major}.{minor}"}:
        return None
    return PackagedLibrary(name, major, minor, patch, folder, metadata, members)


def _listed_files(metadata: dict) -> list[str]:
    found = []
    for key in ("preloadedJs", "preloadedCss"):
        items = metadata.get(key)
        if isinstance(items, list):
            found += [
                str(item["path"]) for item in items if isinstance(item, dict) and "path" in item
            ]
    return found


def _hash_library(library: PackagedLibrary, archive: zipfile.ZipFile, reader: _Reader) -> None:
    for relative, member in sorted(library.members.items()):
        if PurePosixPath(relative).suffix.lower().lstrip(".") in DOCUMENT_EXTENSIONS:
            continue
        data = reader.read(member)
        if data is not None:
            library.files[relative] = hashlib.sha256(data).hexdigest()


def _metadata_problems(h5p_json: dict) -> list:
    reasons = []
    for key in ("title", "mainLibrary", "language", "preloadedDependencies"):
        if key not in h5p_json:
            reasons.append(_invalid(f"h5p.json has no {key}"))
    for key in ("preloadedDependencies", "dynamicDependencies"):
        value = h5p_json.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(item, dict)
            and isinstance(item.get("machineName"), str)
            and _MACHINE_NAME.match(item["machineName"])
            and str(item.get("majorVersion", "")).isdigit()
            and str(item.get("minorVersion", "")).isdigit()
            for item in value
        ):
            reasons.append(_invalid(f"h5p.json {key} is not a list of libraries"))
    return reasons


def _library_key(value: Any) -> str:
    if not isinstance(value, Mapping):
        return str(value)
    return f"{value.get('machineName')} {value.get('majorVersion')}.{value.get('minorVersion')}"


def _dependency_keys(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(_library_key(item) for item in value if isinstance(item, Mapping)))


def _sub_content_libraries(value: Any) -> set[str]:
    """Libraries named by sub-content ({"library": "H5P.MultiChoice 1.16", "params": …})."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            library = item.get("library")
            if isinstance(library, str) and "params" in item:
                match = _LIBRARY_REFERENCE.match(library)
                if match:
                    found.add(library)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


# ------------------------------------------------------------------------------------------------
# HTML in content.json
# ------------------------------------------------------------------------------------------------

Semantics = Callable[[str], list | None]


def _clean_group(fields: list | None, value: Any, semantics: Semantics) -> Any:
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


def _clean_value(semantic: Mapping, value: Any, semantics: Semantics) -> Any:
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
            result["params"] = _clean_group(semantics(str(chosen)), value["params"], semantics)
        return result
    if kind == "image" and isinstance(value, Mapping):
        return _clean_file(value)
    if kind in {"file", "video", "audio"} and isinstance(value, list):
        return [_clean_file(item) if isinstance(item, Mapping) else item for item in value]
    return _strip_all(value)


def _clean_file(value: Mapping) -> dict:
    # Paths are not escaped (that would break them; files are served only from inside the
    # content's own folder, and external URLs are the player's business). The editor's "#tmp"
    # suffix is dropped, as H5P's editor does on saving: the player cannot resolve it.
    return {
        key: _untmp(item)
        if key == "path" and isinstance(item, str)
        else item
        if key == "mime" and isinstance(item, str)
        else _clean_file(item)
        if isinstance(item, Mapping) and "path" in item
        else _strip_all(item)
        for key, item in value.items()
    }


def _untmp(path: str) -> str:
    return path.removesuffix("#tmp")


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
        attributes={"a": {"href", "target"}} if "a" in allowed else {},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags=_CONTENT_DROPPED_TAGS,
        link_rel="noopener noreferrer",
    )


def _strip_all(value: Any) -> Any:
    if isinstance(value, str):
        return nh3.clean(value, tags=set(), attributes={}, clean_content_tags=_CONTENT_DROPPED_TAGS)
    if isinstance(value, list):
        return [_strip_all(item) for item in value]
    if isinstance(value, Mapping):
        if isinstance(value.get("path"), str) and "mime" in value:
            return _clean_file(value)  # a file the semantics did not describe
        return {key: _strip_all(item) for key, item in value.items()}
    return value
