"""The test suite: PostgreSQL (started by `make test`), fast hashing, in-memory mail and cache."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-secret-key-with-enough-length-to-look-real-0123456789"
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:55432/elearning"),
}
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver", ".localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "h5p": {"BACKEND": "content.models.H5PFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/elearning-test-media")
H5P_ROOT = env.path("TEST_H5P_ROOT", default="/tmp/elearning-test-h5p")
COURSE_PACKAGE_ROOT = env.path("TEST_PACKAGE_ROOT", default=f"{MEDIA_ROOT}-packages")
DEMO_DATA_ALLOWED = True

# Tests that start processes (tests/ops) point them at an S3-compatible server on this
# machine and at the database task backend through these variables.
if env("TEST_S3_BUCKET", default=""):
    STORAGES = {
        **STORAGES,
        **s3_storages(
            bucket=env("TEST_S3_BUCKET"),
            endpoint_url=env("TEST_S3_ENDPOINT_URL"),
            region_name="us-east-1",
            access_key="test",
            secret_key="test",
        ),
    }
if env.bool("TEST_DATABASE_TASKS", default=False):
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True


def _test_signing_key() -> str:
    # A fresh key per test run: tests never depend on a stored secret.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


# Subprocesses started by the crash tests are given the parent's key.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="") or _test_signing_key()

# Dev and tests run a single process, so an in-memory cache is shared by everything that
# rate-limits; production sets CACHE_URL to Redis or another shared cache.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
