"""The bare Django baseline that ``loadtest`` runs beside the product (``bench.baseline``).

The same Django, the same gunicorn, the same database (DATABASE_URL, Django's own PostgreSQL
backend) and the same machine, but nothing of the product: no apps, two middlewares, no
session, no login, no cache. It answers the two kinds of request the load test sends: a page
that reads a few rows and renders them with a template (``GET /``), and a form post that stores
one row and redirects (``POST /svar/``). What the product manages against what this manages,
in one run, is a ratio that the machine's other work does not distort much; an absolute time
does.
"""

import os

import dj_database_url

SECRET_KEY = "bench-baseline-only"  # noqa: S105 - a local benchmark server, no sessions
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.baseline.app"
WSGI_APPLICATION = "bench.baseline.wsgi.application"
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": []}]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"
LANGUAGE_CODE = "sv"
