#!/bin/sh
# Entry point of the Docker image: `web`, `worker`, `beat`, or any other command as given.
set -eu

case "${1:-web}" in
    migrate)
        # docker-compose.yml's one-shot `migrate` service: once per release, before web, worker
        # and beat start (never from every web container at once).
        exec python manage.py migrate --noinput
        ;;
    web)
        # Static files at start, into the container's own STATIC_ROOT (served by whitenoise).
        python manage.py collectstatic --noinput -v 0
        exec gunicorn config.wsgi \
            --bind 0.0.0.0:8000 \
            --workers "${GUNICORN_WORKERS:-5}" \
            --timeout "${GUNICORN_TIMEOUT:-60}" \
            --access-logfile - \
            --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-*}"
        ;;
    worker)
        exec celery -A config worker -l info
        ;;
    beat)
        exec celery -A config beat -l info --schedule /var/lib/trygga/celerybeat-schedule
        ;;
    *)
        exec "$@"
        ;;
esac
