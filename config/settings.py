"""Settings for Trygga platser, read from the environment (see .env.example).

With no environment at all this is the embedded default for trying the product on a laptop:
SQLite, tasks run eagerly, e-mail printed to the console. Production sets DATABASE_URL, REDIS_URL,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_SECURE=true.
"""

import ipaddress
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("DJANGO_SECURE", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    # Only the embedded default and tests get here; production sets DJANGO_SECURE=true.
    SECRET_KEY = "insecure-local-key-only-for-demo-and-tests-0123456789abcdef"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # No admin autodiscovery: django-leaflet's admin module imports GDAL at import time.
    # Our admin modules are registered explicitly in config/admin.py.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Only its template tags, LEAFLET_CONFIG and bundled Leaflet assets are used (no GDAL).
    "leaflet",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "partnerships",
    "platser",
    "meetings",
    "measures",
    "surveys",
    "reports",
    # Public records and personal data: the program archive (above every domain app).
    "records",
    # Above every domain app: the demo data and the benchmark/load harnesses.
    "demo",
    "bench",
]

MIDDLEWARE = [
    "config.middleware.UntrustedForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PrivateResponseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SwedishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partnerships.session_timeout.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "partnerships.middleware.ProgramMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerships.context_processors.program",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A connection kept between requests may have been closed by PgBouncer or a restart:
        # check it before reuse rather than fail the request that gets it.
        conn_health_checks=True,
    )
}
# DATABASE_URL points at PgBouncer in transaction pooling mode (docker-compose.yml): consecutive
# transactions of one Django connection may run on different server connections, so nothing may
# outlive a transaction on the server. Django's named cursors for .iterator() live on the
# server session, and psycopg 3 prepares a statement on the session after a few executions:
# both are turned off. Django's one session-level statement, SET TIME ZONE at connect, is one
# of the parameters PgBouncer tracks per client and replays on every server connection.
# PostgreSQL through our own backend: Django's, plus the program context that the row-level
# security policies read (partnerships/tenancy.py). DATABASE_APP_ROLE names the role the web,
# worker and beat processes connect as: migrate grants it its rights, and the deploy check
# refuses a role that could bypass the policies.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PROGRAM_CONTEXT", True
):
    DATABASES["default"]["ENGINE"] = "config.postgresql"
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "")
DATABASE_TRANSACTION_POOLING = env_bool("DATABASE_TRANSACTION_POOLING", False)
if DATABASE_TRANSACTION_POOLING and DATABASES["default"]["ENGINE"] == "config.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partnerships.User"

REDIS_URL = env_str("REDIS_URL", "")


def _redis_cache(url: str) -> dict:
    """The cache on Redis at ``url``. A slow or dead Redis must not hang or break a page: short
    timeouts, and local memory while it is away (config/cache_backends.py), for the
    callers that use the cache directly (allauth's login and reset limits)."""
    return {
        "BACKEND": "config.cache_backends.FailoverRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": 0.5,
            "socket_timeout": 0.5,
            "FAILOVER_SECONDS": 10,
        },
    }


if REDIS_URL:
    CACHES = {"default": _redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# allauth: e-mail is the login; addresses must be verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "partnerships.forms.SignupForm"  # the name, title and phone
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Trygga platser] "
# Accounts are created through invitations only; open sign-up is closed (see partnerships.adapters).
ACCOUNT_ADAPTER = "partnerships.adapters.AccountAdapter"
# Wrong passwords (partnerships/login_limits.py): per address and per account at one address;
# per account from every unknown browser together, stepped (15 minutes, an hour, a day); a
# browser the account logged in from before counts only its own. A completed password reset
# logs the user in, which clears the counts and makes that browser a known one.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/5m/ip,5/5m/key",
    "login_failed_account": "10/15m/key,20/1h/key,50/1d/key",
    "login_failed_device": "10/5m/key",
}
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# A reset asked for an address without an account mails nothing (allauth would mail a link to
# the sign-up page, which is closed: accounts come from invitations). The page answers the same
# either way, so it does not tell who has an account.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Trygga platser"
# Two-factor login (TOTP) is offered to every user. When required (the default in production,
# DJANGO_SECURE=true), coordinators and place leads, who see personal data, must set it up
# before they can open a program page, and staff before they can use the admin.
MFA_REQUIRED = env_bool("MFA_REQUIRED", env_bool("DJANGO_SECURE", False))
MFA_REQUIRED_ROLES = ("coordinator", "place_lead")
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
# locale_overrides/ holds Swedish for Django/allauth strings their catalogues lack.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded and generated files (agreements, photos, report PDFs) live on the local disk under
# MEDIA_ROOT, or in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set: required for more
# than one web or worker node. Nothing in the bucket is public: objects are written with the
# private ACL and every download goes through a view's permission check, which streams the file
# (partnerships/files.py); no signed URL ever leaves the server, so the bucket's address may stay
# on an internal network and the strict CSP (img-src 'self') holds.


def s3_storage(
    bucket_name: str,
    *,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region_name: str = "",
    addressing_style: str = "path",
    location: str = "",
) -> dict:
    """The STORAGES entry for an S3-compatible bucket (also used by the tests' own buckets)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region_name or None,
            # Path-style addressing (http://host/bucket/key) works with every S3-compatible
            # server (MinIO, Garage, Ceph) without wildcard DNS for bucket subdomains.
            "addressing_style": addressing_style,
            "signature_version": "s3v4",
            "location": location,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            # Two uploads named avtal.pdf get two objects, as on disk (the default overwrites).
            "file_overwrite": False,
            # Opening a file for a PDF or a backup spools it to a temporary file past 5 MB.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }


AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
_DEFAULT_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if AWS_STORAGE_BUCKET_NAME:
    _DEFAULT_STORAGE = s3_storage(
        AWS_STORAGE_BUCKET_NAME,
        endpoint_url=env_str("AWS_S3_ENDPOINT_URL", ""),
        access_key=env_str("AWS_ACCESS_KEY_ID", ""),
        secret_key=env_str("AWS_SECRET_ACCESS_KEY", ""),
        region_name=env_str("AWS_S3_REGION_NAME", ""),
        addressing_style=env_str("AWS_S3_ADDRESSING_STYLE", "path"),
        location=env_str("AWS_LOCATION", ""),
    )
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads: agreements are PDFs up to this size; larger requests are refused before parsing.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
# Photos are re-encoded; the original may be this large (platser/photos.py).
MAX_PHOTO_MB = 15
# A request body larger than this is refused with 413 before it is read
# (config.middleware.RequestSizeLimitMiddleware): a member's room for the largest upload and its
# form, and an anonymous visitor's (survey answers, login), who never sends a file.
MAX_REQUEST_MB = env_int("MAX_REQUEST_MB", max(MAX_UPLOAD_MB, MAX_PHOTO_MB) + 5)
MAX_ANONYMOUS_REQUEST_KB = env_int("MAX_ANONYMOUS_REQUEST_KB", 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail through Django 6.1's MAILERS. EMAIL_BACKEND: console (default), smtp, locmem or file.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "console")
if _email_backend not in _EMAIL_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"EMAIL_BACKEND must be one of {sorted(_EMAIL_BACKENDS)}")
_email_options: dict = {}
if _email_backend == "smtp":
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    }
elif _email_backend == "file":
    _email_options = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKENDS[_email_backend], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Trygga platser <noreply@trygga-platser.example>"
)

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run inline (eager).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL) or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A dead or paused broker must not block a user-facing request for long (tech-notes: 19 s).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "max_retries": 1,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Only one beat may send the schedule: celery beat runs partnerships.beat.SingleBeatScheduler,
# which works only while it holds a Redis lock (renewed every third of BEAT_LOCK_TTL seconds);
# any further beat waits as a standby and takes over when the lock is released or expires.
CELERY_BEAT_SCHEDULER = "partnerships.beat:SingleBeatScheduler"
BEAT_LOCK_TTL = env_int("BEAT_LOCK_TTL", 60)
BEAT_LOCK_KEY = env_str("BEAT_LOCK_KEY", "trygga-platser:celery-beat")
CELERY_BEAT_SCHEDULE = {
    "send-pending-invitation-emails": {
        "task": "partnerships.send_pending_invitation_emails",
        "schedule": 600.0,
    },
    "send-pending-meeting-invitations": {
        "task": "meetings.send_pending_meeting_invitations",
        "schedule": 600.0,
    },
    # Monday 07:00: each organisation's overdue measures (sent at most once per ISO week).
    "send-overdue-measure-digests": {
        "task": "measures.send_overdue_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    # Reports: every schedule's report for its last complete period (idempotent, so hourly is
    # fine), and the sweeper for reports never queued or left behind by a dead worker.
    "run-report-schedules": {"task": "reports.run_schedules", "schedule": 3600.0},
    "sweep-reports": {"task": "reports.sweep_reports", "schedule": 60.0},
    # Retention (gallring): every program's rules, nightly at 03:30.
    "apply-retention": {
        "task": "records.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}

# Maps: tiles only from our own origin (platser/tiles.py, a caching proxy). MAP_TILE_UPSTREAM is
# the one upstream it may contact (Lantmäteriet's open topographic map, the municipality's own
# tile server, with {z}/{x}/{y}); empty = no background map (tests, offline demos).
MAP_TILE_UPSTREAM = env_str("MAP_TILE_UPSTREAM", "")
MAP_TILE_USER_AGENT = env_str("MAP_TILE_USER_AGENT", "Trygga platser tile proxy")
MAP_TILE_URL = "/kartor/{z}/{x}/{y}.png" if MAP_TILE_UPSTREAM else ""
MAP_ATTRIBUTION = env_str("MAP_ATTRIBUTION", "&copy; OpenStreetMap" if MAP_TILE_UPSTREAM else "")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (62.0, 15.0),
    "DEFAULT_ZOOM": 5,
    "TILES": [],
    "RESET_VIEW": False,
}

# Security headers. A strict CSP: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE = env_bool("DJANGO_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
# How many reverse proxies in front of the application append the client's address to
# X-Forwarded-For. 0 (no proxy): the connection's own address is the client. Behind one TLS
# proxy set 1, or every resident would share the proxy's address in the survey rate limit.
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)
# Where those proxies connect from: X-Forwarded-For (and X-Forwarded-Proto) are believed only
# from these networks (partnerships/network.py, config/middleware.py). The default is loopback
# and the private ranges a proxy on the same host or in the compose network has.
TRUSTED_PROXY_IPS = env_list(
    "DJANGO_TRUSTED_PROXY_IPS",
    ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
)
for _network in TRUSTED_PROXY_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXY_IPS: {_network!r} is not an address or network"
        ) from _exc
# The same for allauth (our adapter answers its question with partnerships.network).
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES
SECURE_REFERRER_POLICY = "same-origin"
# Browser features no page needs are switched off; geolocation is ours alone ("use my position"
# when a partner marks a spot). A photo is taken through the file picker, which needs no camera
# permission. (config.middleware.PrivateResponseMiddleware)
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A login ends after this long without a request, and this long after it began
# (partnerships/session_timeout.py); the cookie lives no longer than the latter.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step and every CSS rule it skips (the shared
    # stylesheet has screen-only rules); fontTools too.
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
