"""Site-wide views: the health endpoint and error pages."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render


def health(request):
    """Report the database, the broker and the file storage, for load balancers and
    docker-compose health checks.

    503 when the database is unreachable. A broker outage is reported but is not fatal: pages
    keep working and reports are queued when it returns (DESIGN §6).
    """
    from django.conf import settings

    status = {"database": "ok", "broker": "not configured"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        status["database"] = f"error: {type(exc).__name__}"
        code = 503
    if settings.CELERY_BROKER_URL:
        try:
            import redis

            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_connect_timeout=0.5, socket_timeout=0.5
            )
            client.ping()
            status["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            status["broker"] = f"error: {type(exc).__name__}"
    status["storage"] = _storage_status()
    return JsonResponse(status, status=code)


def _storage_status() -> str:
    """The bucket, when files are in one: reported, not fatal (pages work without files)."""
    from django.core.files.storage import default_storage

    from partnerships.files import is_bucket

    if not is_bucket(default_storage):
        return "local disk"
    try:
        default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"error: {type(exc).__name__}"
    return "ok"


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
