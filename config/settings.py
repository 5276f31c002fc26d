"""Terpadu settings: every value comes from the environment (see README, "Konfigurasi").

Production needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL.
Development (DJANGO_DEBUG=1) has defaults for all of them; the ``terpadu`` launcher starts an
embedded PostgreSQL and Redis and sets DATABASE_URL / REDIS_URL when nothing is configured.
"""

import re
import sys
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import (
    EnvError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

try:
    DEBUG = env_bool("DJANGO_DEBUG", False)
    # DJANGO_DEBUG as configured; the test runner turns DEBUG off but leaves this alone.
    DEVELOPMENT_MODE = DEBUG
    if DEBUG:
        SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-terpadu-do-not-deploy")
        ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
        _database_url = env_str("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/terpadu")
        _redis_url = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
    else:
        SECRET_KEY = env_str("DJANGO_SECRET_KEY")
        if len(SECRET_KEY) < 50:
            raise EnvError("DJANGO_SECRET_KEY", "minimal 50 karakter (at least 50 characters)")
        ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
        if not ALLOWED_HOSTS:
            raise EnvError("DJANGO_ALLOWED_HOSTS", "wajib diisi (required)")
        _database_url = env_str("DATABASE_URL")
        _redis_url = env_str("REDIS_URL")
    DATABASES = {"default": database_from_url("DATABASE_URL", _database_url)}
    REDIS_URL = redis_url("REDIS_URL", _redis_url)
    # One Redis database each for the job queue, task results and the cache, so that flushing
    # or evicting the cache never drops a queued import (docker-compose.yml uses 0, 1, 2).
    CELERY_BROKER_URL = redis_url("CELERY_BROKER_URL", env_str("CELERY_BROKER_URL", REDIS_URL))
    CELERY_RESULT_BACKEND = redis_url(
        "CELERY_RESULT_BACKEND", env_str("CELERY_RESULT_BACKEND", REDIS_URL)
    )
    CACHE_URL = redis_url("CACHE_URL", env_str("CACHE_URL", REDIS_URL))
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
    DATA_DIR = Path(env_str("TERPADU_DATA_DIR", str(BASE_DIR / "var")))
    IMPORT_MAX_UPLOAD_MB = env_int("TERPADU_IMPORT_MAX_MB", 400)
    # A validated import nobody confirms is cancelled (and its file removed) after this long.
    IMPORT_ABANDON_HOURS = env_int("TERPADU_IMPORT_ABANDON_HOURS", 24)
    # A running import whose worker stopped sending heartbeats this long ago is marked failed.
    IMPORT_STALE_MINUTES = env_int("TERPADU_IMPORT_STALE_MINUTES", 5)
    EVIDENCE_MAX_UPLOAD_MB = env_int("TERPADU_EVIDENCE_MAX_MB", 10)
    # An export of the registry list runs inside the request (≈ 4,000 member rows/s for xlsx,
    # 11,000 for CSV on 2 cores): above this many rows the user is asked to narrow the filter.
    EXPORT_MAX_ROWS = env_int("TERPADU_EXPORT_MAX_ROWS", 50000)
    # Seconds the synergy pages keep their whole-area headline figures (0 = always live).
    SYNERGY_CACHE_SECONDS = env_int("TERPADU_SYNERGY_CACHE_SECONDS", 600, minimum=0)
    # Seconds the home dashboard keeps each panel's figures per area (0 = always live).
    DASHBOARD_CACHE_SECONDS = env_int("TERPADU_DASHBOARD_CACHE_SECONDS", 300, minimum=0)
    # Days a generated report stays listed and downloadable.
    REPORT_KEEP_DAYS = env_int("TERPADU_REPORT_KEEP_DAYS", 30, minimum=1)
    # Seconds the referral overview keeps its whole-area counts (0 = always live).
    REFERRAL_OVERVIEW_CACHE_SECONDS = env_int(
        "TERPADU_REFERRAL_OVERVIEW_CACHE_SECONDS", 120, minimum=0
    )
    # The kabupaten/kota whose residents the public complaint form serves (its desa picker).
    COMPLAINTS_DISTRICT_CODE = env_str("TERPADU_DISTRICT_CODE", "35.07")
    if not re.fullmatch(r"\d{2}\.\d{2}", COMPLAINTS_DISTRICT_CODE):
        raise EnvError("TERPADU_DISTRICT_CODE", "kode kabupaten/kota seperti 35.07")
    # Public complaint form and status page: requests per address (django-ratelimit rates,
    # "count/period" with period s, m, h or d); beyond them the visitor gets a 429 page.
    COMPLAINTS_SUBMIT_RATE = env_str("TERPADU_COMPLAINT_SUBMIT_RATE", "5/h")
    COMPLAINTS_STATUS_RATE = env_str("TERPADU_COMPLAINT_STATUS_RATE", "30/h")
    for _name, _rate in (
        ("TERPADU_COMPLAINT_SUBMIT_RATE", COMPLAINTS_SUBMIT_RATE),
        ("TERPADU_COMPLAINT_STATUS_RATE", COMPLAINTS_STATUS_RATE),
    ):
        if not re.fullmatch(r"\d+/\d*[smhd]", _rate):
            raise EnvError(_name, "jumlah/periode seperti 5/h (count/period like 5/h)")
    del _name, _rate
    COMPLAINTS_MAX_UPLOAD_MB = env_int("TERPADU_COMPLAINT_MAX_MB", 5)
    # Seconds the complaint pattern figures are kept per area and filter (0 = always live).
    COMPLAINTS_PATTERNS_CACHE_SECONDS = env_int(
        "TERPADU_COMPLAINT_PATTERNS_CACHE_SECONDS", 600, minimum=0
    )
    AXES_FAILURE_LIMIT = env_int("TERPADU_LOGIN_FAILURE_LIMIT", 5)
    # Wrong passwords for one username from any address before it is locked (config/login_lock.py).
    LOGIN_USERNAME_FAILURE_LIMIT = env_int("TERPADU_LOGIN_USERNAME_FAILURE_LIMIT", 20)
    # A signed-in user who makes no request this long is logged out (config/middleware.py).
    SESSION_IDLE_MINUTES = env_int("TERPADU_SESSION_IDLE_MINUTES", 30)
    # Days the access log keeps a line (core/access.py; UU 27/2022 accountability: 2 years).
    ACCESS_LOG_DAYS = env_int("TERPADU_ACCESS_LOG_DAYS", 730, minimum=1)
    # Lookups of one NIK/No KK per staff member (registry search, Puskesos intake, complaint
    # triage), django-ratelimit "count/period"; beyond it the lookup is refused for a while.
    IDENTITY_LOOKUP_RATE = env_str("TERPADU_IDENTITY_LOOKUP_RATE", "300/h")
    if not re.fullmatch(r"\d+/\d*[smhd]", IDENTITY_LOOKUP_RATE):
        raise EnvError("TERPADU_IDENTITY_LOOKUP_RATE", "jumlah/periode seperti 300/h")
    # Reverse proxies in front of gunicorn that append to X-Forwarded-For (config/client_ip.py).
    TRUSTED_PROXY_COUNT = env_int("TERPADU_TRUSTED_PROXY_COUNT", 0, minimum=0)
    SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("DJANGO_HSTS_SECONDS", 31536000, minimum=0)
    # Notifications also go out by e-mail when a mail server is named (core/notifications.py).
    EMAIL_HOST = env_str("TERPADU_EMAIL_HOST", "")
    EMAIL_PORT = env_int("TERPADU_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("TERPADU_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("TERPADU_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("TERPADU_EMAIL_TLS", True)
    DEFAULT_FROM_EMAIL = env_str("TERPADU_EMAIL_FROM", "terpadu@localhost")
    # The address staff open Terpadu at, for links in e-mails.
    TERPADU_BASE_URL = env_str("TERPADU_BASE_URL", "http://localhost:8000")
except EnvError as error:
    sys.exit(f"Terpadu tidak bisa mulai / cannot start: variabel lingkungan {error}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "import_export",
    "axes",
    "core",
    "accounts",
    "households",
    "programs",
    "referrals",
    "complaints",
    "graduation",
    "information",
]

MIDDLEWARE = [
    # First: answers /health/ before the host check and the HTTPS redirect (config/healthcheck.py).
    "config.healthcheck.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: pages get the headers, static files do not need them.
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.middleware.NoStoreMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages (it says why it logged the user out); LoginRequiredMiddleware, whose
    # check runs later (process_view), then sends the logged-out user to the login page.
    "config.middleware.IdleSessionMiddleware",
    # Posted search forms become ?s=<token>: no NIK or name in a URL or an access log.
    "core.search.SearchTermsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The second lock rule: per username across addresses, higher limit (config/login_lock.py).
    "config.login_lock.UsernameLockBackend",
    "django.contrib.auth.backends.ModelBackend",
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

# Login throttling: lock a username+IP pair after repeated failures for one hour (and a username
# from any address after LOGIN_USERNAME_FAILURE_LIMIT failures, config/login_lock.py).
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# django-filter: the empty choice of every choice filter, as the registry filters word it.
FILTERS_EMPTY_CHOICE_LABEL = _("— semua —")
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
}

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "households-cleanup-imports": {
        "task": "households.tasks.cleanup_imports",
        "schedule": 15 * 60,
    },
    # Early morning, before the office opens: overdue complaints go up a level, then each
    # officer gets one message listing their overdue complaints.
    "complaints-escalate-overdue": {
        "task": "complaints.escalate_overdue",
        "schedule": crontab(hour=5, minute=0),
    },
    "complaints-daily-digest": {
        "task": "complaints.daily_digest",
        "schedule": crontab(hour=6, minute=0),
    },
    # Nightly, when nobody imports: same NIK in two households, similar name + birth date.
    "households-scan-duplicates": {
        "task": "households.scan_duplicates",
        "schedule": crontab(hour=1, minute=30),
    },
    # Nightly: natural-graduation candidates, and a note to each facilitator who has some.
    "graduation-refresh-candidates": {
        "task": "graduation.refresh_candidates",
        "schedule": crontab(hour=2, minute=30),
    },
    # Each morning before office hours: referrals past their due date, and who to tell.
    "referrals-mark-overdue": {
        "task": "referrals.mark_overdue",
        "schedule": crontab(hour=6, minute=0),
    },
    # The 1st of each month, early: last month's recaps for the district and each kecamatan.
    "information-monthly-recap": {
        "task": "information.monthly_recap",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
    # More often than the dashboard keeps its figures (300 s): people find them ready.
    "information-warm-dashboard": {
        "task": "information.warm_dashboard",
        "schedule": 240,
    },
    "core-prune-access-log": {
        "task": "core.prune_access_log",
        "schedule": crontab(hour=3, minute=30),
    },
    "information-prune-reports": {
        "task": "information.prune_reports",
        "schedule": crontab(hour=3, minute=15),
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Only Terpadu's own files: no inline script or style, no eval, no other origin (templates use
# static/js/terpadu.js data-attribute behaviours, tests/foundation/test_templates_inline.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A NIK or No KK (16 digits) never reaches a log line: masked to its last 4 digits in every
    # handler, runserver's request log included (config/redaction.py).
    "filters": {"redact_ids": {"()": "config.redaction.RedactIdentityNumbers"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_ids"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_ids"],
        },
    },
    "loggers": {
        # Replaces Django's own runserver handler, which has no filter.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Django's default "django" logger writes to its own console handler (DEBUG only) and
        # mails admins; both replaced by the filtered console.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "INFO" if not DEBUG else "WARNING"},
}
