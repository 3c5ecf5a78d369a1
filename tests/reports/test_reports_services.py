"""Requesting and rendering reports: the task run directly, its idempotency and failures, the
schedules and their e-mails."""

import datetime
import io
from pathlib import Path

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from reports import pdf_context, services, tasks
from reports.dates import last_complete_period, swedish_period
from reports.models import Report
from reports.selectors import place_summaries
from tests.factories import PlaceFactory, ReportFactory, ReportScheduleFactory
from tests.reports.conftest import Q1


def pdf_text(report) -> str:
    with scopes_disabled():  # reading the stored file of an explicit report
        data = Report.objects.get(pk=report.pk).pdf.read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.replace("\u00a0", " ").split())  # table cells wrap: compare words


def request(program, coordinator, **kwargs):
    defaults = {"kind": "program", "period_start": Q1[0], "period_end": Q1[1]}
    with scope(program=program):
        return services.request_report(actor=coordinator, program=program, **{**defaults, **kwargs})


def reload(report) -> Report:
    with scopes_disabled():  # reading back the row the task wrote
        return Report.objects.get(pk=report.pk)


def test_request_report_queues_rendering_and_the_pdf_holds_the_period_figures(
    program, place, coordinator, quarter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request(program, coordinator, narrative={"purpose": "Öka tryggheten i centrum."})

    report = reload(report)
    assert report.status == Report.Status.READY
    assert report.attempts == 1
    text = pdf_text(report)
    with scope(program=program):
        summary = place_summaries(program, *Q1)[0]
    # The figures the database holds for the quarter (activities of April not counted).
    assert summary.measures_done_in_period == 3
    assert summary.hours == pytest.approx(7.75)
    assert "Åtgärder genomförda under perioden 3" in text
    assert "7,75 h" in text
    assert "1 januari – 31 mars 2026" in text
    assert "Vinnova" in text and "2020-01234" in text
    # Measures done in the period only (the "Effekter" section's timeline shows older ones).
    before_effects = text[: text.index("Effekter Händelser före och efter")]
    assert "Klar 0" in before_effects and "Klar i fjol" not in before_effects
    assert "Före och efter: Klar 0" in text
    assert "Styrgruppsmöte mars" in text
    assert "Styrgruppen beslutar att sätta upp belysning." in text
    assert "Öka tryggheten i centrum." in text
    # 7.75 h × 800 kr/h = 6 200 kr; costs 1 500 kr.
    assert "6 200 kr" in text.replace("\u00a0", " ")
    assert "60 % (uppföljning 1), nollmätning 40 % (+20 procentenheter)" in text
    assert "Sida 2 av" in text
    assert text.index("Före: fore") < text.index("Efter: efter")


def test_running_the_task_twice_keeps_one_pdf_and_ready(program, coordinator, place, settings):
    report = request(program, coordinator)
    tasks.render_report(report_id=report.pk)
    first = reload(report)
    tasks.render_report(report_id=report.pk)
    second = reload(report)

    assert second.status == Report.Status.READY
    assert second.pdf.name == first.pdf.name
    assert second.attempts == 1
    files = list(Path(settings.MEDIA_ROOT, "reports").rglob("*.pdf"))
    assert len(files) == 1


def test_a_failing_render_is_recorded_and_a_retry_works(program, coordinator, monkeypatch):
    report = request(program, coordinator)
    monkeypatch.setattr(pdf_context, "PDF_TEMPLATE", "reports/pdf/finns-inte.html")

    tasks.render_report(report_id=report.pk)

    failed = reload(report)
    assert failed.status == Report.Status.FAILED
    assert failed.failure_reason == "Rapportmallen saknas eller är felaktig."
    assert not failed.pdf

    monkeypatch.undo()
    with scope(program=program):
        services.retry_report(actor=coordinator, report=failed)
    assert reload(report).status == Report.Status.PENDING
    tasks.render_report(report_id=report.pk)
    done = reload(report)
    assert done.status == Report.Status.READY
    assert done.attempts == 2
    assert done.failure_reason == ""


def test_an_invalid_narrative_fails_with_a_swedish_reason(program, coordinator):
    report = ReportFactory(program=program, purpose="x" * 6000)  # bypassing the form

    tasks.render_report(report_id=report.pk)

    failed = reload(report)
    assert failed.status == Report.Status.FAILED
    assert failed.failure_reason.startswith("Rapportens innehåll är ogiltigt")


def test_a_stuck_rendering_report_is_picked_up_again(program, coordinator):
    report = ReportFactory(
        program=program,
        status=Report.Status.RENDERING,
        attempts=1,
        started_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )

    assert tasks.sweep_reports() == 1  # eager: the sweeper renders it again right away

    again = reload(report)
    assert again.status == Report.Status.READY
    assert again.attempts == 2


def test_a_report_being_rendered_right_now_is_left_alone(program):
    from django.utils import timezone

    report = ReportFactory(
        program=program, status=Report.Status.RENDERING, attempts=1, started_at=timezone.now()
    )

    tasks.render_report(report_id=report.pk)

    assert reload(report).attempts == 1


def test_a_report_for_another_programs_place_is_refused(program, coordinator, other_place):
    with pytest.raises(services.ReportError):
        request(program, coordinator, kind="plats", place=other_place)
    with scopes_disabled():  # counting across programs: nothing may have been written
        assert not Report.objects.exists()


def test_schedule_fires_twice_one_report_and_recipients_get_a_link_once(
    program, coordinator, django_capture_on_commit_callbacks
):
    schedule = ReportScheduleFactory(program=program, recipient_emails=["vinnova@demo.test"])
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.run_schedules()
        second = tasks.run_schedules()

    assert (first, second) == (1, 0)
    with scopes_disabled():  # reading back what beat made
        reports = list(Report.objects.filter(schedule=schedule))
    assert len(reports) == 1
    assert reports[0].status == Report.Status.READY
    start, end = last_complete_period("kvartal", datetime.date.today())
    assert (reports[0].period_start, reports[0].period_end) == (start, end)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vinnova@demo.test"]
    assert f"/rapporter/{reports[0].pk}/" in message.body
    assert not message.attachments
    tasks.sweep_reports()
    with scope(program=program):
        services.notify_recipients(report_id=reports[0].pk)
    assert len(mail.outbox) == 1


def test_the_unique_constraint_holds_a_schedule_to_one_report_per_period(program):
    schedule = ReportScheduleFactory(program=program)
    ReportFactory(program=program, schedule=schedule)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(program=program, schedule=schedule)


def test_periods_and_swedish_dates():
    assert last_complete_period("kvartal", datetime.date(2026, 5, 3)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 31),
    )
    assert last_complete_period("kvartal", datetime.date(2026, 1, 1)) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert last_complete_period("manad", datetime.date(2026, 3, 15)) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    assert swedish_period(*Q1) == "1 januari – 31 mars 2026"
    assert swedish_period(datetime.date(2025, 12, 1), datetime.date(2026, 1, 31)) == (
        "1 december 2025 – 31 januari 2026"
    )


def test_hourly_rate_above_the_vinnova_ceiling_is_capped(program, place, coordinator):
    from decimal import Decimal

    from tests.factories import ActivityFactory

    program.hourly_rate = Decimal("950")
    program.save()
    ActivityFactory(
        place=place, date=datetime.date(2026, 2, 2), hours=Decimal("10"), cost=Decimal("0")
    )
    report = request(program, coordinator)
    tasks.render_report(report_id=report.pk)

    text = pdf_text(report).replace("\u00a0", " ")
    assert "Timmarnas värde (800 kr/h) 8 000 kr" in text
    assert "Programmets timpris är 950 kr/h" in text


def test_sections_tolerate_a_program_without_any_data(program, coordinator):
    PlaceFactory(program=program, name="Tom plats")
    report = request(program, coordinator, kind="slutrapport")
    tasks.render_report(report_id=report.pk)

    text = pdf_text(report)
    assert reload(report).status == Report.Status.READY
    assert "Inga åtgärder genomfördes under perioden." in text
    assert "Inga möten under perioden." in text


def test_reports_count_only_surveys_that_have_closed(
    program, place, coordinator, quarter, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from tests.factories import SurveyFactory
    from tests.reports.conftest import add_responses

    today = timezone.localdate()
    running = SurveyFactory(
        program=program,
        places=[place],
        wave=2,
        codes=["plats-trygg-kvall"],
        opens_on=datetime.date(2026, 3, 25),  # opened within the quarter, still open
        closes_on=today + datetime.timedelta(days=10),
    )
    add_responses(running, place, safe=18, unsafe=2)  # 90 % so far
    with django_capture_on_commit_callbacks(execute=True):
        report = request(program, coordinator)

    text = pdf_text(reload(report))
    assert "60 % (uppföljning 1), nollmätning 40 % (+20 procentenheter)" in text
    assert "90 %" not in text and "uppföljning 2" not in text


def test_the_slutrapport_reads_as_a_final_report(
    program, place, coordinator, quarter, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from reports.selectors import economy, partner_participation

    program.grant_amount = Decimal("540000")
    program.save()
    coordinator.name = "Karin Berg"
    coordinator.save()
    narrative = {
        "purpose": "Öka tryggheten vid busstorget.",
        "lessons": "Vandringar med fastighetsägarna gav flest åtgärder.",
        "dissemination": "Metoden visades på länets nätverksträff.",
        "next_steps": "Kommunen driver samverkan vidare i egen regi.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        report = request(program, coordinator, kind="slutrapport", narrative=narrative)
    report = reload(report)
    assert (report.lessons, report.next_steps) == (narrative["lessons"], narrative["next_steps"])
    text = pdf_text(report)
    with scope(program=program):
        money = economy(program, *Q1, places=[place.pk])
        partners = partner_participation(program, *Q1, places=[place.pk])
    # Six measures not cancelled at the quarter's end, 45 000 kr budget each, three with a cost.
    assert (money.measures, money.budget, money.actual_cost) == (6, 270000, 36000)
    assert money.budget_percent_of_grant == 50
    assert "Beviljat belopp 540 000 kr" in text
    assert "Budget för åtgärderna i handlingsplanerna 270 000 kr (50 % av beviljat)" in text
    assert "Faktisk kostnad hittills 36 000 kr (13 % av budget)" in text
    assert "Trygghetsskapande 6 4 270 000 36 000" in text
    [owner] = [p for p in partners if p["hours"]]
    value = (owner["hours"] * program.hourly_rate).quantize(Decimal("1"))
    kronor = f"{value:,}".replace(",", " ")
    assert f"{owner['name']} Fastighetsägare 7,75 {kronor}" in text
    # The funder's sections in order, the coordinator's texts in them, and a signature block.
    headings = [
        "Syfte och mål",
        "Resultat per plats",
        "Effekter",
        "Genomförande",
        "Ekonomi",
        "Medfinansiering per partner",
        "Avvikelser",
        "Lärdomar",
        "Spridning och kommunikation",
        "Fortsättning efter projektet",
        "Underskrift",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    for value in narrative.values():
        assert value in text
    assert "Namnförtydligande Karin Berg" in text
    assert "Ort och datum" in text


def test_the_lagesrapport_stays_the_short_one(program, place, coordinator, quarter):
    report = request(program, coordinator, kind="vinnova", narrative={"lessons": "Inte här."})
    tasks.render_report(report_id=report.pk)
    text = pdf_text(report)
    assert "Vinnova lägesrapport" in text
    for section in ("Ekonomi", "Lärdomar", "Underskrift", "Inte här."):
        assert section not in text
