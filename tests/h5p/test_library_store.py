"""The shared library store: one installed copy per exact version, approvals by administrators
only, upgrades, and packages that never stay stuck."""

import json
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.roles import ADMINISTRATOR, TRAINER
from audit.models import AuditEntry
from content.h5p import services
from content.h5p.services import (
    h5p_content_process,
    h5p_libraries_approve,
    h5p_processing_cleanup,
)
from content.h5p.tokens import player_token
from content.models import H5PContent, H5PLibrary, H5PStatus
from tests.factories.accounts import UserFactory
from tests.h5p import hostile
from tests.mfa import staff_login

pytestmark = pytest.mark.django_db

CONTENT_HOST = "content.localhost:8000"
LIBRARY_JS = "H5P.PcmdChoice-1.1/pcmd-choice.js"
EVIL_LINE = b"\nwindow.parent.postMessage({type: 'pcmd-h5p-xapi', statement: {}}, '*');\n"


@pytest.fixture
def admin_user(db):
    return UserFactory(role=ADMINISTRATOR, is_superuser=True)


@pytest.fixture
def trainer_user(db):
    return UserFactory(role=TRAINER)


def _upload(user, data: bytes, title="Hoạt động") -> H5PContent:
    content = H5PContent.objects.create(
        title=title, package=ContentFile(data, name="goi.h5p"), uploaded_by=user
    )
    return h5p_content_process(content_id=content.pk)


def _member(data: bytes, name: str) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _with_library(*, patch: int = 0, script_extra: bytes = b"") -> bytes:
    data = hostile.genuine()
    library = json.loads(_member(data, "H5P.PcmdChoice-1.1/library.json"))
    library["patchVersion"] = patch
    return hostile.rewrite(
        data,
        replace={
            "H5P.PcmdChoice-1.1/library.json": json.dumps(library).encode(),
            LIBRARY_JS: _member(data, LIBRARY_JS) + script_extra,
        },
    )


def _files_of(content: H5PContent) -> list[Path]:
    root = Path(settings.H5P_ROOT)
    found = list((root / "content" / str(content.uuid)).rglob("*"))
    if content.package:
        found.append(root / content.package.name)
    return [path for path in found if path.is_file()]


def _served_script(client, content: H5PContent) -> bytes:
    token = player_token(content_id=content.pk, user_id=1)
    response = client.get(
        f"/h5p/{token}/libraries/H5P.PcmdChoice-1.1/pcmd-choice.js", HTTP_HOST=CONTENT_HOST
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- one installed copy per version ---------------------------------------------------------


def test_two_packages_with_the_same_library_share_one_installed_copy(admin_user, trainer_user):
    first = _upload(admin_user, hostile.genuine())
    second = _upload(trainer_user, hostile.genuine())

    assert (first.status, second.status) == (H5PStatus.READY, H5PStatus.READY)
    assert H5PLibrary.objects.count() == 1
    folders = list((Path(settings.H5P_ROOT) / "libraries").iterdir())
    assert len(folders) == 1
    assert first.content_folder != second.content_folder


def test_the_approval_bypass_package_is_refused_and_its_code_never_served(
    client, admin_user, trainer_user
):
    approved = _upload(admin_user, hostile.genuine())
    original = _served_script(client, approved)

    bypass = _upload(trainer_user, _with_library(patch=0, script_extra=EVIL_LINE))

    assert bypass.status == H5PStatus.REJECTED
    (reason,) = bypass.problems
    assert "H5P.PcmdChoice 1.1.0" in reason and "pcmd-choice.js" in reason
    assert _served_script(client, approved) == original
    assert EVIL_LINE not in b"".join(
        path.read_bytes() for path in Path(settings.H5P_ROOT).rglob("*.js")
    )
    assert _files_of(bypass) == []


def test_an_administrator_cannot_change_an_installed_version_either(admin_user):
    _upload(admin_user, hostile.genuine())
    before = H5PLibrary.objects.get().files_hash

    changed = _upload(admin_user, _with_library(patch=0, script_extra=b"// changed\n"))

    assert changed.status == H5PStatus.REJECTED
    assert H5PLibrary.objects.get().files_hash == before


def test_a_patch_upgrade_waits_for_an_administrator_then_serves_all_content(
    client, admin_user, trainer_user
):
    old_item = _upload(admin_user, hostile.genuine(), title="Cũ")
    upgrade = _upload(trainer_user, _with_library(patch=1, script_extra=b"// 1.1.1\n"), "Mới")

    assert upgrade.status == H5PStatus.AWAITING_LIBRARY
    (pending,) = upgrade.pending_libraries
    assert pending["kind"] == "upgrade"
    assert (pending["name"], pending["version"], pending["from"]) == (
        "H5P.PcmdChoice",
        "1.1.1",
        "1.1.0",
    )
    assert set(pending["changed"]) == {"library.json", "pcmd-choice.js"}
    assert b"// 1.1.1" not in _served_script(client, old_item)
    assert _files_of(upgrade) == [Path(settings.H5P_ROOT) / upgrade.package.name]

    with pytest.raises(PermissionError):
        h5p_libraries_approve(content=upgrade, by=trainer_user)
    assert not H5PLibrary.objects.filter(patch_version=1).exists()

    upgrade = h5p_libraries_approve(content=upgrade, by=admin_user)

    assert upgrade.status == H5PStatus.READY
    installed = H5PLibrary.objects.get(patch_version=1)
    assert installed.approved_by == admin_user
    assert installed.approved_at is not None and len(installed.files_hash) == 64
    entry = AuditEntry.objects.filter(action="h5p.library_approved").order_by("-seq").first()
    assert (entry.actor_id, entry.data["hash"]) == (admin_user.pk, installed.files_hash)
    assert entry.summary == "H5P.PcmdChoice 1.1.1"
    # The new patch serves every item of H5P.PcmdChoice 1.1, the old one included.
    assert _served_script(client, old_item).endswith(b"// 1.1.1\n")
    assert _served_script(client, upgrade).endswith(b"// 1.1.1\n")


def test_approval_covers_exactly_what_was_shown(admin_user, trainer_user):
    _upload(admin_user, hostile.genuine())
    waiting = _upload(trainer_user, _with_library(patch=1, script_extra=b"// shown\n"))
    assert waiting.status == H5PStatus.AWAITING_LIBRARY
    # The file changes after the administrator looked at the list (same versions).
    swapped = _with_library(patch=1, script_extra=b"// swapped in later\n")
    (Path(settings.H5P_ROOT) / waiting.package.name).write_bytes(swapped)

    result = h5p_libraries_approve(content=waiting, by=admin_user)

    assert result.status == H5PStatus.AWAITING_LIBRARY
    assert not H5PLibrary.objects.filter(patch_version=1).exists()


def test_an_older_patch_in_a_package_plays_with_the_installed_newer_one(admin_user, trainer_user):
    _upload(admin_user, _with_library(patch=3, script_extra=b"// 1.1.3\n"))

    older = _upload(trainer_user, _with_library(patch=1, script_extra=b"// 1.1.1\n"))

    assert older.status == H5PStatus.READY
    assert list(H5PLibrary.objects.values_list("patch_version", flat=True)) == [3]


def test_a_trainer_replacing_an_administrators_package_gets_no_administrators_approval(
    client, admin_user, trainer_user
):
    staff_login(client, admin_user)
    client.post(
        "/admin/snippets/content/h5pcontent/add/",
        {
            "title": "Của quản trị",
            "package": ContentFile(hostile.genuine(), name="a.h5p"),
            "shared": "on",  # shared, so a trainer may edit it at all
        },
    )
    item = H5PContent.objects.get(title="Của quản trị")
    assert item.status == H5PStatus.READY and item.owner == admin_user and item.shared

    staff_login(client, trainer_user)
    upgrade = ContentFile(_with_library(patch=2, script_extra=b"// trainer\n"), name="b.h5p")
    response = client.post(
        f"/admin/snippets/content/h5pcontent/edit/{item.pk}/",
        {"title": "Của quản trị", "package": upgrade},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.uploaded_by == trainer_user
    assert item.status == H5PStatus.AWAITING_LIBRARY
    assert not H5PLibrary.objects.filter(patch_version=2).exists()


def test_editing_only_the_title_does_not_check_the_package_again(client, admin_user):
    item = _upload(admin_user, hostile.genuine(), title="Trước")
    staff_login(client, admin_user)
    folder = item.content_folder

    client.post(f"/admin/snippets/content/h5pcontent/edit/{item.pk}/", {"title": "Sau"})

    item.refresh_from_db()
    assert (item.title, item.status, item.content_folder) == ("Sau", H5PStatus.READY, folder)


# --- nothing stuck --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (hostile.encrypted, "được mã hóa"),
        (hostile.deflate64, "phương thức nén"),
        (hostile.deep_json, "lồng nhau quá sâu"),
        (hostile.long_name, "quá dài"),
    ],
    ids=["encrypted", "deflate64", "nested-500-deep", "300-character-name"],
)
def test_the_stuck_cases_end_refused_in_vietnamese_with_nothing_on_disk(
    admin_user, build, expected
):
    with translation.override("vi"):
        content = _upload(admin_user, build())

    assert content.status == H5PStatus.REJECTED
    text = " ".join(content.problems)
    assert expected in text, text
    for leak in ("Errno", str(settings.H5P_ROOT), "Traceback", "is encrypted"):
        assert leak not in text
    assert _files_of(content) == []
    assert not content.package


def test_an_unexpected_error_ends_refused_without_its_text(admin_user, monkeypatch):
    def crash(*args, **kwargs):
        raise OSError(36, "File name too long", "/srv/h5p/content/secret/" + "a" * 300)

    monkeypatch.setattr(services, "inspect_package", crash)
    with translation.override("vi"):
        content = _upload(admin_user, hostile.genuine())

    assert content.status == H5PStatus.REJECTED
    (reason,) = content.problems
    assert "File name" not in reason and "/srv" not in reason and "36" not in reason
    assert "lỗi" in reason
    assert _files_of(content) == []


def test_a_worker_killed_between_writes_is_retried_by_the_clean_up(
    admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    class WorkerKilled(BaseException):
        pass

    real = services._content_write

    def die(*args, **kwargs):
        real(*args, **kwargs)
        raise WorkerKilled  # after the files, before the rows that put them in use

    monkeypatch.setattr(services, "_content_write", die)
    content = H5PContent.objects.create(
        title="Bị ngắt",
        package=ContentFile(hostile.genuine(), name="g.h5p"),
        uploaded_by=admin_user,
    )
    with pytest.raises(WorkerKilled):
        h5p_content_process(content_id=content.pk)
    monkeypatch.setattr(services, "_content_write", real)
    content.refresh_from_db()
    assert content.status == H5PStatus.PROCESSING
    assert not H5PLibrary.objects.exists()

    # Too early: a live worker may still be on it.
    assert h5p_processing_cleanup()["retried"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = h5p_processing_cleanup(now=timezone.now() + timedelta(minutes=20))

    assert counts["retried"] == 1
    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert H5PLibrary.objects.count() == 1


def test_a_package_that_keeps_killing_its_worker_is_refused(admin_user):
    content = H5PContent.objects.create(
        title="Hỏng mãi",
        package=ContentFile(hostile.genuine(), name="g.h5p"),
        uploaded_by=admin_user,
        processing_started_at=timezone.now() - timedelta(hours=1),
        processing_tries=3,
    )

    with translation.override("vi"):
        counts = h5p_processing_cleanup()
        again = h5p_processing_cleanup()

    assert (counts["refused"], again["refused"]) == (1, 0)
    content.refresh_from_db()
    assert content.status == H5PStatus.REJECTED
    assert content.problems and "lần" in content.problems[0]
    assert _files_of(content) == []


def test_clean_up_removes_only_old_folders_nothing_points_at(admin_user):
    item = _upload(admin_user, hostile.genuine())
    root = Path(settings.H5P_ROOT)
    orphan = root / "libraries" / "H5P.Orphan-1.0.0-0123456789abcdef"
    orphan.mkdir(parents=True)
    (orphan / "x.js").write_text("x")
    fresh = root / "libraries" / "H5P.Fresh-1.0.0-0123456789abcdef"
    fresh.mkdir()
    (fresh / "x.js").write_text("x")
    old = time.time() - 7200
    os.utime(orphan / "x.js", (old, old))

    counts = h5p_processing_cleanup()

    assert counts["removed_folders"] == 1
    assert not orphan.exists() and fresh.exists()
    assert (root / H5PLibrary.objects.get().folder / "pcmd-choice.js").is_file()
    assert (root / item.content_folder / "h5p.json").is_file()


def test_the_clean_up_is_a_scheduled_command():
    jobs = {job["name"]: job for job in settings.SCHEDULED_JOBS}
    assert jobs["h5p_cleanup"]["command"] == ["h5p_cleanup"]
    assert jobs["h5p_cleanup"]["cron"].startswith("*/")
    call_command("h5p_cleanup", stdout=open(os.devnull, "w"))  # noqa: SIM115
