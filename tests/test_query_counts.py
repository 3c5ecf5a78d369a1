"""Query-count guards (NetBox baselines, STYLE.md §26): every list page runs the same number
of queries with 3 rows as with 30, so an N+1 in a selector or template fails here."""

import itertools
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from partnerships.models import Municipality, Role
from platser.models import Place
from tests.factories import (
    AuditEntryFactory,
    ContactFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PlaceFactory,
    StakeholderFactory,
    ZoneFactory,
    square,
)

pytestmark = pytest.mark.django_db

_counter = itertools.count()


def _organisation(program, contacts=2):
    organisation = OrganisationFactory(
        program=program, municipality=Municipality.objects.get(code="2084")
    )
    for _ in range(contacts):
        ContactFactory(organisation=organisation)
    return organisation


def add_places(w, n):
    for _ in range(n):
        i = next(_counter)
        place = PlaceFactory(program=w.program, boundary=square(16.0 + i * 0.01, 60.0))
        ZoneFactory(place=place)
        ZoneFactory(place=place)
        StakeholderFactory(place=place, organisation=_organisation(w.program))


def add_organisations(w, n):
    for _ in range(n):
        StakeholderFactory(place=w.place, organisation=_organisation(w.program))


def add_stakeholders(w, n):
    for i in range(n):
        StakeholderFactory(
            place=w.place,
            organisation=_organisation(w.program),
            agreement_type="avsiktsforklaring" if i % 2 else "",
        )


def add_members(w, n):
    for i in range(n):
        if i % 2:
            MembershipFactory(program=w.program, role=Role.PLACE_LEAD, places=[w.place])
        else:
            MembershipFactory(
                program=w.program,
                role=Role.PARTNER,
                organisation=w.organisation,
                places=[w.place],
            )
        InvitationFactory(
            program=w.program, role=Role.PARTNER, organisation=w.organisation, places=[w.place]
        )


def add_audit_entries(w, n):
    for _ in range(n):
        AuditEntryFactory(program=w.program)


def add_place_content(w, n):
    for _ in range(n):
        StakeholderFactory(place=w.place, organisation=_organisation(w.program))
        ZoneFactory(place=w.place)
        MembershipFactory(program=w.program, role=Role.PLACE_LEAD, places=[w.place])


def add_organisation_content(w, n):
    for i in range(n):
        ContactFactory(organisation=w.organisation)
        place = PlaceFactory(program=w.program, boundary=square(16.0 + i * 0.01, 61.0))
        StakeholderFactory(place=place, organisation=w.organisation)


def program_url(name, kwargs):
    return lambda w: reverse(name, kwargs={"program": w.program.slug, **kwargs(w)})


def no_kwargs(w):
    return {}


# page: (its URL, a function adding n rows of what the page lists)
PAGES = {
    "program_home": (program_url("platser:overview", no_kwargs), add_places),
    "archived_places": (
        lambda w: reverse("platser:overview", kwargs={"program": w.program.slug}) + "?arkiverade=1",
        add_places,
    ),
    "organisations": (program_url("partnerships:organisations", no_kwargs), add_organisations),
    "organisation_detail": (
        program_url("partnerships:organisation", lambda w: {"pk": w.organisation.pk}),
        add_organisation_content,
    ),
    "stakeholder_register": (
        program_url("platser:stakeholders", lambda w: {"pk": w.place.pk}),
        add_stakeholders,
    ),
    "members": (program_url("partnerships:members", no_kwargs), add_members),
    "audit_log": (program_url("partnerships:audit_log", no_kwargs), add_audit_entries),
    "place_detail": (
        program_url("platser:place", lambda w: {"pk": w.place.pk}),
        add_place_content,
    ),
}

# Who looks at each page: the coordinator sees everything; the place lead takes the
# per-place permission path; the observer the path without personal data.
PERSONAS = {
    "program_home": ["coordinator", "observer"],
    "archived_places": ["coordinator"],
    "organisations": ["coordinator", "observer"],
    "organisation_detail": ["coordinator", "observer"],
    "stakeholder_register": ["coordinator", "place_lead", "observer"],
    "members": ["coordinator"],
    "audit_log": ["coordinator"],
    "place_detail": ["coordinator", "place_lead"],
}


class World:
    def __init__(self, program, place, organisation):
        self.program = program
        self.place = place
        self.organisation = organisation


def _shapes(queries) -> Counter:
    """Statements with their literals blanked, counted: an N+1 shows as one shape repeated."""
    return Counter(re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:300] for sql in queries)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries], response.content.decode()


def _archive_all(program):
    with scopes_disabled():  # test set-up: archive the generated places
        Place.objects.filter(program=program).exclude(name="Avesta centrum").update(
            archived_at="2025-01-01T00:00Z"
        )


@pytest.mark.parametrize(
    ("page_name", "persona"),
    [(page_name, persona) for page_name, personas in PERSONAS.items() for persona in personas],
)
def test_query_count_is_the_same_for_3_and_30_rows(
    page_name, persona, request, program, place, organisation, client_for
):
    url_of, add = PAGES[page_name]
    world = World(program, place, organisation)
    client = client_for(request.getfixturevalue(persona))
    url = url_of(world)

    add(world, 3)
    if page_name == "archived_places":
        _archive_all(program)
    client.get(url)  # warm up per-process caches (content types, sessions)
    small, _ = count_queries(client, url)

    add(world, 27)
    if page_name == "archived_places":
        _archive_all(program)
    large, html = count_queries(client, url)

    extra = "\n".join(f"{n} x {sql}" for sql, n in (_shapes(large) - _shapes(small)).most_common(5))
    assert len(small) == len(large), (
        f"{page_name} as {persona}: {len(small)} queries with 3 rows, {len(large)} with 30.\n"
        f"Statements that grew with the data:\n{extra}"
    )
    rows = html.count("<tr") + html.count('class="chip ') + html.count('<li><a href="/p/')
    assert rows >= 30, f"{page_name}: the 30 rows are not on the page"
