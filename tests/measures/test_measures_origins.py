"""Measures created from a meeting decision or a finding: prefilled and linked back."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from measures.models import Measure
from tests.factories import DecisionFactory, FindingFactory, MeetingFactory, OrganisationFactory

SLUG = "trygga-platser"


def _create_url(place, query):
    return reverse("measures:measure_create", kwargs={"program": SLUG, "place": place.pk}) + query


def _post(place, organisation, **extra):
    return {
        "title": "Belysning i Örngränd",
        "description": "x",
        "category": "trygghetsskapande",
        "type": "situationell",
        "technique": "",
        "responsible": organisation.pk,
        "priority": "hog",
        "status": "planerad",
        "planned_start": "",
        "planned_end": "",
        "budget": "",
        "origin": "beslut",
        "location": "",
        **extra,
    }


@pytest.fixture
def decision(place, program):
    police = OrganisationFactory(program=program, name="Polisen Avesta")
    meeting = MeetingFactory(place=place, title="Styrgruppsmöte mars")
    return DecisionFactory(
        meeting=meeting,
        text="Polisen ordnar belysning i Örngränd.",
        responsible_organisation=police,
    )


def test_decision_prefills_the_form_and_links_the_measure(client_for, place_lead, place, decision):
    client = client_for(place_lead)
    html = client.get(_create_url(place, f"?beslut={decision.pk}")).content.decode()
    assert "Polisen ordnar belysning i Örngränd." in html
    assert f'value="{decision.responsible_organisation_id}" selected' in html
    assert "Skapas från beslutet" in html

    response = client.post(
        _create_url(place, f"?beslut={decision.pk}"),
        _post(place, decision.responsible_organisation),
    )
    assert response.status_code == 302
    with scopes_disabled():  # test assertion
        measure = Measure.objects.get()
    assert measure.decision == decision
    detail = client.get(response["Location"]).content.decode()
    assert f"#beslut-{decision.number}" in detail


def test_meeting_page_offers_to_create_a_measure_from_a_decision(
    client_for, place_lead, decision, partner
):
    url = decision.meeting.get_absolute_url()
    with scopes_disabled():  # test set-up: the URL needs the program slug
        url = decision.meeting.get_absolute_url()
    html = client_for(place_lead).get(url).content.decode()
    assert "Skapa åtgärd från beslutet" in html
    assert f"?beslut={decision.pk}" in html
    assert "Skapa åtgärd från beslutet" not in client_for(partner).get(url).content.decode()


def test_finding_becomes_a_measure(client_for, place_lead, place, organisation):
    finding = FindingFactory(
        place=place,
        category="klotter",
        responsible_organisation=organisation,
        description="Klotter på gångtunnelns väggar.",
    )
    client = client_for(place_lead)
    html = client.get(_create_url(place, f"?fynd={finding.pk}")).content.decode()
    assert 'value="trivselskapande" selected' in html
    assert 'value="trygghetsvandring" selected' in html
    assert "Klotter på gångtunnelns väggar." in html

    response = client.post(
        _create_url(place, f"?fynd={finding.pk}"),
        _post(place, organisation, title="Klottersanering i gångtunneln"),
    )
    assert response.status_code == 302
    with scopes_disabled():  # test assertion
        measure = Measure.objects.get()
        assert list(measure.findings.all()) == [finding]
    assert "Klotter på gångtunnelns väggar." in client.get(response["Location"]).content.decode()


def test_finding_page_offers_gor_om_till_atgard(client_for, place_lead, place, organisation):
    finding = FindingFactory(place=place)
    with scopes_disabled():  # test set-up: the URL needs the program slug
        url = finding.get_absolute_url()
    html = client_for(place_lead).get(url).content.decode()
    assert "Gör om till åtgärd" in html and f"?fynd={finding.pk}" in html


def test_another_programs_decision_is_ignored(client_for, place_lead, place, other_place):
    foreign = DecisionFactory(
        meeting=MeetingFactory(place=other_place), text="Hemligt beslut i Borlänge."
    )
    html = client_for(place_lead).get(_create_url(place, f"?beslut={foreign.pk}")).content.decode()
    assert "Hemligt beslut" not in html


def test_finding_page_links_to_its_measures(client_for, partner, place, organisation):
    finding = FindingFactory(place=place)
    from tests.factories import MeasureFactory

    measure = MeasureFactory(place=place, responsible=organisation, title="Ny belysning")
    with scopes_disabled():  # test set-up
        measure.findings.add(finding)
        url = finding.get_absolute_url()
    html = client_for(partner).get(url).content.decode()
    assert "Ny belysning" in html and measure.get_absolute_url() in html
    assert "Gör om till åtgärd" not in html  # partners do not create measures
