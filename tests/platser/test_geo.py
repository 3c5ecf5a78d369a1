"""GeoJSON validation without GDAL (platser.geo): every rule and its Swedish message."""

import json
import math

import pytest
from django.core.exceptions import ValidationError

from platser import geo
from tests.factories import square

AVESTA = (16.168, 60.145)


def polygon(*corners, close=True):
    ring = [list(c) for c in corners]
    if close:
        ring.append(list(corners[0]))
    return {"type": "Polygon", "coordinates": [ring]}


def circle(n, lon=AVESTA[0], lat=AVESTA[1], r=0.002, close=True):
    corners = [
        (lon + r * math.cos(2 * math.pi * i / n), lat + r * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]
    return polygon(*corners, close=close)


def error_of(func, value) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        func(value)
    return excinfo.value


# --- validate_polygon ------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, "", "null"])
def test_validate_polygon_empty_is_none(empty):
    assert geo.validate_polygon(empty) is None


def test_validate_polygon_accepts_a_small_square_and_returns_it_closed():
    value = square()
    assert geo.validate_polygon(value) == value


def test_validate_polygon_accepts_a_json_string_and_a_feature():
    feature = {"type": "Feature", "properties": {}, "geometry": square()}
    assert geo.validate_polygon(json.dumps(square())) == square()
    assert geo.validate_polygon(json.dumps(feature)) == square()


def test_validate_polygon_closes_an_open_ring():
    lon, lat = AVESTA
    corners = [(lon, lat), (lon + 0.001, lat), (lon + 0.001, lat + 0.001)]
    result = geo.validate_polygon(polygon(*corners, close=False))
    ring = result["coordinates"][0]
    assert len(ring) == 4
    assert ring[0] == ring[-1] == [lon, lat]


def test_validate_polygon_rejects_text_that_is_not_json():
    error = error_of(geo.validate_polygon, "{inte json")
    assert error.code == "json"
    assert error.messages == ["Kartdata kunde inte läsas (ogiltig GeoJSON)."]


@pytest.mark.parametrize("value", ["[1, 2]", "42", [1, 2]])
def test_validate_polygon_rejects_json_that_is_not_an_object(value):
    assert error_of(geo.validate_polygon, value).messages == [
        "Kartdata måste vara ett GeoJSON-objekt."
    ]


def test_validate_polygon_rejects_a_feature_without_geometry():
    error = error_of(geo.validate_polygon, {"type": "Feature", "geometry": None})
    assert error.messages == ["GeoJSON-objektet saknar geometri."]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "LineString", "coordinates": [list(AVESTA), [16.17, 60.146]]},
        {"type": "Point", "coordinates": list(AVESTA)},
        {"type": "MultiPolygon", "coordinates": [square()["coordinates"]]},
        {"coordinates": square()["coordinates"]},
    ],
)
def test_validate_polygon_rejects_other_geometry_types(geometry):
    error = error_of(geo.validate_polygon, geometry)
    assert error.code == "type"
    assert error.messages == ["Avgränsningen måste vara en polygon."]


def test_validate_polygon_rejects_holes_and_missing_rings():
    outer = circle(8, r=0.004)["coordinates"][0]
    inner = circle(4, r=0.001)["coordinates"][0]
    for coordinates in ([outer, inner], [], None, "x", [None]):
        error = error_of(geo.validate_polygon, {"type": "Polygon", "coordinates": coordinates})
        assert error.messages == ["Avgränsningen måste vara en enda yta utan hål."], coordinates


def test_validate_polygon_rejects_a_bow_tie():
    lon, lat = AVESTA
    bow_tie = polygon(
        (lon, lat), (lon + 0.002, lat + 0.002), (lon + 0.002, lat), (lon, lat + 0.002)
    )
    error = error_of(geo.validate_polygon, bow_tie)
    assert error.code == "self_intersect"
    assert error.messages == ["Avgränsningen får inte korsa sig själv."]


def test_validate_polygon_rejects_a_ring_touching_itself_at_a_corner():
    # A figure eight whose two loops meet in one corner that lies on another edge.
    lon, lat = AVESTA
    d = 0.001
    ring = polygon(
        (lon, lat),
        (lon + 2 * d, lat),
        (lon + 2 * d, lat + 2 * d),
        (lon + d, lat),  # touches the first edge
        (lon, lat + 2 * d),
    )
    assert error_of(geo.validate_polygon, ring).code == "self_intersect"


def test_validate_polygon_rejects_a_repeated_corner():
    lon, lat = AVESTA
    ring = polygon((lon, lat), (lon + 0.001, lat), (lon + 0.001, lat), (lon, lat + 0.001))
    error = error_of(geo.validate_polygon, ring)
    assert error.messages == ["Avgränsningen har samma hörn två gånger."]


def test_validate_polygon_rejects_a_flat_ring():
    lon, lat = AVESTA
    ring = polygon((lon, lat), (lon + 0.001, lat), (lon + 0.002, lat))
    error = error_of(geo.validate_polygon, ring)
    assert error.messages[0] in (
        "Avgränsningen har ingen yta.",
        "Avgränsningen får inte korsa sig själv.",
    )


@pytest.mark.parametrize("n_positions", [0, 1, 2, 3])
def test_validate_polygon_needs_three_corners(n_positions):
    lon, lat = AVESTA
    positions = [[lon, lat], [lon + 0.001, lat], [lon, lat]][:n_positions]
    if n_positions == 3:
        positions = [[lon, lat], [lon + 0.001, lat], [lon, lat]]  # two corners, closed
    error = error_of(geo.validate_polygon, {"type": "Polygon", "coordinates": [positions]})
    assert error.code == "too_few"
    assert error.messages == ["Avgränsningen behöver minst tre hörn."]


def test_validate_polygon_accepts_exactly_500_corners():
    assert len(geo.validate_polygon(circle(500))["coordinates"][0]) == 501


@pytest.mark.parametrize("close", [True, False])
def test_validate_polygon_rejects_501_corners(close):
    error = error_of(geo.validate_polygon, circle(501, close=close))
    assert error.code == "too_many"
    assert error.messages == ["Avgränsningen får ha högst 500 hörn."]


@pytest.mark.parametrize(
    "lon_lat",
    [
        (2.35, 48.85),  # Paris
        (5.32, 60.39),  # Bergen: west of the box
        (24.94, 60.17),  # Helsinki: east of the box
        (16.0, 54.5),  # the sea south of Skåne
        (20.0, 70.0),  # north of the box
    ],
)
def test_validate_polygon_rejects_a_polygon_outside_sweden(lon_lat):
    error = error_of(geo.validate_polygon, square(*lon_lat))
    assert error.code == "outside"
    assert error.messages == ["Alla punkter måste ligga i Sverige."]


@pytest.mark.parametrize(
    "position", [["16.1", "60.1"], [16.1], [True, 60.1], "16.1,60.1", None, [None, 60.1]]
)
def test_validate_polygon_rejects_positions_that_are_not_numbers(position):
    lon, lat = AVESTA
    ring = [[lon, lat], [lon + 0.001, lat], position, [lon, lat]]
    error = error_of(geo.validate_polygon, {"type": "Polygon", "coordinates": [ring]})
    assert error.messages == ["Varje punkt måste ha longitud och latitud som tal."]


def test_validate_polygon_rejects_nan_from_json():
    text = '{"type": "Polygon", "coordinates": [[[NaN, 60.1], [16.1, 60.1], [16.1, 60.2]]]}'
    assert error_of(geo.validate_polygon, text).code == "outside"


def test_validate_polygon_accepts_the_extremes_of_sweden():
    # Treriksröset (the northernmost point) and Smygehuk (the southernmost).
    assert geo.validate_polygon(square(20.548, 69.059, size=0.001))
    assert geo.validate_polygon(square(13.359, 55.337, size=0.001))


# --- validate_point and validate_line --------------------------------------------------------


def test_validate_point_accepts_a_point_and_a_feature():
    point = {"type": "Point", "coordinates": [16.17, 60.15]}
    assert geo.validate_point(point) == point
    assert geo.validate_point(json.dumps({"type": "Feature", "geometry": point})) == point
    assert geo.validate_point(None) is None


def test_validate_point_drops_altitude():
    result = geo.validate_point({"type": "Point", "coordinates": [16.17, 60.15, 112.0]})
    assert result == {"type": "Point", "coordinates": [16.17, 60.15]}


def test_validate_point_rejects_other_types_and_places_abroad():
    assert error_of(geo.validate_point, square()).messages == ["Positionen måste vara en punkt."]
    outside = {"type": "Point", "coordinates": [5.32, 60.39]}
    assert error_of(geo.validate_point, outside).messages == ["Alla punkter måste ligga i Sverige."]
    broken = {"type": "Point", "coordinates": "16,60"}
    assert error_of(geo.validate_point, broken).code == "position"


def test_validate_line_accepts_a_route():
    line = {"type": "LineString", "coordinates": [[16.17, 60.15], [16.18, 60.16], [16.19, 60.15]]}
    assert geo.validate_line(json.dumps(line)) == line
    assert geo.validate_line("") is None


@pytest.mark.parametrize(
    ("coordinates", "message"),
    [
        ([[16.17, 60.15]], "Rutten behöver minst två punkter."),
        ([], "Rutten behöver minst två punkter."),
        ("x", "Rutten behöver minst två punkter."),
        ([[16.17, 60.15], [10.0, 50.0]], "Alla punkter måste ligga i Sverige."),
        (
            [[16.17 + i * 1e-5, 60.15] for i in range(geo.MAX_LINE_VERTICES + 1)],
            "Rutten får ha högst 2000 punkter.",
        ),
    ],
)
def test_validate_line_rejects_bad_routes(coordinates, message):
    error = error_of(geo.validate_line, {"type": "LineString", "coordinates": coordinates})
    assert error.messages == [message]


def test_validate_line_rejects_a_polygon():
    assert error_of(geo.validate_line, square()).messages == ["Rutten måste vara en linje."]


# --- point_in_polygon and bounds -------------------------------------------------------------


def test_point_in_polygon_inside_and_outside_a_square():
    area = square(16.0, 60.0, size=1.0)
    assert geo.point_in_polygon((16.5, 60.5), area)
    assert not geo.point_in_polygon((17.5, 60.5), area)
    assert not geo.point_in_polygon((16.5, 59.5), area)


def test_point_in_polygon_in_the_notch_of_a_concave_polygon():
    # A U shape: the notch between the arms is outside.
    u_shape = polygon((0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3))
    assert geo.point_in_polygon((0.5, 2), u_shape)
    assert geo.point_in_polygon((2.5, 2), u_shape)
    assert not geo.point_in_polygon((1.5, 2), u_shape)
    assert geo.point_in_polygon((1.5, 0.5), u_shape)


def test_bounds_spans_all_geometries_in_leaflet_order():
    result = geo.bounds(
        [
            square(16.0, 60.0, size=0.5),
            None,
            {"type": "Point", "coordinates": [15.0, 61.0]},
            {"type": "LineString", "coordinates": [[17.0, 59.0], [16.5, 59.5]]},
        ]
    )
    assert result == [[59.0, 15.0], [61.0, 17.0]]


def test_bounds_of_nothing_is_none():
    assert geo.bounds([]) is None
    assert geo.bounds([None, {}]) is None
    assert geo.bounds([{"type": "Polygon", "coordinates": []}]) is None


def test_segments_intersect_touching_and_parallel():
    assert geo.segments_intersect((0, 0), (2, 2), (0, 2), (2, 0))
    assert geo.segments_intersect((0, 0), (2, 0), (1, 0), (1, 1))  # T junction
    assert geo.segments_intersect((0, 0), (2, 0), (1, 0), (3, 0))  # overlapping
    assert not geo.segments_intersect((0, 0), (2, 0), (0, 1), (2, 1))  # parallel
    assert not geo.segments_intersect((0, 0), (1, 0), (2, 0), (3, 0))  # collinear apart


def test_bounds_and_centre_of_a_multipolygon():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            square(16.0, 60.0, size=0.5)["coordinates"],
            square(17.0, 61.0, size=0.5)["coordinates"],
        ],
    }
    assert geo.bounds([multi]) == [[60.0, 16.0], [61.5, 17.5]]
    assert geo.centre(multi) == [16.75, 60.75]
    assert geo.centre({"type": "Polygon", "coordinates": []}) is None
