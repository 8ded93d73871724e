"""Django settings for Luoshi, read from the environment.

Development: ``DEBUG=true`` and nothing else; the database is an SQLite file
under ``var/``. Production: ``DEBUG`` unset, ``SECRET_KEY``, ``ALLOWED_HOSTS``
and ``DATABASE_URL=postgres://…`` set; ``luoshi check --deploy`` is clean.
Our own settings are prefixed ``LUOSHI_``.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from luoshi.env import envbool, envdate, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

# Settings written to a file, for commands run by hand: `make demo` writes
# var/luoshi.env so that `luoshi token create` and every other command see the
# demo's settings without exporting them. The process environment wins over
# the file; LUOSHI_ENV_FILE names another file, or "" for none.
ENV_FILE = os.environ.get("LUOSHI_ENV_FILE", str(BASE_DIR / "var" / "luoshi.env"))
if ENV_FILE:
    load_dotenv(ENV_FILE, override=False)

VAR_DIR = Path(envstr("LUOSHI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (50+ random characters) in production, "
            "or set DEBUG=true for development."
        )
    SECRET_KEY = "luoshi-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps come first so that their translations win over Django's own
    # for the same English words ("Filter" is 筛选 here, not 过滤器).
    "luoshi.accounts",
    "luoshi.audit",
    "luoshi.plans",
    "luoshi.api",
    "luoshi.tracking",
    "luoshi.reports",
    "luoshi.portal",
    "luoshi.inbox",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "luoshi.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After CommonMiddleware, which still redirects /plans to /plans/.
    "luoshi.errorpages.DemoErrorPagesMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "luoshi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "luoshi.inbox.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'luoshi.sqlite3'}"),
        conn_max_age=envint("LUOSHI_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the task worker write while pages read. A writer that finds
    # the database busy waits up to the timeout instead of failing at once
    # (SQLite's default is 5 s, which a burst of submissions exceeds, and
    # db_worker then died with "database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = envint("LUOSHI_SQLITE_TIMEOUT_SECONDS", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# `luoshi backup` writes JSON whose times keep their microseconds (luoshi/serializers.py).
SERIALIZATION_MODULES = {"exactjson": "luoshi.serializers"}
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated wrong passwords lock the username+address pair for a while, and
# many wrong passwords from one address lock the address (luoshi/accounts/lockout.py).
AXES_FAILURE_LIMIT = envint("LUOSHI_LOGIN_FAILURE_LIMIT", 5)
LUOSHI_LOGIN_ADDRESS_FAILURE_LIMIT = envint("LUOSHI_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
if LUOSHI_LOGIN_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("LUOSHI_LOGIN_ADDRESS_FAILURE_LIMIT must not be below LUOSHI_LOGIN_FAILURE_LIMIT.")
AXES_COOLOFF_TIME = envint("LUOSHI_LOGIN_COOLOFF_MINUTES", 15) / 60
# The order matters to LockoutHandler: the pair first, then the address alone.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "luoshi.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "luoshi.accounts.lockout.client_address"
# Behind a reverse proxy: the header it sets with the client's address
# (X-Forwarded-For or X-Real-IP) and how many proxies append to it. Unset,
# such headers are ignored, since any client can send them.
LUOSHI_TRUSTED_PROXY_HEADER = envstr("LUOSHI_TRUSTED_PROXY_HEADER")
LUOSHI_TRUSTED_PROXY_COUNT = envint("LUOSHI_TRUSTED_PROXY_COUNT", 1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# API tokens stop working this many days after they are made (luoshi token create --days).
LUOSHI_API_TOKEN_DAYS = envint("LUOSHI_API_TOKEN_DAYS", 180)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "luoshi" / "locale"]
TIME_ZONE = envstr("LUOSHI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "luoshi" / "static"]
# Files from npm live in node_modules and are served, never committed: only the
# builds the pages load, not the whole tree (collectstatic copied 1,735 files).
if (BASE_DIR / "node_modules" / "echarts" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded evidence is kept outside anything the web server serves directly;
# views check permissions and stream it.
MEDIA_ROOT = Path(envstr("LUOSHI_MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence, generated circulars and import previews go through the default
# storage. Several web or task workers on different machines need one they
# all see: a shared folder (LUOSHI_MEDIA_ROOT on NFS or similar) or an
# S3-compatible bucket (MinIO, a cloud's object storage) with LUOSHI_STORAGE=s3.
LUOSHI_STORAGE = envstr("LUOSHI_STORAGE", "local")
if LUOSHI_STORAGE == "s3":
    if not envstr("LUOSHI_S3_BUCKET"):
        raise ImproperlyConfigured("LUOSHI_STORAGE=s3 needs LUOSHI_S3_BUCKET (and usually LUOSHI_S3_ENDPOINT_URL).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("LUOSHI_S3_BUCKET"),
            "endpoint_url": envstr("LUOSHI_S3_ENDPOINT_URL") or None,
            "region_name": envstr("LUOSHI_S3_REGION") or None,
            "access_key": envstr("LUOSHI_S3_ACCESS_KEY") or None,
            "secret_key": envstr("LUOSHI_S3_SECRET_KEY") or None,
            "location": envstr("LUOSHI_S3_PREFIX"),
            # As on a disk: a second file of the same name gets a name of its
            # own instead of replacing the first one's evidence.
            "file_overwrite": False,
            # Files are private: pages stream them after checking permissions.
            "default_acl": "private",
            "querystring_auth": True,
            # MinIO wants path-style addresses (http://minio:9000/bucket/key).
            "addressing_style": "path" if envstr("LUOSHI_S3_ENDPOINT_URL") else None,
        },
    }
elif LUOSHI_STORAGE != "local":
    raise ImproperlyConfigured(f"LUOSHI_STORAGE is “{LUOSHI_STORAGE}”; it must be local or s3.")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LUOSHI_MAX_UPLOAD_MB = envint("LUOSHI_MAX_UPLOAD_MB", 50)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

EMAIL_BACKEND = envstr("LUOSHI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Where the file-based backend (the demo's) writes each message.
EMAIL_FILE_PATH = envstr("LUOSHI_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "luoshi@localhost")

# A fixed "today" for the demo only: the seed is a 2018 plan, shown as it
# stood in July 2018. Unset in production.
LUOSHI_DEMO_TODAY = envdate("LUOSHI_DEMO_TODAY")

# The district the demo and the default reports speak for.
LUOSHI_ORG_NAME = envstr("LUOSHI_ORG_NAME", "南湖区")

# Status engine thresholds (红黄绿灯); docs/status-rules.md explains each one.
LUOSHI_STATUS_BEHIND_POINTS = envint("LUOSHI_STATUS_BEHIND_POINTS", 10)
LUOSHI_STATUS_DUE_SOON_WORKING_DAYS = envint("LUOSHI_STATUS_DUE_SOON_WORKING_DAYS", 10)
LUOSHI_STATUS_DUE_SOON_MIN_PERCENT = envint("LUOSHI_STATUS_DUE_SOON_MIN_PERCENT", 80)
LUOSHI_STATUS_SCHEDULE_TOLERANCE_POINTS = envint("LUOSHI_STATUS_SCHEDULE_TOLERANCE_POINTS", 5)
LUOSHI_STATUS_RED_UNREPORTED_CYCLES = envint("LUOSHI_STATUS_RED_UNREPORTED_CYCLES", 2)
# A leader's 批示 on a task is to be answered within this many working days unless the leader sets a date.
LUOSHI_INSTRUCTION_REPLY_WORKING_DAYS = envint("LUOSHI_INSTRUCTION_REPLY_WORKING_DAYS", 5)
# Stateful lights (docs/status-rules.md): a task that went red stays red until
# its gap is made up, then shows yellow before green. Off by default; a plan
# can also switch it on for itself (its 督查设置 page).
LUOSHI_STATUS_STATEFUL = envbool("LUOSHI_STATUS_STATEFUL", False)
# 签收: an assignment or a 督办单 not acknowledged after this many working
# days is listed for the office and chased by `luoshi remind`, once a day.
LUOSHI_ACK_CHASE_WORKING_DAYS = envint("LUOSHI_ACK_CHASE_WORKING_DAYS", 2)
# 督办单需领导审批: every draft goes to a leader before it is sent (a plan can
# also ask for it on its 督查设置 page).
LUOSHI_NOTICE_NEEDS_APPROVAL = envbool("LUOSHI_NOTICE_NEEDS_APPROVAL", False)
# Notification deliveries (docs/notifications.md): attempts before a delivery
# is marked failed, and the first retry delay, which quadruples each time.
LUOSHI_DELIVERY_MAX_ATTEMPTS = envint("LUOSHI_DELIVERY_MAX_ATTEMPTS", 5)
LUOSHI_DELIVERY_RETRY_SECONDS = envint("LUOSHI_DELIVERY_RETRY_SECONDS", 60)
# The site's address as users reach it (https://luoshi.example.gov.cn), put
# before the links in e-mails and digests; unset, they carry the path alone.
LUOSHI_SITE_URL = envstr("LUOSHI_SITE_URL", "").rstrip("/")
# `luoshi sweep` (luoshi/jobs.py): a job running longer than this was
# orphaned by a killed worker and is queued again; work younger than the
# grace period may still be on its way into the queue and is left alone.
LUOSHI_JOB_TIMEOUT_MINUTES = envint("LUOSHI_JOB_TIMEOUT_MINUTES", 30)
LUOSHI_SWEEP_GRACE_MINUTES = envint("LUOSHI_SWEEP_GRACE_MINUTES", 5)
# An export of more rows than this (tasks, or progress reports for the history)
# is built by the task worker, and the user follows it on a progress page.
LUOSHI_EXPORT_BACKGROUND_ROWS = envint("LUOSHI_EXPORT_BACKGROUND_ROWS", 5000)

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("LUOSHI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("LUOSHI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("LUOSHI_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LUOSHI_LOG_LEVEL", "WARNING")},
}
