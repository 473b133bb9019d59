"""Production: every secret comes from the environment, and the process refuses to start without it."""

import os
import sys

from .base import *  # noqa: F403
from .base import env_bool


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        sys.stderr.write(f"OCOP: {name} chưa được đặt / is not set — production refuses to start without it.\n")
        raise SystemExit(2)
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
DEBUG = False
# Demo accounts carry a published password: `seed_platform --demo` refuses to run here.
OCOP_DEMO_DATA_ALLOWED = False
_required("DJANGO_ALLOWED_HOSTS")
# Printed QR codes, certificates and e-mails carry this address for years: never a default.
PUBLIC_URL = _required("OCOP_PUBLIC_URL").rstrip("/")
# Stamp codes are MACs under these keys; a key derived from SECRET_KEY would die with a key rotation and
# take every printed stamp with it (docs/decisions/0007-stamp-codes.md).
OCOP_STAMP_KEYS = _required("OCOP_STAMP_KEYS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
