"""Settings, read from the environment only. `.env.example` lists every variable.

With nothing set, the portal runs on an SQLite file in the project with tasks executed in-process,
so that `make run` needs nothing but Python. Production sets DATABASE_URL (PostgreSQL) and
CELERY_BROKER_URL (Redis) and turns DEBUG off, which turns every secure default on.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project's apps first: their templates win over those of the same name elsewhere — registration/
    # (password change and reset pages, the reset e-mail and its subject) is also shipped by
    # django.contrib.admin and django.contrib.auth (tests/portal/test_account_pages.py).
    "portal",
    "accounts",
    "estimator",
    "governance",
    "courses",
    "usage",
    "reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: forwarded headers count only from TRUSTED_PROXIES (below), before anything reads them.
    "accounts.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A bodiless 405 (require_POST) gets a page in the site's layout, or the API's error body.
    "portal.method_not_allowed.MethodNotAllowedPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.sign_in",
                "governance.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"

# Single sign-on (OpenID Connect) and local passwords: see README, "Enterprise sign-in".
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
# Off: no password sign-in anywhere (sign-in page, admin, API token endpoint), no password pages.
LOCAL_PASSWORDS_ENABLED = env_bool("LOCAL_PASSWORDS_ENABLED", default=True)
if not (OIDC_ENABLED or LOCAL_PASSWORDS_ENABLED):
    raise ImproperlyConfigured("LOCAL_PASSWORDS_ENABLED=0 needs OIDC_ENABLED=1: nobody could sign in.")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if LOCAL_PASSWORDS_ENABLED else []),
    *(["accounts.oidc.PortalOIDCBackend"] if OIDC_ENABLED else []),
]
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT")  # end_session_endpoint; empty: local only
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM")  # empty: roles are left to administrators
OIDC_DEPARTMENT_CLAIM = env_str("OIDC_DEPARTMENT_CLAIM")  # empty: departments are left to administrators
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the sign-out at the provider
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many minutes without a request (activity slides the expiry, see
# accounts.middleware.SessionIdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT_MINUTES = int(env_str("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60

# API tokens expire after this many days (rotate one with POST /api/v1/auth/token/rotate/).
API_TOKEN_TTL_DAYS = int(env_str("API_TOKEN_TTL_DAYS", "30"))

# The reverse proxies in front of the portal (addresses or networks, comma-separated). Only requests
# from them may set X-Forwarded-For/-Proto/-Host; the client address is then read from
# X-Forwarded-For. Empty: nothing is trusted and the peer address is the client's.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from error

# Sign-in throttling: AXES_FAILURE_LIMIT failures for one username from one client address lock that
# pair for AXES_COOLOFF_MINUTES (a 429, JSON on the API); other users behind the same proxy are not
# affected, nor is the same user from another address.
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Password-reset requests per hour: from one client address (then 429), for one e-mail address (then
# silently no e-mail, so that the answer does not reveal whether the account exists).
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(env_str("PASSWORD_RESET_LIMIT_PER_ADDRESS", "10"))
PASSWORD_RESET_LIMIT_PER_ACCOUNT = int(env_str("PASSWORD_RESET_LIMIT_PER_ACCOUNT", "3"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
# Dates in each language's own format (portal/formats/<lang>/formats.py): "30 Nov 2026, 18:18", "30 nov. 2026,
# 18:18". Numbers are localised where a template shows them (intcomma, the footprint filters), never
# globally (USE_THOUSAND_SEPARATOR would also group ids, years and SVG coordinates).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache: Redis when REDIS_CACHE_URL is set (shared by every process), else in-process memory.
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}
    if REDIS_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
TOKEN_CACHE_SECONDS = int(env_str("TOKEN_CACHE_SECONDS", "60"))

# E-mail: printed on the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(env_str("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Frugal AI Portal <noreply@localhost>")

# Celery: without a broker, tasks run in-process (the embedded default); with one, real workers do.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The broker, deliberately (docs/README "Reliability"): a task a killed worker had taken comes back after
# the visibility timeout, so it must be longer than the longest task may run (the hard time limit below),
# or a task still running would be delivered a second time. Imports do not wait for it: a stale import
# (no heartbeat for USAGE_IMPORT_LEASE_S) is resumed by a beat task within a few minutes.
CELERY_TASK_TIME_LIMIT = int(env_str("CELERY_TASK_TIME_LIMIT", "1800"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 600,
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
}
# Tasks go through an outbox table (portal/outbox.py): sent after commit with this broker timeout, and
# what the broker did not take is sent again by the sweep below.
OUTBOX_BROKER_TIMEOUT_S = float(env_str("OUTBOX_BROKER_TIMEOUT_S", "1"))
OUTBOX_SWEEP_SECONDS = float(env_str("OUTBOX_SWEEP_SECONDS", "30"))
CELERY_BEAT_SCHEDULE = {
    "outbox-dispatch": {
        "task": "portal.tasks.outbox_dispatch_task",
        "schedule": OUTBOX_SWEEP_SECONDS,
    },
    "session-cleanup-daily": {
        "task": "portal.tasks.session_cleanup_task",
        "schedule": crontab(hour=3, minute=17),
    },
    "use-case-decision-reminders-daily": {
        "task": "governance.tasks.usecase_remind_pending_task",
        "schedule": crontab(hour=8, minute=5),
    },
    "usage-imports-resume-stale": {
        "task": "usage.tasks.usage_imports_resume_stale_task",
        "schedule": float(env_str("USAGE_IMPORT_LEASE_S", "120")),
    },
    "usage-rollups-nightly": {
        "task": "usage.tasks.usage_rollups_nightly_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "usage-otlp-spans-prune-daily": {
        "task": "usage.tasks.otlp_spans_prune_task",
        "schedule": crontab(hour=3, minute=40),
    },
    "training-reminders-weekly": {
        "task": "courses.tasks.enrollment_remind_idle_task",
        "schedule": crontab(hour=9, minute=0, day_of_week=1),
    },
    "usage-connections-due": {
        "task": "usage.tasks.connections_sync_due_task",
        "schedule": crontab(minute="*/5"),
    },
    "targets-pace-daily": {
        "task": "reports.tasks.targets_check_pace_task",
        "schedule": crontab(hour=8, minute=20),
    },
    "management-report-monthly": {
        "task": "reports.tasks.management_report_monthly_task",
        "schedule": crontab(hour=6, minute=30, day_of_month=1),
    },
    "ai-literacy-refreshers-weekly": {
        "task": "reports.tasks.refreshers_remind_task",
        "schedule": crontab(hour=9, minute=10, day_of_week=1),
    },
    "use-case-reviews-due-daily": {
        "task": "governance.tasks.usecase_start_due_reviews_task",
        "schedule": crontab(hour=7, minute=55),
    },
}

# Governance: how long a decision may wait before deciders are reminded, and how often approved use
# cases are reviewed again.
GOVERNANCE_DECISION_SLA_WORKING_DAYS = int(env_str("GOVERNANCE_DECISION_SLA_WORKING_DAYS", "5"))
GOVERNANCE_REVIEW_MONTHS = int(env_str("GOVERNANCE_REVIEW_MONTHS", "12"))
# Uploaded usage CSV files wait here for the worker (a volume shared by web and worker in compose).
USAGE_IMPORT_DIR = Path(env_str("USAGE_IMPORT_DIR", str(BASE_DIR / "var" / "imports")))

# Usage connections: the Fernet keys that encrypt their credentials (comma-separated; the first encrypts,
# all decrypt, so keys can be rotated). Unset in development: a key derived from SECRET_KEY.
USAGE_CONNECTOR_KEYS = env_list("USAGE_CONNECTOR_KEYS")
# The OTLP receiver keeps each counted span's key this many days (so an exporter's retry counts once),
# refuses older spans (a partial success saying why) and forgets older keys nightly.
USAGE_OTLP_SPAN_RETENTION_DAYS = int(env_str("USAGE_OTLP_SPAN_RETENTION_DAYS", "35"))
USAGE_CONNECTOR_TIMEOUT_S = float(env_str("USAGE_CONNECTOR_TIMEOUT_S", "30"))
# A usage import's worker reports progress (a heartbeat) every 10,000 rows; an import whose heartbeat is
# older than the lease is taken over by the next run (beat checks every lease), at most MAX_ATTEMPTS runs.
USAGE_IMPORT_LEASE_S = float(env_str("USAGE_IMPORT_LEASE_S", "120"))
USAGE_IMPORT_MAX_ATTEMPTS = int(env_str("USAGE_IMPORT_MAX_ATTEMPTS", "3"))
USAGE_IMPORT_MAX_BYTES = int(env_str("USAGE_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")

# The largest request body read into memory: the usage API takes 10,000 records per call
# (usage.services.MAX_API_RECORDS), about 650 bytes each with every field at its longest.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request gets 401 with a WWW-Authenticate header.
        "portal.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "portal.rest.PortalAutoSchema",
    "EXCEPTION_HANDLER": "portal.rest.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Frugal AI Portal API",
    "DESCRIPTION": "Footprint estimates, use-case governance and prompting-training results.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "UseCaseStatusEnum": "governance.models.UseCase.Status",
        "UsageImportStatusEnum": "usage.models.UsageImport.Status",
    },
}

# Content Security Policy: our own files only. Swagger UI (API docs) sets inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Secure defaults whenever DEBUG is off (TLS is terminated in front of the app).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
