"""GeoJSON validation without GDAL.

Places are small (a square, a town centre), so a planar check in longitude/latitude is accurate
enough for "is this ring closed and simple". Every error is a ``ValidationError`` with a Swedish
message the form shows next to the map.
"""

import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A generous box around Sweden (WGS 84): mainland, Gotland, Öland and the northern border.
SWEDEN_BBOX = (10.0, 55.0, 24.5, 69.5)  # min lon, min lat, max lon, max lat

# A coarse outline of Sweden (lon, lat), drawn a little into Norway along the land border and
# through the middle of the sea elsewhere. It separates Sweden from its neighbours' towns
# (Oslo, Copenhagen and Helsingør, Bornholm, Åland, Turku, Vaasa, Tornio's side of the river is
# within the margin) without cutting off border places such as Storlien, Riksgränsen,
# Haparanda, Smygehuk or the outer archipelagos. A rough filter against gross errors, not a
# cadastral boundary.
SWEDEN_OUTLINE = {
    "type": "Polygon",
    "coordinates": [
        [
            [10.85, 58.85],
            [11.05, 59.2],
            [11.45, 59.6],
            [11.85, 59.95],
            [12.3, 60.35],
            [12.0, 61.0],
            [11.85, 62.0],
            [11.85, 62.6],
            [11.85, 63.3],
            [12.4, 64.0],
            [13.2, 64.5],
            [13.8, 65.2],
            [14.3, 65.8],
            [15.0, 66.4],
            [15.7, 67.0],
            [16.2, 67.3],
            [17.0, 68.0],
            [17.75, 68.3],
            [17.8, 68.44],
            [18.9, 68.75],
            [20.4, 69.15],
            [20.62, 69.1],
            [22.6, 68.45],
            [23.65, 67.2],
            [23.75, 66.4],
            [24.2, 65.8],
            [24.2, 65.5],
            [23.0, 65.0],
            [21.3, 63.6],
            [20.6, 63.0],
            [20.5, 62.0],
            [19.8, 61.0],
            [19.3, 60.2],
            [19.55, 59.75],
            [19.9, 59.3],
            [19.7, 57.9],
            [19.4, 57.0],
            [16.8, 55.95],
            [15.2, 55.65],
            [14.4, 55.33],
            [13.3, 55.3],
            [12.75, 55.35],
            [12.78, 55.45],
            [12.88, 55.62],
            [12.82, 55.8],
            [12.62, 55.9],
            [12.66, 56.04],
            [12.35, 56.3],
            [12.3, 56.6],
            [11.75, 57.0],
            [11.45, 57.6],
            [11.05, 58.3],
            [10.85, 58.85],
        ]
    ],
}
MAX_VERTICES = 500
MAX_LINE_VERTICES = 2000


def parse_geojson(value: Any) -> dict | None:
    """Return ``value`` as a GeoJSON dict (accepting a JSON string), or ``None`` when empty."""
    if value in (None, "", "null"):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValidationError(
                _("Kartdata kunde inte läsas (ogiltig GeoJSON)."), "json"
            ) from exc
    if not isinstance(value, dict):
        raise ValidationError(_("Kartdata måste vara ett GeoJSON-objekt."), "type")
    if value.get("type") == "Feature":
        value = value.get("geometry")
        if not isinstance(value, dict):
            raise ValidationError(_("GeoJSON-objektet saknar geometri."), "type")
    return value


def _position(pos: Any) -> tuple[float, float]:
    if (
        not isinstance(pos, list | tuple)
        or len(pos) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in pos[:2])
    ):
        raise ValidationError(_("Varje punkt måste ha longitud och latitud som tal."), "position")
    lon, lat = float(pos[0]), float(pos[1])
    min_lon, min_lat, max_lon, max_lat = SWEDEN_BBOX
    if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat) or not point_in_polygon(
        (lon, lat), SWEDEN_OUTLINE
    ):
        raise ValidationError(_("Alla punkter måste ligga i Sverige."), "outside")
    return lon, lat


def _orientation(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a, b, p) -> bool:
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def segments_intersect(p1, p2, q1, q2) -> bool:
    """True when the closed segments p1–p2 and q1–q2 share at least one point."""
    d1 = _orientation(q1, q2, p1)
    d2 = _orientation(q1, q2, p2)
    d3 = _orientation(p1, p2, q1)
    d4 = _orientation(p1, p2, q2)
    if ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and (
        (d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)
    ):
        return True
    return (
        (d1 == 0 and _on_segment(q1, q2, p1))
        or (d2 == 0 and _on_segment(q1, q2, p2))
        or (d3 == 0 and _on_segment(p1, p2, q1))
        or (d4 == 0 and _on_segment(p1, p2, q2))
    )


def _check_simple_ring(ring: list[tuple[float, float]]) -> None:
    n = len(ring) - 1  # number of edges; ring[0] == ring[-1]
    if len(set(ring[:-1])) != n:
        raise ValidationError(_("Avgränsningen har samma hörn två gånger."), "duplicate")
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue  # neighbouring edges share a corner by construction
            if segments_intersect(ring[i], ring[i + 1], ring[j], ring[j + 1]):
                raise ValidationError(
                    _("Avgränsningen får inte korsa sig själv."), "self_intersect"
                )
    area2 = sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(n))
    if abs(area2) < 1e-12:
        raise ValidationError(_("Avgränsningen har ingen yta."), "empty")


def validate_polygon(value: Any) -> dict | None:
    """Validate a GeoJSON Polygon (one outer ring, no holes) and return it normalised.

    Rules: at least three distinct corners, closed (first == last; an open ring is closed for the
    caller), at most ``MAX_VERTICES`` corners, inside Sweden, not crossing itself.
    """
    geometry = parse_geojson(value)
    if geometry is None:
        return None
    if geometry.get("type") != "Polygon":
        raise ValidationError(_("Avgränsningen måste vara en polygon."), "type")
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or len(rings) != 1 or not isinstance(rings[0], list):
        raise ValidationError(_("Avgränsningen måste vara en enda yta utan hål."), "rings")
    ring = [_position(pos) for pos in rings[0]]
    if len(ring) >= 2 and ring[0] != ring[-1]:
        ring.append(ring[0])
    # Counted once the ring is closed, so an open ring of MAX_VERTICES + 1 corners is refused too.
    if len(ring) - 1 > MAX_VERTICES:
        raise ValidationError(
            _("Avgränsningen får ha högst %(max)s hörn.") % {"max": MAX_VERTICES}, "too_many"
        )
    if len(ring) < 4:
        raise ValidationError(_("Avgränsningen behöver minst tre hörn."), "too_few")
    _check_simple_ring(ring)
    return {"type": "Polygon", "coordinates": [[[lon, lat] for lon, lat in ring]]}


def validate_point(value: Any) -> dict | None:
    """Validate a GeoJSON Point inside Sweden and return it normalised."""
    geometry = parse_geojson(value)
    if geometry is None:
        return None
    if geometry.get("type") != "Point":
        raise ValidationError(_("Positionen måste vara en punkt."), "type")
    lon, lat = _position(geometry.get("coordinates"))
    return {"type": "Point", "coordinates": [lon, lat]}


def validate_line(value: Any) -> dict | None:
    """Validate a GeoJSON LineString (a route) inside Sweden and return it normalised."""
    geometry = parse_geojson(value)
    if geometry is None:
        return None
    if geometry.get("type") != "LineString":
        raise ValidationError(_("Rutten måste vara en linje."), "type")
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        raise ValidationError(_("Rutten behöver minst två punkter."), "too_few")
    if len(coords) > MAX_LINE_VERTICES:
        raise ValidationError(
            _("Rutten får ha högst %(max)s punkter.") % {"max": MAX_LINE_VERTICES}, "too_many"
        )
    return {"type": "LineString", "coordinates": [list(_position(p)) for p in coords]}


#: A recorded route keeps points at least this far apart (metres) …
ROUTE_MIN_SPACING_M = 5.0
#: … and loses those within this distance of the simplified line (Douglas–Peucker, metres).
ROUTE_TOLERANCE_M = 3.0


def thin_line(
    line: dict, *, spacing: float = ROUTE_MIN_SPACING_M, tolerance: float = ROUTE_TOLERANCE_M
) -> dict:
    """A route recorded from a phone's position, thinned: points closer than ``spacing`` metres
    to the last kept one are dropped (GPS jitter while standing still), then the line is
    simplified with Douglas–Peucker (shapely) at ``tolerance`` metres. The first and last points
    stay. Distances are measured in a local flat projection, which is well within a metre over
    the few kilometres of a walk."""
    import shapely

    coords = [tuple(p[:2]) for p in line["coordinates"]]
    lat0 = math.radians(coords[0][1])
    kx, ky = 111_320.0 * math.cos(lat0), 110_540.0

    def metres(p):
        return (p[0] * kx, p[1] * ky)

    kept = [coords[0]]
    for p in coords[1:-1]:
        if math.dist(metres(p), metres(kept[-1])) >= spacing:
            kept.append(p)
    if len(coords) > 1:
        if len(kept) > 1 and math.dist(metres(coords[-1]), metres(kept[-1])) < spacing:
            kept[-1] = coords[-1]  # the end is where the walk ended
        else:
            kept.append(coords[-1])
    if len(kept) < 2:
        return {"type": "LineString", "coordinates": [list(coords[0]), list(coords[-1])]}
    simplified = shapely.LineString([metres(p) for p in kept]).simplify(
        tolerance, preserve_topology=False
    )
    out = [[round(x / kx, 6), round(y / ky, 6)] for x, y in simplified.coords]
    out[0], out[-1] = list(kept[0]), list(kept[-1])
    return {"type": "LineString", "coordinates": out}


def point_in_polygon(point: tuple[float, float], polygon: dict) -> bool:
    """Ray casting: True when ``point`` (lon, lat) lies inside the polygon's outer ring."""
    x, y = point
    ring = polygon["coordinates"][0]
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _positions(geometry: dict) -> list:
    """Every [lon, lat] position of a GeoJSON geometry, flattened."""
    coords = geometry.get("coordinates") or []
    kind = geometry.get("type")
    if kind == "Point":
        return [coords]
    if kind in ("LineString", "MultiPoint"):
        return coords
    if kind in ("Polygon", "MultiLineString"):
        return [p for part in coords for p in part]
    if kind == "MultiPolygon":
        return [p for polygon in coords for ring in polygon for p in ring]
    return []


def bounds(geometries: list[dict]) -> list[list[float]] | None:
    """Return [[min_lat, min_lon], [max_lat, max_lon]] over the given geometries (Leaflet order)."""
    positions = [p for geometry in geometries if geometry for p in _positions(geometry)]
    if not positions:
        return None
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def centre(geometry: dict) -> list[float] | None:
    """[lon, lat] of the middle of the geometry's bounding box (a marker for a small place)."""
    box = bounds([geometry])
    if not box:
        return None
    (south, west), (north, east) = box
    return [round((west + east) / 2, 6), round((south + north) / 2, 6)]


def validate_point_within(value: Any, boundary: dict | None) -> dict | None:
    """Validate a Point (``validate_point``) that must also lie inside ``boundary`` if given."""
    point = validate_point(value)
    if point is not None and boundary and not point_in_polygon(point["coordinates"], boundary):
        raise ValidationError(
            _(
                "Punkten ligger utanför platsens avgränsning. Välj en plats inom det markerade "
                "området på kartan."
            ),
            "outside_place",
        )
    return point


def validate_polygon_within(value: Any, boundary: dict | None) -> dict | None:
    """Validate a Polygon (``validate_polygon``) that must also lie inside ``boundary`` if given
    (a zone inside its place). A metre's slack: a corner put on the place's edge by hand is
    inside."""
    polygon = validate_polygon(value)
    if polygon is None or not boundary:
        return polygon
    from shapely.geometry import shape

    outer = shape(boundary)
    if not outer.is_valid:
        outer = outer.buffer(0)
    slack = 1e-5  # degrees: about a metre north–south, half that east–west at 60° N
    if not shape(polygon).within(outer.buffer(slack)):
        raise ValidationError(
            _(
                "Zonen går utanför platsens avgränsning. Rita den inom det markerade området på "
                "kartan."
            ),
            "outside_place",
        )
    return polygon


def zone_features(zones) -> dict:
    """A FeatureCollection of the drawn zones, each with its name (``properties.zone``)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": z.boundary, "properties": {"zone": z.name}}
            for z in zones
            if z.boundary
        ],
    }
