"""Reading a course package (directory or .pcmd.zip) into validated objects.

Everything is checked before anything is imported: the zip's members (no traversal, links,
oversized or highly compressed members), every file's SHA-256 against `files:` in the file
form, the format name and major version, YAML without anchors or aliases (safe_load only),
and each file against the schema. Errors are collected, in Vietnamese, with the file and the
place in it; a package with any error is refused whole.
"""

import hashlib
import io
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import ValidationError

from . import schema

MANIFEST = "package.yaml"
YAML_MAX_BYTES = 2 * 1024 * 1024


def limit(name: str, default: int) -> int:
    return int(getattr(settings, "COURSE_PACKAGE_LIMITS", {}).get(name, default))


class PackageInvalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Package:
    manifest: schema.Manifest
    provisions: list[schema.Provision] = field(default_factory=list)
    categories: list[schema.Category] = field(default_factory=list)
    questions: list[schema.Question] = field(default_factory=list)
    courses: list[schema.Course] = field(default_factory=list)
    paths: list[schema.Path] = field(default_factory=list)
    sources: list[schema.Source] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    def course(self, code: str) -> schema.Course | None:
        return next((c for c in self.courses if c.code == code), None)


# --- raw files ----------------------------------------------------------------------------


def _clean_member_name(name: str) -> str | None:
    """The member's relative POSIX path, or None for names we refuse."""
    if "\\" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return None
    parts = PurePosixPath(name).parts
    if not parts or any(p in ("", ".", "..") for p in parts):
        return None
    return "/".join(parts)


def files_from_zip(data: bytes) -> dict[str, bytes]:
    errors: list[str] = []
    max_files = limit("max_files", 2000)
    max_total = limit("max_total_bytes", 500 * 1024 * 1024)
    max_member = limit("max_member_bytes", 200 * 1024 * 1024)
    max_ratio = limit("max_compression_ratio", 200)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise PackageInvalid([_("The file is not a zip archive.")]) from None
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > max_files:
        raise PackageInvalid([_("The package holds more than %(n)s files.") % {"n": max_files}])
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise PackageInvalid([_("The package is too large once unpacked.")])
    files: dict[str, bytes] = {}
    for info in infos:
        name = _clean_member_name(info.filename)
        mode = info.external_attr >> 16
        if name is None:
            errors.append(_("Refused file name in the package: %(name)s") % {"name": info.filename})
            continue
        if stat.S_ISLNK(mode):
            errors.append(_("Links are not allowed in a package: %(name)s") % {"name": name})
            continue
        if info.file_size > max_member:
            errors.append(_("File too large: %(name)s") % {"name": name})
            continue
        if info.compress_size and info.file_size / info.compress_size > max_ratio:
            errors.append(_("File compressed suspiciously well: %(name)s") % {"name": name})
            continue
        if name in files:
            errors.append(_("File listed twice in the zip: %(name)s") % {"name": name})
            continue
        try:
            with archive.open(info) as handle:
                content = handle.read(max_member + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
            errors.append(_("File could not be read: %(name)s") % {"name": name})
            continue
        if len(content) != info.file_size:
            errors.append(_("File could not be read: %(name)s") % {"name": name})
            continue
        files[name] = content
    if errors:
        raise PackageInvalid(errors)
    # A zip made by hand may put everything inside one folder: accept that folder as the root.
    if MANIFEST not in files:
        tops = {n.split("/", 1)[0] for n in files}
        if len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST}" in files:
            prefix = next(iter(tops)) + "/"
            files = {n[len(prefix) :]: c for n, c in files.items()}
    return files


def files_from_directory(root: Path) -> dict[str, bytes]:
    root = Path(root)
    if not (root / MANIFEST).is_file():
        raise PackageInvalid([_("The folder has no package.yaml.")])
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue  # editor and VCS files (.git, .DS_Store) are not part of a package
        if path.is_symlink():
            raise PackageInvalid(
                [_("Links are not allowed in a package: %(name)s") % {"name": relative}]
            )
        if path.is_file():
            files[relative] = path.read_bytes()
    return files


# --- YAML ---------------------------------------------------------------------------------


class _NoAliasLoader(yaml.SafeLoader):
    """safe_load without anchors and aliases: they could make a small file expand into a
    huge structure (the "billion laughs")."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


def _yaml(name: str, content: bytes, errors: list[str]):
    if len(content) > YAML_MAX_BYTES:
        errors.append(_("%(file)s: the file is too large.") % {"file": name})
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        errors.append(_("%(file)s: the file is not UTF-8 text.") % {"file": name})
        return None
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" ({_('line')} {mark.line + 1})" if mark else ""
        errors.append(_("%(file)s: not valid YAML%(where)s.") % {"file": name, "where": where})
        return None
    if not isinstance(data, dict):
        errors.append(_("%(file)s: the file must hold a mapping of fields.") % {"file": name})
        return None
    return data


# --- schema errors in Vietnamese ----------------------------------------------------------


# Tags of the format's tagged unions: pydantic puts them in an error's location.
_TAGS = {
    "module",
    "lesson",
    "quiz",
    "heading",
    "paragraph",
    "callout",
    "legal_provision",
    "case_study",
    "content_warning",
    "image",
    "document",
    "video",
    "h5p_activity",
}


def _location(loc) -> str:
    """children[2].body[1].value.text: positions counted from 1, as an author counts."""
    out, previous = "", None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        elif (
            part in ("function-after", "function-before")
            or "[" in str(part)
            or (isinstance(previous, int) and part in _TAGS)
        ):
            continue
        else:
            out += ("." if out else "") + str(part)
        previous = part
    return out


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("required field missing")
    if kind == "extra_forbidden":
        return _("field not defined by the format")
    if kind in ("string_type", "str_type"):
        return _("must be text")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("must be a whole number")
    if kind in ("bool_type", "bool_parsing"):
        return _("must be true or false")
    if kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing"):
        return _("must be a number")
    if kind in ("list_type",):
        return _("must be a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be a mapping of fields")
    if kind in (
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "datetime_parsing",
        "datetime_type",
        "date_from_datetime_inexact",
    ):
        return _("must be a date (YYYY-MM-DD)")
    if kind == "string_pattern_mismatch":
        return _("value has the wrong form")
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("too long (at most %(n)s characters)") % {"n": ctx.get("max_length")}
    if kind == "too_short":
        return _("needs at least %(n)s entries") % {"n": ctx.get("min_length")}
    if kind == "too_long":
        return _("at most %(n)s entries") % {"n": ctx.get("max_length")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("must be at least %(n)s") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most %(n)s") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind == "literal_error":
        return _("must be one of: %(values)s") % {"values": ctx.get("expected", "")}
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return _("unknown type “%(tag)s”; allowed: %(allowed)s") % {
            "tag": ctx.get("tag", ""),
            "allowed": ctx.get("expected_tags", ""),
        }
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return _("invalid value")


def validation_errors(name: str, error: ValidationError) -> list[str]:
    out = []
    for entry in error.errors(include_url=False):
        where = _location(entry["loc"])
        message = _message(entry)
        out.append(f"{name}: {where}: {message}" if where else f"{name}: {message}")
    return out


def _parse(model, name: str, data, errors: list[str]):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors.extend(validation_errors(name, error))
        return None


# --- the package --------------------------------------------------------------------------


def _check_hashes(manifest_data: dict, files: dict[str, bytes], *, required: bool) -> list[str]:
    listed = manifest_data.get("files")
    if listed is None:
        return (
            [_("package.yaml: the file form must list every file with its SHA-256 (files:).")]
            if required
            else []
        )
    if not isinstance(listed, dict):
        return [_("package.yaml: files: must be a mapping of file names to SHA-256.")]
    errors = []
    for name in sorted(set(files) - {MANIFEST}):
        if name not in listed:
            errors.append(_("%(file)s is not listed in package.yaml.") % {"file": name})
        elif hashlib.sha256(files[name]).hexdigest() != str(listed[name]).lower():
            errors.append(
                _("%(file)s does not match its SHA-256 in package.yaml.") % {"file": name}
            )
    for name in sorted(set(listed) - set(files)):
        errors.append(_("%(file)s is listed in package.yaml but missing.") % {"file": name})
    return errors


def package_read(files: dict[str, bytes], *, file_form: bool) -> Package:
    """Validate a package's files; raise PackageInvalid with every error found."""
    errors: list[str] = []
    if MANIFEST not in files:
        raise PackageInvalid([_("The package has no package.yaml.")])
    manifest_data = _yaml(MANIFEST, files[MANIFEST], errors)
    if manifest_data is None:
        raise PackageInvalid(errors)
    if manifest_data.get("format") != schema.FORMAT:
        raise PackageInvalid(
            [_("This is not a course package (format: %(f)s).") % {"f": schema.FORMAT}]
        )
    version = manifest_data.get("version")
    if version not in schema.VERSIONS:
        raise PackageInvalid(
            [
                _("Package version %(v)s is not supported; this platform reads version 1.")
                % {"v": version}
            ]
        )
    hash_errors = _check_hashes(manifest_data, files, required=file_form)
    if hash_errors:
        raise PackageInvalid(hash_errors)
    manifest = _parse(schema.Manifest, MANIFEST, manifest_data, errors)
    package = Package(manifest=manifest, files=files) if manifest else None

    def each(folder):
        return sorted(
            n for n in files if n.startswith(folder + "/") and n.endswith((".yaml", ".yml"))
        )

    def parsed(names, model):
        for name in names:
            data = _yaml(name, files[name], errors)
            result = None if data is None else _parse(model, name, data, errors)
            if result is not None:
                yield name, result

    provisions, categories, questions, courses, paths, sources = [], [], [], [], [], []
    for _name, result in parsed(each("provisions"), schema.ProvisionsFile):
        provisions.extend(result.provisions)
    for _name, result in parsed(each("questions"), schema.QuestionsFile):
        categories.extend(result.categories)
        questions.extend(result.questions)
    for name, course in parsed(each("courses"), schema.Course):
        if PurePosixPath(name).stem != course.code:
            errors.append(
                _("%(file)s: the file name must be the course code (%(code)s.yaml).")
                % {"file": name, "code": course.code}
            )
        courses.append(course)
    path_files = [n for n in ("paths.yaml", "paths.yml") if n in files]
    for _name, result in parsed(path_files, schema.PathsFile):
        paths.extend(result.paths)
    for _name, result in parsed(each("sources"), schema.SourcesFile):
        sources.extend(result.sources)
    for name in files:
        top = name.split("/", 1)[0]
        if (
            name != MANIFEST
            and name not in ("paths.yaml", "paths.yml")
            and top not in ("provisions", "questions", "courses", "sources", "media", "h5p")
        ):
            errors.append(_("%(file)s is not part of the package format.") % {"file": name})
    if package is None:
        raise PackageInvalid(errors)
    package.provisions, package.categories, package.questions = provisions, categories, questions
    package.paths, package.sources = paths, sources
    # Courses in the manifest's order; every course file listed, every listed course present.
    by_code = {}
    for course in courses:
        if course.code in by_code:
            errors.append(_("Course %(code)s appears twice.") % {"code": course.code})
        by_code[course.code] = course
    listed = list(manifest.courses)
    for code in listed:
        if code not in by_code and f"courses/{code}.yaml" not in files:
            errors.append(
                _("package.yaml lists course %(code)s but courses/%(code)s.yaml is missing.")
                % {"code": code}
            )
    for code in by_code:
        if code not in listed:
            errors.append(
                _("courses/%(code)s.yaml is not listed in package.yaml (courses:).")
                % {"code": code}
            )
    package.courses = [by_code[c] for c in listed if c in by_code]
    errors.extend(_internal_errors(package))
    if errors:
        raise PackageInvalid(errors)
    return package


def _duplicates(items, label: str) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item.key in seen:
            out.append(
                _("%(what)s key “%(key)s” is used twice.") % {"what": label, "key": item.key}
            )
        seen.add(item.key)
    return out


def _internal_errors(package: Package) -> list[str]:
    """Checks inside the package that need no database: duplicate keys and media files."""
    errors = []
    errors += _duplicates(package.provisions, _("Legal provision"))
    errors += _duplicates(package.categories, _("Category"))
    errors += _duplicates(package.questions, _("Question"))
    errors += _duplicates(package.paths, _("Learning path"))
    errors += _duplicates(package.sources, _("Source"))
    lesson_keys = [
        step
        for course in package.courses
        for _m, step in course.steps()
        if isinstance(step, schema.Lesson) and step.key
    ]
    errors += _duplicates(lesson_keys, _("Lesson"))
    for course in package.courses:
        for path in media_paths(course):
            if path not in package.files:
                errors.append(
                    _("courses/%(code)s.yaml refers to %(path)s, which is not in the package.")
                    % {"code": course.code, "path": path}
                )
    for path in package.paths:
        if (
            path.certificate
            and path.certificate.logo
            and path.certificate.logo not in package.files
        ):
            errors.append(
                _("paths.yaml refers to %(path)s, which is not in the package.")
                % {"path": path.certificate.logo}
            )
    return errors


def blocks_of(course: schema.Course):
    """Every block of every lesson (with the lesson), content-warning contents included."""
    for _module, step in course.steps():
        if isinstance(step, schema.Lesson):
            for block in step.body:
                yield step, block
                if block.type == "content_warning":
                    for inner in block.value.content:
                        yield step, inner


def media_paths(course: schema.Course) -> list[str]:
    found = []
    for _lesson, block in blocks_of(course):
        if block.type == "image":
            found.append(block.value.image)
        elif block.type == "document":
            found.append(block.value.document)
        elif block.type == "h5p_activity":
            found.append(block.value.activity)
    if course.certificate and course.certificate.logo:
        found.append(course.certificate.logo)
    return list(dict.fromkeys(found))


def package_read_directory(root) -> Package:
    return package_read(files_from_directory(Path(root)), file_form=False)


def package_read_zip(data: bytes) -> Package:
    return package_read(files_from_zip(data), file_form=True)
