"""Settings for pytest. TEST_DATABASE_URL picks the database (SQLite file by default)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_url

SECRET_KEY = "test-only-not-secret"
DEBUG = False
DATABASES = {
    "default": database_from_url(
        os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'test.sqlite3'}"
    )
}
# Tasks run inline so tests see their effects; the queue itself is exercised by the smoke run.
HUEY = {"huey_class": "huey.MemoryHuey", "name": "ocop-test", "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
# WhiteNoise warns on every request when STATIC_ROOT is missing (a fresh clone has no var/).
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
# Tests hit public endpoints far faster than a person; the rate-limit tests set their own limit.
OCOP_PUBLIC_RATE_LIMIT = "0"
