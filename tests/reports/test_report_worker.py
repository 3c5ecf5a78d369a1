"""A report rendered by a real Celery worker against Redis (CI sets REDIS_URL and DATABASE_URL).

The worker (tests/worker.py) reads the same, committed test database and writes into this test's
MEDIA_ROOT, so the PDF it renders is where the test looks.
"""

import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scope, scopes_disabled

from reports import services
from reports.models import Report
from tests.factories import PlaceFactory, ProgramFactory, UserFactory
from tests.reports.conftest import Q1, build_quarter

pytestmark = [pytest.mark.worker]


def test_a_requested_report_is_rendered_by_a_real_worker(real_worker):
    program = ProgramFactory(name="Arbetarprov", slug="arbetarprov")
    place = PlaceFactory(program=program, name="Torget")
    build_quarter(program, place)
    coordinator = UserFactory()
    with scope(program=program):
        report = services.request_report(
            actor=coordinator,
            program=program,
            kind="program",
            period_start=Q1[0],
            period_end=Q1[1],
        )

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with scopes_disabled():  # polling the row the worker updates
            report = Report.objects.get(pk=report.pk)
        if report.is_finished:
            break
        time.sleep(0.3)

    assert report.status == Report.Status.READY, report.failure_reason or report.status
    path = Path(settings.MEDIA_ROOT) / report.pdf.name
    assert path.is_file()
    assert path.read_bytes().startswith(b"%PDF")
    assert report.attempts == 1


def test_the_dashboard_is_counted_again_by_a_real_worker_after_a_change(real_worker, client_for):
    from django.urls import reverse

    from measures.services import change_status
    from partnerships.models import Role
    from tests.factories import MeasureFactory, MembershipFactory

    program = ProgramFactory(name="Arbetarprov", slug="arbetarprov")
    place = PlaceFactory(program=program, name="Torget")
    measure = MeasureFactory(place=place, status="pagaende")
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, program=program, role=Role.COORDINATOR)
    client = client_for(coordinator)
    url = reverse("reports:dashboard", kwargs={"program": program.slug})

    def done():
        response = client.get(url)
        row = response.context["rows"][0]
        return row.summary.measures_done, "Siffrorna räknas om" in response.content.decode()

    assert done() == (0, False)  # nothing cached yet: counted in the request
    with scope(program=program):
        change_status(actor=coordinator, measure=measure, to_status="genomford")
    # The board from before the change, marked, while the worker counts it again …
    assert done() == (0, True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and done() != (1, False):
        time.sleep(0.3)
    # … and then the new figures, counted by the worker and read from Redis.
    assert done() == (1, False)


# --- a worker that dies mid-render ------------------------------------------------------------

SLOW_WORKER = "tests.reports.slow_worker_settings"  # the first attempt sleeps after its claim


def _scheduled_report(program, place):
    """A scheduled report (so that its recipients are mailed), queued to the worker."""
    from reports.models import ReportSchedule

    with scope(program=program):
        schedule = ReportSchedule.objects.create(
            program=program, kind="program", frequency="kvartal", recipient_emails=["v@example.se"]
        )
        return services.request_report(
            actor=None,
            program=program,
            kind="program",
            period_start=Q1[0],
            period_end=Q1[1],
            schedule=schedule,
        )


def _wait_for(report, condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with scopes_disabled():  # polling the row the worker updates
            report = Report.objects.get(pk=report.pk)
        if condition(report):
            return report
        time.sleep(0.05)
    pytest.fail(f"report {report.pk} still {report.status} after {seconds} s")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: no procps needed)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:  # the field after the state is the parent's pid
            children.append(int(stat.parent.name))
    return children


def _mails(mail_dir: Path) -> list[str]:
    return [p.read_text() for p in mail_dir.glob("*.log")] if mail_dir.is_dir() else []


def test_a_report_whose_worker_process_died_is_rendered_again_at_once(start_worker):
    """The pool's child dies mid-render; its task comes back (acks_late, reject_on_worker_lost)
    and takes over its own claim at once: no waiting for the heartbeat to go stale (45 s) or for
    the sweeper."""
    program = ProgramFactory(name="Arbetarprov", slug="arbetarprov")
    place = PlaceFactory(program=program, name="Torget")
    build_quarter(program, place)
    worker = start_worker(SLOW_WORKER, pool="prefork")
    report = _scheduled_report(program, place)

    claimed = _wait_for(report, lambda r: r.status == Report.Status.RENDERING, 60)
    assert claimed.attempts == 1 and claimed.claimed_by
    (child,) = _children(worker.pid)
    os.kill(child, signal.SIGKILL)  # the render dies; the worker itself lives on
    started = time.monotonic()
    done = _wait_for(report, lambda r: r.is_finished, 60)

    assert done.status == Report.Status.READY, done.failure_reason
    assert done.attempts == 2
    assert done.claimed_by == claimed.claimed_by  # the same task, delivered again
    assert time.monotonic() - started < 30
    time.sleep(1)  # the e-mail is sent right after the status is stored
    assert len(_mails(start_worker.mail_dir)) == 1


def test_a_report_whose_whole_worker_died_is_taken_over_once_its_heartbeat_stops(
    start_worker, client_for, monkeypatch
):
    """The whole worker is killed mid-render (its message stays unacknowledged in Redis): the
    page says so once the heartbeat has stopped, and the sweeper has another worker render it,
    once, and mail it once."""
    import datetime

    from partnerships.models import Role
    from reports import tasks
    from tests.factories import MembershipFactory

    program = ProgramFactory(name="Arbetarprov", slug="arbetarprov")
    place = PlaceFactory(program=program, name="Torget")
    build_quarter(program, place)
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, program=program, role=Role.COORDINATOR)
    first = start_worker(SLOW_WORKER, STALE_HEARTBEAT_SECONDS="2")
    report = _scheduled_report(program, place)
    claimed = _wait_for(report, lambda r: r.status == Report.Status.RENDERING, 60)
    time.sleep(0.5)
    beating = _wait_for(report, lambda r: r.heartbeat_at > claimed.heartbeat_at, 5)
    first.kill()
    first.wait(timeout=20)

    monkeypatch.setattr(services, "STALE_HEARTBEAT", datetime.timedelta(seconds=2))
    time.sleep(2.5)
    page = client_for(coordinator).get(beating.get_absolute_url()).text
    assert "Arbetet med rapporten avbröts" in page

    start_worker(SLOW_WORKER, STALE_HEARTBEAT_SECONDS="2")
    assert tasks.sweep_reports() == 1
    done = _wait_for(report, lambda r: r.is_finished, 60)
    assert done.status == Report.Status.READY, done.failure_reason
    assert done.attempts == 2
    assert tasks.sweep_reports() == 0
    time.sleep(1)
    assert len(_mails(start_worker.mail_dir)) == 1
