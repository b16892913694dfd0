"""Project wiring: every setting comes from the environment (12-factor).

The embedded default (no variables set) runs on SQLite in WAL mode under ``BIRLIK_DATA_DIR``
with the job queue in the database. ``BIRLIK_ENV=production`` switches on the secure defaults and
makes ``SECRET_KEY`` and ``ALLOWED_HOSTS`` mandatory.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BIRLIK_ENV = os.environ.get("BIRLIK_ENV", "embedded").strip().lower()
if BIRLIK_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured("BIRLIK_ENV must be 'embedded' or 'production'.")
PRODUCTION = BIRLIK_ENV == "production"

DATA_DIR = Path(os.environ.get("BIRLIK_DATA_DIR", "var")).resolve()


def _kept_secret(name: str) -> str:
    """A secret from the environment, or (embedded default only) one generated once and kept."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when BIRLIK_ENV=production.")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / name.lower()
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _kept_secret("SECRET_KEY")
# Keyed digest of personal identifiers (IIN) so they can be matched but never read back.
PERSONAL_DATA_KEY = _kept_secret("PERSONAL_DATA_KEY")

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when BIRLIK_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies whose X-Forwarded-For names the client (also passed to gunicorn).
# Empty by default: X-Forwarded-For is then ignored, so no client can choose its address.
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "")

INSTALLED_APPS = [
    "modeltranslation",
    "birlik.core",
    "birlik.access",
    "birlik.access.adminsite.BirlikAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "birlik.geo",
    "birlik.registry",
    "birlik.notify",
    "birlik.events",
    "birlik.appeals",
    "birlik.mediation",
    "birlik.charity",
    "birlik.surveys",
    "birlik.learning",
    "birlik.ideas",
    "birlik.youth",
    "birlik.volunteers",
    "birlik.diplomacy",
    "birlik.deputies",
    "birlik.monitoring",
    "birlik.reports",
    "birlik.reports.documents",
    "birlik.imports",
    "birlik.api",
    "birlik.portal",
    "birlik.workspace",
    "birlik.demo",
]

MIDDLEWARE = [
    "birlik.core.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "birlik.core.middleware.StaticFilesMiddleware",  # WhiteNoise
    "birlik.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "birlik.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "birlik.access.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "birlik.core.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "birlik.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "birlik.urls"
WSGI_APPLICATION = "birlik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "birlik.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    # Connections are kept a minute and checked before a request reuses one: after the
    # database restarts, a dead connection is replaced instead of failing the next request.
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "birlik.sqlite3"),
            # Reusing the connection saves its set-up (and the PRAGMAs) on every request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL lets the web server read while the worker writes; IMMEDIATE avoids
            # "database is locked" upgrades in the middle of a write transaction.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
                " PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs -------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    # While Redis does not answer, the cache answers as an empty one (birlik.core.cache):
    # nothing in it is the only copy, so no request fails for it. Short time-outs keep a
    # Redis that hangs from holding requests.
    CACHES = {
        "default": {
            "BACKEND": "birlik.core.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "birlik",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # A table every web process and the worker share (created with the migrations): figures,
    # their version and the daily-jobs flag agree whichever process answers. Never per-process
    # memory, which lets two processes of `birlik demo` show different figures.
    CACHES = {
        "default": {
            "BACKEND": "birlik.core.cache.SharedTableCache",
            "LOCATION": "birlik_cache",
            "KEY_PREFIX": "birlik",
            "OPTIONS": {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4},
        }
    }

TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "rq" if REDIS_URL else "database").strip()
if TASKS_BACKEND not in {"database", "rq", "immediate"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database', 'rq' or 'immediate'.")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    # A job enqueued while Redis does not answer is kept in the database and moved to Redis
    # by the worker when it answers again (birlik.core.tasks), never lost nor a failed request.
    TASKS = {"default": {"BACKEND": "birlik.core.tasks.FallbackRQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Sessions live in the database, never only in the cache: a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts ------------------------------------------------------------------------------
AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = "Birlik"
# Managing, auditing and confidential roles sign in with a second factor (`birlik demo`: off).
BIRLIK_REQUIRE_2FA = env_bool("BIRLIK_REQUIRE_2FA", True)

# --- Languages and time --------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["birlik.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
MODELTRANSLATION_DEFAULT_LANGUAGE = "kk"
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("kk", "ru", "en"),
    "ru": ("ru", "kk", "en"),
    "en": ("en", "ru", "kk"),
}
LANGUAGE_COOKIE_NAME = "birlik_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and uploads --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(DATA_DIR / "media")))
if not PRODUCTION:
    # whitenoise warns at every start while `collectstatic` has not yet filled it.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Import files: the limit users are told about, checked before a spreadsheet is parsed.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy of every HTML page (and SVG): scripts and styles only from our own
# static files, no inline script, no plug-ins, no framing. Pages that need another policy are
# listed in CONTENT_SECURITY_POLICY_PATHS (path prefix -> policy).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
CONTENT_SECURITY_POLICY_PATHS: dict[str, dict[str, str]] = {}
# A signed-in session unused for this many seconds is signed out (0: never).
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", "1800"))
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- Notifications -----------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Birlik <noreply@birlik.local>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    # Embedded default: each e-mail is written to a file, so a demo shows what was sent.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "birlik.notify.channels.FileSmsGateway")
# SMS and Telegram: "file" (a log in the data directory, the default), "http" / "bot" (the real
# provider below) or a dotted path to a gateway class.
TELEGRAM_GATEWAY = os.environ.get("TELEGRAM_GATEWAY", "birlik.notify.channels.FileTelegramGateway")
SMS_HTTP_URL = os.environ.get("SMS_HTTP_URL", "").strip()
SMS_HTTP_TOKEN = os.environ.get("SMS_HTTP_TOKEN", "").strip()
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
TELEGRAM_API_URL = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").strip()
# A worker claims a notice for this long before it calls the channel; a worker that died
# mid-send leaves its claim to run out, then the notice is sent again. Keep it above every
# channel's time-out (e-mail 20 s, HTTP 10 s), or a slow send may be taken over and repeated.
NOTIFY_CLAIM_SECONDS = int(os.environ.get("NOTIFY_CLAIM_SECONDS", "120"))

# --- Events --------------------------------------------------------------------------------
# An event report is late when it comes more than this many days after the event ended.
EVENT_REPORT_DAYS = int(os.environ.get("EVENT_REPORT_DAYS", "5"))
# Check-in at the door opens this many minutes before the event starts.
EVENT_CHECK_IN_OPENS_MINUTES = int(os.environ.get("EVENT_CHECK_IN_OPENS_MINUTES", "120"))
# Volunteers are checked in from this many minutes before their call's start.
VOLUNTEERS_CHECK_IN_OPENS_MINUTES = int(os.environ.get("VOLUNTEERS_CHECK_IN_OPENS_MINUTES", "120"))
# The Platform of creative solutions: on the open platform (ideas outside a call), the supports
# an idea needs for an official answer and the working days that answer is due in (a call sets
# its own).
IDEAS_OPEN_THRESHOLD = int(os.environ.get("IDEAS_OPEN_THRESHOLD", "100"))
IDEAS_ANSWER_WORKING_DAYS = int(os.environ.get("IDEAS_ANSWER_WORKING_DAYS", "15"))
# One-time codes sent to a participant's phone or e-mail: minutes valid, wrong tries allowed.
CONTACT_CODE_MINUTES = int(os.environ.get("CONTACT_CODE_MINUTES", "15"))
CONTACT_CODE_ATTEMPTS = int(os.environ.get("CONTACT_CODE_ATTEMPTS", "5"))
EVENT_ATTACHMENT_MAX_BYTES = int(os.environ.get("EVENT_ATTACHMENT_MAX_BYTES", str(8 * 1024 * 1024)))

# --- Early warning (media monitoring) -------------------------------------------------------
# Hours a routed alert has to be acknowledged before it escalates to the national level.
MONITORING_ACK_HOURS = float(os.environ.get("MONITORING_ACK_HOURS", "2"))
# Days collected items are kept when a source sets none (items of an alert or labelled stay).
MONITORING_RETENTION_DAYS = int(os.environ.get("MONITORING_RETENTION_DAYS", "365"))
# Politeness: seconds between two requests to one host; timeouts; the largest page read.
MONITORING_HOST_INTERVAL_SECONDS = float(os.environ.get("MONITORING_HOST_INTERVAL_SECONDS", "2"))
MONITORING_CONNECT_TIMEOUT = float(os.environ.get("MONITORING_CONNECT_TIMEOUT", "5"))
MONITORING_READ_TIMEOUT = float(os.environ.get("MONITORING_READ_TIMEOUT", "15"))
MONITORING_MAX_BYTES = int(os.environ.get("MONITORING_MAX_BYTES", str(5 * 1024 * 1024)))
# Sources never read private, loopback or link-local addresses unless this is on (tests).
MONITORING_ALLOW_PRIVATE_HOSTS = env_bool("MONITORING_ALLOW_PRIVATE_HOSTS")
# Sources fetched per minute's tick, and items read per processing batch.
MONITORING_FETCHES_PER_TICK = int(os.environ.get("MONITORING_FETCHES_PER_TICK", "50"))
MONITORING_BATCH_SIZE = int(os.environ.get("MONITORING_BATCH_SIZE", "500"))
# Weights of media, appeals and mediation in the regional tension index.
try:
    MONITORING_TENSION_WEIGHTS = tuple(
        float(part) for part in env_list("MONITORING_TENSION_WEIGHTS", "0.5,0.3,0.2")
    )
except ValueError:
    MONITORING_TENSION_WEIGHTS = ()
if len(MONITORING_TENSION_WEIGHTS) != 3 or min(MONITORING_TENSION_WEIGHTS) < 0:
    raise ImproperlyConfigured(
        "MONITORING_TENSION_WEIGHTS must be three numbers of 0 or more, e.g. 0.5,0.3,0.2."
    )

# --- Figures on dashboards may lag writes by this many seconds (0 = always fresh).
BIRLIK_FIGURES_MAX_STALE = float(os.environ.get("BIRLIK_FIGURES_MAX_STALE", "30"))
# --- Generated annual reports and open data releases (never served directly).
BIRLIK_DOCUMENTS_DIR = os.environ.get("BIRLIK_DOCUMENTS_DIR", "")

# --- REST API: calls allowed per client address without a token, and per token ("N/s|min|h|day").
API_RATE_ANON = os.environ.get("API_RATE_ANON", "120/min")
API_RATE_TOKEN = os.environ.get("API_RATE_TOKEN", "600/min")

# --- Rate limits of the public forms and the sign-in, per client address ("N/[k]s|min|h|day");
# counted in a store all web processes share (birlik.core.ratelimit).
RATE_SIGN_IN_FAILURES = os.environ.get("RATE_SIGN_IN_FAILURES", "5/15min")
RATE_APPEALS = os.environ.get("RATE_APPEALS", "10/h")
# "Find my appeal" (the private link sent again): per client address, and per appeal number
# whoever asks, so that neither one client nor many can try contacts against one number.
RATE_APPEAL_FIND = os.environ.get("RATE_APPEAL_FIND", "10/h")
RATE_APPEAL_FIND_NUMBER = os.environ.get("RATE_APPEAL_FIND_NUMBER", "5/h")
RATE_EVENT_REGISTRATIONS = os.environ.get("RATE_EVENT_REGISTRATIONS", "20/h")
RATE_MEDIATION_REQUESTS = os.environ.get("RATE_MEDIATION_REQUESTS", "10/h")
RATE_CHARITY_REQUESTS = os.environ.get("RATE_CHARITY_REQUESTS", "10/h")
RATE_CHARITY_PLEDGES = os.environ.get("RATE_CHARITY_PLEDGES", "20/h")
RATE_SURVEY_RESPONSES = os.environ.get("RATE_SURVEY_RESPONSES", "10/h")
# One-time codes to a participant's phone or e-mail (joining, "send a new code", a forgotten
# password): per client address, and per phone or e-mail whoever asks.
RATE_CONTACT_CODES = os.environ.get("RATE_CONTACT_CODES", "5/h")
# Ideas submitted per account (not per address: the submitter is signed in and verified).
RATE_IDEAS = os.environ.get("RATE_IDEAS", "5/d")
# Similar ideas suggested while typing, per client address (one request per pause in typing).
RATE_IDEAS_SIMILAR = os.environ.get("RATE_IDEAS_SIMILAR", "120/min")
# Comments on ideas, per account (not per address: one school's network shares an address).
RATE_IDEA_COMMENTS = os.environ.get("RATE_IDEA_COMMENTS", "20/d")
# Applications to youth projects per client address.
RATE_YOUTH_APPLICATIONS = os.environ.get("RATE_YOUTH_APPLICATIONS", "10/h")
# International partners' requests through the public form, per client address (valid ones).
RATE_DIPLOMACY_REQUESTS = os.environ.get("RATE_DIPLOMACY_REQUESTS", "5/h")
# Certificate codes typed on the public check page (and unknown codes asked for), per client
# address: a certificate's own QR link is never refused.
RATE_CERTIFICATE_CHECKS = os.environ.get("RATE_CERTIFICATE_CHECKS", "30/h")
# IIN look-ups per staff user and hour (imports, registering a person, changing an IIN): a
# birth date leaves ~10,000 candidate IINs, so matching must not work as a search.
IIN_MATCHES_PER_HOUR = int(os.environ.get("IIN_MATCHES_PER_HOUR", "20"))
IIN_LOOKUPS_PER_HOUR = int(os.environ.get("IIN_LOOKUPS_PER_HOUR", "2000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_NAME = _("Birlik")


def _local_site_url() -> str:
    """The embedded default's address: where `birlik demo` / `serve` listen (HOST, PORT)."""
    host = os.environ.get("HOST", "").strip() or "127.0.0.1"
    port = os.environ.get("PORT", "").strip() or "8000"
    if not port.isdigit():
        port = "8000"  # `birlik demo` refuses such a PORT with its own message
    if host in {"127.0.0.1", "0.0.0.0", "::", "[::]", "::1", "[::1]"}:  # noqa: S104
        host = "localhost"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


# The public address, used in links sent by SMS and e-mail (tickets, receipts, private links).
# Required in production (a system check says so); derived from HOST/PORT otherwise.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL and not PRODUCTION:
    SITE_URL = _local_site_url()
BIRLIK_PAGE_SIZE = 25


# Surveys (stats): the default sex × age margins a new margin set starts from — shares of the
# adult population (18+) by sex and age group, keyed "female:18-29" … "male:60+". The default
# is illustrative, close to the Bureau of National Statistics' adult structure; set
# SURVEY_SEX_AGE_SHARES (JSON, the eight keys, shares summing to 1) to the release in use.
def _sex_age_shares(raw: str) -> dict[str, float]:
    import json

    keys = [
        f"{sex}:{age}" for sex in ("female", "male") for age in ("18-29", "30-44", "45-59", "60+")
    ]
    try:
        shares = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"SURVEY_SEX_AGE_SHARES is not valid JSON: {error}") from None
    if not isinstance(shares, dict) or sorted(shares) != sorted(keys):
        raise ImproperlyConfigured(
            "SURVEY_SEX_AGE_SHARES must be a JSON object with exactly the keys " + ", ".join(keys)
        )
    if not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in shares.values()
    ):
        raise ImproperlyConfigured("SURVEY_SEX_AGE_SHARES: every share must be a number ≥ 0.")
    if abs(sum(shares.values()) - 1) > 0.001:
        raise ImproperlyConfigured(
            f"SURVEY_SEX_AGE_SHARES: the shares sum to {sum(shares.values()):.4f}, not 1."
        )
    return {key: float(shares[key]) for key in keys}


SURVEY_SEX_AGE_SHARES = _sex_age_shares(
    os.environ.get(
        "SURVEY_SEX_AGE_SHARES",
        '{"female:18-29": 0.122, "female:30-44": 0.160, "female:45-59": 0.122, '
        '"female:60+": 0.120, "male:18-29": 0.126, "male:30-44": 0.158, "male:45-59": 0.110, '
        '"male:60+": 0.082}',
    )
)
