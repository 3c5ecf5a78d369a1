"""A static SVG map of a place: boundary, a route and numbered points, drawn on the server.

Used where a live map cannot run (the walk protocol PDF) and as a no-JavaScript fallback. Places
are a few hundred metres across, so an equirectangular projection (longitude scaled by the
cosine of the mean latitude) is accurate enough. Only presentation attributes are used, no
``style``, so the SVG passes the strict CSP when inlined in a page too.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 600
PADDING = 24


@dataclass
class Marker:
    lon: float
    lat: float
    label: str
    colour: str = "#a4161a"


def _coords(geometry: dict | None) -> list[tuple[float, float]]:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return [tuple(p[:2]) for p in geometry["coordinates"][0]]
    if geometry["type"] == "LineString":
        return [tuple(p[:2]) for p in geometry["coordinates"]]
    if geometry["type"] == "Point":
        return [tuple(geometry["coordinates"][:2])]
    return []


def route_svg(
    *, boundary: dict | None, route: dict | None, markers: list[Marker], title: str = ""
) -> SafeString:
    """Return an ``<svg>`` element (safe HTML) fitting all geometries into a 600 px wide box.

    Returns an empty string when there is nothing to draw.
    """
    points = _coords(boundary) + _coords(route) + [(m.lon, m.lat) for m in markers]
    if not points:
        return mark_safe("")
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-5)
    span_y = max(max(lats) - min(lats), 1e-5)
    scale = (WIDTH - 2 * PADDING) / span_x
    height = span_y * scale + 2 * PADDING
    if height > WIDTH:  # a tall place: fit the height instead
        scale = (WIDTH - 2 * PADDING) / span_y
        height = WIDTH
    off_x = (WIDTH - span_x * scale) / 2

    def xy(lon, lat):
        return (
            round(off_x + (lon - min(lons)) * kx * scale, 1),
            round(PADDING + (max(lats) - lat) * scale, 1),
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="route-map" viewBox="0 0 {WIDTH} '
        f'{round(height)}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{round(height)}" fill="#f6f7f4"/>',
    ]
    if boundary:
        ring = " ".join(f"{x},{y}" for x, y in (xy(*p) for p in _coords(boundary)))
        parts.append(
            f'<polygon points="{ring}" fill="#f2b705" fill-opacity="0.18" stroke="#0b5d3b" '
            'stroke-width="2"/>'
        )
    if route:
        line = " ".join(f"{x},{y}" for x, y in (xy(*p) for p in _coords(route)))
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="#1a4fd6" stroke-width="4" '
            'stroke-linejoin="round" stroke-linecap="round" stroke-dasharray="10 6"/>'
        )
    for marker in markers:
        x, y = xy(marker.lon, marker.lat)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="11" fill="{escape(marker.colour)}" stroke="#ffffff" '
            'stroke-width="2"/>'
            f'<text x="{x}" y="{y + 4}" text-anchor="middle" font-size="11" font-weight="700" '
            f'font-family="DejaVu Sans, sans-serif" fill="#ffffff">{escape(marker.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
