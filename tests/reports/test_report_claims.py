"""A report's rendering claim: a dead one is taken over promptly, a live one is left alone, only
the attempt holding it stores a PDF, recipients are mailed once, and the page tells the truth."""

import datetime
import time
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from reports import services, tasks
from reports.models import Report
from tests.factories import ReportFactory, ReportScheduleFactory

pytestmark = pytest.mark.django_db


def reload(report) -> Report:
    with scopes_disabled():  # reading back the row the task wrote
        return Report.objects.get(pk=report.pk)


def rendering(program, *, task_id="task-1", beat_ago=0, **kwargs) -> Report:
    """A report that attempt 1 (task ``task_id``) claimed, last alive ``beat_ago`` seconds ago."""
    beat = timezone.now() - datetime.timedelta(seconds=beat_ago)
    return ReportFactory(
        program=program,
        status=Report.Status.RENDERING,
        attempts=1,
        claimed_by=task_id,
        started_at=beat,
        heartbeat_at=beat,
        **kwargs,
    )


def render(program, report, task_id):
    with scope(program=program):
        return services.render_report(report_id=report.pk, task_id=task_id)


def test_a_redelivered_task_takes_over_its_own_claim_at_once(program):
    report = rendering(program, task_id="task-1", beat_ago=1)  # its worker died a second ago

    render(program, report, "task-1")

    done = reload(report)
    assert done.status == Report.Status.READY
    assert done.attempts == 2
    assert done.pdf.read().startswith(b"%PDF")


def test_another_task_leaves_a_live_claim_alone(program):
    report = rendering(program, task_id="task-1", beat_ago=5)

    assert render(program, report, "task-2") is None

    same = reload(report)
    assert (same.status, same.attempts, same.claimed_by) == (Report.Status.RENDERING, 1, "task-1")


def test_a_claim_whose_heartbeat_stopped_is_taken_over(program):
    report = rendering(program, beat_ago=services.STALE_HEARTBEAT.total_seconds() + 1)

    render(program, report, "task-2")

    done = reload(report)
    assert (done.status, done.attempts, done.claimed_by) == (Report.Status.READY, 2, "task-2")


def test_only_the_attempt_holding_the_claim_stores_its_pdf(program, settings):
    report = ReportFactory(program=program)
    with scope(program=program):
        first = services._claim(report.pk, "task-1")  # attempt 1 claims, then hangs …
    with scopes_disabled():  # test set-up: attempt 1's heartbeat stops
        Report.objects.filter(pk=report.pk).update(
            heartbeat_at=timezone.now() - services.STALE_HEARTBEAT * 2
        )
    render(program, report, "task-2")  # … attempt 2 takes over and finishes
    stored = reload(report).pdf.name

    with scope(program=program):  # attempt 1 wakes up and tries to store its PDF
        services._finish(first, 1, status=Report.Status.READY, pdf=b"%PDF-1.7 late")

    after = reload(report)
    assert after.pdf.name == stored and after.attempts == 2
    assert not after.pdf.read().startswith(b"%PDF-1.7 late")
    assert len(list(Path(settings.MEDIA_ROOT, "reports").rglob("*.pdf"))) == 1


def test_the_sweeper_queues_a_dead_claim_and_leaves_a_beating_one(program):
    dead = rendering(program, beat_ago=services.STALE_HEARTBEAT.total_seconds() + 1)
    alive = rendering(program, task_id="task-9", beat_ago=5)

    assert tasks.sweep_reports() == 1  # eager: rendered again right away

    assert reload(dead).status == Report.Status.READY
    assert reload(alive).status == Report.Status.RENDERING


def test_a_scheduled_report_taken_over_is_mailed_once(program):
    schedule = ReportScheduleFactory(program=program, recipient_emails=["vinnova@example.com"])
    report = rendering(program, task_id="task-1", beat_ago=1, schedule=schedule)

    render(program, report, "task-1")  # the re-delivery after the crash
    render(program, report, "task-1")  # and once more, for good measure
    tasks.sweep_reports()

    assert reload(report).status == Report.Status.READY
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vinnova@example.com"]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_written_while_the_pdf_is_made(program, monkeypatch):
    monkeypatch.setattr(services, "HEARTBEAT_EVERY", datetime.timedelta(seconds=0.05))
    report = ReportFactory(program=program)
    with scope(program=program):
        claimed = services._claim(report.pk, "task-1")
    first = reload(report).heartbeat_at

    with services._heartbeat(report.pk, claimed.attempts):
        time.sleep(0.4)
    beaten = reload(report).heartbeat_at
    time.sleep(0.2)

    assert beaten > first
    assert reload(report).heartbeat_at == beaten  # and it stopped with the rendering


# --- what the report page says ---------------------------------------------------------------


def url(name, program, report):
    return reverse(f"reports:{name}", kwargs={"program": program.slug, "pk": report.pk})


def test_a_report_whose_worker_died_says_so_and_can_be_retried(
    program, coordinator, client_for, django_capture_on_commit_callbacks
):
    report = rendering(program, beat_ago=services.STALE_HEARTBEAT.total_seconds() + 1)
    client = client_for(coordinator)

    html = client.get(url("detail", program, report)).text
    status = client.get(url("status", program, report)).json()

    assert "Arbetet med rapporten avbröts" in html
    assert "Försök igen nu" in html
    assert "Rapporten skapas. Det brukar ta några sekunder." not in html
    assert status["stuck"] is True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("retry", program, report))  # eager: rendered at once
    assert reload(report).status == Report.Status.READY


def test_a_report_never_queued_says_it_waits_for_the_background_service(
    program, observer, client_for
):
    report = ReportFactory(program=program)
    with scopes_disabled():  # test set-up: requested while the broker was down
        Report.objects.filter(pk=report.pk).update(
            created_at=timezone.now() - services.STALE_PENDING * 2
        )

    html = client_for(observer).get(url("detail", program, report)).text

    assert "väntar fortfarande på bakgrundstjänsten" in html
    assert "Försök igen nu" not in html  # an observer may not queue it


def test_a_report_being_rendered_says_it_is_being_made_and_cannot_be_retried(
    program, coordinator, client_for
):
    report = rendering(program, beat_ago=2)
    client = client_for(coordinator)

    html = client.get(url("detail", program, report)).text
    client.post(url("retry", program, report))

    assert "Rapporten skapas. Det brukar ta några sekunder." in html
    assert "Försök igen nu" not in html
    assert reload(report).attempts == 1  # the retry was refused: a live attempt holds it
