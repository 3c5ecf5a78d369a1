"""Map tiles from our own origin: a caching proxy in front of one configured upstream.

DESIGN.md §4: a resident's or partner's browser talks to no third party. Browsers ask
``/kartor/<z>/<x>/<y>.png``; we fetch the tile from ``settings.MAP_TILE_UPSTREAM`` (the only
host ever contacted, e.g. Lantmäteriet's open topographic map or the municipality's own
OpenStreetMap tile server), without cookies, referrer or anything of the user, keep it in the
default storage under ``tiles/`` and serve it from there afterwards. With no upstream configured
(tests, offline demos) every tile is a 404 and the maps show the place on a plain background.
"""

import urllib.error
import urllib.request

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

MAX_ZOOM = 19
MAX_TILE_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 5
TILE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}
CACHE_SECONDS = 7 * 24 * 3600


def _content_type(data: bytes) -> str | None:
    for magic, content_type in TILE_TYPES.items():
        if data.startswith(magic):
            return content_type
    return None


def fetch_upstream(z: int, x: int, y: int) -> bytes | None:
    """The tile from the configured upstream, or None. Only the integers go into the URL."""
    template = settings.MAP_TILE_UPSTREAM
    if not template:
        return None
    url = template.format(z=z, x=x, y=y)
    request = urllib.request.Request(url, headers={"User-Agent": settings.MAP_TILE_USER_AGENT})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            if response.status != 200:
                return None
            data = response.read(MAX_TILE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if len(data) > MAX_TILE_BYTES or _content_type(data) is None:
        return None
    return data


@require_GET
def tile(request, z, x, y):
    if not settings.MAP_TILE_UPSTREAM or z > MAX_ZOOM or x >= 2**z or y >= 2**z:
        raise Http404
    name = f"tiles/{z}/{x}/{y}"
    data = None
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            data = fh.read()
    if not data:
        data = fetch_upstream(z, x, y)
        if data is None:
            raise Http404
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
    response = HttpResponse(data, content_type=_content_type(data))
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
