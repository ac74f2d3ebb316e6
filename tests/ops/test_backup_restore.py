"""Backup and restore round trip on real PostgreSQL and real storage (a local folder, and the
S3-compatible server): the restored system has the same files and passes its checks, and
tampering after the restore is caught by the same checks."""

import hashlib
import io
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from storages.backends.s3 import S3Storage

from accounts.roles import ADMINISTRATOR
from audit.services import audit_record
from certificates.models import Certificate
from content.h5p.packaging import build_choice_package
from content.h5p.services import h5p_content_process
from content.models import H5PContent, H5PStatus
from courses.services import enrolment_create, lesson_complete
from tests.factories.accounts import UserFactory
from tests.factories.courses import catalogue_create, course_create

from .conftest import new_bucket

pytestmark = pytest.mark.django_db(transaction=True)

CHOICES = [
    {"text": "Phạt hành chính", "correct": False, "feedback": "Chưa đúng."},
    {"text": "Coi là nạn nhân tiềm năng", "correct": True, "feedback": "Đúng."},
]


def _system_with_records(home_page):
    """A certificate (signed record and PDF) and an H5P activity (package and its files)."""
    trainee = UserFactory(full_name="Nguyễn Thị Minh Anh", staff_id="CA-0042")
    course, lessons = course_create(catalogue_create(home_page), code="PCMD-BK", lessons=1)
    enrolment_create(user=trainee, course=course)
    lesson_complete(user=trainee, course=course, lesson=lessons[0])  # issues on commit
    certificate = Certificate.objects.get(user=trainee)
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    package = build_choice_package(title="Nhận diện", question="<p>Câu hỏi?</p>", choices=CHOICES)
    activity = H5PContent.objects.create(
        title="Hoạt động", package=ContentFile(package, name="goi.h5p"), uploaded_by=admin
    )
    activity = h5p_content_process(content_id=activity.pk)
    assert activity.status == H5PStatus.READY, activity.problems
    for action in ("role.changed", "h5p.library_approved"):
        audit_record(action=action, actor=admin, target=trainee, summary="trước khi sao lưu")
    call_command("sign_audit_head", stdout=io.StringIO())
    return certificate, activity


def _digests(alias="default", where=None):
    """name -> SHA-256 of every object in a storage: this system's, or the restored one's."""
    from ops.backup import _walk

    storage = storages[alias]
    if where and "TEST_MEDIA_ROOT" in where:
        root = where["TEST_MEDIA_ROOT" if alias == "default" else "TEST_H5P_ROOT"]
        storage = FileSystemStorage(location=root)
    elif where:
        prefix = "media" if alias == "default" else "h5p"
        storage = S3Storage(
            bucket_name=where["TEST_S3_BUCKET"],
            endpoint_url=where["TEST_S3_ENDPOINT_URL"],
            access_key="test",
            secret_key="test",
            region_name="us-east-1",
            addressing_style="path",
            location=prefix,
        )
    digests = {}
    for name in _walk(storage):
        with storage.open(name, "rb") as handle:
            digests[name] = hashlib.sha256(handle.read()).hexdigest()
    return digests


@pytest.fixture
def empty_database():
    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _manage(*args, env):
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    base = {k: v for k, v in os.environ.items() if k in keep}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CERTIFICATE_SIGNING_KEY": settings.CERTIFICATE_SIGNING_KEY,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=180,
    )


def _sql(database_url, statement):
    with psycopg.connect(database_url, autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else cursor.rowcount


@pytest.fixture(params=["local", "s3"])
def where(request, tmp_path):
    """Where the restored system keeps its files, and the matching environment."""
    if request.param == "local":
        return {
            "TEST_MEDIA_ROOT": str(tmp_path / "media2"),
            "TEST_H5P_ROOT": str(tmp_path / "h5p2"),
        }
    endpoint = request.getfixturevalue("s3_endpoint")
    request.getfixturevalue("s3_storage")  # this system's files in a bucket too
    return {"TEST_S3_ENDPOINT_URL": endpoint, "TEST_S3_BUCKET": new_bucket(endpoint)}


def test_backup_and_restore_into_an_empty_system_round_trip(
    home_page, tmp_path, empty_database, where
):
    certificate, activity = _system_with_records(home_page)
    media, h5p = _digests("default"), _digests("h5p")
    assert certificate.pdf.name in media and f"{activity.content_folder}/h5p.json" in h5p

    call_command("backup", tmp_path / "backup")
    database_url, _name = empty_database
    env = {"DATABASE_URL": database_url, **where}
    restored = _manage("restore", str(tmp_path / "backup"), env=env)

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "verify_certificates: passed" in restored.stdout
    assert (
        "Checked 1 certificate(s): 1 valid signature(s), 0 invalid, 0 PDF(s) missing."
        in restored.stdout
    )
    assert "verify_audit_log: passed" in restored.stdout
    assert "Audit log intact:" in restored.stdout
    rows = _sql(database_url, "SELECT code, holder_name, pdf FROM certificates_certificate")
    assert rows == [(certificate.code, "Nguyễn Thị Minh Anh", certificate.pdf.name)]
    assert _digests("default", where) == media and _digests("h5p", where) == h5p

    # Someone edits a record in the restored database: the same check catches it.
    assert _sql(database_url, "UPDATE certificates_certificate SET holder_name = 'Người khác'") == 1
    tampered = _manage("verify_certificates", env=env)
    assert tampered.returncode != 0
    assert f"INVALID signature: {certificate.code}" in tampered.stderr

    # ... and so does the audit chain, even when its append-only triggers are switched off.
    _sql(
        database_url,
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER;"
        "UPDATE audit_auditentry SET summary = 'đã sửa' WHERE action = 'role.changed';"
        "ALTER TABLE audit_auditentry ENABLE TRIGGER USER",
    )
    broken = _manage("verify_audit_log", env=env)
    assert broken.returncode != 0
    assert "Audit log broken at entry" in broken.stderr

    if "TEST_MEDIA_ROOT" in where:
        again = _manage("restore", str(tmp_path / "backup"), env=env)
        assert again.returncode != 0
        assert "the database is not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    home_page, tmp_path, empty_database
):
    _system_with_records(home_page)
    call_command("backup", tmp_path / "backup")
    pdf = next((tmp_path / "backup" / "files" / "default").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:-10] + b"0123456789")
    database_url, _name = empty_database

    result = _manage(
        "restore",
        str(tmp_path / "backup"),
        env={
            "DATABASE_URL": database_url,
            "TEST_MEDIA_ROOT": str(tmp_path / "m"),
            "TEST_H5P_ROOT": str(tmp_path / "h"),
        },
    )

    assert result.returncode != 0
    assert "damaged or missing" in result.stderr
    assert _sql(
        database_url, "SELECT count(*) FROM information_schema.tables WHERE table_schema='public'"
    ) == [(0,)]


def test_a_backup_missing_a_file_its_database_needs_says_so(home_page, tmp_path):
    certificate, _activity = _system_with_records(home_page)
    storages["default"].delete(certificate.pdf.name)

    with pytest.raises(CommandError, match="incomplete"):
        call_command("backup", tmp_path / "backup")

    manifest = (tmp_path / "backup" / "manifest.json").read_text()
    assert certificate.pdf.name in manifest


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path, db):
    (tmp_path / "old.txt").write_text("x")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", tmp_path)
