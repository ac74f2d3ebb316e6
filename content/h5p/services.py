"""Writes for H5P content: checking an upload and extracting it for the content origin."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import H5PContent, H5PLibrary, H5PStatus


def installed_libraries() -> set[str]:
    return {
        f"{lib.machine_name} {lib.major_version}.{lib.minor_version}"
        for lib in H5PLibrary.objects.all()
    }


def _may_install_libraries(user) -> bool:
    return user is not None and user.has_perm("content.add_h5plibrary")


def content_folder(content: H5PContent) -> Path:
    return Path(settings.H5P_ROOT) / content.folder


def h5p_content_process(*, content_id: int) -> H5PContent:
    """Check the uploaded package and extract it. Nothing half-extracted remains when the
    package is refused or extraction fails; each reason is kept for the admin."""
    from .validation import PackageRejected, extract_package, inspect_package

    content = H5PContent.objects.select_related("uploaded_by").get(pk=content_id)
    with content.package.open("rb") as handle:
        data = handle.read()
    known = installed_libraries()
    try:
        report = inspect_package(data, installed_libraries=known | _package_libraries(data))
    except PackageRejected as error:
        return _set(content, H5PStatus.REJECTED, [str(r) for r in error.reasons])
    new = sorted(set(report.libraries_in_package) - known)
    if new and not _may_install_libraries(content.uploaded_by):
        return _set(
            content,
            H5PStatus.AWAITING_LIBRARY,
            [
                _("An administrator must approve these libraries: %(libs)s")
                % {"libs": ", ".join(new)}
            ],
        )
    destination = content_folder(content)
    if destination.exists():
        shutil.rmtree(destination)  # a re-check after edit replaces the earlier extraction
    try:
        # The cleaned content (HTML handlers stripped) goes in place of the uploaded one.
        extract_package(data, destination, content_json=report.content_json)
    except Exception as error:
        reason = _("The package could not be unpacked: %(e)s") % {"e": error}
        return _set(content, H5PStatus.REJECTED, [reason])
    with transaction.atomic():
        _libraries_install(new, by=content.uploaded_by)
        content.title = content.title or report.title
        content.main_library = f"{report.main_library} {report.main_version}"
        content.dependencies = report.dependencies
        content.size = report.size
        return _set(content, H5PStatus.READY, [])


def h5p_libraries_approve(*, content: H5PContent, by) -> H5PContent:
    """An administrator approves the libraries a waiting package brings, then it is
    checked again (the approval is recorded against that administrator)."""
    if not _may_install_libraries(by):
        raise PermissionError("only administrators approve H5P libraries")
    with content.package.open("rb") as handle:
        wanted = _package_libraries(handle.read()) - installed_libraries()
    _libraries_install(sorted(wanted), by=by)
    return h5p_content_process(content_id=content.pk)


def _libraries_install(names, *, by) -> None:
    """Record libraries ("Machine.Name 1.2") as approved by `by`."""
    for name in names:
        machine, version = name.rsplit(" ", 1)
        major, minor = (int(x) for x in version.split("."))
        H5PLibrary.objects.get_or_create(
            machine_name=machine,
            major_version=major,
            minor_version=minor,
            defaults={"approved_by": by},
        )


def _package_libraries(data: bytes) -> set[str]:
    """Libraries the package brings itself (checked separately for approval)."""
    import io
    import zipfile

    found = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.count("/") >= 1 and name.endswith("/library.json") and name.count("/") == 1:
                    folder = name.split("/")[0]
                    if "-" in folder:
                        machine, version = folder.rsplit("-", 1)
                        found.add(f"{machine} {version}")
    except zipfile.BadZipFile:
        return set()
    return found


def _set(content: H5PContent, status: str, problems: list[str]) -> H5PContent:
    content.status = status
    content.problems = problems
    content.save()
    return content
