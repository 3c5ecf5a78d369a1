"""Writes for places, zones and stakeholders. Each logs to the audit trail in its transaction."""

from django.db import transaction
from django.utils import timezone

from partnerships import audit
from partnerships.models import AuditEntry, Program
from partnerships.services import delete_record, save_record

from .models import Place, Stakeholder, Zone


@transaction.atomic
def save_place(*, actor, program: Program, place: Place, zones: list[str] | None = None) -> Place:
    """Create or update ``place`` and make its zones exactly ``zones`` (by name).

    Zones no longer listed are removed; existing zones keep their id (and their boundary).
    """
    place.program = program
    save_record(actor=actor, instance=place)
    if zones is not None:
        existing = {z.name: z for z in place.zones.all()}
        for name in zones:
            if name not in existing:
                Zone.objects.create(program=program, place=place, name=name)
        removed = [z for name, z in existing.items() if name not in zones]
        for zone in removed:
            zone.delete()
        if removed or set(zones) - set(existing):
            audit.record(actor=actor, instance=place, action=AuditEntry.Action.UPDATE,
                         changes={"zones": [sorted(existing), sorted(zones)]})
    return place


@transaction.atomic
def archive_place(*, actor, place: Place) -> Place:
    """Archive a place: it leaves the active lists but all its records are kept."""
    place.archived_at = timezone.now()
    place.save(update_fields=["archived_at"])
    audit.record(actor=actor, instance=place, action=AuditEntry.Action.ARCHIVE)
    return place


@transaction.atomic
def restore_place(*, actor, place: Place) -> Place:
    place.archived_at = None
    place.save(update_fields=["archived_at"])
    audit.record(actor=actor, instance=place, action=AuditEntry.Action.UPDATE,
                 changes={"archived_at": ["arkiverad", None]})
    return place


def save_stakeholder(*, actor, place: Place, stakeholder: Stakeholder) -> Stakeholder:
    stakeholder.program_id = place.program_id
    stakeholder.place = place
    return save_record(actor=actor, instance=stakeholder)


def remove_stakeholder(*, actor, stakeholder: Stakeholder) -> None:
    delete_record(actor=actor, instance=stakeholder)
