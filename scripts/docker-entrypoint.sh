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
        # Static files at start, into the container's own STATIC_ROOT (served by whitenoise);
        # migrations run once per release in the compose stack's one-shot migrate service.
        # gunicorn limits the request line and headers; bodies are limited by the application
        # before it reads them (MAX_REQUEST_MB, MAX_ANONYMOUS_REQUEST_KB) and by the proxy.
        python manage.py collectstatic --noinput -v 0
        exec gunicorn config.wsgi \
            --bind 0.0.0.0:8000 \
            --workers "${GUNICORN_WORKERS:-5}" \
            --timeout "${GUNICORN_TIMEOUT:-60}" \
            --limit-request-line 4094 \
            --limit-request-fields 100 \
            --limit-request-field_size 8190 \
            --access-logfile - \
            --forwarded-allow-ips "${DJANGO_TRUSTED_PROXY_IPS:-127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7}"
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
