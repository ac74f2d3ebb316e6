"""An S3-compatible server (moto in server mode) on this machine, and a fresh bucket per test."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3 HTTP server (moto_server) on loopback; TEST_S3_PORT or a free port."""
    port = int(os.environ.get("TEST_S3_PORT") or free_port())
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def new_bucket(endpoint: str) -> str:
    name = f"pcmd-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_bucket(s3_endpoint):
    return new_bucket(s3_endpoint)


@pytest.fixture
def s3_storage(settings, s3_endpoint, s3_bucket, monkeypatch):
    """Media and H5P storages in a fresh bucket of the S3 server, as in production."""
    from django.core.files.storage import storages

    from config.settings.base import s3_storages
    from content.models import H5PContent

    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(
            bucket=s3_bucket,
            endpoint_url=s3_endpoint,
            region_name="us-east-1",
            access_key="test",
            secret_key="test",
        ),
    }
    # A FileField resolves its storage once, when the model is defined (production settings
    # never change after that); here the upload field follows the new setting too.
    monkeypatch.setattr(H5PContent._meta.get_field("package"), "storage", storages["h5p"])
    return s3_bucket


def bucket_keys(endpoint: str, bucket: str) -> set[str]:
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}
