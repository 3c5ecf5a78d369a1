"""Drawing a place in a minute: the map jumps to the chosen municipality (a centre per
municipality in the reference data), and zones are drawn as polygons inside the place."""

import json
import math

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from partnerships.models import AuditEntry, Municipality
from partnerships.reference import municipality_centres
from platser import geo
from platser.services import save_zone_boundary
from tests.factories import ZoneFactory, square

pytestmark = pytest.mark.django_db


def km(a, b) -> float:
    """Distance in km between two (lat, lon) points (equirectangular: fine at this scale)."""
    dy = (a[0] - b[0]) * 111.2
    dx = (a[1] - b[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def test_every_municipality_has_a_centre_in_sweden():
    centres = municipality_centres()
    codes = set(Municipality.objects.values_list("code", flat=True))
    assert len(codes) == 290 and set(centres) == codes
    for lat, lon in centres.values():
        assert 55.2 < lat < 69.1 and 10.9 < lon < 24.2
    # The pilots' centres are their towns (the town halls within a few kilometres).
    town_halls = {"2084": (60.145, 16.168), "2080": (60.606, 15.631), "1981": (59.921, 16.606)}
    for code, town_hall in town_halls.items():
        assert km(centres[code], town_hall) < 3, code
    assert Municipality.objects.get(code="2084").centre == centres["2084"]


def test_the_place_form_carries_the_centres_for_the_map(client_for, program, coordinator):
    response = client_for(coordinator).get(
        reverse("platser:place_create", kwargs={"program": program.slug})
    )
    html = response.content.decode()
    assert 'data-follow="id_municipality" data-centres="municipality-centres"' in html
    data = html.split('id="municipality-centres" type="application/json">')[1].split("</script>")
    centres = json.loads(data[0])
    avesta = Municipality.objects.get(code="2084")
    assert centres[str(avesta.pk)] == list(municipality_centres()["2084"])
    assert len(centres) == 290


def zone_url(place, zone):
    return reverse(
        "platser:zone_boundary",
        kwargs={"program": place.program.slug, "pk": place.pk, "zone": zone.pk},
    )


def test_a_zone_drawn_inside_its_place_is_saved_and_shown(client_for, place, coordinator):
    zone = ZoneFactory(place=place, name="Busstorget")
    client = client_for(coordinator)
    inside = square(lon=16.1685, lat=60.1455, size=0.0005)
    page = client.get(zone_url(place, zone))
    assert 'data-context="place-boundary"' in page.content.decode()
    response = client.post(zone_url(place, zone), {"boundary": json.dumps(inside)})
    assert response.status_code == 302
    with scopes_disabled():
        zone.refresh_from_db()
        assert zone.boundary == inside
        assert AuditEntry.objects.filter(
            model_label="platser.Zone", object_id=str(zone.pk), actor=coordinator
        ).exists()
    detail = client.get(place.get_absolute_url()).content.decode()
    zones = json.loads(detail.split('id="place-zones" type="application/json">')[1].split("<")[0])
    assert zones["features"][0]["properties"] == {"zone": "Busstorget"}
    assert 'ändra<span class="visually-hidden"> Busstorget</span> på kartan' in detail
    # Emptied: the drawing is removed, the zone stays.
    client.post(zone_url(place, zone), {"boundary": ""})
    with scopes_disabled():
        zone.refresh_from_db()
    assert zone.boundary is None


def test_a_zone_outside_its_place_is_refused_in_swedish(client_for, place, coordinator):
    zone = ZoneFactory(place=place, name="Stationen")
    outside = square(lon=16.1695, lat=60.1455, size=0.002)  # runs past the place's east edge
    response = client_for(coordinator).post(
        zone_url(place, zone), {"boundary": json.dumps(outside)}
    )
    assert response.status_code == 200
    assert "Zonen går utanför platsens avgränsning." in response.content.decode()
    with scopes_disabled():
        zone.refresh_from_db()
    assert zone.boundary is None
    # The service holds the rule too, whoever calls it; a corner on the edge is inside.
    with pytest.raises(geo.ValidationError):
        save_zone_boundary(actor=coordinator, zone=zone, boundary=outside)
    on_edge = square(lon=16.168, lat=60.145, size=0.002)
    assert save_zone_boundary(actor=coordinator, zone=zone, boundary=on_edge).boundary == on_edge


def test_only_those_who_manage_the_place_draw_its_zones(client_for, place, partner):
    zone = ZoneFactory(place=place)
    response = client_for(partner).post(
        zone_url(place, zone), {"boundary": json.dumps(square(size=0.0005))}
    )
    assert response.status_code == 403
