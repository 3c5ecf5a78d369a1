"""The audit log: one entry per change to a program-owned record, written by services.

Services call the record's ``log_action`` (``partnerships.models.ProgramOwned``) inside their
transaction, so a change and its log entry commit together or not at all. This module holds the
helpers around it: snapshots and diffs of a record, the newest entry as a data version, and the
words the log is shown in. Works the same on SQLite and PostgreSQL (plain rows, no triggers).
"""

import datetime
import decimal
import uuid

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-safe dict of the instance's concrete field values (for before/after diffs)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("id", "program"):
            continue
        data[field.name] = _plain(getattr(instance, field.name))
    return data


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def latest(program) -> str:
    """The program's newest audit entry as a cache key part (one index look-up): every write
    through the services records one, so it changes whenever the program's data has."""
    entry = (
        AuditEntry.objects.filter(program=program)
        .order_by("-created_at", "-id")
        .values_list("id", "created_at")
        .first()
    )
    # The time keeps keys apart where a test database reuses ids.
    return f"{entry[0]}@{entry[1].timestamp()}" if entry else "-"


def kind(entry: AuditEntry) -> str:
    """The record type in words ("aktör", "plats" …), or the label of a model that is gone."""
    try:
        return str(apps.get_model(entry.model_label)._meta.verbose_name)
    except LookupError:
        return entry.model_label


def describe(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """``(field label, old, new)`` rows for showing an entry; labels are the fields' verbose
    names where the model still has the field. Creations have no old value; deletions no new."""
    try:
        model = apps.get_model(entry.model_label)
    except LookupError:
        model = None
    rows = []
    for name, value in (entry.changes or {}).items():
        label = name
        if model is not None:
            try:
                # Reverse relations (e.g. Membership.places) have no verbose_name of their own.
                field = model._meta.get_field(name)
                label = str(getattr(field, "verbose_name", None) or name)
            except FieldDoesNotExist:
                pass
        if entry.action == AuditEntry.Action.UPDATE and isinstance(value, list) and len(value) == 2:
            old, new = value
        elif entry.action == AuditEntry.Action.DELETE:
            old, new = value, None
        else:
            old, new = None, value
        if old in ("", None, [], {}) and new in ("", None, [], {}):
            continue
        rows.append((label, old, new))
    return rows
