"""Settings shared by every environment.

Everything that differs between a laptop and a provincial data centre comes from the environment
(12-factor): DATABASE_URL, REDIS_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, OCOP_PUBLIC_URL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("OCOP_VAR_DIR", BASE_DIR / "var"))
# Reference and sample data shipped with the project (data/README.md): never a folder outside it.
REFERENCE_DATA_DIR = BASE_DIR / "data"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Absolute base URL used in QR codes, e-mails and certificates.
PUBLIC_URL = os.environ.get("OCOP_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "simple_history",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "ninja",
    "ocop.core",
    "ocop.geo",
    "ocop.accounts",
    "ocop.registry",
    "ocop.evaluation",
    "ocop.certification",
    "ocop.traceability",
    "ocop.backoffice",
    "ocop.public",
    "ocop.interop",
]

MIDDLEWARE = [
    # Outermost: every /api/ answer in the {code, message, fields} shape, even Django's own 400/404/405/500.
    "ocop.core.api_edge.ApiEdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ocop.core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ocop.core.ratelimit.PublicRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns lockouts into responses.
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
                "ocop.core.context_processors.platform",
                "ocop.backoffice.context_processors.backoffice",
            ],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'ocop.sqlite3'}"


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the task consumer writes; IMMEDIATE transactions
        # take the write lock up front instead of failing with "database is locked" mid-way.
        # Connections persist like PostgreSQL's: opening one (PRAGMAs, Django's SQL functions) cost
        # more than a whole stamp scan (bench/bench_scan.py); each thread keeps its own.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "bo:accounts:login"
LOGIN_REDIRECT_URL = "bo:home"
LOGOUT_REDIRECT_URL = "bo:accounts:login"

# Lock an account+address pair after 5 failures for 30 minutes (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("OCOP_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("OCOP_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "backoffice/accounts/lockout.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# One catalogue per area so that parts of the platform can be translated independently;
# Django merges every catalogue it finds.
LOCALE_PATHS = sorted(p for p in (BASE_DIR / "locale").glob("*") if p.is_dir())
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("OCOP_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ocop@localhost")

REDIS_URL = os.environ.get("REDIS_URL", "")


def huey_settings(redis_url: str) -> dict:
    """Huey on Redis when REDIS_URL is set (scale-out), otherwise on a SQLite file (embedded)."""
    common = {
        "name": "ocop",
        "immediate": False,
        "utc": True,
        "consumer": {"workers": int(os.environ.get("OCOP_WORKERS", "2")), "worker_type": "thread"},
    }
    if redis_url:
        # Timeouts: a dead Redis answers "unreachable" in a second instead of holding a web thread (health, enqueue).
        timeouts = {"socket_connect_timeout": 1, "socket_timeout": 5}
        return {**common, "huey_class": "huey.RedisHuey", "url": redis_url, "connection": timeouts}
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}


HUEY = huey_settings(REDIS_URL)

CACHES = {
    "default": (
        {
            # Redis down must not take pages down: every cached value can be recomputed (ocop.core.cache).
            "BACKEND": "ocop.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "huey": {"level": "INFO"}},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Private files (exports, dossier evidence): never served directly, only through views that check access.
PRIVATE_ROOT = Path(os.environ.get("OCOP_PRIVATE_ROOT", VAR_DIR / "private"))

# Idempotent seeders of `manage.py seed_platform`, in this order. Reference data every installation needs:
OCOP_REFERENCE_SEEDERS = [
    "ocop.geo.seed.seed",
    "ocop.registry.seed.seed_reference",
    "ocop.evaluation.seed.seed",
]
# … and, with `--demo` (what `make run` passes), demo accounts and records; never under production settings.
OCOP_DEMO_SEEDERS = [
    "ocop.accounts.seed.seed",
    "ocop.registry.seed.seed",
]
OCOP_DEMO_DATA_ALLOWED = True

# Anonymous reads of public pages and the open API, per client address: "requests/seconds"; "0" = off.
OCOP_PUBLIC_RATE_LIMIT = os.environ.get("OCOP_PUBLIC_RATE_LIMIT", "600/60")
# Set behind exactly one reverse proxy / load balancer that appends the client to X-Forwarded-For.
OCOP_TRUST_X_FORWARDED_FOR = env_bool("OCOP_TRUST_X_FORWARDED_FOR", False)
