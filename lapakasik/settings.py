"""Lapak Asik settings: one file, every value from the environment through strict helpers.

A bad value raises ImproperlyConfigured at start-up instead of running with a surprise.
Secrets may come from `NAME_FILE` (a Docker/systemd secret file) instead of `NAME`.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LAPAKASIK_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str) -> str:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}")


def env_score(name: str, default: int) -> int:
    """A 0–100 similarity threshold; anything outside would silently accept or refuse every name."""
    value = env_int(name, default)
    if not 0 < value <= 100:
        raise ImproperlyConfigured(f"{name} must be between 1 and 100, not {value!r}")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A laptop install keeps a generated key in var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY", "") or _local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "lapakasik.accounts",
    "lapakasik.registry",
    "lapakasik.claims",
    "lapakasik.collective",
    "lapakasik.booking",
    "lapakasik.capacity",
    "lapakasik.payments",
    "lapakasik.reporting",
    "lapakasik.security",
    "lapakasik.privacy",
    "lapakasik.complaints",
    "lapakasik.notify",
    "lapakasik.portal",
    "lapakasik.console",
    "lapakasik.api",
    "lapakasik.cli",
    "lapakasik.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "lapakasik.accounts.middleware.AuthenticationMiddleware",  # Django's, with a cheaper read of the user
    "lapakasik.accounts.middleware.RecognisedDeviceMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lapakasik.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lapakasik.security.middleware.StrictParametersMiddleware",
]

ROOT_URLCONF = "lapakasik.urls"
WSGI_APPLICATION = "lapakasik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lapakasik" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lapakasik.console.context.branch_picker",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lapakasik.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the report page read while a worker writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file, one per process, not Django's in-memory default: with an in-memory database the
    # browser tests' live-server threads share one connection with the test, which randomly hangs.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Reports may read a streaming replica (reporting/replica.py): DATABASE_REPLICA_URL adds it and the router
# that sends report reads there while it answers and lags the primary by at most
# DATABASE_REPLICA_MAX_LAG_SECONDS (probed every DATABASE_REPLICA_CHECK_SECONDS per process). Unset: every
# read is on the default database.
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 10)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 2)
if DATABASE_REPLICA_MAX_LAG_SECONDS < 0 or DATABASE_REPLICA_CHECK_SECONDS < 0:
    raise ImproperlyConfigured(
        "DATABASE_REPLICA_MAX_LAG_SECONDS and DATABASE_REPLICA_CHECK_SECONDS must be 0 or more"
    )
DATABASE_ROUTERS: list[str] = []
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that is down must cost a report a moment, not the client's whole timeout.
        DATABASES["replica"]["OPTIONS"] = {"connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2)}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests read the test database through it
    DATABASE_ROUTERS = ["lapakasik.reporting.replica.ReportReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lapakasik" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "lapakasik" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Retention (privacy/retention.py): the scans of a closed claim are removed this many days after its last
# event. Default 10 years, the keeping period of financial records (UU 8/1997 ps. 11), which paid claims are.
PRIVACY_DOCUMENT_RETENTION_DAYS = env_int("PRIVACY_DOCUMENT_RETENTION_DAYS", 3653)
if PRIVACY_DOCUMENT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("PRIVACY_DOCUMENT_RETENTION_DAYS must be 1 or more")

# Anything shared between processes (log-in throttles, lock-outs) lives in THROTTLE_CACHE: the database
# cache on the embedded default (its table is made by migrate), Redis when REDIS_URL is set. The default
# cache holds only what each process may keep for itself.
THROTTLE_CACHE = "lapakasik_cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    THROTTLE_CACHE: {
        # Django's database cache with a one-statement add (accounts/cache.py: the counters' only write).
        "BACKEND": "lapakasik.accounts.cache.DatabaseCache",
        "LOCATION": "lapakasik_cache",
        # Django's default of 300 rows would cull a random third of the live counters (log-in lock-outs
        # included) as soon as a quota opening's burst writes its booking-rate slots (booking/rate.py).
        # Above this many rows the expired ones are removed first; the rate slots expire within minutes.
        "OPTIONS": {"MAX_ENTRIES": env_int("THROTTLE_CACHE_MAX_ENTRIES", 50_000)},
    },
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = CACHES[THROTTLE_CACHE] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lapak Asik <noreply@lapakasik.invalid>")

# Django's database sessions, read with one plain statement (accounts/sessions.py).
SESSION_ENGINE = "lapakasik.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Guessing protection (accounts/throttle.py) for log-ins, identity look-ups, check-in and password reset:
# failures allowed per account and address (or recognised device), and per address whatever the account,
# before a wait of LOGIN_LOCKOUT_SECONDS that doubles with each further failure up to the maximum. Failures
# are forgotten a window after the last wait ends.
LOGIN_ATTEMPTS_LIMIT = env_int("LOGIN_ATTEMPTS_LIMIT", 5)
LOGIN_SOURCE_ATTEMPTS_LIMIT = env_int("LOGIN_SOURCE_ATTEMPTS_LIMIT", 20)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 60)
LOGIN_LOCKOUT_MAX_SECONDS = env_int("LOGIN_LOCKOUT_MAX_SECONDS", 24 * 3600)
LOGIN_ATTEMPTS_WINDOW_SECONDS = env_int("LOGIN_ATTEMPTS_WINDOW_SECONDS", 3600)

# The opening moment of a day's quota (booking/rate.py): booking attempts (portal "Pesan", POST
# /api/booking/bookings, lottery requests included) allowed per account and per source address in each
# fixed one-minute window; more are answered 429 with the seconds left in the window. 0 switches a limit off.
BOOKING_REQUESTS_PER_MINUTE = env_int("BOOKING_REQUESTS_PER_MINUTE", 10)
BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS = env_int("BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS", 120)
if min(BOOKING_REQUESTS_PER_MINUTE, BOOKING_REQUESTS_PER_MINUTE_PER_ADDRESS) < 0:
    raise ImproperlyConfigured("BOOKING_REQUESTS_PER_MINUTE(_PER_ADDRESS) must be 0 (off) or more")

# Staff's second factor (accounts/otp.py): TOTP apps show this name beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Lapak Asik")

# Maker-checker: a claim above this gross amount (whole rupiah) needs a supervisor's approval.
CLAIM_SUPERVISOR_THRESHOLD = env_int("CLAIM_SUPERVISOR_THRESHOLD", 50_000_000)

# The withholder's NPWP printed on every withholding slip (BPJS Ketenagakerjaan as tax withholder). The
# default is the demo's placeholder of zeros: a deployment sets its own (docs/operations.md).
WITHHOLDER_NPWP = env_str("WITHHOLDER_NPWP", "00.000.000.0-000.000")

# Claim documents: size per file, pixels per image (decompression bombs).
CLAIM_UPLOAD_MAX_BYTES = env_int("CLAIM_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
CLAIM_UPLOAD_MAX_PIXELS = env_int("CLAIM_UPLOAD_MAX_PIXELS", 40_000_000)

# How alike two names must be (0–100, lib/names.name_similarity: rapidfuzz after spelling
# normalization), per purpose: identifying a person, a bank account's holder (every channel), a
# worker's name on a collective list against the registry.
NAME_IDENTITY_MIN_SCORE = env_score("NAME_IDENTITY_MIN_SCORE", 100)
PAYOUT_NAME_MIN_SCORE = env_score("PAYOUT_NAME_MIN_SCORE", 85)
COLLECTIVE_NAME_MIN_SCORE = env_score("COLLECTIVE_NAME_MIN_SCORE", 85)

# Every upload is counted while it streams in (lapakasik.security.uploads) and skipped past its view's
# limit before anything is stored; UPLOAD_MAX_BYTES is the limit of a view that declares none. A
# collective list's ZIP of scans may be large (a few hundred KB per worker, up to 10,000 workers).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", CLAIM_UPLOAD_MAX_BYTES)
COLLECTIVE_DOCUMENTS_MAX_BYTES = env_int("COLLECTIVE_DOCUMENTS_MAX_BYTES", 2 * 1024**3)
# A list's documents are checked in a pool of processes (one per core, 0 = as many as cores) once it holds
# at least COLLECTIVE_POOL_MIN_FILES files; a smaller list is checked in-process, where starting the
# pool would cost more than it saves (collective/documents.py).
COLLECTIVE_POOL_WORKERS = env_int("COLLECTIVE_POOL_WORKERS", 0)
COLLECTIVE_POOL_MIN_FILES = env_int("COLLECTIVE_POOL_MIN_FILES", 200)
FILE_UPLOAD_HANDLERS = [
    "lapakasik.security.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Payments added to a batch after this local time (branch time zone) go to the next working day.
PAYMENT_CUTOFF = env_str("PAYMENT_CUTOFF", "14:00")

# Video verification: the system only renders this link (never calls the provider); {room} is unguessable.
VIDEO_ROOM_URL_TEMPLATE = os.environ.get("VIDEO_ROOM_URL_TEMPLATE", "https://meet.jit.si/lapakasik-{room}")
VIDEO_LINK_LEAD_MINUTES = env_int("VIDEO_LINK_LEAD_MINUTES", 10)  # participant sees the link from then
# Virtual calling: a checked-in person is e-mailed once when the estimated wait falls to this many minutes.
BOOKING_TURN_NEAR_MINUTES = env_int("BOOKING_TURN_NEAR_MINUTES", 15)
# Service levels (claims/sla.py): a claim is "at risk" once this percentage of its working days is used.
SLA_AT_RISK_PERCENT = env_int("SLA_AT_RISK_PERCENT", 60)

# Notifications (docs/notifications.md): one outbox, one backend per channel.
_NOTIFY_BACKEND_NAMES = {
    "email": "lapakasik.notify.backends.EmailBackend",
    "file": "lapakasik.notify.backends.FileBackend",
    "http": "lapakasik.notify.backends.HttpGatewayBackend",
}


def env_backend(name: str, default: str) -> str:
    """A backend by short name (email, file, http) or dotted path."""
    value = os.environ.get(name, default)
    return _NOTIFY_BACKEND_NAMES.get(value, value)


def env_json_object(name: str, default: str) -> dict:
    try:
        value = json.loads(os.environ.get(name, default))
    except ValueError:
        raise ImproperlyConfigured(
            f'{name} must be a JSON object, e.g. {{"claims.status": "claim_status_v1"}}'
        )
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {type(value).__name__}")
    return value


NOTIFY_BACKENDS = {
    "email": env_backend("NOTIFY_EMAIL_BACKEND", "email"),
    "sms": env_backend("NOTIFY_SMS_BACKEND", "file"),
    "whatsapp": env_backend("NOTIFY_WHATSAPP_BACKEND", "file"),
}
NOTIFY_FILE_DIR = Path(os.environ.get("NOTIFY_FILE_DIR", VAR_DIR / "notify"))
NOTIFY_GATEWAY_URL = env_str("NOTIFY_GATEWAY_URL", "")
NOTIFY_GATEWAY_TOKEN = env_str("NOTIFY_GATEWAY_TOKEN", "")
NOTIFY_GATEWAY_TEMPLATES = env_json_object("NOTIFY_GATEWAY_TEMPLATES", "{}")
NOTIFY_GATEWAY_TIMEOUT = env_int("NOTIFY_GATEWAY_TIMEOUT", 10)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60)
NOTIFY_RETRY_MAX_SECONDS = env_int("NOTIFY_RETRY_MAX_SECONDS", 6 * 3600)
# Send each message right after its change commits (as e-mail always was); the worker's send-pending
# retries what failed. Off: only the worker sends (web requests never wait on a gateway).
NOTIFY_SEND_ON_COMMIT = env_bool("NOTIFY_SEND_ON_COMMIT", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF, and fontTools each table it subsets, at INFO.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
