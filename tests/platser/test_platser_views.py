"""Place and stakeholder pages through the client: personas, bad input and files."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from partnerships.models import AuditEntry, Municipality, OrganisationCategory
from platser.models import Place, Stakeholder, Zone
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    PlaceFactory,
    StakeholderFactory,
    pdf_bytes,
    square,
)

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(name, program, **kwargs):
    return reverse(name, kwargs={"program": program.slug, **kwargs})


def place_data(**overrides):
    data = {
        "name": "Sala centrum",
        "municipality": Municipality.objects.get(code="1981").pk,
        "description": "Stationen, Stadsparken och Torget.",
        "phase": "analys",
        "baseline_date": "2025-09-01",
        "boundary": json.dumps(square(16.60, 59.92)),
        "zones": "Stationen\nStadsparken\nTorget",
    }
    data.update(overrides)
    return data


def place_count(program):
    with scope(program=program):
        return Place.objects.count()


# --- program page and place pages ------------------------------------------------------------


def test_program_home_lists_active_places_on_the_map_and_in_the_table(
    program, place, second_place, observer, client_for
):
    with scopes_disabled():  # test set-up
        Place.objects.filter(pk=second_place.pk).update(
            name="Gamla torget", archived_at="2025-01-01T00:00Z"
        )

    response = client_for(observer).get(url("platser:overview", program))

    html = response.content.decode()
    assert "Avesta centrum" in html
    assert "Gamla torget" not in html
    features = _map_features(html)
    assert [f["properties"]["name"] for f in features] == ["Avesta centrum"]
    assert features[0]["geometry"]["type"] == "Polygon"
    assert "Ny plats" not in html  # observers cannot create places

    archived = client_for(observer).get(url("platser:overview", program) + "?arkiverade=1")
    assert "Gamla torget" in archived.content.decode()
    assert "Avesta centrum" not in archived.content.decode()


def _map_features(html: str) -> list[dict]:
    """The program map's features as the browser reads them from the page."""
    start = html.index('<script id="places-geojson" type="application/json">')
    content = html[html.index(">", start) + 1 : html.index("</script>", start)]
    return json.loads(content)["features"]


def test_program_home_pages_and_searches_a_national_list(program, observer, client_for):
    municipalities = list(Municipality.objects.filter(code__in=["2084", "2080"]).order_by("code"))
    for i in range(120):  # more than a page and more than the map draws as outlines
        PlaceFactory(
            program=program,
            name=f"Torget {i:03d}",
            municipality=municipalities[i % 2],
            boundary=square(lon=15 + i * 0.01),
        )
    client = client_for(observer)

    first = client.get(url("platser:overview", program))
    html = first.content.decode()
    assert len(first.context["places"]) == 50
    assert "120 platser" in html and "Sida 1 av 3" in html
    features = _map_features(html)
    assert len(features) == 120  # every place on the map, not only this page's
    assert {f["geometry"]["type"] for f in features} == {"Point"}  # dots, not 120 outlines

    found = client.get(url("platser:overview", program) + "?sok=falun")
    names = [p.name for p in found.context["places"]]
    assert len(names) == 50 and all(int(n[-3:]) % 2 == 0 for n in names)  # Falun: even ones
    assert "sok=falun&amp;page=2" in found.content.decode()  # the next page keeps the search
    assert "60 platser" in found.content.decode()
    none = client.get(url("platser:overview", program) + "?sok=%3Cb%3Ezz")
    assert "Ingen plats eller kommun matchar ”&lt;b&gt;zz”." in none.content.decode()
    # Garbage in the query string: the nearest page, a search cut to size, no NUL for the
    # database (PostgreSQL refuses it).
    for query, page in (("?page=abc", 1), ("?page=-4", 3), ("?page=999", 3)):
        response = client.get(url("platser:overview", program) + query)
        assert response.status_code == 200 and response.context["page_obj"].number == page
    long = client.get(url("platser:overview", program) + "?sok=" + "Torget%00" * 2000)
    assert long.status_code == 200 and long.context["search"] == "Torget" * 16 + "Torg"


def test_program_map_shows_a_place_changed_through_the_product(
    program, place, coordinator, client_for
):
    client = client_for(coordinator)
    assert [f["properties"]["name"] for f in _map_features(_home(client, program))] == [
        "Avesta centrum"
    ]
    response = client.post(
        url("platser:place_update", program, pk=place.pk),
        place_data(name="Avesta torg", phase="analys"),
    )
    assert response.status_code == 302
    assert [f["properties"]["name"] for f in _map_features(_home(client, program))] == [
        "Avesta torg"
    ]


def _home(client, program) -> str:
    return client.get(url("platser:overview", program)).content.decode()


def test_partner_lands_on_a_log_activity_button(program, place, partner, observer, client_for):
    html = client_for(partner).get(url("platser:overview", program)).content.decode()
    start = reverse("measures:activity_start", kwargs={"program": program.slug})
    assert f'<a class="button" href="{start}">Logga aktivitet</a>' in html
    html = client_for(observer).get(url("platser:overview", program)).content.decode()
    assert f'<a class="button" href="{start}">' not in html  # observers log nothing


def test_coordinator_sees_the_new_place_button(program, coordinator, client_for):
    html = client_for(coordinator).get(url("platser:overview", program)).content.decode()
    assert "Ny plats" in html
    assert "Programmet har inga platser ännu." in html


def test_place_detail_shows_zones_stakeholders_and_map(
    program, place, stakeholder, partner, client_for
):
    with scopes_disabled():  # test set-up
        Zone.objects.create(program=program, place=place, name="Busstorget")

    response = client_for(partner).get(url("platser:place", program, pk=place.pk))

    html = response.content.decode()
    assert "<h1>Avesta centrum</h1>" in html
    assert "Busstorget" in html
    assert "Avestahem AB" in html
    assert 'id="place-boundary"' in html
    assert "Arkivera" not in html  # partners do not manage places


# --- create and edit -------------------------------------------------------------------------


def test_coordinator_creates_a_place_with_boundary_and_zones(program, coordinator, client_for):
    response = client_for(coordinator).post(url("platser:place_create", program), place_data())

    with scope(program=program):
        place = Place.objects.get()
        zones = sorted(place.zones.values_list("name", flat=True))
        entries = list(AuditEntry.objects.order_by("id"))
    assert response.status_code == 302
    assert response["Location"] == place.get_absolute_url()
    assert place.name == "Sala centrum"
    assert place.municipality.name == "Sala"
    assert place.boundary == square(16.60, 59.92)
    assert zones == ["Stadsparken", "Stationen", "Torget"]
    assert [e.action for e in entries] == ["create", "update"]
    assert all(e.actor == coordinator for e in entries)
    assert entries[0].changes["name"] == "Sala centrum"


def test_place_create_accepts_an_empty_boundary(program, coordinator, client_for):
    client_for(coordinator).post(url("platser:place_create", program), place_data(boundary=""))
    with scope(program=program):
        assert Place.objects.get().boundary is None


def test_place_lead_edits_their_place_and_the_log_names_the_changed_fields(
    program, place, place_lead, client_for
):
    data = place_data(
        name="Avesta centrum",
        municipality=place.municipality.pk,
        description="Busstorget och stråket mot ån.",
        boundary=json.dumps(place.boundary),
        phase="start",
        baseline_date="",
        zones="",
    )

    response = client_for(place_lead).post(url("platser:place_update", program, pk=place.pk), data)

    assert response.status_code == 302
    with scope(program=program):
        place.refresh_from_db()
        entry = AuditEntry.objects.get()
    assert place.description == "Busstorget och stråket mot ån."
    assert entry.actor == place_lead
    assert entry.action == AuditEntry.Action.UPDATE
    assert set(entry.changes) == {"description"}


def test_place_edit_form_shows_the_zones_one_per_line(program, place, coordinator, client_for):
    with scopes_disabled():  # test set-up
        Zone.objects.create(program=program, place=place, name="Torget")
        Zone.objects.create(program=program, place=place, name="Stationen")

    response = client_for(coordinator).get(url("platser:place_update", program, pk=place.pk))

    assert response.context["form"].initial["zones"] == "Stationen\nTorget"


def test_place_name_must_be_unique_in_the_program(program, place, coordinator, client_for):
    response = client_for(coordinator).post(
        url("platser:place_create", program), place_data(name="avesta CENTRUM")
    )
    assert response.status_code == 200
    assert "Det finns redan en plats med det namnet i programmet." in response.content.decode()
    assert place_count(program) == 1


def test_same_place_name_is_fine_in_another_program(
    program, other_program, other_place, coordinator, client_for
):
    client_for(coordinator).post(
        url("platser:place_create", program), place_data(name="Borlänge centrum")
    )
    assert place_count(program) == 1


def bow_tie():
    lon, lat = 16.17, 60.15
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [lon, lat],
                [lon + 0.002, lat + 0.002],
                [lon + 0.002, lat],
                [lon, lat + 0.002],
                [lon, lat],
            ]
        ],
    }


def many_corners(n):
    import math

    ring = [
        [
            16.17 + 0.002 * math.cos(2 * math.pi * i / n),
            60.15 + 0.002 * math.sin(2 * math.pi * i / n),
        ]
        for i in range(n)
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ("{inte json", "Kartdata kunde inte läsas (ogiltig GeoJSON)."),
        (
            json.dumps({"type": "LineString", "coordinates": [[16.17, 60.15], [16.18, 60.16]]}),
            "Avgränsningen måste vara en polygon.",
        ),
        (json.dumps(bow_tie()), "Avgränsningen får inte korsa sig själv."),
        (json.dumps(square(2.35, 48.85)), "Alla punkter måste ligga i Sverige."),
        (json.dumps(many_corners(501)), "Avgränsningen får ha högst 500 hörn."),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[16.17, 60.15], [16.18, 60.15]]]}),
            "Avgränsningen behöver minst tre hörn.",
        ),
    ],
    ids=["not-json", "linestring", "bow-tie", "outside-sweden", "501-corners", "two-corners"],
)
def test_place_form_rejects_invalid_geojson_with_a_swedish_message(
    program, coordinator, client_for, boundary, message
):
    response = client_for(coordinator).post(
        url("platser:place_create", program), place_data(boundary=boundary)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Formuläret innehåller fel." in html
    assert boundary.replace('"', "&quot;") in html  # the input is kept for correction
    assert place_count(program) == 0
    with scopes_disabled():  # no audit entry in any program
        assert not AuditEntry.objects.exists()


def test_place_edit_with_invalid_geojson_keeps_the_old_boundary(
    program, place, place_lead, client_for
):
    data = place_data(
        name=place.name, municipality=place.municipality.pk, boundary=json.dumps(bow_tie())
    )

    response = client_for(place_lead).post(url("platser:place_update", program, pk=place.pk), data)

    assert "Avgränsningen får inte korsa sig själv." in response.content.decode()
    with scope(program=program):
        place.refresh_from_db()
    assert place.boundary == square()
    assert place.description == "Ett torg med busshållplats."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "A" * 201, "Säkerställ att detta värde har som mest 200 tecken (den har 201)."),
        ("description", "x" * 5001, "som mest 5000 tecken (den har 5001)"),
        ("zones", "Z" * 101, "Ett zonnamn får vara högst 100 tecken."),
        ("zones", "Torget\ntorget", "Zonen torget står två gånger."),
        ("zones", "\n".join(f"Zon {i}" for i in range(21)), "En plats kan ha högst 20 zoner."),
        ("baseline_date", "2025-13-45", "Fyll i ett giltigt datum."),
    ],
)
def test_place_form_rejects_bad_text_with_a_message_not_a_500(
    program, coordinator, client_for, field, value, message
):
    response = client_for(coordinator).post(
        url("platser:place_create", program), place_data(**{field: value})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert place_count(program) == 0


# --- archive ---------------------------------------------------------------------------------


def test_place_lead_archives_and_restores_their_place(program, place, place_lead, client_for):
    client = client_for(place_lead)
    archive_url = url("platser:place_archive", program, pk=place.pk)

    response = client.post(archive_url, follow=True)
    html = response.content.decode()
    assert "Platsen Avesta centrum är arkiverad." in html
    assert "Platsen är arkiverad. Allt som registrerats finns kvar." in html
    with scope(program=program):
        place.refresh_from_db()
        assert place.is_archived
        assert AuditEntry.objects.get().action == AuditEntry.Action.ARCHIVE

    client.post(archive_url, {"restore": "1"})
    with scope(program=program):
        place.refresh_from_db()
    assert not place.is_archived


def test_place_lead_of_another_place_cannot_archive_it(
    program, place, other_place_lead, client_for
):
    response = client_for(other_place_lead).post(url("platser:place_archive", program, pk=place.pk))
    assert response.status_code == 403
    with scope(program=program):
        place.refresh_from_db()
    assert not place.is_archived


# --- stakeholders ----------------------------------------------------------------------------


def stakeholder_data(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "group": "styrgrupp",
        "commitment": "Kameror vid entrén.",
        "joined_on": "2025-02-01",
        "left_on": "",
        "agreement_type": "",
        "agreement_signed_on": "",
    }
    data.update(overrides)
    return data


def stakeholder_count(program):
    with scope(program=program):
        return Stakeholder.objects.count()


def test_place_lead_adds_a_stakeholder(program, place, place_lead, client_for):
    police = OrganisationFactory(program=program, name="Polisen", category="polis")

    response = client_for(place_lead).post(
        url("platser:stakeholder_create", program, place=place.pk), stakeholder_data(police)
    )

    assert response["Location"] == url("platser:stakeholders", program, pk=place.pk)
    with scope(program=program):
        stakeholder = Stakeholder.objects.get()
        entry = AuditEntry.objects.get()
    assert (stakeholder.place, stakeholder.organisation) == (place, police)
    assert stakeholder.commitment == "Kameror vid entrén."
    assert entry.actor == place_lead
    assert entry.changes["organisation"] == "Polisen"


def test_stakeholder_with_duplicate_organisation_is_refused(
    program, place, stakeholder, organisation, coordinator, client_for
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk), stakeholder_data(organisation)
    )

    assert response.status_code == 200
    assert "Avestahem AB är redan aktör på platsen." in response.content.decode()
    assert stakeholder_count(program) == 1
    with scope(program=program):
        assert not AuditEntry.objects.exists()


def test_stakeholder_form_offers_only_this_programs_organisations(
    program, place, organisation, other_program, coordinator, client_for
):
    foreign = OrganisationFactory(program=other_program, name="Borlänge Energi")

    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk), stakeholder_data(foreign)
    )

    html = response.content.decode()
    assert "Borlänge Energi" not in html
    assert "Välj ett giltigt alternativ" in html
    assert stakeholder_count(program) == 0
    assert stakeholder_count(other_program) == 0


def test_stakeholder_left_before_joined_is_refused(
    program, place, organisation, coordinator, client_for
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        stakeholder_data(organisation, joined_on="2025-05-01", left_on="2025-04-01"),
    )
    assert (
        "Datumet då aktören lämnade kan inte vara före anslutningen." in response.content.decode()
    )
    assert stakeholder_count(program) == 0


def test_stakeholder_commitment_over_2000_characters_is_refused(
    program, place, organisation, coordinator, client_for
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        stakeholder_data(organisation, commitment="x" * 2001),
    )
    assert response.status_code == 200
    assert "som mest 2000 tecken (den har 2001)" in response.content.decode()
    assert stakeholder_count(program) == 0


def upload(organisation, content, name, **overrides):
    fields = {
        "agreement_type": "samverkansavtal",
        "agreement_signed_on": "2025-03-15",
        "agreement_file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        **overrides,
    }
    return stakeholder_data(organisation, **fields)


def test_agreement_pdf_is_stored_and_served_to_members_only(
    program, place, organisation, coordinator, observer, outsider, client_for
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        upload(organisation, PDF, "Hemligt avtal med Kalle <script>.pdf"),
    )
    assert response.status_code == 302
    with scope(program=program):
        stakeholder = Stakeholder.objects.get()
    with stakeholder.agreement_file.open("rb") as stored:
        assert stored.read() == PDF
    # Stored under a generated name: nothing of the uploader's file name is kept.
    assert re.fullmatch(
        rf"agreements/{program.pk}/[0-9a-f]{{32}}\.pdf", stakeholder.agreement_file.name
    )
    assert stakeholder.agreement_type == "samverkansavtal"

    download_url = url("platser:agreement", program, place=place.pk, pk=stakeholder.pk)
    download = client_for(observer).get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    # A download, never shown inline (a PDF can carry JavaScript).
    assert download["Content-Disposition"] == (
        f'attachment; filename="overenskommelse-{stakeholder.pk}.pdf"'
    )

    register = client_for(observer).get(url("platser:stakeholders", program, pk=place.pk))
    assert download_url in register.content.decode()

    denied = client_for(outsider).get(download_url)
    assert denied.status_code == 404
    assert not getattr(denied, "streaming", False)


def test_agreement_download_without_a_file_is_404(
    program, place, stakeholder, observer, client_for
):
    response = client_for(observer).get(
        url("platser:agreement", program, place=place.pk, pk=stakeholder.pk)
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (PNG, "x.pdf"),
        ("Det här är ingen PDF.".encode(), "avtal.txt"),
        (PDF, "avtal.txt"),
        (b"", "tom.pdf"),
    ],
    ids=["png-named-pdf", "text", "pdf-named-txt", "empty"],
)
def test_agreement_that_is_not_a_pdf_is_refused(
    program, place, organisation, coordinator, client_for, content, name
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        upload(organisation, content, name),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Överenskommelsen måste vara en PDF-fil." in html
        or "Den skickade filen är tom." in html  # Django's own message for an empty file
    )
    assert stakeholder_count(program) == 0


def test_a_file_that_only_starts_like_a_pdf_is_refused_and_the_form_keeps_the_rest(
    program, place, organisation, coordinator, client_for
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        upload(organisation, b"%PDF-1.7\n<script>alert(1)</script>", "avtal.pdf"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Filen går inte att öppna som PDF." in html
    assert stakeholder_count(program) == 0


def test_oversized_agreement_is_refused(
    program, place, organisation, coordinator, client_for, settings
):
    settings.MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1536 * 1024)

    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        upload(organisation, big, "stor.pdf"),
    )

    assert response.status_code == 200
    assert (
        "Filen är för stor (1,5 MB). Största tillåtna storlek är 1 MB." in response.content.decode()
    )
    assert stakeholder_count(program) == 0


def test_agreement_file_needs_an_agreement_type(
    program, place, organisation, coordinator, client_for
):
    response = client_for(coordinator).post(
        url("platser:stakeholder_create", program, place=place.pk),
        upload(organisation, PDF, "avtal.pdf", agreement_type=""),
    )
    assert "Ange vilken sorts överenskommelse det är." in response.content.decode()
    assert stakeholder_count(program) == 0


def test_stakeholder_edit_keeps_organisation_and_agreement(
    program, place, organisation, coordinator, client_for
):
    stakeholder = StakeholderFactory(
        place=place, organisation=organisation, agreement_type="avsiktsforklaring"
    )
    with scopes_disabled():  # test set-up
        from django.core.files.base import ContentFile

        stakeholder.agreement_file.save("avtal.pdf", ContentFile(PDF), save=True)
    other = OrganisationFactory(program=program, name="Någon annan")

    response = client_for(coordinator).post(
        url("platser:stakeholder_update", program, place=place.pk, pk=stakeholder.pk),
        stakeholder_data(other, agreement_type="avsiktsforklaring", commitment="Nytt åtagande."),
    )

    assert response.status_code == 302
    with scope(program=program):
        stakeholder.refresh_from_db()
    assert stakeholder.organisation == organisation  # the field is disabled
    assert stakeholder.commitment == "Nytt åtagande."
    assert stakeholder.agreement_file.name.endswith(".pdf")


def test_place_lead_removes_a_stakeholder(program, place, stakeholder, place_lead, client_for):
    response = client_for(place_lead).post(
        url("platser:stakeholder_delete", program, place=place.pk, pk=stakeholder.pk), follow=True
    )

    assert "Avestahem AB är borttagen som aktör." in response.content.decode()
    assert stakeholder_count(program) == 0
    with scope(program=program):
        assert AuditEntry.objects.get().action == AuditEntry.Action.DELETE


# --- stakeholder register --------------------------------------------------------------------


def test_stakeholder_register_filters_by_category(
    program, place, stakeholder, observer, client_for
):
    police = OrganisationFactory(
        program=program, name="Polisen Avesta", category=OrganisationCategory.POLIS
    )
    StakeholderFactory(place=place, organisation=police)
    register_url = url("platser:stakeholders", program, pk=place.pk)

    everyone = client_for(observer).get(register_url).content.decode()
    police_only = client_for(observer).get(register_url + "?kategori=polis").content.decode()
    bogus = client_for(observer).get(register_url + "?kategori=<script>").content.decode()

    assert "Polisen Avesta" in everyone and "Avestahem AB" in everyone
    assert "Polisen Avesta" in police_only and "Avestahem AB" not in police_only
    assert "Polisen Avesta" in bogus and "Avestahem AB" in bogus  # unknown category: no filter


def test_observer_sees_no_contacts_in_the_stakeholder_register(
    program, place, stakeholder, contact, observer, partner, client_for
):
    register_url = url("platser:stakeholders", program, pk=place.pk)

    as_observer = client_for(observer).get(register_url).content.decode()
    as_partner = client_for(partner).get(register_url).content.decode()

    assert "Avestahem AB" in as_observer
    assert "anna.andersson@example.com" not in as_observer
    assert "Anna Andersson" not in as_observer
    assert "anna.andersson@example.com" in as_partner


def test_register_does_not_show_contacts_of_another_programs_organisation(
    program, place, stakeholder, coordinator, other_program, client_for
):
    ContactFactory(
        organisation=OrganisationFactory(program=other_program), email="hemlig@example.com"
    )
    html = (
        client_for(coordinator)
        .get(url("platser:stakeholders", program, pk=place.pk))
        .content.decode()
    )
    assert "hemlig@example.com" not in html


def test_partner_sees_every_place_of_the_program(program, place, partner, client_for):
    elsewhere = PlaceFactory(program=program, name="Hallstahammar centrum")
    response = client_for(partner).get(url("platser:place", program, pk=elsewhere.pk))
    assert response.status_code == 200
    assert "Hallstahammar centrum" in response.content.decode()
