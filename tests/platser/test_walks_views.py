"""Safety walk pages: create and edit with route and participants, the follow-up view, the
protocol PDF and marking a walk as followed up."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django_scopes import scope
from pypdf import PdfReader

from partnerships.models import AuditEntry
from platser.models import SafetyWalk
from tests.factories import FindingFactory, OrganisationFactory, SafetyWalkFactory

pytestmark = pytest.mark.django_db

ROUTE = {
    "type": "LineString",
    "coordinates": [[16.1685, 60.1455], [16.169, 60.146], [16.1695, 60.1458]],
}


def url(name, place, **kwargs):
    return reverse(name, kwargs={"program": place.program.slug, "place": place.pk, **kwargs})


def walk_data(organisation, **overrides):
    data = {
        "date": "2025-11-12",
        "light": "morker",
        "route": json.dumps(ROUTE),
        "women": "5",
        "men": "4",
        "gender_other": "0",
        "gender_unknown": "1",
        "age_under_20": "2",
        "age_20_39": "3",
        "age_40_64": "4",
        "age_65_plus": "1",
        f"org_{organisation.pk}": "3",
        "notes": "Samling vid busstorget kl. 19.",
        "follow_up_date": "",
    }
    data.update(overrides)
    return data


def walks(program):
    with scope(program=program):
        return list(SafetyWalk.objects.all())


def test_place_lead_records_a_walk_with_route_and_participants(
    program, place, place_lead, stakeholder, organisation, client_for
):
    response = client_for(place_lead).post(
        url("platser:walk_create", place), walk_data(organisation)
    )

    [walk] = walks(program)
    assert response.status_code == 302 and response["Location"] == walk.get_absolute_url()
    assert walk.route == ROUTE and walk.light == "morker"
    assert (walk.women, walk.men, walk.gender_unknown, walk.age_65_plus) == (5, 4, 1, 1)
    # No follow-up date given: six months after the walk.
    assert walk.follow_up_date == datetime.date(2026, 5, 12)
    with scope(program=program):
        assert list(walk.participations.values_list("organisation", "count")) == [
            (organisation.pk, 3)
        ]
        assert AuditEntry.objects.filter(model_label="platser.SafetyWalk").exists()


def test_walk_form_offers_the_place_stakeholders_and_draws_a_line(
    place, place_lead, stakeholder, client_for
):
    html = client_for(place_lead).get(url("platser:walk_create", place)).content.decode()
    assert "Avestahem AB" in html
    assert 'data-geometry="LineString"' in html and 'data-center="place-bounds"' in html
    assert "Deltagare efter kön" in html and "Deltagare efter ålder" in html


def test_route_that_is_not_a_line_gets_a_message(
    program, place, place_lead, organisation, client_for
):
    point = json.dumps({"type": "Point", "coordinates": [16.169, 60.146]})
    response = client_for(place_lead).post(
        url("platser:walk_create", place), walk_data(organisation, route=point)
    )
    assert response.status_code == 200
    assert "Rutten måste vara en linje." in response.content.decode()
    assert walks(program) == []


@pytest.mark.parametrize("follow_up", ["2025-11-20", "2027-12-01"])
def test_follow_up_must_be_1_to_18_months_later(
    program, place, place_lead, organisation, client_for, follow_up
):
    response = client_for(place_lead).post(
        url("platser:walk_create", place), walk_data(organisation, follow_up_date=follow_up)
    )
    assert "1–18 månader efter vandringen" in response.content.decode()
    assert walks(program) == []


def test_negative_counts_are_refused(program, place, place_lead, organisation, client_for):
    response = client_for(place_lead).post(
        url("platser:walk_create", place), walk_data(organisation, women="-2")
    )
    assert response.status_code == 200
    assert walks(program) == []


def test_editing_a_walk_updates_participants(program, place, place_lead, organisation, client_for):
    walk = SafetyWalkFactory(place=place)
    police = OrganisationFactory(program=program, name="Polisen")
    with scope(program=program):
        walk.participations.create(program=program, organisation=police, count=2)

    form = client_for(place_lead).get(url("platser:walk_update", place, pk=walk.pk))
    response = client_for(place_lead).post(
        url("platser:walk_update", place, pk=walk.pk),
        walk_data(organisation, **{f"org_{police.pk}": "0", "followed_up_on": "2026-05-20"}),
    )

    assert "Polisen" in form.content.decode()  # a past participant stays listed
    assert response.status_code == 302
    with scope(program=program):
        walk.refresh_from_db()
        assert list(walk.participations.values_list("organisation__name", flat=True)) == []
    assert walk.followed_up_on == datetime.date(2026, 5, 20)


def test_follow_up_view_shows_each_finding_status_and_overdue(
    place, observer, organisation, client_for
):
    walk = SafetyWalkFactory(place=place, follow_up_date=datetime.date(2025, 12, 1))
    FindingFactory(
        place=place,
        walk=walk,
        description="Mörk gångtunnel",
        status="atgardad",
        responsible_organisation=organisation,
    )
    FindingFactory(
        place=place,
        walk=walk,
        description="Buskage skymmer",
        status="ej_atgardad",
        status_reason="Ingen budget i år.",
    )
    FindingFactory(place=place, description="Inte från vandringen")

    html = client_for(observer).get(url("platser:walk", place, pk=walk.pk)).content.decode()

    assert "Mörk gångtunnel" in html and "Buskage skymmer" in html
    assert "Inte från vandringen" not in html
    assert "Åtgärdad" in html and "Ej åtgärdad" in html and "Ingen budget i år." in html
    assert "Försenad" in html
    assert "<svg" in html and "<polyline" in html  # the route map
    assert "Registrera fynd" not in html  # observers do not add findings


def test_walk_list_marks_overdue_follow_ups(place, observer, client_for):
    SafetyWalkFactory(
        place=place, date=datetime.date(2024, 10, 1), follow_up_date=datetime.date(2025, 4, 1)
    )
    SafetyWalkFactory(
        place=place,
        date=datetime.date(2024, 11, 1),
        follow_up_date=datetime.date(2025, 5, 1),
        followed_up_on=datetime.date(2025, 5, 2),
    )
    html = client_for(observer).get(url("platser:walks", place)).content.decode()
    assert html.count('class="row--overdue"') == 1
    assert "Uppföljd 2025-05-02" in html


def test_partner_records_findings_during_the_walk(place, partner, client_for):
    walk = SafetyWalkFactory(place=place)
    html = client_for(partner).get(url("platser:walk", place, pk=walk.pk)).content.decode()
    assert f"fynd/nytt/?vandring={walk.pk}" in html
    assert "Ändra" not in html.split("<main")[1].split("Uppföljning av fynden")[0]


def test_mark_followed_up(program, place, place_lead, client_for):
    walk = SafetyWalkFactory(place=place)
    client_for(place_lead).post(url("platser:walk_followed_up", place, pk=walk.pk))
    with scope(program=program):
        walk.refresh_from_db()
    assert walk.followed_up_on is not None


def test_protocol_pdf_lists_the_findings(place, observer, organisation, client_for):
    walk = SafetyWalkFactory(place=place)
    with scope(program=place.program):
        walk.participations.create(program=place.program, organisation=organisation, count=3)
    FindingFactory(
        place=place,
        walk=walk,
        category="klotter",
        description="Klotter på busskuren",
        responsible_organisation=organisation,
    )
    FindingFactory(place=place, walk=walk, category="sikt", description="Höga buskar vid stigen")

    response = client_for(observer).get(url("platser:walk_protocol", place, pk=walk.pk))

    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    for expected in (
        "Trygghetsvandring 2025-11-12",
        "Mörker",
        "Klotter på busskuren",
        "Höga buskar vid stigen",
        "Avestahem AB",
        "Kvinnor",
        "Sida 1 av",
    ):
        assert expected in text, expected


def test_walk_of_another_place_is_404(place, second_place, coordinator, client_for):
    walk = SafetyWalkFactory(place=second_place)
    assert client_for(coordinator).get(url("platser:walk", place, pk=walk.pk)).status_code == 404


def test_protocol_pdf_embeds_photo_thumbnails(place, observer, client_for):
    from django.core.files.base import ContentFile
    from django_scopes import scopes_disabled
    from PIL import Image

    walk = SafetyWalkFactory(place=place)
    finding = FindingFactory(place=place, walk=walk, description="Trasig bänk")
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 40, 40)).save(out, "JPEG")
    with scopes_disabled():  # test set-up: attach a photo to the finding
        finding.photo.save("bank.jpg", ContentFile(out.getvalue()), save=True)

    response = client_for(observer).get(url("platser:walk_protocol", place, pk=walk.pk))

    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert sum(len(page.images) for page in reader.pages) >= 1
