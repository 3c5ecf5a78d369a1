"""The installable field app: the web app manifest and the service worker (static/js is plain
JS; the worker is rendered so that it carries the version of the static files it caches).

The worker is served from our origin at ``/sw.js`` (scope ``/``) but handles only GET requests
for our static files and for the field forms of a program (activity, finding, walk). Its caches
are named by ``static_version()``: a new deploy with changed static files installs a new worker
that deletes the old caches. Pages are cached only after the signed-in user opened them, under
the program's URL, and the page script clears them on logout and when another user signs in
(static/js/sw_register.js), so one user's pages are never served to another.
"""

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

PRECACHE = [
    "css/app.css",
    "measures/measures.css",
    "js/drafts.js",
    "js/photo.js",
    "js/draft_form.js",
    "js/sw_register.js",
    "js/map.js",
    "js/route_record.js",
    "measures/activity.js",
    "leaflet/leaflet.css",
    "leaflet/leaflet.js",
    "img/favicon.svg",
    "img/app-192.png",
    "img/app-512.png",
]

# The field forms, by URL (a program's slug, a place's id): opened without signal.
FIELD_PAGES = r"^/p/[^/]+/(aktiviteter/ny/|platser/\d+/(aktiviteter/ny|fynd/nytt|vandringar/ny)/)$"


@cache
def static_version() -> str:
    """A hash of the cached static files' contents (the manifest storage's hashes in effect)."""
    digest = hashlib.sha256()
    for name in PRECACHE:
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(name.encode() + b"\0" + fh.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    body = render_to_string(
        "partnerships/sw.js",
        {
            "version": static_version(),
            "precache": json.dumps([staticfiles_storage.url(n) for n in PRECACHE]),
            "static_prefix": json.dumps(staticfiles_storage.url("")),
            "field_pages": json.dumps(FIELD_PAGES),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "Trygga platser",
        "short_name": "Trygga platser",
        "description": _("Logga aktiviteter, fynd och trygghetsvandringar – även utan täckning."),
        "lang": "sv",
        "start_url": "/?app=1",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f6f4",
        "theme_color": "#0e5e3f",
        "icons": [
            {
                "src": staticfiles_storage.url("img/app-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": staticfiles_storage.url("img/app-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
