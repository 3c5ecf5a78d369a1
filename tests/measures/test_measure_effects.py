"""The effect follow-up of a measure and of a group of measures (measures.effects and
measures.views_effects): windows around the actual completion date from the status history,
seasonally matched, and the place's story with its markers."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from measures import effects
from measures.models import MeasureStatusChange, Status
from platser import followup, incidents
from platser.followup import Windows
from platser.models import AreaKind, IncidentCategory
from tests.factories import DecisionFactory, IncidentCountFactory, MeasureFactory, MeetingFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _aware(day):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12))


def done_measure(place, *, title, recorded, actual_end):
    """A measure done, whose history records the change on ``recorded``."""
    measure = MeasureFactory(
        place=place, title=title, status=Status.DONE, actual_start=D(2024, 1, 1),
        actual_end=actual_end,
    )  # fmt: skip
    with scope(program=place.program):
        MeasureStatusChange.objects.create(
            program=place.program, measure=measure, from_status=Status.ONGOING,
            to_status=Status.DONE, at=_aware(recorded),
        )  # fmt: skip
    return measure


def monthly_counts(place, *, first, months, values):
    """``values[area](month index)`` incidents of robbery in every month from ``first``."""
    with scope(program=place.program):
        incidents.ensure_standard_categories(place.program)
        robbery = IncidentCategory.objects.get(code="ran")
    for i in range(months):
        for area, value in values.items():
            IncidentCountFactory(
                place=place, program=place.program, category=robbery,
                month=followup.add_months(first, i), area=area, count=value(i),
            )  # fmt: skip


def test_windows_are_seasonally_matched_whole_years_back():
    plain = Windows.around(D(2025, 3, 1))
    assert (plain.before_start, plain.before_end) == (D(2024, 3, 1), D(2025, 3, 1))
    # A gap of three months: the before window still starts in March, two years back.
    gap = Windows.around(D(2025, 3, 1), gap=3)
    assert (gap.before_start, gap.before_end) == (D(2023, 3, 1), D(2024, 3, 1))
    assert (gap.after_start, gap.after_end) == (D(2025, 3, 1), D(2026, 3, 1))
    assert gap.gap_months == 12
    # Not matched: the 12 months just before the gap.
    near = Windows.around(D(2025, 3, 1), gap=3, seasonal=False)
    assert (near.before_start, near.before_end) == (D(2023, 12, 1), D(2024, 12, 1))
    # A group spanning January to April: the months between are left out, seasons matched.
    group = Windows.spanning(before_limit=D(2025, 1, 1), after_start=D(2025, 4, 1))
    assert (group.before_start, group.before_end) == (D(2023, 4, 1), D(2024, 4, 1))
    assert group.before_end <= D(2025, 1, 1)


def test_the_completion_date_comes_from_the_status_history(place):
    recorded = done_measure(
        place, title="Belysning", recorded=D(2025, 1, 15), actual_end=D(2024, 12, 20)
    )
    without = MeasureFactory(place=place, status=Status.DONE, actual_end=D(2024, 6, 3))
    ongoing = MeasureFactory(place=place, status=Status.ONGOING)
    with scope(program=place.program):
        dates = effects.completion_dates([recorded, without, ongoing])
    assert dates == {recorded.pk: D(2025, 1, 15), without.pk: D(2024, 6, 3)}


def measure_url(measure, query=""):
    url = reverse(
        "measures:measure_effects", kwargs={"program": measure.program.slug, "pk": measure.pk}
    )
    return url + query


def test_a_measure_is_followed_up_around_its_completion(place, observer, client_for):
    measure = done_measure(
        place, title="Belysning", recorded=D(2025, 1, 15), actual_end=D(2025, 1, 10)
    )
    # Before (Jan–Dec 2024): 20 a month in the place; after (from Jan 2025): 10.
    monthly_counts(
        place, first=D(2024, 1, 1), months=24,
        values={
            AreaKind.TARGET: lambda i: 20 if i < 12 else 10,
            AreaKind.BUFFER: lambda i: 6,
            AreaKind.COMPARISON: lambda i: 50,
        },
    )  # fmt: skip
    response = client_for(observer).get(measure_url(measure))
    text = response.content.decode()
    assert "Åtgärden blev genomförd 2025-01-15" in text
    assert "Före: 2024-01 till före 2025-01. Efter: 2025-01 till före 2026-01." in text
    with scope(program=place.program):
        expected = followup.follow_up(place, Windows.around(D(2025, 1, 1))).total
    assert (expected.a_before, expected.a_after) == (240, 120)
    assert f'<strong data-figure="res">{expected.res_text}</strong>' in text
    # var(ln RES) = 1/240 + 1/120 + 1/600 + 1/600; 2 · exp(±1.96 · 0.1258)
    assert expected.res_text == "2,00 (1,56–2,56)"
    assert f'<strong data-figure="wdq">{expected.wdq_text}</strong>' in text
    assert "Minskning" in text
    # The measure's completion is marked on the story and in its table.
    assert 'data-marker="measure"' in text and "<title>2025-01-15 Belysning</title>" in text


def test_a_group_of_measures_spans_their_completions(place, observer, client_for):
    first = done_measure(place, title="Belysning", recorded=D(2025, 1, 15), actual_end=None)
    second = done_measure(place, title="Röjning", recorded=D(2025, 4, 10), actual_end=None)
    MeasureFactory(place=place, title="Inte klar", status=Status.ONGOING)
    response = client_for(observer).get(
        measure_url(first, f"?med={second.pk}&med=x&med=999999&manader=12")
    )
    text = response.content.decode()
    assert "2 åtgärder följs upp tillsammans" in text
    assert "mellan 2025-01-15 och 2025-04-10" in text
    assert "Före: 2023-04 till före 2024-04. Efter: 2025-04 till före 2026-04." in text
    assert "Inte klar" not in text  # only done measures can join the group
    assert f'name="med" value="{second.pk}" id="id_med_{second.pk}" checked' in text


def test_a_measure_not_done_gets_a_message_not_figures(place, observer, client_for):
    measure = MeasureFactory(place=place, status=Status.PLANNED)
    response = client_for(observer).get(measure_url(measure, "?manader=abc&uppehall=-4"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Åtgärden är inte genomförd ännu" in text
    assert 'data-figure="res"' not in text


def test_too_few_incidents_show_words_not_figures(place, observer, client_for):
    measure = done_measure(place, title="Bänkar", recorded=D(2025, 1, 15), actual_end=None)
    monthly_counts(
        place, first=D(2024, 2, 1), months=24,
        values={AreaKind.TARGET: lambda i: 0, AreaKind.COMPARISON: lambda i: 1},
    )  # fmt: skip
    text = client_for(observer).get(measure_url(measure)).content.decode()
    assert '<strong data-figure="res">För få händelser för att bedöma</strong>' in text
    assert '<strong data-figure="wdq">För få händelser för att bedöma</strong>' in text


def test_the_story_marks_measures_and_decisions_in_constant_queries(
    place, second_place, django_assert_max_num_queries
):
    end = D(2025, 12, 1)
    done_measure(place, title="Belysning", recorded=D(2025, 3, 2), actual_end=None)
    done_measure(second_place, title="Kameror", recorded=D(2025, 6, 9), actual_end=None)
    done_measure(place, title="För länge sedan", recorded=D(2019, 1, 1), actual_end=None)
    meeting = MeetingFactory(place=place, starts_at=_aware(D(2025, 2, 20)))
    DecisionFactory(meeting=meeting, text="Belysningen vid torget ska bytas.")
    with scope(program=place.program), django_assert_max_num_queries(14):
        lines = effects.stories([place.pk, second_place.pk], end=end)
    marks = [(m.day, m.kind) for m in lines[place.pk].markers]
    assert marks == [(D(2025, 2, 20), "decision"), (D(2025, 3, 2), "measure")]
    assert [m.label for m in lines[second_place.pk].markers] == ["Kameror"]
    svg = effects.story_svg(place, lines[place.pk])
    assert re.search(
        r"<title>2025-02-20 Beslut \d+: Belysningen vid torget ska bytas\.</title>", svg
    )
    assert "<title>2025-03-02 Belysning</title>" in svg
