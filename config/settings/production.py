"""Production: every setting comes from the environment (deploy/README.md, deploy/pcmd.env.example).

Required, each refused in one line naming it when missing: SECRET_KEY, DATABASE_URL,
CACHE_URL (Redis), PLATFORM_BASE_URL, H5P_CONTENT_ORIGIN. The certificate signing key
(CERTIFICATE_SIGNING_KEY or CERTIFICATE_SIGNING_KEY_FILE) is checked by `check --deploy`.
Everything else has a default that starts.
"""

from pathlib import Path
from urllib.parse import urlsplit

from config.env import MissingEnvironment, require

from .base import *  # noqa: F403
from .base import CSP_VIDEO_FRAME_ORIGINS, content_security_policy, env

SECRET_KEY = require("SECRET_KEY", "set 50 or more random characters")
if len(SECRET_KEY) < 50 or "CHANGE-ME" in SECRET_KEY:
    raise MissingEnvironment("SECRET_KEY is too short: use 50 or more random characters.")


def _origin(name: str, why: str) -> str:
    value = require(name, why).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path:
        raise MissingEnvironment(
            f"{name} must be an origin such as https://host.example, not {value!r}."
        )
    return value


# --- Host names ----------------------------------------------------------------------------
PLATFORM_BASE_URL = _origin(
    "PLATFORM_BASE_URL", "the platform's address, e.g. https://daotao.example.gov.vn"
)
H5P_CONTENT_ORIGIN = _origin(
    "H5P_CONTENT_ORIGIN",
    "the separate host for H5P files, e.g. https://noidung.daotao.example.gov.vn",
)
if urlsplit(PLATFORM_BASE_URL).netloc == urlsplit(H5P_CONTENT_ORIGIN).netloc:
    raise MissingEnvironment(
        "H5P_CONTENT_ORIGIN must be a different host name from PLATFORM_BASE_URL."
    )
WAGTAILADMIN_BASE_URL = PLATFORM_BASE_URL
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[urlsplit(PLATFORM_BASE_URL).hostname, urlsplit(H5P_CONTENT_ORIGIN).hostname],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[PLATFORM_BASE_URL])
# Addresses of the reverse proxies whose X-Real-IP header names the client (ops.middleware).
TRUSTED_PROXY_IPS = env.list("TRUSTED_PROXY_IPS", default=["127.0.0.1", "::1"])

# --- PostgreSQL, with psycopg's connection pool in every process -----------------------------
# Pool of DB_POOL_MAX_SIZE connections per process (one per gunicorn thread is enough).
# DB_POOL_MAX_SIZE=0 turns it off, for PgBouncer in transaction mode (deploy/README.md).
DATABASES = {
    "default": env.db_url_config(
        require("DATABASE_URL", "e.g. postgres://pcmd:PASSWORD@db.internal:5432/pcmd")
    )
}
_pool_max = env.int("DB_POOL_MAX_SIZE", default=4)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if _pool_max > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env.int("DB_POOL_MIN_SIZE", default=1), _pool_max),
        "max_size": _pool_max,
        # A request waits this long for a free connection before failing (then 503).
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True  # PgBouncer transaction mode

# --- Redis: cache, rate limits (allauth, django-ratelimit) and sessions ----------------------
_cache_url = require(
    "CACHE_URL",
    "the shared Redis for cache, rate limits and sessions, e.g. redis://127.0.0.1:6379/0",
)
if urlsplit(_cache_url).scheme not in {"redis", "rediss"}:
    raise MissingEnvironment(
        "CACHE_URL must point at Redis (redis:// or rediss://): rate limits and sessions are "
        "shared by every app server."
    )
_redis_options = {
    # A dead Redis fails a request quickly instead of holding a worker until its timeout.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "health_check_interval": 30,
}


def _redis(url: str, prefix: str) -> dict:
    config = env.cache_url_config(url)
    # Django's Redis backend, one client per pool instead of one per operation (ops.cache).
    config["BACKEND"] = "ops.cache.RedisCache"
    config["OPTIONS"] = {**config.get("OPTIONS", {}), **_redis_options}
    config["KEY_PREFIX"] = prefix
    return config


CACHES = {
    "default": _redis(_cache_url, "pcmd"),
    "sessions": _redis(env("SESSION_CACHE_URL", default=_cache_url), "pcmd-session"),
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"

# --- Storage: an S3-compatible object store when S3_BUCKET is set, else local folders ------
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
if not env.bool("STATIC_COMPRESS", default=True):
    # Hashed names without the pre-compressed copies (when the proxy compresses instead).
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = env("MEDIA_URL", default="/media/")
H5P_ROOT = env.path("H5P_ROOT", default=str(BASE_DIR / "h5p-content"))
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES = {
        **STORAGES,
        **s3_storages(
            bucket=S3_BUCKET,
            media_prefix=env("S3_MEDIA_PREFIX", default="media"),
            h5p_prefix=env("S3_H5P_PREFIX", default="h5p"),
            endpoint_url=env("S3_ENDPOINT_URL", default=None),
            region_name=env("S3_REGION", default=None),
            # Unset: boto3 finds credentials itself (instance role, AWS_* variables).
            access_key=env("S3_ACCESS_KEY_ID", default=None),
            secret_key=env("S3_SECRET_ACCESS_KEY", default=None),
            addressing_style=env("S3_ADDRESSING_STYLE", default="path"),
            querystring_expire=env.int("S3_LINK_SECONDS", default=3600),
        ),
    }
else:
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
        },
        # A folder at H5P_ROOT, outside MEDIA_ROOT.
        "h5p": {"BACKEND": "content.models.H5PFileStorage"},
    }
# Documents stream through the platform (access checked), so the store can stay internal.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Content-Security-Policy: images come from the object store through signed links ------
_s3_endpoint = urlsplit(env("S3_ENDPOINT_URL", default="") or "")
if not S3_BUCKET:
    _s3_origin = ""
elif _s3_endpoint.netloc:
    _s3_origin = f"{_s3_endpoint.scheme}://{_s3_endpoint.netloc}"
else:
    _s3_origin = "https://*.amazonaws.com"
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[_s3_origin] if _s3_origin else [])
CONTENT_SECURITY_POLICY = content_security_policy(
    media_origins=CSP_MEDIA_ORIGINS, video_frame_origins=CSP_VIDEO_FRAME_ORIGINS
)

# --- Mail ------------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
if "EMAIL_FILE_PATH" in _email:
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
EMAIL_TIMEOUT = 20

# --- Certificates ----------------------------------------------------------------------------
# The PEM may come inline (with "\n" escapes, as `generate_signing_key --env` prints it) or
# from a file, e.g. a systemd credential (deploy/systemd/*.service).
_key_file = env("CERTIFICATE_SIGNING_KEY_FILE", default="")
if _key_file:
    try:
        CERTIFICATE_SIGNING_KEY = Path(_key_file).read_text()
    except OSError as error:
        raise MissingEnvironment(
            f"CERTIFICATE_SIGNING_KEY_FILE cannot be read: {error}."
        ) from error
else:
    CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="").replace("\\n", "\n")

# --- HTTPS behind the reverse proxy -----------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# --- Background work -------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Logs: JSON lines on stdout/stderr (journald keeps them), each with its request id -------
LOGGING = json_logging(level=env("LOG_LEVEL", default="INFO"))

# django-ratelimit 4.1 predates Django's own RedisCache (ops.cache's is that backend) and
# warns about it; its incr() is atomic, which is all the rate limiter needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
