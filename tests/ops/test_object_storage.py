"""Media and H5P files on an S3-compatible server running on this machine (moto in server
mode, reached over HTTP by boto3 exactly as in production); never a mocked client."""

import json
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from accounts.roles import ADMINISTRATOR
from content.h5p.packaging import build_choice_package
from content.h5p.services import h5p_content_process
from content.h5p.tokens import player_token
from content.models import H5PContent, H5PStatus, h5p_storage
from tests.factories.accounts import UserFactory

from .conftest import bucket_keys, s3_client

pytestmark = pytest.mark.django_db

CONTENT_HOST = "content.localhost:8000"
CHOICES = [
    {"text": "Phạt hành chính", "correct": False, "feedback": "Chưa đúng."},
    {"text": "Coi là nạn nhân tiềm năng", "correct": True, "feedback": "Đúng."},
]


@pytest.fixture
def h5p_activity(s3_storage):
    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    data = build_choice_package(
        title="Nhận diện nạn nhân", question="<p>Câu hỏi?</p>", choices=CHOICES
    )
    content = H5PContent.objects.create(
        title="Hoạt động", package=ContentFile(data, name="goi.h5p"), uploaded_by=admin
    )
    content = h5p_content_process(content_id=content.pk)
    assert content.status == H5PStatus.READY, content.problems
    return content


def test_media_files_are_objects_in_the_bucket(s3_endpoint, s3_storage):
    name = default_storage.save("documents/quy-trinh.txt", ContentFile("Quy trình".encode()))

    assert f"media/{name}" in bucket_keys(s3_endpoint, s3_storage)
    body = s3_client(s3_endpoint).get_object(Bucket=s3_storage, Key=f"media/{name}")["Body"]
    assert body.read().decode() == "Quy trình"
    # Private objects: the link a browser gets is signed and expires.
    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=" in url


def test_h5p_package_is_unpacked_into_the_bucket_not_onto_this_machine(
    s3_endpoint, s3_storage, h5p_activity, settings, tmp_path
):
    keys = bucket_keys(s3_endpoint, s3_storage)

    assert f"h5p/{h5p_activity.package.name}" in keys
    assert f"h5p/{h5p_activity.content_folder}/h5p.json" in keys
    assert f"h5p/{h5p_activity.content_folder}/content/content.json" in keys
    # The shared library store is in the bucket too.
    assert any(k.startswith("h5p/libraries/H5P.PcmdChoice-1.1") for k in keys)
    assert not (tmp_path / "h5p").exists() and not list(Path(settings.H5P_ROOT).glob("content/*"))


def test_h5p_files_from_the_bucket_are_served_only_from_the_content_origin(client, h5p_activity):
    token = player_token(content_id=h5p_activity.pk, user_id=1)

    served = client.get(f"/h5p/{token}/files/h5p.json", HTTP_HOST=CONTENT_HOST)
    on_platform = client.get(f"/h5p/{token}/files/h5p.json")

    assert served.status_code == 200
    assert json.loads(b"".join(served.streaming_content))["mainLibrary"] == "H5P.PcmdChoice"
    assert served["Content-Type"] == "application/json"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in served["Content-Security-Policy"]
    assert on_platform.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "../../uploads/{package}",  # the original upload, next to the extracted folder
        "..%2F..%2Fuploads%2F{package}",
        "../../{other}/h5p.json",  # another package's files
        "content/../../../{other}/h5p.json",
        "/etc/passwd",
        "content\\..\\..\\{other}\\h5p.json",
        "",
    ],
)
def test_no_path_leaves_the_package_folder_in_the_bucket(client, h5p_activity, path):
    other = f"{uuid.uuid4()}/0123456789abcdef"
    h5p_storage().save(f"content/{other}/h5p.json", ContentFile(b'{"secret": 1}'))
    token = player_token(content_id=h5p_activity.pk, user_id=1)
    relative = path.format(package=h5p_activity.package.name.split("/")[-1], other=other)

    response = client.get(f"/h5p/{token}/files/{relative}", HTTP_HOST=CONTENT_HOST)

    assert response.status_code == 404


def test_a_refused_package_leaves_nothing_in_the_bucket(s3_endpoint, s3_storage):
    from tests.h5p import hostile

    admin = UserFactory(role=ADMINISTRATOR, is_superuser=True)
    content = H5PContent.objects.create(
        title="Xấu", package=ContentFile(hostile.content_script(), name="x.h5p"), uploaded_by=admin
    )

    content = h5p_content_process(content_id=content.pk)

    assert content.status == H5PStatus.REJECTED
    assert not [k for k in bucket_keys(s3_endpoint, s3_storage) if k.startswith("h5p/content/")]


def test_readiness_checks_the_bucket(client, settings, s3_storage):
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "fail"
    assert "no-such-bucket" not in response.content.decode()
    assert storages["h5p"].bucket_name == s3_storage
