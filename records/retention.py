"""Retention (gallring, GDPR art. 5.1 e): each program sets how long it keeps a record type.

``due(program, now)`` is the dry-run list the coordinator sees; ``apply(program, now)`` removes
exactly what ``due`` lists at that moment, and audits each removal without the personal data.
The beat task ``records.apply_retention`` runs ``apply`` for every program with a rule.

- Photos of findings closed or fixed more than N months ago: the photo file is deleted.
- Contacts of organisations that are no longer a stakeholder at any place, where the
  organisation was added more than N months ago and the contact attended no meeting in the last
  N months: the contact is anonymised (``records.personal.erase``).
- Meeting invitation e-mails queued more than N months ago: the rows (e-mail logs) are deleted.
- Invitations to the program made more than N months ago and no longer usable (accepted,
  revoked or expired): deleted.
"""

import datetime
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from meetings.models import Attendance, MeetingInvitation
from partnerships.models import AuditEntry, Contact, Invitation, Program
from platser.models import Finding, Stakeholder

from . import personal
from .models import RetentionKind, RetentionRule


@dataclass
class Due:
    rule: RetentionRule
    rows: list[models.Model]

    @property
    def label(self) -> str:
        return self.rule.get_kind_display()


def _cutoff(now: datetime.datetime, months: int) -> datetime.datetime:
    return now - datetime.timedelta(days=round(months * 30.44))


def _queryset(rule: RetentionRule, now) -> models.QuerySet:
    program, cutoff = rule.program, _cutoff(now, rule.months)
    if rule.kind == RetentionKind.FINDING_PHOTOS:
        return (
            Finding.objects.filter(
                program=program,
                status__in=[Finding.Status.CLOSED, Finding.Status.FIXED],
                status_changed_at__lt=cutoff,
            )
            .exclude(photo="")
            .select_related("place")
        )
    if rule.kind == RetentionKind.DEPARTED_CONTACTS:
        active = Stakeholder.objects.filter(program=program).values("organisation_id")
        recent = Attendance.objects.filter(
            program=program, meeting__starts_at__gte=cutoff, contact__isnull=False
        ).values("contact_id")
        erased = personal.Erasure.objects.filter(kind=personal.Erasure.Kind.CONTACT).values(
            "subject_id"
        )
        return (
            Contact.objects.filter(program=program, organisation__created_at__lt=cutoff)
            .exclude(organisation_id__in=active)
            .exclude(pk__in=recent)
            .exclude(pk__in=erased)
            .select_related("organisation")
        )
    if rule.kind == RetentionKind.MEETING_INVITATIONS:
        return MeetingInvitation.objects.filter(program=program, queued_at__lt=cutoff)
    if rule.kind == RetentionKind.PROGRAM_INVITATIONS:
        return Invitation.objects.filter(program=program, created_at__lt=cutoff).filter(
            models.Q(accepted_at__isnull=False)
            | models.Q(revoked_at__isnull=False)
            | models.Q(expires_at__lt=now)
        )
    raise ValueError(rule.kind)


def due(program: Program, now: datetime.datetime) -> list[Due]:
    """What retention would remove now, per rule (the dry run)."""
    rules = RetentionRule.objects.filter(program=program).select_related("program")
    return [Due(rule, list(_queryset(rule, now).order_by("pk"))) for rule in rules]


def describe(obj) -> str:
    """A row in the dry-run list, without personal data beyond what the coordinator sees."""
    if isinstance(obj, Finding):
        return _("Foto till fynd %(id)s vid %(place)s") % {"id": obj.pk, "place": obj.place.name}
    if isinstance(obj, Contact):
        return _("Kontaktperson %(id)s hos %(org)s") % {"id": obj.pk, "org": obj.organisation.name}
    if isinstance(obj, MeetingInvitation):
        return _("Mötesutskick %(id)s") % {"id": obj.pk}
    return _("Inbjudan %(id)s") % {"id": obj.pk}


def _audit(obj, action: str, changes: dict) -> None:
    # Written directly: the entry names the row by its type and id only, never by the e-mail
    # address or name its ``str()`` would show.
    AuditEntry.objects.create(
        program_id=obj.program_id,
        action=action,
        model_label=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=describe(obj)[:300],
        changes=changes,
    )


def _remove(rule: RetentionRule, obj) -> None:
    note = {"gallring": [None, rule.kind]}
    if isinstance(obj, Finding):
        obj.photo.delete(save=False)
        Finding.objects.filter(pk=obj.pk).update(photo="")
        _audit(obj, "update", {**note, "photo": ["(foto)", ""]})
    elif isinstance(obj, Contact):
        personal.erase(actor=None, program=rule.program, subject=obj, reason=_("Gallring"))
    else:
        _audit(obj, "delete", note)
        type(obj).objects.filter(pk=obj.pk).delete()


def apply(program: Program, now: datetime.datetime) -> list[Due]:
    """Remove what ``due`` lists now; returns that list."""
    listed = due(program, now)
    with transaction.atomic():
        for item in listed:
            for obj in item.rows:
                _remove(item.rule, obj)
    return listed
