# Trygga platser: one image for web (gunicorn), Celery worker and Celery beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/trygga/media

# WeasyPrint's pango/harfbuzz libraries and fonts (å, ä, ö in PDFs); gettext for compilemessages;
# the PostgreSQL 15 client's pg_dump/pg_restore for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
RUN if [ -d locale ]; then python manage.py compilemessages --ignore=.venv -v 0; fi \
    && useradd --system --home-dir /var/lib/trygga --shell /usr/sbin/nologin trygga \
    && mkdir -p /var/lib/trygga/media /app/staticfiles \
    && chown -R trygga:trygga /var/lib/trygga /app/staticfiles \
    && chmod +x scripts/docker-entrypoint.sh

USER trygga
EXPOSE 8000
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["web"]
