"""The dashboard's change in incidents per place: RES with its interval over the follow-up
page's default windows, an arrow only where the interval excludes 1, linked to the follow-up
page with the same windows, in a number of queries that does not grow with the places."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from platser import followup, incidents
from platser.models import AreaKind, IncidentCategory
from reports import dashboard
from tests.factories import IncidentCountFactory, PlaceFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _windows():
    return dashboard.effect_windows(TODAY, TODAY)


def add_counts(place, *, before, after, comparison=(100, 100)):
    """Monthly robbery counts: ``before``/``after`` in the place, ``comparison`` in its
    comparison area, over the dashboard's two windows."""
    windows = _windows()
    with scope(program=place.program):
        incidents.ensure_standard_categories(place.program)
        robbery = IncidentCategory.objects.get(code="ran")
    for i in range(24):
        month = followup.add_months(windows.before_start, i)
        is_after = month >= windows.after_start
        if not is_after and month >= windows.before_end:
            continue
        values = {
            AreaKind.TARGET: after if is_after else before,
            AreaKind.COMPARISON: comparison[1] if is_after else comparison[0],
        }
        for area, value in values.items():
            IncidentCountFactory(
                place=place, program=place.program, category=robbery, month=month,
                area=area, count=value,
            )  # fmt: skip


def _get(client, program, **query):
    url = reverse("reports:dashboard", kwargs={"program": program.slug})
    return client.get(url, {"fran": (TODAY.replace(day=1)).isoformat(), "till": TODAY, **query})


def _cell(html, name):
    row = re.search(
        r"<tr>\s*<th[^>]*>[^<]*<a[^>]*>" + re.escape(name) + r"</a>.*?</tr>", html, re.S
    )
    return re.search(r'<td class="num dash-effect">(.*?)</td>', row.group(0), re.S).group(1)


def test_the_column_shows_res_with_its_interval_and_an_arrow_only_when_sure(
    client_for, program, coordinator
):
    fewer = PlaceFactory(program=program, name="Avesta torg")
    same = PlaceFactory(program=program, name="Borlänge torg")
    PlaceFactory(program=program, name="Falun torg")  # no counts at all
    few = PlaceFactory(program=program, name="Gagnef torg")
    add_counts(fewer, before=20, after=10)
    add_counts(same, before=10, after=10, comparison=(100, 104))
    add_counts(few, before=0, after=1)
    response = _get(client_for(coordinator), program)
    html = response.content.decode()
    with scope(program=program):
        expected = followup.total_effects([fewer.pk, same.pk], _windows())
    reduction, unchanged = expected[fewer.pk], expected[same.pk]
    assert reduction.res.low > 1 and unchanged.res.low < 1 < unchanged.res.high

    cell = _cell(html, "Avesta torg")
    assert reduction.res_text in cell and "↓" in cell and "Minskning" in cell
    windows = _windows()
    link = re.search(r'href="([^"]+)"', cell).group(1).replace("&amp;", "&")
    assert link == (
        reverse("measures:place_effects", kwargs={"program": program.slug, "place": fewer.pk})
        + f"?fran={windows.after_start:%Y-%m}&manader=12"
    )
    # The follow-up page behind the link shows the same RES.
    page = client_for(coordinator).get(link).content.decode()
    assert f'<strong data-figure="res">{reduction.res_text}</strong>' in page

    cell = _cell(html, "Borlänge torg")
    assert unchanged.res_text in cell and "↓" not in cell and "↑" not in cell
    assert "Ingen säker förändring" in cell
    assert "För få för att bedöma" in _cell(html, "Falun torg")
    assert "För få för att bedöma" in _cell(html, "Gagnef torg")

    # Sorted by the change: the clearest reduction first, the places without a figure last.
    rows = _get(client_for(coordinator), program, sort="handelser", dir="desc").context["rows"]
    assert [r.place.name for r in rows[:2]] == ["Avesta torg", "Borlänge torg"]


def test_the_column_costs_one_query_whatever_the_number_of_places(
    client_for, program, coordinator, monkeypatch
):
    monkeypatch.setattr(dashboard, "STALE_SECONDS", 0)
    client = client_for(coordinator)

    def run(n):
        for i in range(n):
            add_counts(PlaceFactory(program=program), before=20 + i, after=10)
        cache.clear()  # the counts were written past the services: count the board afresh
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, program)
        assert all(r.effect is not None for r in response.context["rows"])
        return [q["sql"] for q in queries.captured_queries]

    small, large = run(2), run(8)
    assert len(small) == len(large)
    assert sum("platser_incidentcount" in sql for sql in large) == 1
