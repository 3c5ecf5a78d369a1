"""The poster PDF, the QR code and paper entry."""

import io
import json

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from surveys import poster
from surveys.models import Response
from tests.factories import SurveyFactory
from tests.surveys.helpers import field, option

pytestmark = pytest.mark.django_db


def test_poster_pdf_has_place_name_url_and_dates(client_for, coordinator, program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    url = reverse("surveys:poster", kwargs={"program": program.slug, "pk": survey.pk})

    response = client_for(coordinator).get(url)

    pdf = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Hur trygg känner du dig på Avesta centrum?" in flat
    assert "Svara anonymt på två minuter" in flat
    assert f"/enkat/{survey.token}/" in flat.replace(" ", "")
    assert str(survey.closes_on.year) in flat


def test_poster_for_a_multi_place_survey_preselects_the_place(
    client_for, coordinator, program, place, second_place
):
    survey = SurveyFactory(program=program, places=[place, second_place], codes=["kon"])
    from django_scopes import scope

    with scope(program=program):
        url = poster.public_url(survey, second_place)
    assert url.endswith(f"?plats={second_place.pk}")
    response = client_for(coordinator).get(
        reverse("surveys:poster", kwargs={"program": program.slug, "pk": survey.pk})
        + f"?plats={second_place.pk}"
    )
    assert "sala-centrum" in response["Content-Disposition"]


def test_qr_svg_is_produced_with_a_path():
    svg = poster.qr_svg("https://trygga-platser.example/enkat/abc/")
    assert svg.startswith("<svg") and "<path" in svg
    assert "style=" not in svg  # safe under the strict CSP


def test_coordinator_keys_in_a_paper_response(client_for, coordinator, program, place):
    survey = SurveyFactory(program=program, places=[place], codes=["kon", "plats-trygg-kvall"])
    url = reverse("surveys:paper", kwargs={"program": program.slug, "pk": survey.pk})
    client = client_for(coordinator)

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "submitted_on": "2026-11-20",
            field("kon"): option("kon", 2),
            field("plats-trygg-kvall"): option("plats-trygg-kvall", 4),
        },
    )

    assert "Datum på pappersenkäten" in form
    assert response.status_code == 302
    with scopes_disabled():  # test inspection
        stored = Response.objects.get()
        answers = stored.answers.count()
    assert stored.channel == "papper"
    assert str(stored.submitted_on) == "2026-11-20"
    assert answers == 2


def test_a_paper_response_keyed_in_again_with_other_answers_is_refused(
    client_for, coordinator, program, place
):
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    url = reverse("surveys:paper", kwargs={"program": program.slug, "pk": survey.pk})
    client = client_for(coordinator)
    data = {"submitted_on": "2026-11-20", "submission_id": "0b0e8c52-8f43-4a57-9a49-6a1f0c0d7e11"}

    client.post(url, {**data, field("kon"): option("kon", 2)})
    same = client.post(url, {**data, field("kon"): option("kon", 2)})
    other = client.post(url, {**data, field("kon"): option("kon", 1)})

    assert same.status_code == 302
    assert other.status_code == 409
    assert "redan skickats en gång med andra svar" in other.content.decode()
    with scopes_disabled():  # test inspection
        assert Response.objects.count() == 1


@pytest.mark.parametrize("persona", ["partner", "observer", "place_lead"])
def test_paper_entry_is_for_coordinators_only(request, client_for, program, place, persona):
    user = request.getfixturevalue(persona)
    survey = SurveyFactory(program=program, places=[place], codes=["kon"])
    url = reverse("surveys:paper", kwargs={"program": program.slug, "pk": survey.pk})

    response = client_for(user).post(url, {"submitted_on": "2026-11-20", field("kon"): 1})

    assert response.status_code == 403
    with scopes_disabled():  # test inspection
        assert not Response.objects.exists()


def test_paper_response_keeps_the_point_marked_on_the_printed_map(
    client_for, coordinator, program, place
):
    survey = SurveyFactory(program=program, places=[place], codes=["karta-otrygg", "kon"])
    url = reverse("surveys:paper", kwargs={"program": program.slug, "pk": survey.pk})
    client = client_for(coordinator)
    (lon, lat), _corner, (east, north), *_rest = place.boundary["coordinates"][0]
    inside = {"type": "Point", "coordinates": [(lon + east) / 2, (lat + north) / 2]}

    page = client.get(url).content.decode()
    assert 'data-geometry="Point"' in page  # the map question is on the paper form too
    assert 'id="survey-boundaries"' in page

    outside = client.post(
        url,
        {
            "submitted_on": "2026-11-20",
            field("karta-otrygg"): json.dumps({"type": "Point", "coordinates": [18.0, 59.3]}),
            field("kon"): option("kon", 1),
        },
    )
    assert "utanför" in outside.content.decode()
    with scopes_disabled():  # test inspection: nothing stored from the bad try
        assert not Response.objects.exists()

    response = client.post(
        url,
        {
            "submitted_on": "2026-11-20",
            field("karta-otrygg"): json.dumps(inside),
            field("kon"): option("kon", 1),
        },
    )
    assert response.status_code == 302
    with scopes_disabled():  # test inspection
        points = [a.point for a in Response.objects.get().answers.all() if a.point]
    assert points == [inside]
