"""One source of truth per figure: for the demo's periods, every figure of the dashboard, the
lists its figures link to, the co-financing page and the four PDF kinds agree.

The whole demo is loaded (its programs, meetings held through the period, measures with their
status history, activities, walks and surveys); each report kind is rendered through the
service as the worker does, and its text is compared with the dashboard's figures for the same
period, place by place and in total."""

import datetime

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from demo.management.commands.load_demo import DEMO_STEPS
from demo.places import load_demo
from partnerships.models import Membership, Role
from reports import services
from tests.reports.test_reports_services import pdf_text, reload

pytestmark = pytest.mark.django_db

#: The demo program's whole period (it has ended: statuses as at its end) and a quarter in it.
PERIODS = [
    (datetime.date(2024, 9, 1), datetime.date(2026, 8, 31)),
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
]


def fmt(value, arg) -> str:
    """A number as the PDF prints it (Swedish, with the template's floatformat)."""
    with translation.override("sv"):
        return str(floatformat(value, arg)).replace("\u00a0", " ")


@pytest.fixture
def demo_world():
    load_demo(steps=DEMO_STEPS)
    with scopes_disabled():  # test set-up: the demo program and its county coordinator
        return (
            Membership.objects.filter(program__slug="trygga-platser", role=Role.COORDINATOR)
            .select_related("program", "user")
            .order_by("pk")
            .first()
        )


def render(coordinator, program, kind, period, place=None, capture=None) -> str:
    with capture(execute=True), scope(program=program):
        report = services.request_report(
            actor=coordinator,
            program=program,
            kind=kind,
            place=place,
            period_start=period[0],
            period_end=period[1],
        )
    report = reload(report)
    assert report.status == report.Status.READY, report.failure_reason
    return pdf_text(report)


def summary_lines(s) -> list[str]:
    """The figures of one place as the report's place section prints them."""
    meetings = f"{s.meetings} möte" if s.meetings == 1 else f"{s.meetings} möten"
    return [
        f"{s.measures_done} genomförda, {s.measures_ongoing} pågående, "
        f"{s.measures_planned} planerade, {s.measures_overdue} försenade av "
        f"{s.measures_total} – {s.share_done_or_started} % genomförda eller påbörjade",
        f"{meetings}, {s.attendances} närvarande",
        f"{s.activities} · {fmt(s.hours, '-2')} h · {fmt(s.cost, '0g')} kr",
        f"{s.findings_open} öppna, {s.findings_closed} åtgärdade/stängda",
    ]


def totals_lines(t) -> list[str]:
    return [
        f"Åtgärder i handlingsplanerna (ej inställda) {t.measures_total}",
        f"Genomförda / pågående / planerade {t.measures_done} / {t.measures_ongoing} / "
        f"{t.measures_planned}",
        f"Andel genomförda eller påbörjade {t.share_done_or_started} %",
        f"Försenade åtgärder {t.measures_overdue}",
        f"Åtgärder genomförda under perioden {t.measures_done_in_period}",
        f"Möten under perioden (närvarande) {t.meetings} ({t.attendances})",
        f"Aktiviteter under perioden {t.activities}",
        f"Partnernas timmar {fmt(t.hours, '-2')} h",
        f"Partnernas kostnader {fmt(t.cost, '0g')} kr",
        f"kostnader) {fmt(t.cofinancing, '0g')} kr",
        f"Fynd öppna / åtgärdade eller stängda {t.findings_open} / {t.findings_closed}",
    ]


def test_dashboard_lists_cofinancing_and_every_pdf_kind_agree(
    demo_world, client_for, django_capture_on_commit_callbacks
):
    program, coordinator = demo_world.program, demo_world.user
    client = client_for(coordinator)
    for period in PERIODS:
        check_period(client, program, coordinator, period, django_capture_on_commit_callbacks)


def check_period(client, program, coordinator, period, capture):
    query = {"fran": period[0].isoformat(), "till": period[1].isoformat()}
    response = client.get(reverse("reports:dashboard", kwargs={"program": program.slug}), query)
    board = response.context["board"]
    rows = response.context["rows"]
    assert len(rows) == board.totals.places == 4
    t = board.totals
    assert t.meetings > 0 and t.activities > 0 and t.findings_closed > 0  # figures to compare

    # The lists behind each place's figures show the same numbers for the same period.
    for row in rows:
        s, links = row.summary, row.links
        assert client.get(links["meetings"]).context["paginator"].count == s.meetings
        activities = client.get(links["activities"]).context
        assert activities["paginator"].count == s.activities
        assert (activities["totals"].hours, activities["totals"].cost) == (s.hours, s.cost)
        for key, figure in (
            ("done", s.measures_done),
            ("ongoing", s.measures_ongoing),
            ("planned", s.measures_planned),
            ("overdue", s.measures_overdue),
        ):
            assert len(client.get(links[key]).context["measures"]) == figure, (row.place, key)
        for key, figure in (
            ("findings_open", s.findings_open),
            ("findings_closed", s.findings_closed),
        ):
            assert len(client.get(links[key]).context["findings"]) == figure, (row.place, key)
    cofinancing = client.get(
        reverse("measures:cofinancing", kwargs={"program": program.slug}), query
    ).context["totals"]
    t = board.totals
    assert (cofinancing.hours, cofinancing.cost) == (t.hours, t.cost)
    assert cofinancing.value == t.hours_value

    # Every report kind prints the dashboard's figures for the period.
    for kind in ("program", "vinnova", "slutrapport"):
        text = render(coordinator, program, kind, period, capture=capture)
        for line in totals_lines(t):
            assert line in text, (kind, line)
        for row in rows:
            for line in summary_lines(row.summary):
                assert line in text, (kind, row.place.name, line)
    avesta = next(r for r in rows if r.place.municipality_name == "Avesta")
    with scopes_disabled():
        place = program.places.get(pk=avesta.place.pk)
    text = render(coordinator, program, "plats", period, place=place, capture=capture)
    for line in summary_lines(avesta.summary):
        assert line in text, ("plats", line)
