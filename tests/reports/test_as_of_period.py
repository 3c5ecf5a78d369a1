"""Figures as of a period: statuses at its end from the history, places that did not exist yet
left out and named, and the lists the dashboard links to showing the same numbers."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from measures.models import Measure, MeasureStatusChange, Status
from measures.selectors import measures_as_of
from meetings.models import Meeting
from reports.pdf_context import build_context
from reports.selectors import place_summaries, places_made_after
from tests.factories import (
    ActivityFactory,
    FindingFactory,
    MeasureFactory,
    MeetingFactory,
    PlaceFactory,
    ReportFactory,
)

TODAY = timezone.localdate()
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def at(day: datetime.date, hour=12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def history(measure, *steps):
    """The measure's status history: ``(day, from, to)`` per change."""
    with scopes_disabled():
        for day, from_status, to_status in steps:
            MeasureStatusChange.objects.create(
                program=measure.program,
                measure=measure,
                from_status=from_status,
                to_status=to_status,
                at=at(day),
            )


@pytest.fixture
def plan(place):
    """At the end of March: one ongoing (done in May), one planned (started in April), one done
    in March, one created in April. Today all but the last are done or ongoing."""
    finished_later = MeasureFactory(
        place=place, status=Status.DONE, actual_start=datetime.date(2026, 2, 1),
        actual_end=datetime.date(2026, 5, 10), planned_end=datetime.date(2026, 3, 1),
    )  # fmt: skip
    history(
        finished_later,
        (datetime.date(2025, 12, 1), "", Status.PLANNED),
        (datetime.date(2026, 2, 1), Status.PLANNED, Status.ONGOING),
        (datetime.date(2026, 5, 10), Status.ONGOING, Status.DONE),
    )
    started_later = MeasureFactory(
        place=place, status=Status.ONGOING, planned_end=datetime.date(2099, 1, 1)
    )
    history(
        started_later,
        (datetime.date(2025, 12, 1), "", Status.PLANNED),
        (datetime.date(2026, 4, 2), Status.PLANNED, Status.ONGOING),
    )
    done_in_march = MeasureFactory(
        place=place, status=Status.DONE, actual_start=datetime.date(2026, 1, 5),
        actual_end=datetime.date(2026, 3, 20),
    )  # fmt: skip
    history(
        done_in_march,
        (datetime.date(2025, 12, 1), "", Status.ONGOING),
        (datetime.date(2026, 3, 20), Status.ONGOING, Status.DONE),
    )
    made_in_april = MeasureFactory(place=place, status=Status.PLANNED)
    history(made_in_april, (datetime.date(2026, 4, 15), "", Status.PLANNED))
    return {
        "finished_later": finished_later,
        "started_later": started_later,
        "done_in_march": done_in_march,
        "made_in_april": made_in_april,
    }


def test_measures_as_of_reads_the_status_at_the_end_of_the_day_from_the_history(program, plan):
    with scope(program=program):
        then = {m.pk: m.status_then for m in measures_as_of(Measure.objects.all(), PERIOD[1])}
        now = {m.pk: m.status_then for m in measures_as_of(Measure.objects.all(), TODAY)}
    assert then == {
        plan["finished_later"].pk: Status.ONGOING,
        plan["started_later"].pk: Status.PLANNED,
        plan["done_in_march"].pk: Status.DONE,
    }  # the measure made in April did not exist yet
    assert now[plan["finished_later"].pk] == Status.DONE
    assert now[plan["made_in_april"].pk] == Status.PLANNED
    # A change late on the last day still counts for that day; one just after midnight does not.
    history(plan["made_in_april"], (PERIOD[1], "", Status.PLANNED))
    with scope(program=program):
        assert measures_as_of(Measure.objects.all(), PERIOD[1]).count() == 4
        assert measures_as_of(Measure.objects.all(), PERIOD[1] - datetime.timedelta(1)).count()


def test_a_report_on_a_past_period_counts_the_statuses_of_its_end(program, place, plan):
    with scope(program=program):
        [summary] = place_summaries(program, *PERIOD)
    assert (summary.measures_done, summary.measures_ongoing, summary.measures_planned) == (1, 1, 1)
    assert summary.measures_total == 3
    assert summary.measures_done_in_period == 1  # finished_later was done in May
    # Overdue on the period's end: the ongoing one planned to end on 1 March.
    assert summary.measures_overdue == 1
    with scope(program=program):
        [today] = place_summaries(program, PERIOD[0], TODAY)
    assert (today.measures_done, today.measures_ongoing, today.measures_planned) == (2, 1, 1)


def test_places_made_after_the_period_are_left_out_and_named(program, place, coordinator):
    later = PlaceFactory(program=program, name="Ludvika resecentrum", created_at=at(TODAY))
    with scope(program=program):
        summaries = place_summaries(program, *PERIOD)
        assert [s.place for s in summaries] == [place]
        assert places_made_after(program, PERIOD[1]) == [later]
        assert {s.place for s in place_summaries(program, PERIOD[0], TODAY)} == {place, later}
        report = ReportFactory(
            program=program, kind="program", period_start=PERIOD[0], period_end=PERIOD[1],
            requested_by=coordinator,
        )  # fmt: skip
        context, _media = build_context(report)
    assert [s.place for s in context["summaries"]] == [place]
    assert context["places_left_out"] == [later]
    # A place report on the later place says why it is empty; one on the other names nothing.
    with scope(program=program):
        for subject, left_out in ((later, [later]), (place, [])):
            report = ReportFactory(
                program=program, kind="plats", place=subject, period_start=PERIOD[0],
                period_end=PERIOD[1], requested_by=coordinator,
            )  # fmt: skip
            context, _media = build_context(report)
            assert context["places_left_out"] == left_out


def test_findings_count_as_they_stood_at_the_period_end(program, place):
    closed_in_april = FindingFactory(place=place, status="stangd")
    closed_in_march = FindingFactory(place=place, status="stangd")
    open_finding = FindingFactory(place=place, status="oppen")
    made_in_april = FindingFactory(place=place, status="oppen")
    with scopes_disabled():
        for finding, made, changed in (
            (closed_in_april, datetime.date(2026, 1, 10), datetime.date(2026, 4, 3)),
            (closed_in_march, datetime.date(2026, 1, 10), datetime.date(2026, 3, 3)),
            (open_finding, datetime.date(2026, 2, 10), None),
            (made_in_april, datetime.date(2026, 4, 10), None),
        ):
            type(finding).objects.filter(pk=finding.pk).update(
                created_at=at(made), status_changed_at=at(changed) if changed else None
            )
    with scope(program=program):
        [summary] = place_summaries(program, *PERIOD)
        [now] = place_summaries(program, PERIOD[0], TODAY)
    assert (summary.findings_open, summary.findings_closed) == (2, 1)
    assert (now.findings_open, now.findings_closed) == (2, 2)


def test_the_plan_as_of_a_day_shows_the_statuses_then(
    client_for, program, place, coordinator, plan
):
    client = client_for(coordinator)
    url = reverse("measures:plan", kwargs={"program": program.slug, "place": place.pk})
    response = client.get(url, {"per": PERIOD[1].isoformat(), "status": "pagaende"})
    assert [m.pk for m in response.context["measures"]] == [plan["finished_later"].pk]
    html = response.content.decode()
    assert "som den såg ut vid slutet av 31 mars 2026" in html
    assert "(nu: Genomförd)" in html
    assert response.context["share"].done_or_started == 2
    assert response.context["overdue_count"] == 1
    # Today's plan, and a day that is not one: today's plan, no error.
    assert len(client.get(url, {"status": "pagaende"}).context["measures"]) == 1
    assert client.get(url, {"per": "31 mars"}).context["filters"]["as_of"] is None


def test_cofinancing_counts_the_program_period_by_default_and_any_period_asked_for(
    client_for, program, place, coordinator, organisation
):
    program.period_start, program.period_end = datetime.date(2025, 1, 1), datetime.date(2026, 6, 30)
    program.hourly_rate = Decimal("950")  # above Vinnova's ceiling: valued at 800
    program.save()
    for day, hours in ((datetime.date(2024, 12, 31), 5), (datetime.date(2025, 3, 1), 2),
                       (datetime.date(2026, 7, 1), 7)):  # fmt: skip
        ActivityFactory(place=place, organisation=organisation, date=day, hours=Decimal(hours),
                        cost=Decimal("100"))  # fmt: skip
    client = client_for(coordinator)
    url = reverse("measures:cofinancing", kwargs={"program": program.slug})
    default = client.get(url).context["totals"]
    assert (default.hours, default.cost, default.rate) == (2, 100, 800)
    assert default.value == 1600
    everything = client.get(url, {"fran": "", "till": ""}).context["totals"]
    assert everything.hours == 14
    asked = client.get(url, {"fran": "2026-07-01", "till": "2026-12-31"}).context["totals"]
    assert asked.hours == 7
    wrong = client.get(url, {"fran": "2026-07-01", "till": "2026-01-01"})
    assert wrong.status_code == 200
    assert "Periodens slut kan inte ligga före dess början." in wrong.content.decode()
    assert wrong.context["totals"].hours == 2  # the default period, not a guess
    assert "Fyll i ett giltigt datum." in client.get(url, {"fran": "igår"}).content.decode()


def test_the_meeting_list_of_held_meetings_counts_as_the_reports(
    client_for, program, place, coordinator
):
    now = timezone.now()
    MeetingFactory(program=program, place=place, starts_at=at(datetime.date(2026, 2, 3)),
                   ends_at=at(datetime.date(2026, 2, 3), 14))  # fmt: skip
    MeetingFactory(program=program, place=place, starts_at=at(datetime.date(2026, 2, 10)),
                   ends_at=at(datetime.date(2026, 2, 10), 14), cancelled_at=now)  # fmt: skip
    MeetingFactory(program=program, place=place, starts_at=at(datetime.date(2026, 4, 10)),
                   ends_at=at(datetime.date(2026, 4, 10), 14))  # fmt: skip
    with scope(program=program):
        [summary] = place_summaries(program, *PERIOD)
        assert Meeting.objects.count() == 3
    url = reverse("meetings:meetings", kwargs={"program": program.slug})
    response = client_for(coordinator).get(
        url, {"plats": place.pk, "tid": "genomforda", "fran": "2026-01-01", "till": "2026-03-31"}
    )
    assert response.context["paginator"].count == summary.meetings == 1
    assert "1 möte" in response.content.decode()
