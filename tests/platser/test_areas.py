"""A place's buffer and comparison areas (platser.areas): the ring in metres, and point events
counted once, a point exactly on a border included."""

import pytest
from django_scopes import scope

from platser import areas
from platser.models import AreaKind, PlaceAreas
from tests.factories import PlaceAreasFactory, PlaceFactory, square

pytestmark = pytest.mark.django_db

LON, LAT, SIZE = 16.168, 60.145, 0.002  # the factories' square in Avesta, about 110 × 220 m
METRE_LAT = 1 / 111_200  # degrees of latitude per metre, near enough for these tests


def shapes_for(**area_fields):
    place = PlaceFactory(boundary=square(LON, LAT, SIZE))
    PlaceAreasFactory(place=place, program=place.program, **area_fields)
    with scope(program=place.program):
        place = type(place).objects.select_related("areas").get(pk=place.pk)
        return areas.place_shapes(place)


def test_a_point_on_the_place_border_counts_once_for_the_place():
    shapes = shapes_for()
    assert shapes.classify(LON + SIZE / 2, LAT) == AreaKind.TARGET  # on the south edge
    assert shapes.classify(LON, LAT) == AreaKind.TARGET  # on a corner
    counts = areas.count_points([(LON + SIZE / 2, LAT, "stold")], shapes)
    assert counts == {(AreaKind.TARGET, "stold"): 1}


def test_the_default_buffer_is_a_ring_of_the_chosen_width_in_metres():
    shapes = shapes_for(buffer_width_m=200)
    inside = LAT - 150 * METRE_LAT
    outside = LAT - 260 * METRE_LAT
    assert shapes.classify(LON + SIZE / 2, inside) == AreaKind.BUFFER
    # Beyond the ring, with the rest of the municipality as comparison: the comparison area.
    assert shapes.classify(LON + SIZE / 2, outside) == AreaKind.COMPARISON
    wider = shapes_for(buffer_width_m=400)
    assert wider.classify(LON + SIZE / 2, outside) == AreaKind.BUFFER


def test_a_drawn_comparison_area_counts_only_what_is_inside_it():
    far = square(LON + 0.02, LAT, 0.004)
    shapes = shapes_for(comparison_kind=PlaceAreas.Comparison.DRAWN, comparison_boundary=far)
    assert shapes.classify(LON + 0.022, LAT + 0.002) == AreaKind.COMPARISON
    assert shapes.classify(LON + 0.02, LAT + 0.001) == AreaKind.COMPARISON  # on its border
    assert shapes.classify(LON + 0.1, LAT) is None


def test_a_point_on_the_border_between_buffer_and_comparison_counts_once():
    # A drawn buffer east of the place, and a drawn comparison area sharing its east edge.
    buffer = square(LON + SIZE, LAT, SIZE)
    comparison = square(LON + 2 * SIZE, LAT, SIZE)
    east_edge = buffer["coordinates"][0][1][0]
    for corner in (0, 3, 4):  # the comparison square's west edge is exactly that line
        comparison["coordinates"][0][corner][0] = east_edge
    shapes = shapes_for(
        buffer_boundary=buffer,
        comparison_kind=PlaceAreas.Comparison.DRAWN,
        comparison_boundary=comparison,
    )
    on_shared_edge = (east_edge, LAT + SIZE / 2)
    assert shapes.classify(*on_shared_edge) == AreaKind.BUFFER
    counts = areas.count_points(
        [(*on_shared_edge, "klotter"), (LON + 2.5 * SIZE, LAT + SIZE / 2, "klotter")], shapes
    )
    assert counts == {(AreaKind.BUFFER, "klotter"): 1, (AreaKind.COMPARISON, "klotter"): 1}


def test_another_place_as_comparison():
    other = PlaceFactory(boundary=square(LON + 0.05, LAT, SIZE))
    place = PlaceFactory(program=other.program, boundary=square(LON, LAT, SIZE))
    PlaceAreasFactory(
        place=place,
        program=place.program,
        comparison_kind=PlaceAreas.Comparison.PLACE,
        comparison_place=other,
    )
    with scope(program=place.program):
        shapes = areas.place_shapes(type(place).objects.get(pk=place.pk))
    assert shapes.classify(LON + 0.051, LAT + 0.001) == AreaKind.COMPARISON
    assert shapes.classify(LON + 0.03, LAT) is None


def test_a_place_without_areas_gets_the_defaults_and_one_without_boundary_counts_nothing():
    place = PlaceFactory(boundary=square(LON, LAT, SIZE))
    with scope(program=place.program):
        shapes = areas.place_shapes(type(place).objects.get(pk=place.pk))
    assert shapes.classify(LON + SIZE / 2, LAT - 100 * METRE_LAT) == AreaKind.BUFFER
    bare = PlaceFactory(boundary=None)
    with scope(program=bare.program):
        shapes = areas.place_shapes(type(bare).objects.get(pk=bare.pk))
    assert shapes.target is None and shapes.buffer is None
    assert shapes.classify(LON, LAT) == AreaKind.COMPARISON  # the rest of the municipality
