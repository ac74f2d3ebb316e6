"""The course-package app's front door: read a package, preview it, import it, export."""

import dataclasses
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .importer import (
    ImportOptions,
    ImportRefused,
    ImportResult,
    Plan,
    package_apply,
    package_plan,
)
from .models import ImportStatus, PackageImport
from .reader import Package, PackageInvalid, package_read_directory, package_read_zip

STARTER_CURRICULUM = Path(settings.BASE_DIR) / "curriculum" / "starter"

__all__ = [
    "STARTER_CURRICULUM",
    "ImportOptions",
    "ImportRefused",
    "ImportResult",
    "Package",
    "PackageInvalid",
    "Plan",
    "curriculum_load",
    "package_apply",
    "package_plan",
    "package_read_directory",
    "package_read_zip",
]


def curriculum_load(*, path: Path = STARTER_CURRICULUM, publish: bool = True) -> ImportResult:
    """Install a curriculum kept in source control (directory form), published; courses
    already installed are left as they are, so running it again changes nothing."""
    package = package_read_directory(path)
    options = ImportOptions(publish=publish, on_existing="skip")
    return package_apply(package=package, options=options, user=None)


# --- imports through the admin ------------------------------------------------------------


def options_from_data(data: dict) -> ImportOptions:
    known = ImportOptions.__dataclass_fields__
    return ImportOptions(**{k: v for k, v in (data or {}).items() if k in known})


def options_data(options: ImportOptions) -> dict:
    return dataclasses.asdict(options)


def _read_record(record) -> Package:
    with record.file.open("rb") as handle:
        return package_read_zip(handle.read())


@transaction.atomic
def package_import_create(*, upload, user) -> PackageImport:
    """Keep an uploaded package and preview it (default options: nothing installed is
    touched). An invalid file is recorded with its errors and not kept."""
    data = upload.read()
    record = PackageImport(
        file_name=(upload.name or "")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    try:
        package = package_read_zip(data)
    except PackageInvalid as error:
        record.status = ImportStatus.INVALID
        record.errors = error.errors[:200]
        record.file.name = ""
        record.save()
        return record
    record.package_key = package.manifest.key
    record.title = package.manifest.title[:255]
    options = ImportOptions()
    record.options = options_data(options)
    record.plan = package_plan(package=package, options=options, user=user).as_data()
    record.file.save("package.pcmd.zip", ContentFile(data), save=False)
    record.save()
    return record


def package_import_preview(*, record: PackageImport, options: ImportOptions, user) -> Plan:
    """Preview again with other options (what to do with installed courses, updates)."""
    plan = package_plan(package=_read_record(record), options=options, user=user)
    PackageImport.objects.filter(pk=record.pk, status=ImportStatus.PREVIEWED).update(
        options=options_data(options), plan=plan.as_data()
    )
    record.options, record.plan = options_data(options), plan.as_data()
    return plan


def package_import_queue(*, record: PackageImport, options: ImportOptions, user) -> Plan:
    """Queue the import when its preview has no refusal. The status change and the task
    are written in one transaction (the database task backend), so neither is lost."""
    from .tasks import apply_package_import

    plan = package_plan(package=_read_record(record), options=options, user=user)
    with transaction.atomic():
        locked = PackageImport.objects.select_for_update().get(pk=record.pk)
        if locked.status != ImportStatus.PREVIEWED:
            return plan
        locked.options, locked.plan = options_data(options), plan.as_data()
        if plan.ok:
            locked.status = ImportStatus.QUEUED
            locked.applied_by = user
        locked.save()
        if plan.ok:
            apply_package_import.enqueue(locked.pk)
    record.refresh_from_db()
    return plan


def package_import_apply(*, import_id: int) -> PackageImport:
    """Run a queued import once: the row is locked, and the import and its new status
    commit together (a retried task finds it done)."""
    with transaction.atomic():
        record = PackageImport.objects.select_for_update().get(pk=import_id)
        if record.status != ImportStatus.QUEUED:
            return record
        user = record.applied_by
        options = options_from_data(record.options)
        try:
            result = package_apply(package=_read_record(record), options=options, user=user)
        except (ImportRefused, PackageInvalid) as error:
            record.status = ImportStatus.REFUSED
            if isinstance(error, ImportRefused):
                record.plan = error.plan.as_data()
            else:
                record.errors = error.errors[:200]
        else:
            record.status = ImportStatus.APPLIED
            record.plan = result.plan.as_data()
            record.result = {
                "courses": [c.pk for c in result.courses],
                "lessons": result.lessons,
                "questions": result.questions,
                "activities": result.activities,
            }
        record.applied_at = timezone.now()
        record.save()
        return record
