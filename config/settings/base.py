"""Settings shared by every environment. Safe by default: nothing here turns on debugging
or trusts a host; the environment-specific modules loosen what they must."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
# Only development and test settings may create the demo accounts with known passwords.
DEMO_DATA_ALLOWED = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # Project apps come first so their templates override Wagtail's and allauth's.
    "accounts",
    "content",
    "courses",
    "assessments",
    "workshops",
    "certificates",
    "packages",
    "home",
    "hr",
    "audit",
    "ops",
    "exports",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "treebeard",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_ratelimit",
    "django_tasks_db",
    "django_guid",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # A request id for every log line (the proxy's X-Request-ID, or a new one), returned
    # in the response header so a user can quote it.
    "django_guid.middleware.guid_middleware",
    # The client's address from the trusted reverse proxy (TRUSTED_PROXY_IPS).
    "ops.middleware.TrustedProxyMiddleware",
    # /healthz and /readyz answer before host checks, HTTPS redirects and sessions.
    "ops.middleware.HealthCheckMiddleware",
    "ops.middleware.RequestLogMiddleware",
    # The H5P content origin gets its own URLs, no cookies and a strict CSP.
    "content.h5p.middleware.ContentOriginMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every platform response (the content host sets its own).
    "ops.csp.PlatformCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.VietnameseFirstLocaleMiddleware",
    # Overlong addresses, NULs, impossible ids and InputRejected: a 4xx in Vietnamese.
    "ops.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in user's row from the cache (accounts.sessionuser).
    "accounts.middleware.CachedUserAuthenticationMiddleware",
    # Audit entries written from model signals know who acted and from where.
    "audit.middleware.AuditRequestMiddleware",
    # One post of a page-creation form at a time: autosave and publish never race.
    "content.authoring.SerialisePageCreationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffAreaGuardMiddleware",
    # Admin URLs about a course answer its owners and administrators only.
    "courses.middleware.CourseOwnershipGuardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # nav.hr, nav.admin: the menu's staff links, cached per user.
                "accounts.navigation.context_processor",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Language and time -------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Language names are shown in their own language, so they are not translated.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# The first catalogue that has a string wins: ours; the Wagtail admin's (Wagtail's own
# Vietnamese covers a fifth of it); allauth's (it ships none); then what Django and the
# admin's other libraries leave untranslated (scripts/vendor_catalogues.py keeps the
# vendor catalogues in step with the installed packages).
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale_wagtail",
    BASE_DIR / "locale_allauth",
    BASE_DIR / "locale_django",
]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm at set-up time; they are never committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # H5P uploads, library store and content files (content.h5p.store): H5P_ROOT, or S3.
    "h5p": {"BACKEND": "content.models.H5PFileStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Cache, sessions, mail, tasks ----------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Content-Security-Policy (django-csp; ops/csp.py adds the H5P content origin to
# frame-src and sets frame-ancestors per response) ----------------------------------------
# Scripts: our own files, or an inline script carrying this request's nonce
# (`<script nonce="{{ request.csp_nonce }}">`); never 'unsafe-inline', no eval, no on*=
# attributes, no javascript: links. Styles may be inline (Wagtail's admin sets style
# attributes from its scripts). Lesson videos play in YouTube's or Vimeo's own frame.
CSP_VIDEO_FRAME_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
# Where the browser may load images and media besides the platform (production adds the
# object store's address when images are served from it through signed links).
CSP_MEDIA_ORIGINS: list[str] = []


def content_security_policy(*, media_origins=(), video_frame_origins=()) -> dict:
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, NONCE],
            "style-src": [SELF, UNSAFE_INLINE],
            "img-src": [SELF, "data:", "blob:", *media_origins],
            "media-src": [SELF, "blob:", *media_origins],
            "font-src": [SELF, "data:"],
            "connect-src": [SELF],
            "frame-src": [SELF, *video_frame_origins],
            "worker-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
        }
    }


CONTENT_SECURITY_POLICY = content_security_policy(
    media_origins=CSP_MEDIA_ORIGINS, video_frame_origins=CSP_VIDEO_FRAME_ORIGINS
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Đào tạo PCMD <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Certificates ------------------------------------------------------------------
# Ed25519 private key (PEM). Production reads it from the environment; `make run` makes a
# development key; `python manage.py generate_signing_key --env` prints a new one.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_DEFAULT_ISSUER = env(
    "CERTIFICATE_DEFAULT_ISSUER", default="Chương trình Phòng, chống mại dâm"
)

# --- H5P ---------------------------------------------------------------------------
# Package files are served only from this separate origin (same site, another host).
H5P_CONTENT_ORIGIN = env("H5P_CONTENT_ORIGIN", default="http://content.localhost:8000")
# Uploaded packages and their extracted files live outside MEDIA_ROOT, so nothing on the
# platform origin can serve them.
H5P_ROOT = env.path("H5P_ROOT", default=str(BASE_DIR / "h5p-content"))
# Per file and per package, unpacked (an Interactive Video may carry its own MP4).
H5P_MAX_FILE_SIZE = env.int("H5P_MAX_FILE_SIZE", default=64 * 1024 * 1024)
H5P_MAX_TOTAL_SIZE = env.int("H5P_MAX_TOTAL_SIZE", default=256 * 1024 * 1024)
# Seconds between saves of a learner's H5P state (where they are in a video, their answers).
H5P_SAVE_FREQUENCY = 10

# --- Wagtail -----------------------------------------------------------------------
# Slugs stay ASCII (addresses read /khoa-hoc/ky-nang-…, not percent-encoded Vietnamese).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_SITE_NAME = "Đào tạo Phòng, chống mại dâm"
# No call home: the dashboard would fetch Wagtail's release list from the browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: staff avatars would tell a third party who works in the admin (and load an
# image from outside the platform, which the CSP refuses).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The dashboard's "What's new in Wagtail" banner links to Wagtail's English release notes;
# our authoring guide (admin Help menu, home/admin_views.py) is what trainers read.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_BASE_URL = env("PLATFORM_BASE_URL", default="http://localhost:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
# Private pages send visitors to allauth's sign-in, not Wagtail's own.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "xlsx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Passwords and e-mail addresses change only through allauth's flows, which verify new
# addresses, rate-limit resets and notify the account holder.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# --- Authentication (django-allauth) -------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Sign-up does the same work for a registered address as for a new one (accounts/signup.py).
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # password, e-mail and MFA changes are mailed to the owner
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Đào tạo PCMD] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Dao tao PCMD"

# Roster and units imports (hr): the largest file and the most rows read at once.
HR_IMPORT_MAX_BYTES = 20 * 1024 * 1024
HR_IMPORT_MAX_ROWS = 50_000
# Reminders: how many days before a due date trainees are told, names listed in a digest.
HR_REMINDER_DAYS_BEFORE = 7
HR_DIGEST_MAX_NAMES = 30

# Paths where an account with a staff role must have passed the two-factor step in this
# session (checked from allauth's record of how the session authenticated).
MFA_REQUIRED_PATH_PREFIXES = ["/admin/", "/hr/"]
# A staff session's TOTP step counts for this long; then the code is asked again.
STAFF_MFA_MAX_AGE_SECONDS = env.int("STAFF_MFA_MAX_AGE_SECONDS", default=12 * 3600)

# --- Operations ------------------------------------------------------------------------------
# Reverse proxies whose X-Real-IP header is believed (production: the proxy's addresses).
TRUSTED_PROXY_IPS: list[str] = []
# Rate limits (allauth's and django-ratelimit's) and the audit log key on REMOTE_ADDR, which
# TrustedProxyMiddleware sets from the trusted proxy's X-Real-IP. Neither library may read a
# forwarding header itself: a client would choose its own address.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
RATELIMIT_IP_META_KEY = None
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,  # a client-chosen id is replaced unless it is a well-formed UUID
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "IGNORE_URLS": ["healthz", "readyz"],
}

# Periodic jobs (contract 2): each a management command, run by `manage.py run_scheduler`
# under a PostgreSQL advisory lock, once per scheduled time however many schedulers run.
# Cron fields are in TIME_ZONE. Commands must be idempotent.
# Run once by each web and task worker as it starts (ops.warmup): a worker's first
# certificate no longer pays the font and template set-up (scripts/bench_certificates.py).
WORKER_WARM_UPS = ["certificates.pdf.warm_up"]

SCHEDULED_JOBS = [
    # Signing the audit chain head often bounds how much of the log could be rewritten unseen.
    {"name": "sign_audit_head", "command": ["sign_audit_head"], "cron": "*/10 * * * *"},
    # H5P packages left "being checked" by a dead worker: retried, or refused after 3 tries.
    {"name": "h5p_cleanup", "command": ["h5p_cleanup"], "cron": "*/10 * * * *"},
    # Certificates owed by completions whose worker task was lost, and e-mails not yet sent.
    {
        "name": "reconcile_certificates",
        "command": ["reconcile_certificates"],
        "cron": "*/10 * * * *",
    },
    {
        "name": "close_expired_attempts",
        "command": ["close_expired_attempts"],
        "cron": "*/5 * * * *",
    },
    # Training sessions: tomorrow's reminders (once per seat) and e-mails a lost task left.
    {"name": "send_session_mail", "command": ["send_session_mail"], "cron": "*/5 * * * *"},
    # Invitations owed to people an HR roster import brought in (their outbox).
    {"name": "send_invitations", "command": ["send_invitations"], "cron": "*/10 * * * *"},
    # Trainees' due-soon and overdue reminders, HR officers' weekly digest: once per event.
    {
        "name": "send_training_reminders",
        "command": ["send_training_reminders"],
        "cron": "0 7 * * *",
    },
    {"name": "send_hr_digests", "command": ["send_hr_digests"], "cron": "30 7 * * 1"},
    {"name": "publish_scheduled", "command": ["publish_scheduled"], "cron": "*/5 * * * *"},
    # Where trainees are (kept in the cache by lesson views, which never write) to the database.
    {
        "name": "flush_course_positions",
        "command": ["flush_course_positions"],
        "cron": "*/5 * * * *",
    },
    # Progress of courses whose structure changed, if the publish's task was lost.
    {
        "name": "recheck_course_progress",
        "command": ["recheck_course_progress"],
        "cron": "17 * * * *",
    },
    {"name": "send_expiry_reminders", "command": ["send_expiry_reminders"], "cron": "30 7 * * *"},
    {
        "name": "prune_task_results",
        "command": ["prune_db_task_results", "--min-age-days", "30"],
        "cron": "15 3 * * *",
    },
    {"name": "prune_job_runs", "command": ["prune_job_runs", "--days", "90"], "cron": "20 3 * * *"},
]


def s3_storages(*, bucket: str, media_prefix: str = "media", h5p_prefix: str = "h5p", **options):
    """STORAGES entries for media and H5P files in an S3-compatible bucket (django-storages).
    Objects stay private; browsers get short-lived signed links, for images only."""
    common = {
        "bucket_name": bucket,
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        **options,
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**common, "location": media_prefix}},
        # H5P files are read by the content origin's views only.
        "h5p": {"BACKEND": backend, "OPTIONS": {**common, "location": h5p_prefix}},
    }


def json_logging(*, level: str = "INFO") -> dict:
    """JSON lines on stderr, one object per record, with the request id (production)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
        "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django logs every 5xx with its traceback here; the user sees only a page.
            "django.request": {"level": "WARNING", "propagate": True},
            "django.server": {"level": "WARNING", "propagate": True},
            "django_guid": {"level": "WARNING", "propagate": True},
            # Libraries that narrate every step at INFO.
            **{
                name: {"level": "WARNING", "propagate": True}
                for name in (
                    "weasyprint",
                    "fontTools",
                    "apscheduler",
                    "botocore",
                    "boto3",
                    "urllib3",
                )
            },
        },
    }


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django_guid": {"level": "WARNING"}},
}

# --- Course packages ----------------------------------------------------------------
# Uploaded .pcmd.zip packages wait here (outside MEDIA_ROOT) between preview and import.
COURSE_PACKAGE_ROOT = env.path("COURSE_PACKAGE_ROOT", default=str(BASE_DIR / "course-packages"))
# Limits on an uploaded package (bytes, files, compression ratio of any one member).
COURSE_PACKAGE_LIMITS = {
    "max_upload_bytes": 500 * 1024 * 1024,
    "max_total_bytes": 500 * 1024 * 1024,
    "max_member_bytes": 200 * 1024 * 1024,
    "max_files": 2000,
    "max_compression_ratio": 200,
}
