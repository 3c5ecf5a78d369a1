"""Results pages and exports: who sees what when, suppression on the page and in exports, query
counts that do not grow with the number of responses."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import SurveyFactory
from tests.surveys.helpers import time_machine
from tests.surveys.results_data import respond

SAFE = "plats-trygg-kvall"
CODES = [SAFE, "ntu-utsatt", "karta-otrygg", "fritext-tryggare", "kon"]


@pytest.fixture
def open_survey(program, place):
    return SurveyFactory(program=program, places=[place], title="Pågående", codes=CODES)


@pytest.fixture
def closed_survey(program, place):
    return SurveyFactory(
        program=program,
        places=[place],
        title="Nollmätning 2025",
        codes=CODES,
        opens_on=datetime.date(2025, 9, 1),
        closes_on=datetime.date(2025, 9, 30),
    )


def _url(name, survey, **extra):
    return reverse(name, kwargs={"program": survey.program.slug, "pk": survey.pk, **extra})


def test_coordinator_sees_results_of_an_open_survey_marked_preliminary(
    client_for, coordinator, place, open_survey
):
    respond(open_survey, place, [{SAFE: 1, "kon": 1}] * 12 + [{SAFE: 3, "kon": 2}] * 8)
    response = client_for(coordinator).get(_url("surveys:results", open_survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert "20 svarande" in html
    assert 'role="img"' in html and "<table" in html
    assert "60 %" in html  # 12 of 20
    assert "Preliminärt." in html
    assert client_for(coordinator).get(_url("surveys:results_csv", open_survey)).status_code == 200


@pytest.mark.parametrize("persona", ["place_lead", "partner", "observer", "other_place_lead"])
def test_others_see_only_a_response_count_while_the_survey_is_open(
    persona, request, client_for, place, open_survey, closed_survey
):
    respond(open_survey, place, [{SAFE: 1, "kon": 1}] * 12 + [{SAFE: 3, "kon": 2}] * 8)
    respond(closed_survey, place, [{SAFE: 1}] * 12 + [{SAFE: 3}] * 8)
    client = client_for(request.getfixturevalue(persona))
    response = client.get(_url("surveys:results", open_survey))
    html = response.content.decode()
    assert response.status_code == 200
    assert "har fått 20 svar hittills" in html
    assert "60 %" not in html and "svarande" not in html and "<table" not in html
    assert client.get(_url("surveys:results_csv", open_survey)).status_code == 403
    assert client.get(_url("surveys:results_xlsx", open_survey)).status_code == 403
    closed = client.get(_url("surveys:results", closed_survey)).content.decode()
    assert "60 %" in closed and "Preliminärt" not in closed


def test_preliminary_results_move_at_most_daily_in_steps_of_five(
    client_for, coordinator, place, open_survey
):
    today = timezone.localdate()
    client = client_for(coordinator)
    url = _url("surveys:results", open_survey)

    def page(day):
        with time_machine(day):
            return client.get(url).content.decode()

    respond(open_survey, place, [{SAFE: 1}] * 11 + [{SAFE: 3}] * 9)
    assert "20 svarande" in page(today)
    respond(open_survey, place, [{SAFE: 1}])  # one more resident answers
    assert "20 svarande" in page(today)  # the same day: nothing moves
    assert "20 svarande" in page(today + datetime.timedelta(days=1))  # fewer than 5 new
    respond(open_survey, place, [{SAFE: 3}] * 4)
    assert "20 svarande" in page(today)  # five new, but today's snapshot stands until tomorrow
    assert "25 svarande" in page(today + datetime.timedelta(days=1))
    respond(open_survey, place, [{SAFE: 3}] * 5)
    assert "25 svarande" in page(today + datetime.timedelta(days=1))  # at most once a day


def test_small_cells_are_not_on_the_page(client_for, coordinator, place, closed_survey):
    respond(closed_survey, place, [{SAFE: 1}] * 4 + [{SAFE: 2}] * 10 + [{SAFE: 3}] * 12)
    respond(closed_survey, place, [{"ntu-utsatt": [1]}] * 3)
    html = client_for(coordinator).get(_url("surveys:results", closed_survey)).content.decode()
    assert "26 svarande" in html
    assert "Färre än 5 svar – visas inte" in html  # the multiple-choice question (3 answers)
    assert ">4<" not in html and ">10<" not in html  # 4 and its complement 10 are hidden
    assert ">12<" in html


def test_breakdown_form_shows_a_table_per_group(client_for, coordinator, place, closed_survey):
    respond(closed_survey, place, [{SAFE: 1, "kon": 1}] * 20 + [{SAFE: 3, "kon": 2}] * 20)
    response = client_for(coordinator).get(
        _url("surveys:results", closed_survey), {"uppdelning": "kon"}
    )
    html = response.content.decode()
    assert "Uppdelat på kön" in html
    assert "Kvinna" in html and "100 %" in html
    assert "n är gruppens storlek" in html


def test_results_csv_is_suppressed_and_safe(client_for, coordinator, place, closed_survey):
    respond(closed_survey, place, [{SAFE: 1}] * 4 + [{SAFE: 2}] * 10 + [{SAFE: 3}] * 12)
    respond(closed_survey, place, [{"fritext-tryggare": '=HYPERLINK("x")'}] * 5)
    response = client_for(coordinator).get(_url("surveys:results_csv", closed_survey))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    safe_rows = [line for line in text.splitlines() if line.startswith("Hur trygg")]
    assert [r.split(";")[2] for r in safe_rows] == ["–", "–", "12", "0", "0"]
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


def test_results_xlsx_opens(client_for, coordinator, place, closed_survey):
    respond(closed_survey, place, [{SAFE: 1}] * 6)
    response = client_for(coordinator).get(_url("surveys:results_xlsx", closed_survey))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Fråga"
    assert rows[1][2] == 6


@pytest.mark.parametrize("persona", ["place_lead", "partner", "observer"])
def test_responses_export_is_never_for_others(persona, request, client_for, place, closed_survey):
    respond(closed_survey, place, [{SAFE: 1}] * 6)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url("surveys:responses_csv", closed_survey)).status_code == 403
    assert client.get(_url("surveys:responses_xlsx", closed_survey)).status_code == 403
    page = client.get(_url("surveys:results", closed_survey)).content.decode()
    assert "Svarsfil för analys" not in page


def test_responses_export_is_coarsened_for_the_coordinator(
    client_for, coordinator, place, closed_survey
):
    lon, lat = 16.16913, 60.14612
    rows = (
        [{SAFE: 1, "kon": 1, "karta-otrygg": (lon, lat), "fritext-tryggare": "Mer ljus"}] * 6
        + [{SAFE: 3, "kon": 2, "ntu-utsatt": [1, 2]}] * 6
        + [{SAFE: 4, "kon": 4, "fritext-tryggare": "@SUM"}]  # the one "Vill inte svara"
    )
    respond(closed_survey, place, rows)
    client = client_for(coordinator)
    page = client.get(_url("surveys:results", closed_survey)).content.decode()
    assert "får inte lämnas ut" in page and "fritextsvar kan innehålla namn" in page
    lines = client.get(_url("surveys:responses_csv", closed_survey)).content.decode("utf-8-sig")
    lines = lines.splitlines()
    assert len(lines) == 14  # header + one row per response
    assert "Mer ljus" not in "\n".join(lines) and "Fritext" not in lines[0]
    assert lines[1].split(";")[1] == "2026-V02"  # the week, not the day
    assert "Vill inte svara" not in "\n".join(lines) and "Övriga svar" in lines[13]
    assert "Mycket otrygg" not in lines[13]  # 1 answered so: merged with the next smallest
    cell = "60.1465,16.1685"  # the 100 m cell's centre, not the point
    assert cell in lines[1] and f"{lat:.5f}" not in "\n".join(lines)
    with_text = client.get(_url("surveys:responses_csv", closed_survey), {"fritext": "1"})
    text = with_text.content.decode("utf-8-sig")
    assert "Mer ljus" in text and "'@SUM" in text
    xlsx = client.get(_url("surveys:responses_xlsx", closed_survey))
    assert len(list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows())) == 14


def test_halves_round_the_same_way_on_the_page_and_in_the_export(
    client_for, coordinator, place, closed_survey
):
    respond(closed_survey, place, [{SAFE: 1}] * 5 + [{SAFE: 3}] * 35)  # 5 of 40 = 12.5 %
    client = client_for(coordinator)
    html = client.get(_url("surveys:results", closed_survey)).content.decode()
    assert ">13 %<" in html and ">12 %<" not in html
    csv_text = client.get(_url("surveys:results_csv", closed_survey)).content.decode("utf-8-sig")
    first = next(line for line in csv_text.splitlines() if "Mycket trygg" in line)
    assert first.split(";")[3] == "12,5"


@pytest.fixture
def follow_up(program, place):
    return SurveyFactory(
        program=program,
        places=[place],
        wave=1,
        title="Uppföljning",
        codes=[SAFE],
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 3, 31),
    )


def test_coordinator_compares_the_waves(client_for, coordinator, place, closed_survey, follow_up):
    respond(closed_survey, place, [{SAFE: 1}] * 30 + [{SAFE: 3}] * 20)
    respond(follow_up, place, [{SAFE: 2}] * 40 + [{SAFE: 4}] * 10)
    url = reverse("surveys:place_waves", kwargs={"program": place.program.slug, "place": place.pk})
    html = client_for(coordinator).get(url).content.decode()
    assert "60 %" in html and "80 %" in html
    assert "+20 procentenheter" in html and "+2 till +36" in html
    assert "statistiskt säkerställd" in html
    assert 'aria-labelledby="chart-index-title chart-index-desc"' in html


def test_partner_compares_only_closed_surveys(client_for, partner, place, closed_survey, program):
    still_open = SurveyFactory(program=program, places=[place], wave=1, codes=[SAFE])
    respond(closed_survey, place, [{SAFE: 1}] * 30 + [{SAFE: 3}] * 20)
    respond(still_open, place, [{SAFE: 2}] * 40 + [{SAFE: 4}] * 10)
    url = reverse("surveys:place_waves", kwargs={"program": program.slug, "place": place.pk})
    html = client_for(partner).get(url).content.decode()
    assert "Det finns ingen uppföljning" in html
    assert "80 %" not in html
