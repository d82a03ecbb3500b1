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
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

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
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"KRING_DATABASE_URL: {exc}") from None
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

TASKS = {
    "default": {
        "BACKEND": env_str("KRING_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("KRING_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("KRING_HSTS_SECONDS", 3600, minimum=0)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KRING_LOG_LEVEL", "WARNING")},
}
