"""`make run`: embedded SQLite, mail printed to the console, debug pages on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", ".localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "h5p": {"BACKEND": "content.models.H5PFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_DATA_ALLOWED = True

WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# `make run` writes a development signing key here (never used in production).
_dev_key = BASE_DIR / ".dev-signing-key.pem"
CERTIFICATE_SIGNING_KEY = _dev_key.read_text() if _dev_key.exists() else ""

# Dev and tests run a single process, so an in-memory cache is shared by everything that
# rate-limits; production sets CACHE_URL to Redis or another shared cache.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
