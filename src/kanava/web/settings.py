"""Django settings of the Kanava workbench; everything a deployment changes comes from
environment variables (see :mod:`kanava.web.config` and docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from kanava.web.config import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("KANAVA_DEBUG")
ALLOWED_HOSTS = env_list("KANAVA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("KANAVA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "kanava.web",  # first, so its templates (registration/…) win over Django's own
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "ninja",
    "kanava.accounts",
    "kanava.planstore",
    "kanava.publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kanava.web.middleware.OrganizationTimezoneMiddleware",
]

ROOT_URLCONF = "kanava.web.urls"
WSGI_APPLICATION = "kanava.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kanava.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kanava.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
#: A plan may be 2,000,000 characters; written as JSON with \u escapes it is up to ~12 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_ATTEMPTS = env_int("KANAVA_LOGIN_ATTEMPTS", 10)
#: Reverse proxies in front of Kanava: the client's address is then taken from
#: X-Forwarded-For (the entry the nearest trusted proxy added), not REMOTE_ADDR.
PROXY_COUNT = env_int("KANAVA_PROXY_COUNT", 0)
# Longer than any network call can take (connectors time out after 20 s), so a claim
# this old belongs to a worker that stopped.
OUTBOX_STALE_SECONDS = env_int("KANAVA_OUTBOX_STALE_SECONDS", 120)
# Network addresses on this machine (http://127.0.0.1:…) may be connected: for trying
# Kanava against local stand-ins of the networks. Never on a server others use.
ALLOW_LOOPBACK_ADDRESSES = env_bool("KANAVA_ALLOW_LOOPBACK_ADDRESSES", DEBUG)
# Tests point a network's API at a local stand-in here; empty in use.
NETWORK_API_URLS: dict[str, str] = {}
# The OAuth apps an organization's accounts are connected through (docs/connectors.md).
NETWORK_APPS = {
    "x": (env_str("KANAVA_X_CLIENT_ID"), env_str("KANAVA_X_CLIENT_SECRET")),
    "linkedin": (env_str("KANAVA_LINKEDIN_CLIENT_ID"), env_str("KANAVA_LINKEDIN_CLIENT_SECRET")),
    "facebook": (env_str("KANAVA_FACEBOOK_APP_ID"), env_str("KANAVA_FACEBOOK_APP_SECRET")),
}

# Languages: the whole interface exists in these four.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fi", "suomi"), ("nb", "norsk bokmål"), ("sv", "svenska")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kanava.web.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
#: Uploaded images: served to members only, by a view (there is no public MEDIA_URL).
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security: cookies, headers and the content security policy.
SECURE = env_bool("KANAVA_SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = env_str("KANAVA_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("KANAVA_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("KANAVA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("KANAVA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KANAVA_EMAIL_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("KANAVA_FROM_EMAIL", "kanava@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
