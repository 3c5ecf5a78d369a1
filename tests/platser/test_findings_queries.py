"""Query-count guards (STYLE.md §26) for the findings map and list, the walk list and the walk
follow-up view: the same number of queries with 3 rows as with 30."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from tests.factories import FindingFactory, OrganisationFactory, SafetyWalkFactory, UserFactory

pytestmark = pytest.mark.django_db

_n = itertools.count()
CATEGORIES = ["belysning", "klotter", "sikt", "vegetation"]


def add_findings(place, n, walk=None):
    for _ in range(n):
        i = next(_n)
        FindingFactory(
            place=place,
            walk=walk,
            category=CATEGORIES[i % 4],
            point={"type": "Point", "coordinates": [16.1682 + (i % 10) * 0.0001, 60.1455]},
            responsible_organisation=OrganisationFactory(program=place.program),
            reported_by=UserFactory(),
        )


def add_walks(place, n):
    for _ in range(n):
        i = next(_n)
        walk = SafetyWalkFactory(
            place=place,
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            follow_up_date=datetime.date(2024, 8, 1) + datetime.timedelta(days=i),
        )
        with scope(program=place.program):
            walk.participations.create(
                program=place.program,
                organisation=OrganisationFactory(program=place.program),
                count=2,
            )
        FindingFactory(place=place, walk=walk)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response.content.decode()


def _guard(client, url, add, rows_marker):
    client.get(url)  # warm up per-process caches (content types, sessions)
    add(3)
    small, _ = count(client, url)
    add(27)
    large, html = count(client, url)
    assert small == large, f"{url}: {small} queries with 3 rows, {large} with 30"
    assert html.count(rows_marker) >= 30
    return html


@pytest.mark.parametrize("persona", ["coordinator", "observer"])
def test_findings_map_and_list(persona, request, place, client_for):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("platser:findings", kwargs={"program": place.program.slug, "place": place.pk})
    html = _guard(client, url, lambda n: add_findings(place, n), "<tr>")
    assert html.count('"type": "Point"') >= 30  # the map carries the same 30 findings


def test_filtered_findings(place, coordinator, client_for):
    url = (
        reverse("platser:findings", kwargs={"program": place.program.slug, "place": place.pk})
        + "?kategori=belysning&status=oppen"
    )
    client = client_for(coordinator)
    client.get(url)
    add_findings(place, 12)
    small, _ = count(client, url)
    add_findings(place, 120)
    large, html = count(client, url)
    assert small == large
    assert "Klotter" not in html.split("<tbody>")[1]


@pytest.mark.parametrize("persona", ["place_lead", "observer"])
def test_walk_list(persona, request, place, client_for):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("platser:walks", kwargs={"program": place.program.slug, "place": place.pk})
    _guard(client, url, lambda n: add_walks(place, n), "<tr")


@pytest.mark.parametrize("persona", ["coordinator", "observer"])
def test_walk_follow_up_view(persona, request, place, client_for):
    walk = SafetyWalkFactory(place=place)
    client = client_for(request.getfixturevalue(persona))
    url = walk.get_absolute_url()
    _guard(client, url, lambda n: add_findings(place, n, walk=walk), "<tr>")
