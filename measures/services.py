"""Writes for the action plan and activities. Each runs in one transaction, logs to the audit
trail and queues e-mail after commit."""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import audit
from partnerships.exceptions import DomainError
from partnerships.jobs import enqueue_on_commit
from partnerships.models import AuditEntry, Organisation, Program
from partnerships.services import save_record
from platser.models import Place

from . import origins, selectors
from .models import (
    TRANSITIONS,
    Activity,
    Measure,
    MeasurePhoto,
    MeasureStatusChange,
    OverdueDigest,
    Status,
)


class MeasureError(DomainError):
    """A rule of the action plan was broken (message in Swedish)."""


def _queue_assignment_email(measure: Measure) -> None:
    enqueue_on_commit("measures.send_assignment_email", measure_id=measure.pk)


@transaction.atomic
def create_measure(
    *, actor, place: Place, measure: Measure, contributors=(), findings=None
) -> Measure:
    """Add ``measure`` (unsaved, from a form) to the action plan of ``place``.

    Writes the first history row (status at creation) and e-mails the responsible
    organisation's contacts after commit.
    """
    measure.program_id = place.program_id
    measure.place = place
    refused = origins.refusal(place=place, decision=measure.decision, findings=findings)
    if refused:
        raise MeasureError(refused)
    if measure.status == Status.CANCELLED:
        raise MeasureError(_("En ny åtgärd kan inte vara inställd."))
    measure.created_by = actor if actor is not None and actor.is_authenticated else None
    save_record(actor=actor, instance=measure)
    measure.contributors.set(contributors)
    if findings is not None:
        measure.findings.set(findings)
    MeasureStatusChange.objects.create(
        program_id=measure.program_id,
        measure=measure,
        from_status="",
        to_status=measure.status,
        actor=measure.created_by,
    )
    _queue_assignment_email(measure)
    return measure


@transaction.atomic
def update_measure(
    *, actor, measure: Measure, contributors=None, findings=None, fields: list[str] | None = None
) -> Measure:
    """Save the edited ``measure`` (status changes go through ``change_status``).

    A change of responsible organisation e-mails the new organisation's contacts.
    """
    stored = Measure.objects.get(pk=measure.pk)
    if stored.status != measure.status:
        raise MeasureError(_("Status ändras med statusformuläret."))
    save_record(actor=actor, instance=measure, fields=fields)
    if contributors is not None:
        measure.contributors.set(contributors)
    if findings is not None:
        measure.findings.set(findings)
    if stored.responsible_id != measure.responsible_id:
        _queue_assignment_email(measure)
    return measure


@transaction.atomic
def change_status(
    *,
    actor,
    measure: Measure,
    to_status: str,
    reason: str = "",
    actual_start: datetime.date | None = None,
    actual_end: datetime.date | None = None,
    actual_cost: Decimal | None = None,
) -> Measure:
    """Move ``measure`` to ``to_status`` along an allowed transition and record the history.

    Inställd needs a reason. Starting work sets the actual start (today unless given), finishing
    sets the actual end. Actual dates and cost may also be updated without a status change.
    """
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = audit.snapshot(measure)
    from_status = measure.status
    reason = (reason or "").strip()
    if to_status != from_status:
        if to_status not in TRANSITIONS.get(from_status, set()):
            raise MeasureError(
                _("En åtgärd kan inte gå från %(from)s till %(to)s.")
                % {"from": Status(from_status).label, "to": Status(to_status).label}
            )
        if to_status == Status.CANCELLED and not reason:
            raise MeasureError(_("Ange skälet till att åtgärden ställs in."))
    today = timezone.localdate()
    if actual_start is not None:
        measure.actual_start = actual_start
    if actual_end is not None:
        measure.actual_end = actual_end
    if actual_cost is not None:
        measure.actual_cost = actual_cost
    if to_status in (Status.ONGOING, Status.DONE) and measure.actual_start is None:
        measure.actual_start = min(today, measure.actual_end or today)
    if to_status == Status.DONE and measure.actual_end is None:
        measure.actual_end = max(today, measure.actual_start)
    if measure.actual_start and measure.actual_end and measure.actual_end < measure.actual_start:
        raise MeasureError(_("Åtgärden kan inte bli klar före sin start."))
    if measure.actual_cost is not None and measure.actual_cost < 0:
        raise MeasureError(_("Kostnaden kan inte vara negativ."))
    measure.status = to_status
    measure.cancel_reason = reason if to_status == Status.CANCELLED else ""
    measure.save()
    changes = audit.diff(before, audit.snapshot(measure))
    if changes:
        measure.log_action(AuditEntry.Action.UPDATE, actor=actor, changes=changes)
    if to_status != from_status:
        MeasureStatusChange.objects.create(
            program_id=measure.program_id,
            measure=measure,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            actor=actor if actor is not None and actor.is_authenticated else None,
        )
    return measure


@transaction.atomic
def add_measure_photo(*, actor, measure: Measure, kind: str, image, caption: str = ""):
    """Attach a cleaned (metadata-free) before/after photo to ``measure``."""
    photo = MeasurePhoto(
        program_id=measure.program_id,
        measure=measure,
        kind=kind,
        caption=caption,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    photo.image.save(f"{uuid.uuid4().hex}.jpg", image, save=False)
    save_record(actor=actor, instance=photo)
    return photo


def log_activity(
    *,
    actor,
    place: Place,
    organisation: Organisation,
    description: str,
    date: datetime.date | None = None,
    measure: Measure | None = None,
    hours: Decimal = Decimal("0"),
    cost: Decimal = Decimal("0"),
    photo=None,
    point: dict | None = None,
    client_id: uuid.UUID | None = None,
) -> tuple[Activity, bool]:
    """Store what an organisation did at ``place``. Idempotent by ``client_id``: a phone that
    sends the same activity again gets the stored row back (``created`` False)."""
    client_id = client_id or uuid.uuid4()
    existing = Activity.objects.filter(program_id=place.program_id, client_id=client_id).first()
    if existing is not None:
        return existing, False
    if measure is not None and measure.place_id != place.pk:
        raise MeasureError(_("Åtgärden hör till en annan plats."))
    activity = Activity(
        program_id=place.program_id,
        place=place,
        organisation=organisation,
        measure=measure,
        date=date or timezone.localdate(),
        description=description,
        hours=hours,
        cost=cost,
        point=point,
        client_id=client_id,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            if photo is not None:
                activity.photo.save(f"{uuid.uuid4().hex}.jpg", photo, save=False)
            activity.save()
            changes = {
                k: str(v) if isinstance(v, uuid.UUID) else v
                for k, v in audit.snapshot(activity).items()
            }
            activity.log_action(AuditEntry.Action.CREATE, actor=actor, changes=changes)
    except IntegrityError:
        # Two copies of one submission raced; the other one won and holds the data.
        existing = Activity.objects.filter(program_id=place.program_id, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return activity, True


# --- e-mail --------------------------------------------------------------------------------


def _recipients(organisation: Organisation) -> list[str]:
    return sorted({c.email for c in organisation.contacts.all() if c.email})


def _measure_url(measure: Measure) -> str:
    return settings.SITE_URL + measure.get_absolute_url()


def deliver_assignment_email(*, measure: Measure) -> int:
    """E-mail the responsible organisation's contacts that ``measure`` is theirs."""
    recipients = _recipients(measure.responsible)
    if not recipients:
        return 0
    context = {"measure": measure, "url": _measure_url(measure), "program": measure.program}
    return send_mail(
        subject=_("Ny åtgärd för %(org)s: %(title)s")
        % {"org": measure.responsible, "title": measure.title},
        message=render_to_string("measures/email/assignment.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def send_overdue_digests(*, program: Program, today: datetime.date | None = None) -> int:
    """Send each organisation with overdue measures one digest for this ISO week.

    Nothing is sent to an organisation without overdue measures; a second run in the same week
    sends nothing (``OverdueDigest`` has one row per organisation and week). Returns the number
    of digests sent.
    """
    today = today or timezone.localdate()
    iso_year, iso_week, _weekday = today.isocalendar()
    sent = 0
    for organisation, measures in selectors.overdue_by_organisation(
        program=program, today=today
    ).items():
        recipients = _recipients(organisation)
        if not recipients:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    OverdueDigest.objects.create(
                        program=program,
                        organisation=organisation,
                        iso_year=iso_year,
                        iso_week=iso_week,
                        measure_count=len(measures),
                    )
            except IntegrityError:
                continue  # already sent this week
            context = {
                "organisation": organisation,
                "program": program,
                "measures": [(m, _measure_url(m)) for m in measures],
                "week": iso_week,
            }
            send_mail(
                subject=_("Försenade åtgärder för %(org)s, vecka %(week)s")
                % {"org": organisation, "week": iso_week},
                message=render_to_string("measures/email/overdue_digest.txt", context),
                from_email=None,
                recipient_list=recipients,
            )
            sent += 1
    return sent
