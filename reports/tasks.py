"""Background work for reports: rendering, the schedules and the sweeper (celery beat)."""

import datetime
import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone, translation
from django_scopes import scope

from partnerships.jobs import ProgramTask
from partnerships.models import Membership
from partnerships.tenancy import cross_program

from . import dashboard, services
from .models import Report, ReportSchedule

logger = logging.getLogger(__name__)


@shared_task(
    name="reports.render_report",
    bind=True,
    acks_late=True,
    base=ProgramTask,
    program_model="reports.Report",
    id_kwarg="report_id",
)
def render_report(self, report: Report) -> str | None:
    """Render one report's PDF. Safe to run twice: a ready report is left alone, and a report
    this very task was rendering when its worker died is taken over at once."""
    rendered = services.render_report(report_id=report.pk, task_id=self.request.id)
    return rendered.status if rendered else None


@shared_task(
    name="reports.refresh_dashboard",
    base=ProgramTask,
    program_model="partnerships.Membership",
    id_kwarg="membership_id",
)
def refresh_dashboard(
    membership: Membership, *, period_start: str, period_end: str, today: str, language: str
) -> None:
    """Count a member's dashboard board again after a change and keep it in the cache."""
    with translation.override(language):
        dashboard.refresh(
            membership=membership,
            period_start=datetime.date.fromisoformat(period_start),
            period_end=datetime.date.fromisoformat(period_end),
            today=datetime.date.fromisoformat(today),
        )


@shared_task(name="reports.run_schedules")
def run_schedules() -> int:
    """Beat: make each active schedule's report for its last complete period (once)."""
    today = timezone.localdate()
    # Beat runs across all programs; each schedule is then handled inside its own scope.
    with cross_program("sweeper"):
        schedules = list(
            ReportSchedule.objects.filter(active=True).select_related("program", "place")
        )
    made = 0
    for schedule in schedules:
        with scope(program=schedule.program):
            if services.run_schedule(schedule=schedule, today=today) is not None:
                made += 1
    return made


@shared_task(name="reports.sweep_reports")
def sweep_reports() -> int:
    """Beat, every minute: queue again reports never queued (broker down) or whose worker died
    mid-render (no heartbeat), and e-mail ready scheduled reports whose recipients were not
    told."""
    now = timezone.now()
    # The sweeper looks across all programs; each report is then handled in its own scope.
    with cross_program("sweeper"):
        stuck = list(
            Report.objects.filter(
                status=Report.Status.PENDING, created_at__lt=now - services.STALE_PENDING
            ).values_list("pk", flat=True)[:200]
        ) + list(
            Report.objects.filter(status=Report.Status.RENDERING)
            .filter(
                Q(heartbeat_at__lt=now - services.STALE_HEARTBEAT)
                | Q(heartbeat_at__isnull=True, started_at__lt=now - services.STALE_HEARTBEAT)
            )
            .values_list("pk", flat=True)[:200]
        )
        unnotified = list(
            Report.objects.filter(
                status=Report.Status.READY, schedule__isnull=False, notified_at__isnull=True
            )
            .select_related("program")
            .only("pk", "program")[:200]
        )
    for pk in stuck:
        logger.warning("Report %s was stuck; queueing it again", pk)
        render_report.apply_async(kwargs={"report_id": pk}, retry=False)
    for report in unnotified:
        with scope(program=report.program):
            services.notify_recipients(report_id=report.pk)
    return len(stuck)
