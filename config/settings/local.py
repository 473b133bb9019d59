"""The embedded default used by `make run`: SQLite under var/, Huey on SQLite, console e-mail."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-installation key kept in var/ so sessions survive restarts without any set-up."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
# `make run` serves on HOST:PORT; printed QR codes and certificates must point there unless told otherwise.
PUBLIC_URL = (
    os.environ.get("OCOP_PUBLIC_URL")
    or f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
).rstrip("/")
(VAR_DIR / "static").mkdir(exist_ok=True)
