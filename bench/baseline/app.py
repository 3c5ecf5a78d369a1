"""Views and URLs of the bare Django baseline (see ``settings``)."""

from functools import cache

from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

# The form's row goes into a table that every installation has and that the application role
# may write (it may create none): Django's sessions, under keys of the baseline's own.
KEY_PREFIX = "bench-baseline-"


@cache
def _template():
    return engines["django"].from_string(
        """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Baslinje</title>
</head><body><main><h1>Baslinje</h1><table><caption>Kommuner</caption>
<thead><tr><th scope="col">Id</th><th scope="col">Namn</th></tr></thead><tbody>
{% for id, name in rows %}<tr><td>{{ id }}</td><td>{{ name }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""
    )


def page(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM platser_municipality ORDER BY name LIMIT 20")
        rows = cursor.fetchall()
    return HttpResponse(_template().render({"rows": rows}, request))


@csrf_exempt  # a local benchmark: the product's form checks its CSRF token, this one nothing
@require_POST
def answer(request):
    key = KEY_PREFIX + request.POST.get("submission_id", "")[:24]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, %s, now())",
            [key, request.POST.urlencode()],
        )
    return HttpResponseRedirect("/tack/")


urlpatterns = [path("", page), path("svar/", answer)]
