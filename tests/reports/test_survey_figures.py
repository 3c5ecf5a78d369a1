"""One definition of each before/after figure: the place's "Före och efter" page, the county
dashboard and the program report PDF show the same baseline, follow-up and change for the four
demo pilots, from the same closed waves (Avesta's open "Uppföljning 2" is no headline;
Hallstahammar's traders' survey is not its baseline)."""

import datetime
import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from demo import places as platser_demo
from demo import surveys as demo
from partnerships.models import Membership, Role
from platser.models import Place
from reports import services
from surveys.stats import percent
from tests.reports.test_reports_services import pdf_text, reload

pytestmark = pytest.mark.django_db

PILOTS = ("Avesta", "Falun", "Sala", "Hallstahammar")


@pytest.fixture
def pilots():
    platser_demo.load_demo(steps=[demo.load])
    with scopes_disabled():  # test set-up: the demo program, its coordinator and places
        coordinator = (
            Membership.objects.filter(program__slug="trygga-platser", role=Role.COORDINATOR)
            .select_related("program", "user")
            .first()
        )
        places = {
            name: Place.objects.get(program=coordinator.program, municipality__name=name)
            for name in PILOTS
        }
    return coordinator, places


def _points(value) -> str:
    return f"{int(percent(value)):+d}"


def test_page_dashboard_and_pdf_agree_for_the_four_pilots(
    pilots, client_for, django_capture_on_commit_callbacks
):
    coordinator, places = pilots
    program = coordinator.program
    client = client_for(coordinator.user)
    period = {"fran": "2024-01-01", "till": "2026-12-31"}
    board = client.get(reverse("reports:dashboard", kwargs={"program": program.slug}), period)
    rows = {r.place.pk: r for r in board.context["board"].rows}
    with django_capture_on_commit_callbacks(execute=True), scope(program=program):
        report = services.request_report(
            actor=coordinator.user,
            program=program,
            kind="program",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2026, 12, 31),
        )
    text = pdf_text(reload(report))
    seen = {}
    for name, place in places.items():
        url = reverse("surveys:place_waves", kwargs={"program": program.slug, "place": place.pk})
        comparison = client.get(url).context["comparison"]
        before, after = comparison.index_before, comparison.index_after
        assert before and before.share and after and after.share, name
        assert after.survey.closes_on < datetime.date.today(), name  # never an open wave
        assert before.survey.target_group == after.survey.target_group, name
        row = rows[place.pk]
        assert (row.index_before.survey, row.index_after.survey) == (before.survey, after.survey)
        assert row.index_percent == int(percent(after.share)), name
        assert row.change_points == int(percent(comparison.index_change)), name
        figures = (
            f"{int(percent(after.share))} % (uppföljning {after.wave}), "
            f"nollmätning {int(percent(before.share))} % "
            f"({_points(comparison.index_change)} procentenheter)"
        )
        assert figures in text, (name, figures)
        seen[name] = (after.survey.title, before.share.n)
    assert seen["Avesta"][0] == "Uppföljning 1 Avesta centrum"
    assert seen["Hallstahammar"] == ("Uppföljning 1 Hallstahammar", 150)
    assert "Trygghetsindex: andelen av dem som besvarat enkätens huvudfråga" in text


def test_hallstahammar_baseline_is_its_residents_nollmatning_everywhere(pilots, client_for):
    coordinator, places = pilots
    program, place = coordinator.program, places["Hallstahammar"]
    client = client_for(coordinator.user)
    url = reverse("surveys:place_waves", kwargs={"program": program.slug, "place": place.pk})
    html = client.get(url).content.decode()
    assert "Nollmätning Hallstahammar" in html and "Näringsidkare" not in html
    board = client.get(
        reverse("reports:dashboard", kwargs={"program": program.slug}),
        {"fran": "2024-01-01", "till": "2026-12-31"},
    )
    row = next(r for r in board.context["board"].rows if r.place.pk == place.pk)
    assert row.index_before.survey.title == "Nollmätning Hallstahammar"
    assert row.index_before.share.n == 150
    cell = re.search(r"nollmätning (\d+) %", board.content.decode().split(place.name)[1])
    assert cell and int(cell.group(1)) == int(percent(row.index_before.share))
