"""Writes for H5P: checking an upload, the shared library store, approvals and clean-up.

A package's libraries are installed once per exact version into the store; the content
keeps only its `content/` and `h5p.json`. A version already installed must come with the
same files (same hash) or the package is refused; a version not yet installed (a new library
or a new patch of one) is installed only with an administrator's approval, and then serves
every content item of its major.minor.
"""

import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record

from .. import rendercache
from ..models import (
    H5P_PROCESSING_MAX_TRIES,
    H5P_PROCESSING_TIMEOUT_MINUTES,
    H5PContent,
    H5PLibrary,
    H5PStatus,
)
from . import store
from .validation import MISSING_H5P_JSON as _MISSING_H5P
from .validation import PackagedLibrary, PackageRejected, inspect_package

logger = logging.getLogger(__name__)

APPROVE_PERMISSION = "content.add_h5plibrary"
UNEXPECTED_FAILURE = gettext_lazy(
    "The package could not be checked because of an unexpected error; upload it again or ask "
    "an administrator"
)
GAVE_UP = gettext_lazy("Checking the package stopped several times; upload it again")


def may_approve_libraries(user) -> bool:
    return user is not None and user.is_active and user.has_perm(APPROVE_PERMISSION)


# ------------------------------------------------------------------------------------------------
# Reads of the store
# ------------------------------------------------------------------------------------------------


def serving_libraries() -> dict[str, H5PLibrary]:
    """For each "Machine.Name major.minor", the installed library that plays: its newest
    approved patch."""
    serving: dict[str, H5PLibrary] = {}
    for library in H5PLibrary.objects.exclude(folder="").order_by(
        "machine_name", "major_version", "minor_version", "patch_version"
    ):
        serving[library.key] = library  # the later (higher) patch wins
    return serving


def installed_libraries() -> set[str]:
    return set(serving_libraries())


def dependency_closure(keys, serving: dict[str, H5PLibrary]) -> list[str]:
    """Every library the given ones need to play, dependencies first (editor ones excluded)."""
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(key: str, depth: int = 0) -> None:
        if key in seen or depth > 50:
            return
        seen.add(key)
        library = serving.get(key)
        if library is not None:
            for dep_key in ("preloadedDependencies", "dynamicDependencies"):
                for dep in library.metadata.get(dep_key) or []:
                    if isinstance(dep, dict):
                        visit(
                            f"{dep.get('machineName')} {dep.get('majorVersion')}."
                            f"{dep.get('minorVersion')}",
                            depth + 1,
                        )
        ordered.append(key)

    for key in keys:
        visit(key)
    return ordered


def _installed_semantics(serving: dict[str, H5PLibrary]):
    def lookup(key: str) -> list | None:
        library = serving.get(key)
        if library is None:
            return None
        raw = store.read(library.folder, "semantics.json")
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            return None
        return parsed if isinstance(parsed, list) else None

    return lookup


# ------------------------------------------------------------------------------------------------
# Processing an upload
# ------------------------------------------------------------------------------------------------


def h5p_content_enqueue(*, content: H5PContent, uploaded_by=None) -> None:
    """Marks the item for checking and queues the check (never run inside the request).

    `uploaded_by` is whoever uploaded the current file: approval rights come from them, so a
    trainer replacing an administrator's package gets no administrator's approval."""
    from ..tasks import process_h5p_package

    fields = {
        "status": H5PStatus.PROCESSING,
        "problems": [],
        "pending_libraries": [],
        "processing_started_at": None,
        "processing_tries": 0,
    }
    if uploaded_by is not None:
        fields["uploaded_by"] = uploaded_by
    H5PContent.objects.filter(pk=content.pk).update(**fields)
    rendercache.generation_bump()  # lessons showing it now show "not available yet"
    process_h5p_package.enqueue(content.pk)


def package_unchanged(*, content: H5PContent) -> bool:
    """True when an edited item still has the file that was checked (only its title moved)."""
    if content.status != H5PStatus.READY or not content.package or not content.package_hash:
        return False
    try:
        with content.package.open("rb") as handle:
            return _sha256(handle) == content.package_hash
    except OSError:
        return False


def h5p_content_process(*, content_id: int, approved_by=None) -> H5PContent:
    """Check the uploaded package and install it. Every failure ends Refused with a reason;
    nothing of a refused package stays on disk, the upload included."""
    content = H5PContent.objects.select_related("uploaded_by").get(pk=content_id)
    if content.status not in (H5PStatus.PROCESSING, H5PStatus.AWAITING_LIBRARY):
        return content  # a retried task whose work was done
    H5PContent.objects.filter(pk=content.pk).update(
        processing_started_at=timezone.now(), processing_tries=F("processing_tries") + 1
    )
    try:
        return _process(content, approved_by=approved_by)
    except PackageRejected as error:
        return _refuse(content, [str(reason) for reason in error.reasons])
    except Exception:
        # Never stuck "being checked": log the details for administrators, show a sentence.
        logger.exception("H5P package %s could not be processed", content.pk)
        return _refuse(content, [str(UNEXPECTED_FAILURE)])


def h5p_package_preview(*, data: bytes, user) -> tuple[list[str], list[str]]:
    """Checks a package as its upload by `user` would be checked, writing nothing: (the
    reasons it would be refused, the libraries an administrator must still approve)."""
    serving = serving_libraries()
    try:
        report = inspect_package(
            data,
            installed_libraries=set(serving),
            installed_semantics=_installed_semantics(serving),
        )
    except PackageRejected as error:
        return [str(reason) for reason in error.reasons], []
    decisions = _decide(report.libraries)
    conflicts = [d for d in decisions if d.kind == "installed" and _differs(d)]
    if conflicts:
        return [_conflict_reason(d) for d in conflicts], []
    if may_approve_libraries(user):
        return [], []
    wanted = [d for d in decisions if d.kind in ("new", "upgrade")]
    return [], [f"{d.library.machine_name} {d.library.version}" for d in wanted]


@dataclass
class _Decision:
    library: PackagedLibrary
    installed: H5PLibrary | None  # the exact version, when installed
    current: H5PLibrary | None  # the patch now serving its major.minor, if any

    @property
    def kind(self) -> str:
        if self.installed is not None:
            return "installed"
        if self.current is None:
            return "new"
        if self.current.patch_version > self.library.patch:
            return "older"  # as H5P core: a newer installed patch plays instead
        return "upgrade"


def _process(content: H5PContent, *, approved_by) -> H5PContent:
    if not content.package:
        raise PackageRejected([_("The package file is missing; upload it again")])
    serving = serving_libraries()
    with content.package.open("rb") as handle:
        package_hash = _sha256(handle)
        report = inspect_package(
            handle,
            installed_libraries=set(serving),
            installed_semantics=_installed_semantics(serving),
        )
        decisions = _decide(report.libraries)
        conflicts = [d for d in decisions if d.kind == "installed" and _differs(d)]
        if conflicts:
            raise PackageRejected([_conflict_reason(d) for d in conflicts])
        wanted = [d for d in decisions if d.kind in ("new", "upgrade")]
        uploader_approves = may_approve_libraries(content.uploaded_by)
        reviewed = {
            (item["name"], item["version"], item["hash"]) for item in content.pending_libraries
        }
        approver = content.uploaded_by if uploader_approves else None
        if not uploader_approves:
            if may_approve_libraries(approved_by) and all(
                (d.library.machine_name, d.library.version, d.library.files_hash) in reviewed
                for d in wanted
            ):
                approver = approved_by
            elif wanted:
                return _await_approval(content, wanted, package_hash)
        folders = {d.library.key: _library_write(handle, d.library) for d in wanted}
        content_folder = store.content_folder_name(
            content_uuid=content.uuid, package_hash=package_hash
        )
        _content_write(handle, report, content_folder)

    previous = content.content_folder
    with transaction.atomic():
        for decision in wanted:
            _library_record(decision.library, folder=folders[decision.library.key], by=approver)
        content.title = content.title or report.title[:255]
        content.main_library = f"{report.main_library} {report.main_version}"
        content.dependencies = report.needed
        content.size = report.size
        content.package_hash = package_hash
        content.content_folder = content_folder
        content.pending_libraries = []
        content.status = H5PStatus.READY
        content.problems = []
        content.save()
    if previous and previous != content_folder:
        transaction.on_commit(lambda: store.delete_folder(previous))
    return content


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def _decide(libraries: list[PackagedLibrary]) -> list[_Decision]:
    decisions = []
    for library in libraries:
        versions = list(
            H5PLibrary.objects.filter(
                machine_name=library.machine_name,
                major_version=library.major,
                minor_version=library.minor,
            ).exclude(folder="")
        )
        exact = next((v for v in versions if v.patch_version == library.patch), None)
        current = max(versions, key=lambda v: v.patch_version, default=None)
        decisions.append(_Decision(library, exact, current))
    return decisions


def _differs(decision: _Decision) -> bool:
    return decision.installed.files_hash != decision.library.files_hash


def _changes(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    return {
        "changed": sorted(p for p in set(old) & set(new) if old[p] != new[p]),
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
    }


def _conflict_reason(decision: _Decision) -> str:
    changes = _changes(decision.installed.files, decision.library.files)
    files = changes["changed"] + changes["added"] + changes["removed"]
    shown = ", ".join(files[:5]) + (" …" if len(files) > 5 else "")
    return _(
        "The package brings %(lib)s %(version)s, which is already installed, with different "
        "files (%(files)s); an installed version never changes: give the changed library a new "
        "version number"
    ) % {"lib": decision.library.machine_name, "version": decision.library.version, "files": shown}


def _await_approval(content: H5PContent, wanted: list[_Decision], package_hash: str):
    pending = []
    for decision in wanted:
        library = decision.library
        item = {
            "name": library.machine_name,
            "version": library.version,
            "hash": library.files_hash,
            "kind": decision.kind,
        }
        if decision.current is not None:
            item["from"] = decision.current.version
            item.update(_changes(decision.current.files, library.files))
        pending.append(item)
    content.pending_libraries = pending
    content.package_hash = package_hash
    content.status = H5PStatus.AWAITING_LIBRARY
    content.problems = [
        _("An administrator must approve these libraries: %(libs)s")
        % {"libs": ", ".join(f"{item['name']} {item['version']}" for item in pending)},
        *(_pending_line(item) for item in pending),
    ]
    content.save()
    return content


def _pending_line(item: dict) -> str:
    """What an administrator approves, in one line: a new library, or an upgrade with the
    files it changes."""
    if item["kind"] == "new":
        return _("%(lib)s %(version)s: a new library") % {
            "lib": item["name"],
            "version": item["version"],
        }

    def shown(files: list[str]) -> str:
        return ", ".join(files[:8]) + (" …" if len(files) > 8 else "") if files else "—"

    return _(
        "%(lib)s %(version)s: upgrade from %(old)s; changed files: %(changed)s; added: "
        "%(added)s; removed: %(removed)s"
    ) % {
        "lib": item["name"],
        "version": item["version"],
        "old": item["from"],
        "changed": shown(item["changed"]),
        "added": shown(item["added"]),
        "removed": shown(item["removed"]),
    }


def _library_write(handle, library: PackagedLibrary) -> str:
    """Writes a library's files to its own folder of the store (not yet in use)."""
    import zipfile

    folder = store.library_folder_name(
        machine_name=library.machine_name, version=library.version, files_hash=library.files_hash
    )
    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        for relative, member in library.members.items():
            store.write(folder, relative, archive.read(member))
    return folder


def _content_write(handle, report, folder: str) -> None:
    import zipfile

    handle.seek(0)
    with zipfile.ZipFile(handle) as archive:
        for member in report.content_members:
            store.write(folder, member, archive.read(member))
    # The cleaned content (HTML handlers stripped) goes in place of the uploaded one.
    store.write(
        folder,
        "content/content.json",
        json.dumps(report.content_json, ensure_ascii=False).encode(),
    )
    store.write(folder, "h5p.json", json.dumps(report.h5p_json, ensure_ascii=False).encode())


def _library_record(library: PackagedLibrary, *, folder: str, by) -> H5PLibrary:
    try:
        with transaction.atomic():
            record = H5PLibrary.objects.create(
                machine_name=library.machine_name,
                major_version=library.major,
                minor_version=library.minor,
                patch_version=library.patch,
                files_hash=library.files_hash,
                files=library.files,
                metadata=library.metadata,
                folder=folder,
                approved_by=by,
                approved_at=timezone.now(),
            )
    except IntegrityError:
        # Installed meanwhile by another worker (or a legacy row without files).
        record = H5PLibrary.objects.select_for_update().get(
            machine_name=library.machine_name,
            major_version=library.major,
            minor_version=library.minor,
            patch_version=library.patch,
        )
        if record.folder and record.files_hash != library.files_hash:
            raise PackageRejected(
                [
                    _("%(lib)s %(version)s was installed meanwhile with different files")
                    % {"lib": library.machine_name, "version": library.version}
                ]
            ) from None
        if not record.folder:
            record.files_hash, record.files, record.metadata = (
                library.files_hash,
                library.files,
                library.metadata,
            )
            record.folder, record.approved_by, record.approved_at = folder, by, timezone.now()
            record.save()
        return record
    _audit_library_approved(record, by=by)
    return record


def _audit_library_approved(record: H5PLibrary, *, by) -> None:
    """Each installed library is in the audit log: who approved which files (contract 1)."""
    audit_record(
        action="h5p.library_approved",
        actor=by,
        target=record,
        summary=f"{record.machine_name} {record.version}",
        data={"hash": record.files_hash, "folder": record.folder},
    )


def _refuse(content: H5PContent, problems: list[str]) -> H5PContent:
    """Refused: the reasons stay, the files go (the upload and anything written for it)."""
    content.refresh_from_db()
    if content.package:
        with contextlib.suppress(OSError):  # already gone
            content.package.delete(save=False)
    folders = {content.content_folder} - {""}
    if content.package_hash:
        folders.add(
            store.content_folder_name(content_uuid=content.uuid, package_hash=content.package_hash)
        )
    content.package = ""
    content.status = H5PStatus.REJECTED
    content.problems = problems
    content.pending_libraries = []
    content.content_folder = ""
    content.save()
    for folder in folders:
        store.delete_folder(folder)
    return content


# ------------------------------------------------------------------------------------------------
# Approval and clean-up
# ------------------------------------------------------------------------------------------------


def h5p_libraries_approve(*, content: H5PContent, by) -> H5PContent:
    """An administrator approves the libraries a waiting package brings (exactly those they
    were shown: same versions and hashes), then it is checked again and installed."""
    if not may_approve_libraries(by):
        raise PermissionError("only administrators approve H5P libraries")
    return h5p_content_process(content_id=content.pk, approved_by=by)


def h5p_processing_cleanup(*, now=None) -> dict[str, int]:
    """Retries packages left "being checked" by a worker that died, refuses those that
    failed too often, and removes store folders no row points at. Idempotent; safe to run
    alongside itself (each package is taken under a row lock, skipped if locked)."""
    from ..tasks import process_h5p_package

    now = now or timezone.now()
    stale = now - timedelta(minutes=H5P_PROCESSING_TIMEOUT_MINUTES)
    counts = {"retried": 0, "refused": 0, "removed_folders": 0}
    candidates = H5PContent.objects.filter(status=H5PStatus.PROCESSING).filter(
        Q(processing_started_at__lt=stale)
        | Q(processing_started_at__isnull=True, uploaded_at__lt=stale)
    )
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            content = (
                H5PContent.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=H5PStatus.PROCESSING)
                .first()
            )
            if content is None:
                continue
            if content.processing_tries >= H5P_PROCESSING_MAX_TRIES:
                _refuse(content, [str(GAVE_UP)])
                counts["refused"] += 1
                continue
            content.processing_started_at = now
            content.save(update_fields=["processing_started_at"])
            transaction.on_commit(lambda pk=pk: process_h5p_package.enqueue(pk))
            counts["retried"] += 1
    in_use = set(H5PLibrary.objects.exclude(folder="").values_list("folder", flat=True))
    in_use |= set(
        H5PContent.objects.exclude(content_folder="").values_list("content_folder", flat=True)
    )
    for folder in store.orphan_folders(in_use=in_use, older_than=timedelta(hours=1)):
        store.delete_folder(folder)
        counts["removed_folders"] += 1
    uploads = set(H5PContent.objects.exclude(package="").values_list("package", flat=True))
    counts["removed_uploads"] = store.orphan_uploads_delete(
        in_use=uploads, older_than=timedelta(hours=1)
    )
    return counts


def h5p_library_install_directory(*, directory, by=None) -> H5PLibrary:
    """Installs a library shipped with the platform (content/h5p_libraries) into the store,
    trusted as the platform's own code. Idempotent; refuses a changed installed version."""
    import io
    import zipfile
    from pathlib import Path

    directory = Path(directory)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, f"{directory.name}/{path.relative_to(directory).as_posix()}")
    from .validation import Limits, _check_members, _hash_library, _libraries, _Reader

    buffer.seek(0)
    with zipfile.ZipFile(buffer) as archive:
        rules = Limits()
        kept, _skipped, reasons = _check_members(archive.infolist(), rules)
        reader = _Reader(archive, rules)
        libraries = _libraries(kept, reader)
        for library in libraries:
            _hash_library(library, archive, reader)
    if len(libraries) != 1 or reader.reasons or [r for r in reasons if r != _MISSING_H5P]:
        raise PackageRejected([*reasons, *reader.reasons] or ["not one library"])
    (decision,) = _decide(libraries)
    if decision.installed is not None:
        if _differs(decision):
            raise PackageRejected([_conflict_reason(decision)])
        return decision.installed
    folder = _library_write(buffer, decision.library)
    with transaction.atomic():
        return _library_record(decision.library, folder=folder, by=by)
