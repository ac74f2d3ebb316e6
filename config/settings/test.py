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
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/elearning-test-media")
DEMO_DATA_ALLOWED = True

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
