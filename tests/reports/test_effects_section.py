"""The "Effekter" section of the report PDF (reports.effects, reports/pdf/_effects.html): the
real PDF (WeasyPrint), read back with pdftotext, shows the same figures as the functions and
as the follow-up page, with the timeline, the measures, the decisions and the survey waves."""

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from platser import effects, followup, incidents
from platser.models import AreaKind, IncidentCategory
from reports import services
from reports.effects import effect_windows, effects_section
from reports.models import Report
from tests.factories import IncidentCountFactory, PlaceFactory
from tests.reports.conftest import Q1

pytestmark = pytest.mark.django_db


def add_counts(place, windows, *, target, buffer, comparison):
    """Monthly counts of two categories in the three areas over the two windows."""
    with scope(program=place.program):
        incidents.ensure_standard_categories(place.program)
        categories = list(IncidentCategory.objects.filter(code__in=["ran", "klotter"]))
    for i in range(12):
        for after, start in ((False, windows.before_start), (True, windows.after_start)):
            month = followup.add_months(start, i)
            for area, (before_n, after_n) in (
                (AreaKind.TARGET, target),
                (AreaKind.BUFFER, buffer),
                (AreaKind.COMPARISON, comparison),
            ):
                for category in categories:
                    IncidentCountFactory(
                        place=place, program=place.program, category=category, month=month,
                        area=area, count=after_n if after else before_n,
                    )  # fmt: skip


def pdftotext(report) -> str:
    with scopes_disabled():  # reading the stored file of an explicit report
        data = Report.objects.get(pk=report.pk).pdf.read()
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.replace("\u00a0", " ").split())


def test_the_pdf_section_and_the_page_show_the_figures_of_the_functions(
    program, place, coordinator, quarter, client_for, django_capture_on_commit_callbacks
):
    PlaceFactory(program=program, name="Sala centrum")  # no statistics at all
    windows = effect_windows(Q1[1])
    assert (windows.after_start, windows.after_end) == (
        datetime.date(2025, 4, 1),
        datetime.date(2026, 4, 1),
    )
    add_counts(place, windows, target=(10, 5), buffer=(4, 6), comparison=(40, 40))

    with scope(program=program):
        section = effects_section(program, *Q1)["effects"]
        expected = followup.follow_ups([place.pk], windows)[place.pk].total
    entry = next(e for e in section["places"] if e.place == place)
    assert entry.result.total.res_text == expected.res_text
    # The functions themselves, on the totals of the two categories.
    res = effects.relative_effect_size(
        target_before=240, target_after=120, control_before=960, control_after=960
    )
    assert expected.res.value == pytest.approx(res.value) == pytest.approx(2.0)
    wdq = effects.weighted_displacement_quotient(
        target_before=240, target_after=120, buffer_before=96, buffer_after=144,
        control_before=960, control_after=960,
    )  # fmt: skip
    assert expected.wdq == pytest.approx(wdq) == pytest.approx(-0.4)

    with django_capture_on_commit_callbacks(execute=True), scope(program=program):
        report = services.request_report(
            actor=coordinator, program=program, kind="program", period_start=Q1[0],
            period_end=Q1[1],
        )  # fmt: skip
    text = pdftotext(report)
    section_text = text[text.index("Effekter Händelser före och efter per plats") :]
    assert "efter-perioden är de tolv månaderna 2025-04 till före 2026-04" in section_text
    assert "Platsen (A) före / efter 240 / 120" in section_text
    assert "Buffertområdet (B) före / efter 96 / 144" in section_text
    assert "Jämförelseområdet (C) före / efter 960 / 960" in section_text
    assert f"RES (95 % intervall) {expected.res_text} – Minskning." in section_text
    assert f"WDQ {expected.wdq_text} – Förflyttning, mindre än effekten." in section_text
    assert f"Nettoeffekt {expected.net_text}" in section_text
    # The measures done and the meeting's decision of the quarter are on the timeline's table.
    assert "Klar 0" in section_text and "Styrgruppen beslutar att sätta upp belysning." in (
        section_text
    )
    # The survey waves beside them: 60 % unsafe at the baseline, 40 % at the follow-up.
    waves = {w.day: round(100 * w.share) for w in entry.waves}
    assert waves == {datetime.date(2025, 9, 30): 60, datetime.date(2026, 3, 20): 40}
    assert "2025-09-30 60 %" in section_text and "2026-03-20 40 %" in section_text
    # A place without statistics says so instead of figures.
    quiet_text = section_text[section_text.index("Sala centrum") :]
    assert "Ingen brottsstatistik är inlagd för platsen under perioderna." in quiet_text

    # The follow-up page with the same windows shows the same figures.
    url = reverse("measures:place_effects", kwargs={"program": program.slug, "place": place.pk})
    page = client_for(coordinator).get(url, {"fran": "2025-04", "manader": 12}).content.decode()
    assert f'<strong data-figure="res">{expected.res_text}</strong>' in page
    assert f'<strong data-figure="wdq">{expected.wdq_text}</strong>' in page
    assert f'<strong data-figure="net">{expected.net_text}</strong>' in page


def test_the_section_costs_the_same_queries_for_more_places(program, place):
    windows = effect_windows(Q1[1])
    add_counts(place, windows, target=(10, 5), buffer=(4, 6), comparison=(40, 40))
    with scope(program=program):
        with CaptureQueriesContext(connection) as one:
            effects_section(program, *Q1)
        for n in range(4):
            other = PlaceFactory(program=program, name=f"Plats {n}")
            add_counts(other, windows, target=(3, 3), buffer=(1, 1), comparison=(9, 9))
        with CaptureQueriesContext(connection) as five:
            section = effects_section(program, *Q1)
    assert len(section["effects"]["places"]) == 5
    assert len(one.captured_queries) == len(five.captured_queries)
