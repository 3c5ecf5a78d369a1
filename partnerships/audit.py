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
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

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


def kind_of(model_label: str) -> str:
    """The record type in words ("aktör", "plats" …), or the label of a model that is gone."""
    try:
        return str(apps.get_model(model_label)._meta.verbose_name)
    except LookupError:
        return model_label


def kind(entry: AuditEntry) -> str:
    return kind_of(entry.model_label)


#: Words for change keys that are not model fields (lists kept with a record).
EXTRA_LABELS = {
    "agenda": _("dagordning"),
    "attendance": _("närvaro"),
    "invited": _("inbjudna"),
    "participants": _("deltagare"),
    "places": _("platser"),
    "zones": _("zoner"),
    "questions": _("frågor"),
    "options": _("svarsalternativ"),
    "minutes": _("protokoll"),
    "backend": _("lagring"),
    "queue_name": _("kö"),
    "run_after": _("körs efter"),
}
EMPTY = ("", None, [], {})


def _choices(model, name) -> dict:
    """``{stored value: label}`` for a field with choices, or for a key the model names in
    ``audit_choices()`` (e.g. a meeting's attendance statuses)."""
    if model is None:
        return {}
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None and getattr(field, "flatchoices", None):
        return {str(k): str(v) for k, v in field.flatchoices}
    extra = getattr(model, "audit_choices", None)
    if extra is not None and name in extra():
        return {str(k): str(v) for k, v in extra()[name].choices}
    return {}


def _datetime_text(value: str) -> str | None:
    """A stored ISO date-time as local time to the minute, or None if it is not one."""
    if len(value) < 16 or value[10] not in " T":
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "Y-m-d H:i")


def show(value, choices: dict | None = None) -> str:
    """A stored value in words: choice labels, local time, ja/nej, lists and mappings joined."""
    choices = choices or {}
    if value in EMPTY:
        return ""
    if isinstance(value, bool):
        return str(_("ja") if value else _("nej"))
    if isinstance(value, list | tuple):
        return ", ".join(show(v, choices) for v in value if v not in EMPTY)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {show(v, choices) or '–'}" for k, v in value.items())
    text = str(value)
    if text in choices:
        return choices[text]
    return _datetime_text(text) or text


def _label(model, name) -> str:
    if model is not None:
        try:
            # Reverse relations (e.g. Membership.places) have no verbose_name of their own.
            field = model._meta.get_field(name)
            label = getattr(field, "verbose_name", None)
            if label:
                return str(label)
        except FieldDoesNotExist:
            pass
    return str(EXTRA_LABELS.get(name, name.replace("_", " ")))


def describe(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """``(field label, old, new)`` rows in words for showing an entry: field names as the
    fields' Swedish names, choices by their labels, relations by their names (snapshots keep
    them), times in local time to the minute. Creations have no old value, deletions no new.
    A mapping of pairs (a meeting's attendance: person → [old, new]) gives one row each."""
    try:
        model = apps.get_model(entry.model_label)
    except LookupError:
        model = None
    rows = []
    for name, value in (entry.changes or {}).items():
        label = _label(model, name)
        choices = _choices(model, name)
        pairs = isinstance(value, dict) and all(
            isinstance(v, list) and len(v) == 2 for v in value.values()
        )
        if pairs and value:
            for key, (old, new) in value.items():
                rows.append((f"{label}: {key}", show(old, choices), show(new, choices)))
            continue
        if entry.action == AuditEntry.Action.UPDATE and isinstance(value, list) and len(value) == 2:
            old, new = value
        elif entry.action == AuditEntry.Action.DELETE:
            old, new = value, None
        else:
            old, new = None, value
        if old in EMPTY and new in EMPTY:
            continue
        rows.append((label, show(old, choices), show(new, choices)))
    return rows
