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


# --- traceability: a measure comes from a decision of its own place's (or the program's) meeting


def test_a_decision_of_another_places_meeting_makes_no_measure_here(
    client_for, coordinator, place, second_place, organisation
):
    elsewhere = DecisionFactory(
        meeting=MeetingFactory(place=second_place), text="Beslut för en annan plats."
    )
    client = client_for(coordinator)
    page = client.get(_create_url(place, f"?beslut={elsewhere.pk}"), follow=True)
    html = page.content.decode()
    assert "En åtgärd för" in html and "kan bara komma från ett beslut" in html
    assert "Beslut för en annan plats." not in html  # not prefilled
    response = client.post(
        _create_url(place, f"?beslut={elsewhere.pk}"), _post(place, organisation)
    )
    assert response.status_code == 200
    with scopes_disabled():  # test assertion
        assert not Measure.objects.exists()


def test_a_finding_of_another_place_makes_no_measure_here(
    client_for, coordinator, place, second_place, organisation
):
    elsewhere = FindingFactory(place=second_place, description="Fynd vid en annan plats.")
    client = client_for(coordinator)
    html = client.get(_create_url(place, f"?fynd={elsewhere.pk}")).content.decode()
    assert "Fyndet gjordes vid" in html and "Fynd vid en annan plats." not in html
    client.post(_create_url(place, f"?fynd={elsewhere.pk}"), _post(place, organisation))
    with scopes_disabled():  # test assertion
        assert not Measure.objects.exists()


def test_the_meeting_page_lists_the_measures_made_from_a_decision(
    client_for, coordinator, observer, place, decision, organisation
):
    client = client_for(coordinator)
    client.post(_create_url(place, f"?beslut={decision.pk}"), _post(place, organisation))
    with scopes_disabled():  # test set-up: the URLs need the program slug
        measure = Measure.objects.get()
        url = decision.meeting.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Åtgärder från beslutet" in html
    assert measure.get_absolute_url() in html and "Planerad" in html
    assert "Skapa ytterligare en åtgärd från beslutet" in html
    # The observer sees the link to the measure, and no button to make another.
    seen = client_for(observer).get(url).content.decode()
    assert measure.get_absolute_url() in seen and "Skapa ytterligare" not in seen


def test_a_program_wide_decision_becomes_a_measure_at_a_chosen_place(
    client_for, coordinator, place_lead, place, second_place, program, organisation
):
    decision = DecisionFactory(
        meeting=MeetingFactory(place=None, program=program), text="Belys alla gångtunnlar."
    )
    with scopes_disabled():  # test set-up: the URL needs the program slug
        meeting_url = decision.meeting.get_absolute_url()
    chooser = reverse(
        "measures:decision_measure", kwargs={"program": SLUG, "decision": decision.pk}
    )
    html = client_for(coordinator).get(meeting_url).content.decode()
    assert chooser in html and f'value="{second_place.pk}"' in html
    # The place lead chooses among their own places only.
    lead_html = client_for(place_lead).get(meeting_url).content.decode()
    assert f'value="{place.pk}"' in lead_html and f'value="{second_place.pk}"' not in lead_html
    response = client_for(place_lead).get(chooser, {"plats": place.pk})
    assert response["Location"] == _create_url(place, f"?beslut={decision.pk}")
    refused = client_for(place_lead).get(chooser, {"plats": second_place.pk}, follow=True)
    assert "Välj en av dina platser för åtgärden." in refused.content.decode()
    assert f'value="{second_place.pk}"' not in refused.content.decode()
    assert client_for(place_lead).get(chooser, {"plats": "x"}).status_code == 200
    # And the measure is made at the place chosen.
    client_for(place_lead).post(
        _create_url(place, f"?beslut={decision.pk}"), _post(place, organisation)
    )
    with scopes_disabled():  # test assertion
        assert Measure.objects.get().decision == decision
