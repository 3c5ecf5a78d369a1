"""A place's three areas as geometry (shapely), and counting point events into them.

GeoJSON is stored in WGS 84 (lon, lat). Metric work (the buffer ring) is done in SWEREF 99 TM
(EPSG:3006) through pyproj and transformed back. A point is counted once: the place itself
first, then the buffer, then the comparison area, each *covering* its border, so a point
exactly on the line between the place and its buffer counts for the place.
"""

from dataclasses import dataclass
from functools import lru_cache

import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from .models import AreaKind, PlaceAreas


@lru_cache(maxsize=2)
def _transformer(to_metres: bool) -> Transformer:
    if to_metres:
        return Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    return Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)


def to_shape(geojson: dict | None):
    """A shapely geometry from GeoJSON, or ``None``."""
    if not geojson:
        return None
    geometry = shape(geojson)
    return geometry if geometry.is_valid else geometry.buffer(0)


def ring_buffer(boundary, width_m: float):
    """The ring ``width_m`` metres wide around ``boundary`` (a shapely geometry in WGS 84),
    without the place itself."""
    metric = shapely.transform(boundary, _transformer(True).transform, interleaved=False)
    ring = metric.buffer(width_m).difference(metric)
    return shapely.transform(ring, _transformer(False).transform, interleaved=False)


@dataclass
class PlaceShapes:
    """The place's target, buffer and comparison geometries (WGS 84). ``comparison`` is
    ``None`` with ``rest_of_municipality`` set when every other point is the comparison."""

    target: object | None
    buffer: object | None
    comparison: object | None
    rest_of_municipality: bool = False

    def __post_init__(self):
        for geometry in (self.target, self.buffer, self.comparison):
            if geometry is not None:
                shapely.prepare(geometry)

    def classify(self, lon: float, lat: float) -> str | None:
        """The area kind the point counts in, or ``None`` when it is in none of them."""
        point = shapely.Point(lon, lat)
        if self.target is not None and self.target.covers(point):
            return AreaKind.TARGET
        if self.buffer is not None and self.buffer.covers(point):
            return AreaKind.BUFFER
        if self.comparison is not None and self.comparison.covers(point):
            return AreaKind.COMPARISON
        if self.rest_of_municipality:
            return AreaKind.COMPARISON
        return None

    def as_geojson(self) -> dict:
        return {
            kind: mapping(geometry)
            for kind, geometry in (
                (AreaKind.TARGET, self.target),
                (AreaKind.BUFFER, self.buffer),
                (AreaKind.COMPARISON, self.comparison),
            )
            if geometry is not None
        }


def place_shapes(place, areas: PlaceAreas | None = None) -> PlaceShapes:
    """The shapes of a place's three areas from its ``PlaceAreas`` (defaults if none: a 200 m
    ring and the rest of the municipality)."""
    if areas is None:
        areas = getattr(place, "areas", None) if _has_areas(place) else None
    target = to_shape(place.boundary)
    width = areas.buffer_width_m if areas else 200
    if areas and areas.buffer_boundary:
        buffer = to_shape(areas.buffer_boundary)
        if target is not None:
            buffer = buffer.difference(target)
    else:
        buffer = ring_buffer(target, width) if target is not None else None
    kind = areas.comparison_kind if areas else PlaceAreas.Comparison.MUNICIPALITY
    comparison = None
    if kind == PlaceAreas.Comparison.DRAWN and areas.comparison_boundary:
        comparison = to_shape(areas.comparison_boundary)
    elif kind == PlaceAreas.Comparison.PLACE and areas.comparison_place_id:
        comparison = to_shape(areas.comparison_place.boundary)
    if comparison is not None:
        for inner in (target, buffer):
            if inner is not None:
                comparison = comparison.difference(inner)
    return PlaceShapes(
        target,
        buffer,
        comparison,
        rest_of_municipality=kind == PlaceAreas.Comparison.MUNICIPALITY,
    )


def _has_areas(place) -> bool:
    try:
        place.areas  # noqa: B018
    except PlaceAreas.DoesNotExist:
        return False
    return True


def count_points(events, shapes: PlaceShapes) -> dict:
    """``{(area kind, key): count}`` for ``events`` given as ``(lon, lat, key)``; a point
    outside every area is not counted."""
    counts: dict = {}
    for lon, lat, key in events:
        kind = shapes.classify(lon, lat)
        if kind is not None:
            counts[(kind, key)] = counts.get((kind, key), 0) + 1
    return counts
