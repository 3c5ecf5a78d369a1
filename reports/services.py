"""Writes for reports: request, retry, render, schedules and their e-mails.

Rendering is a background job (STYLE 21–22): ``request_report`` stores a pending row and queues
``reports.render_report`` after the commit; ``render_report`` claims the row atomically, renders
outside the transaction, and records the PDF or a short Swedish reason for the failure.

A claim names the Celery task that holds it and carries a heartbeat, written every
``HEARTBEAT_EVERY`` while the PDF is made. A worker that dies mid-render leaves a claim whose
heartbeat stops: the same task re-delivered (``acks_late`` with ``reject_on_worker_lost``) takes
it over at once, any other attempt (the sweeper's) once the heartbeat is ``STALE_HEARTBEAT`` old.
Only the attempt that holds the claim may store its result, so a report is still rendered into
one PDF and its recipients are mailed once.
"""

import datetime
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerships.exceptions import DomainError
from partnerships.jobs import enqueue_on_commit
from partnerships.models import AuditEntry, Program
from partnerships.pdf import render_pdf
from partnerships.services import save_record
from partnerships.tenancy import cross_program
from platser.models import Place

from .dates import last_complete_period
from .models import NARRATIVE_FIELDS, Kind, Report, ReportSchedule
from .pdf_context import build_context, template_for

logger = logging.getLogger(__name__)


#: How often a rendering attempt says it is alive.
HEARTBEAT_EVERY = datetime.timedelta(seconds=10)
#: A "rendering" claim without a heartbeat for this long lost its worker: the sweeper (every
#: minute) queues the report again and the next attempt takes the claim over.
STALE_HEARTBEAT = datetime.timedelta(seconds=45)
#: A report still "pending" after this long was probably never queued (broker down).
STALE_PENDING = datetime.timedelta(minutes=1)


class ReportError(DomainError):
    """A report cannot be requested or retried as asked."""


def _check_place(program: Program, kind: str, place: Place | None) -> Place | None:
    if kind != Kind.PLACE:
        return None
    if place is None:
        raise ReportError(_("Välj vilken plats rapporten gäller."))
    if place.program_id != program.pk:
        # Never reachable through the form (its choices are program.places); a guard for callers.
        raise ReportError(_("Platsen finns inte i programmet."))
    return place


@transaction.atomic
def request_report(
    *,
    actor,
    program: Program,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    place: Place | None = None,
    narrative: dict | None = None,
    schedule: ReportSchedule | None = None,
) -> Report:
    """Store a pending report and queue its rendering once the transaction commits."""
    if kind not in Kind.values:
        raise ReportError(_("Okänd rapporttyp."))
    if period_end < period_start:
        raise ReportError(_("Periodens slut kan inte ligga före dess början."))
    report = Report(
        program=program,
        kind=kind,
        place=_check_place(program, kind, place),
        period_start=period_start,
        period_end=period_end,
        requested_by=actor,
        schedule=schedule,
        **{name: (narrative or {}).get(name, "") for name in NARRATIVE_FIELDS},
    )
    report.full_clean(exclude=["pdf"], validate_constraints=False)
    save_record(actor=actor, instance=report)
    _queue(report)
    return report


def _queue(report: Report) -> None:
    enqueue_on_commit("reports.render_report", report_id=report.pk)


def claim_is_alive(report: Report, *, now: datetime.datetime | None = None) -> bool:
    """Whether a "rendering" report's attempt has shown a sign of life recently."""
    beat = report.heartbeat_at or report.started_at
    return bool(beat) and (now or timezone.now()) - beat < STALE_HEARTBEAT


def is_stuck(report: Report, *, now: datetime.datetime | None = None) -> bool:
    """A report that waits for a worker that is not coming: pending longer than STALE_PENDING
    (the broker was unreachable) or rendering with a dead claim. The sweeper queues it again;
    the page says so, and a member who may manage it can queue it again at once."""
    now = now or timezone.now()
    if report.status == Report.Status.PENDING:
        return now - report.created_at > STALE_PENDING
    if report.status == Report.Status.RENDERING:
        return not claim_is_alive(report, now=now)
    return False


@transaction.atomic
def retry_report(*, actor, report: Report) -> Report:
    """Put a failed or stuck report back in the queue."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.FAILED and not is_stuck(report):
        raise ReportError(_("Bara en misslyckad eller avbruten rapport kan försökas igen."))
    before = report.status
    report.status = Report.Status.PENDING
    report.failure_reason = ""
    report.claimed_by = ""
    report.save(update_fields=["status", "failure_reason", "claimed_by"])
    report.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes={"status": [before, Report.Status.PENDING]},
    )
    _queue(report)
    return report


def _claim(report_id: int, task_id: str | None) -> Report | None:
    """Atomically move the report to "rendering" for task ``task_id``; None when there is
    nothing to do.

    Pending and failed reports are claimed, and a "rendering" one whose attempt is dead: the
    same task delivered again (its worker was lost mid-render), or a claim whose heartbeat
    stopped. A ready report, or one that a live attempt is rendering right now, is left alone:
    running the task twice renders once.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == Report.Status.READY:
            return None
        now = timezone.now()
        if report.status == Report.Status.RENDERING:
            redelivered = bool(task_id) and report.claimed_by == task_id
            if claim_is_alive(report, now=now) and not redelivered:
                return None
            logger.warning(
                "Report %s: taking over the dead claim of %s (%s)",
                report_id,
                report.claimed_by or "an unknown task",
                "re-delivered" if redelivered else "no heartbeat",
            )
        report.status = Report.Status.RENDERING
        report.started_at = report.heartbeat_at = now
        report.claimed_by = task_id or ""
        report.attempts += 1
        report.failure_reason = ""
        report.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "claimed_by",
                "attempts",
                "failure_reason",
            ]
        )
    return report


@contextmanager
def _heartbeat(report_id: int, attempt: int):
    """Write the claim's heartbeat every HEARTBEAT_EVERY from a thread while the body runs.

    The thread stops with the body, or with the process when the worker dies (that is the
    point: then the heartbeat stops).
    """
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
                # This thread has no program scope; it touches one row, by its key.
                with cross_program("task"):
                    Report.objects.filter(
                        pk=report_id, status=Report.Status.RENDERING, attempts=attempt
                    ).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001 - a missed beat at worst lets the sweeper retry
            logger.warning("Report %s: heartbeat failed", report_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _failure_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return _("Rapportens innehåll är ogiltigt: %(errors)s") % {
            "errors": "; ".join(exc.messages)[:250]
        }
    if isinstance(exc, TemplateDoesNotExist | TemplateSyntaxError):
        return _("Rapportmallen saknas eller är felaktig.")
    return _("PDF:en kunde inte skapas (%(error)s). Försök igen eller kontakta support.") % {
        "error": type(exc).__name__
    }


def pdf_filename(report: Report) -> str:
    """``trygga-platser-2026-01-01-2026-03-31.pdf``: program and period, for the download."""
    return f"{slugify(report.program.name)}-{report.period_start}-{report.period_end}.pdf"


def render_report(
    *, report_id: int, task_id: str | None = None, template_name: str | None = None
) -> Report | None:
    """Render the report's PDF and mark it ready, or failed with a reason. Safe to run twice.

    ``task_id`` is the Celery task's own id: delivered again after its worker died, the task
    takes over the claim it left behind.
    """
    report = _claim(report_id, task_id)
    if report is None:
        return None
    attempt = report.attempts
    try:
        report.full_clean(exclude=["pdf"], validate_constraints=False)
        with _heartbeat(report.pk, attempt):
            context, media = build_context(report)
            pdf = render_pdf(template_name or template_for(report), context, media=media)
    except Exception as exc:  # noqa: BLE001 - any render failure is recorded on the row
        logger.exception("Report %s failed to render", report_id)
        _finish(report, attempt, status=Report.Status.FAILED, reason=_failure_reason(exc))
        return report
    _finish(report, attempt, status=Report.Status.READY, pdf=pdf)
    if report.status == Report.Status.READY and report.schedule_id:
        try:
            notify_recipients(report_id=report.pk)
        except Exception:  # noqa: BLE001 - the report is ready; the sweeper e-mails later
            logger.warning("Could not e-mail the recipients of report %s", report.pk, exc_info=True)
    return report


def _finish(report: Report, attempt: int, *, status: str, pdf: bytes = b"", reason: str = ""):
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status != Report.Status.RENDERING or current.attempts != attempt:
            report.status = current.status  # a newer attempt owns the row now
            return
        if pdf:
            if current.pdf:
                current.pdf.delete(save=False)  # one PDF per report, whatever happened before
            current.pdf.save(
                f"{report.program.slug}-rapport-{report.pk}.pdf", ContentFile(pdf), save=False
            )
        current.status = status
        current.failure_reason = reason[:300]
        current.finished_at = timezone.now()
        current.save(update_fields=["pdf", "status", "failure_reason", "finished_at"])
    report.status, report.pdf, report.failure_reason = status, current.pdf, current.failure_reason


def notify_recipients(*, report_id: int) -> int:
    """E-mail a scheduled report's recipients a link to it (not the PDF), once."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("program", "schedule")
            .filter(
                pk=report_id,
                status=Report.Status.READY,
                notified_at__isnull=True,
                schedule__isnull=False,
            )
            .first()
        )
        if report is None:
            return 0
        recipients = schedule_recipients(report.schedule)
        if recipients:
            url = settings.SITE_URL + reverse(
                "reports:detail", kwargs={"program": report.program.slug, "pk": report.pk}
            )
            send_mail(
                subject=_("[Trygga platser] %(kind)s är klar")
                % {"kind": report.get_kind_display()},
                message=_(
                    "Hej!\n\n%(kind)s för %(program)s, %(period)s, är klar.\n\n"
                    "Logga in och hämta den här:\n%(url)s\n\n"
                    "Rapporten skickas inte som bilaga: den hämtas bara efter inloggning.\n"
                )
                % {
                    "kind": report.get_kind_display(),
                    "program": report.program.name,
                    "period": report.period_label,
                    "url": url,
                },
                from_email=None,
                recipient_list=recipients,
            )
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at"])
    return len(recipients)


def schedule_recipients(schedule: ReportSchedule) -> list[str]:
    """The schedule's e-mail addresses and its members' addresses, each once."""
    addresses = list(schedule.recipient_emails)
    addresses += [m.user.email for m in schedule.recipient_members.select_related("user")]
    return list(dict.fromkeys(a.lower() for a in addresses if a))


def run_schedule(*, schedule: ReportSchedule, today: datetime.date) -> Report | None:
    """Make the schedule's report for its last complete period (once: the unique constraint
    holds even when beat fires twice at the same moment); queue it if it is new."""
    start, end = last_complete_period(schedule.frequency, today)
    existing = Report.objects.filter(schedule=schedule, period_start=start, period_end=end).first()
    if existing is not None:
        return None
    try:
        with transaction.atomic():
            report = request_report(
                actor=None,
                program=schedule.program,
                kind=schedule.kind,
                place=schedule.place,
                period_start=start,
                period_end=end,
                schedule=schedule,
            )
    except IntegrityError:
        return None  # another beat run made it a moment ago
    return report


@transaction.atomic
def save_schedule(*, actor, schedule: ReportSchedule, members=None, fields=None) -> ReportSchedule:
    """Create or update a schedule (with its member recipients) and log it."""
    if schedule.kind != Kind.PLACE:
        schedule.place = None
    save_record(actor=actor, instance=schedule, fields=fields)
    if members is not None:
        schedule.recipient_members.set(members)
    return schedule


@transaction.atomic
def deactivate_schedule(*, actor, schedule: ReportSchedule) -> ReportSchedule:
    """Stop a schedule (its reports stay in the archive)."""
    schedule.active = False
    save_record(actor=actor, instance=schedule, fields=["active"])
    return schedule
