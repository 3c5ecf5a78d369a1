"""A walk's route recorded from the phone: thinned on the server (``geo.thin_line``), and a walk
kept offline as a draft stored exactly once by its client id."""

import json
import math
import uuid

import pytest
from django.urls import reverse
from django_scopes import scope

from platser import geo
from platser.models import SafetyWalk

pytestmark = pytest.mark.django_db

LAT = 60.145
# Degrees per metre at the place's latitude (the same flat projection as the service).
DLON = 1 / (111_320.0 * math.cos(math.radians(LAT)))
DLAT = 1 / 110_540.0


def walked(metres_east: list[float], metres_north: list[float]) -> dict:
    coords = [
        [round(16.168 + e * DLON, 7), round(LAT + n * DLAT, 7)]
        for e, n in zip(metres_east, metres_north, strict=True)
    ]
    return {"type": "LineString", "coordinates": coords}


def test_thin_line_drops_jitter_and_straight_runs_but_keeps_the_corner_and_the_ends():
    # 100 m east at one point a metre, a second of standing still (jitter), then 50 m north.
    east = [float(i) for i in range(101)] + [100.4, 99.8, 100.2] + [100.0] * 50
    north = [0.0] * 101 + [0.3, -0.2, 0.1] + [float(i) for i in range(1, 51)]

    thinned = geo.thin_line(walked(east, north))["coordinates"]

    line = walked(east, north)["coordinates"]
    assert thinned[0] == line[0] and thinned[-1] == line[-1]
    assert len(thinned) == 3  # start, the corner, the end
    corner = thinned[1]
    assert abs((corner[0] - 16.168) / DLON - 100) < 3 and abs((corner[1] - LAT) / DLAT) < 3


def test_thin_line_keeps_a_winding_route_within_its_tolerance():
    # A zigzag 20 m wide every 20 m: every corner is far more than 3 m off a straight line.
    east = [float(i * 10) for i in range(21)]
    north = [0.0 if i % 2 == 0 else 20.0 for i in range(21)]

    thinned = geo.thin_line(walked(east, north))["coordinates"]

    line = walked(east, north)["coordinates"]
    assert len(thinned) == len(line)  # nothing dropped; positions kept to 6 decimals (10 cm)
    assert all(p == pytest.approx(q, abs=1e-6) for p, q in zip(thinned, line, strict=True))


def test_thin_line_of_two_close_points_stays_a_line():
    thinned = geo.thin_line(walked([0.0, 2.0], [0.0, 0.0]))
    assert len(thinned["coordinates"]) == 2


def url(name, place, **kwargs):
    return reverse(name, kwargs={"program": place.program.slug, "place": place.pk, **kwargs})


def test_a_recorded_route_is_stored_thinned(place, place_lead, client_for):
    east = [i * 0.5 for i in range(201)]  # 100 m east, a point every half metre
    route = walked(east, [0.0] * 201)

    client_for(place_lead).post(
        url("platser:walk_create", place),
        {"date": "2025-11-12", "light": "morker", "route": json.dumps(route)},
    )

    with scope(program=place.program):
        walk = SafetyWalk.objects.get()
    assert walk.route["coordinates"] == [route["coordinates"][0], route["coordinates"][-1]]


def test_a_walk_sent_twice_as_a_draft_is_stored_once_and_a_refused_one_says_why(
    program, place, place_lead, stakeholder, organisation, client_for
):
    client = client_for(place_lead)
    data = {
        "client_id": str(uuid.uuid4()),
        "date": "2025-11-12",
        "light": "morker",
        "route": json.dumps(walked([0.0, 40.0, 80.0], [0.0, 30.0, 0.0])),
        "women": "3",
        f"org_{organisation.pk}": "2",
        "score_belysning": "2",
        "score_trygghet": "3",
    }
    draft = {"HTTP_X_TRYGGA_DRAFT": "1"}

    first = client.post(url("platser:walk_create", place), data, **draft)
    again = client.post(url("platser:walk_create", place), data, **draft)
    refused = client.post(
        url("platser:walk_create", place), {**data, "client_id": "", "date": "igår"}, **draft
    )

    with scope(program=program):
        [walk] = SafetyWalk.objects.all()
        scores = set(walk.scores.values_list("criterion", "score"))
        participants = list(walk.participations.values_list("organisation", "count"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["url"] == again.json()["url"] == walk.get_absolute_url()
    assert str(walk.client_id) == data["client_id"]
    assert scores == {("belysning", 2), ("trygghet", 3)}
    assert participants == [(organisation.pk, 2)] and walk.women == 3
    assert refused.status_code == 422
    assert refused.json()["messages"] == ["Datum: Fyll i ett giltigt datum."]
