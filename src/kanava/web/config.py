"""Configuration from environment variables, with defaults that just work on a laptop.

Every setting a deployment may change is read here, through small typed helpers, and
documented in docs/operations.md (a test fails when one is missing there).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: Every environment variable Kanava reads, with its meaning (documented in docs/operations.md).
VARIABLES: dict[str, str] = {
    "KANAVA_DATA_DIR": "Folder for the SQLite database, the secret key and uploads.",
    "DATABASE_URL": "Database, e.g. postgres://user@host/db (default: SQLite in the data folder).",
    "KANAVA_SECRET_KEY": "Django's secret key (default: made once and kept in the data folder).",
    "KANAVA_DEBUG": "Show debug pages (never in production).",
    "KANAVA_ALLOWED_HOSTS": "Comma-separated host names the server answers to.",
    "KANAVA_CSRF_TRUSTED_ORIGINS": "Comma-separated origins (https://kanava.example.org).",
    "KANAVA_SECURE": "Serve over HTTPS only: secure cookies, HSTS and redirects.",
    "KANAVA_EMAIL_HOST": "SMTP server for invitations and password resets (default: console).",
    "KANAVA_EMAIL_PORT": "SMTP port.",
    "KANAVA_EMAIL_USER": "SMTP user name.",
    "KANAVA_EMAIL_PASSWORD": "SMTP password.",
    "KANAVA_EMAIL_TLS": "Use STARTTLS with the SMTP server.",
    "KANAVA_FROM_EMAIL": "Sender address of e-mail Kanava sends.",
    "KANAVA_LOGIN_ATTEMPTS": "Failed sign-ins allowed per address and per user name in 15 minutes.",
    "KANAVA_REDIS_URL": "Redis for the background queue, e.g. redis://127.0.0.1:6379/0.",
    "KANAVA_PROXY_COUNT": "Reverse proxies in front of Kanava (their X-Forwarded-For is trusted).",
    "KANAVA_OUTBOX_STALE_SECONDS": "Seconds after which a claimed post whose worker went silent "
                                   "is settled by another worker.",
    "KANAVA_ALLOW_LOOPBACK_ADDRESSES": "Allow accounts and link checks on this machine "
                                       "(http://127.0.0.1: local stand-ins of the networks; "
                                       "default: with KANAVA_DEBUG).",
    "KANAVA_X_CLIENT_ID": "Client id of the X app accounts are connected through.",
    "KANAVA_X_CLIENT_SECRET": "Client secret of that X app.",
    "KANAVA_LINKEDIN_CLIENT_ID": "Client id of the LinkedIn app pages are connected through.",
    "KANAVA_LINKEDIN_CLIENT_SECRET": "Client secret of that LinkedIn app.",
    "KANAVA_FACEBOOK_APP_ID": "App id of the Meta app Facebook Pages are connected through.",
    "KANAVA_FACEBOOK_APP_SECRET": "App secret of that Meta app.",
}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.strip() else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """The data folder (created when missing): ./var by default."""
    path = Path(env_str("KANAVA_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """KANAVA_SECRET_KEY, or a key generated once and kept (mode 600) in the data folder."""
    given = env_str("KANAVA_SECRET_KEY")
    if given:
        return given
    path = folder / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
