"""Where H5P files live: the shared library store and each content item's own files.

Everything goes through Django's storage API (`content.models.h5p_storage`), so the store can
move to S3-compatible object storage without changing its callers. Library folders are named
by version and hash (`libraries/H5P.MultiChoice-1.16.27-<hash>/`) and content folders by the
package's hash (`content/<uuid>/<hash>/`): a file once written never changes, and a folder
is in use only once a database row points at it, so a worker killed half-way leaves an
orphan that `h5p_cleanup` removes, never a half-written folder in use.
"""

import contextlib
import mimetypes
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

LIBRARIES = "libraries"
CONTENTS = "content"


def storage():
    from ..models import h5p_storage

    return h5p_storage()


def library_folder_name(*, machine_name: str, version: str, files_hash: str) -> str:
    return f"{LIBRARIES}/{machine_name}-{version}-{files_hash[:16]}"


def content_folder_name(*, content_uuid, package_hash: str) -> str:
    return f"{CONTENTS}/{content_uuid}/{package_hash[:16]}"


def write(folder: str, relative: str, data: bytes) -> None:
    target = storage()
    name = f"{folder}/{relative}"
    if target.exists(name):
        target.delete(name)  # a retry after a crash rewrites the same immutable name
    saved = target.save(name, ContentFile(data))
    if saved != name:  # pragma: no cover - only a concurrent writer of the same name
        target.delete(saved)


def read(folder: str, relative: str) -> bytes | None:
    target = storage()
    name = f"{folder}/{relative}"
    if not target.exists(name):
        return None
    with target.open(name, "rb") as handle:
        return handle.read()


def open_file(folder: str, relative: str):
    """An open file and its content type, or None; `relative` must already be checked."""
    target = storage()
    name = f"{folder}/{relative}"
    try:
        if not target.exists(name):
            return None
        handle = target.open(name, "rb")
    except (OSError, ValueError):
        return None
    return handle, mimetypes.guess_type(relative)[0] or "application/octet-stream"


def _walk(target, folder: str) -> Iterator[str]:
    try:
        directories, files = target.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for name in directories:
        yield from _walk(target, f"{folder}/{name}")


def delete_folder(folder: str) -> None:
    if not folder:
        return
    target = storage()
    for name in list(_walk(target, folder)):
        target.delete(name)
    _remove_empty_directories(target, folder)


def _remove_empty_directories(target, folder: str) -> None:
    # FileSystemStorage leaves empty directories behind; object stores have none (and an
    # S3 storage's `location` is a key prefix, not a folder of this machine).
    from django.core.files.storage import FileSystemStorage

    if not isinstance(target, FileSystemStorage):
        return
    path = target.location
    import shutil
    from pathlib import Path

    directory = Path(path) / folder
    if directory.is_dir() and not any(p.is_file() for p in directory.rglob("*")):
        shutil.rmtree(directory, ignore_errors=True)
    parent = directory.parent
    while parent != Path(path) and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def orphan_folders(*, in_use: Iterable[str], older_than: timedelta) -> list[str]:
    """Library and content folders no row points at, last written before `older_than` ago."""
    target = storage()
    used = set(in_use)
    cutoff = timezone.now() - older_than
    found = []
    candidates = []
    with contextlib.suppress(FileNotFoundError):
        candidates += [f"{LIBRARIES}/{name}" for name in target.listdir(LIBRARIES)[0]]
    try:
        for item in target.listdir(CONTENTS)[0]:
            candidates += [
                f"{CONTENTS}/{item}/{name}" for name in target.listdir(f"{CONTENTS}/{item}")[0]
            ]
    except FileNotFoundError:
        pass
    for folder in candidates:
        if folder in used:
            continue
        names = list(_walk(target, folder))
        try:
            newest = max((target.get_modified_time(name) for name in names), default=None)
        except (OSError, NotImplementedError):
            newest = None
        if newest is None or newest < cutoff:
            found.append(folder)
    return found


def orphan_uploads_delete(*, in_use: Iterable[str], older_than: timedelta) -> int:
    """Removes uploaded packages no item points at any more (replaced by a new upload)."""
    target = storage()
    used = set(in_use)
    cutoff = timezone.now() - older_than
    removed = 0
    try:
        names = target.listdir("uploads")[1]
    except FileNotFoundError:
        return 0
    for name in names:
        path = f"uploads/{name}"
        if path in used:
            continue
        try:
            if target.get_modified_time(path) >= cutoff:
                continue
        except (OSError, NotImplementedError):
            continue
        target.delete(path)
        removed += 1
    return removed
