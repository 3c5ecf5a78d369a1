"""The abstract bases of every program-owned model (pretalx's ``PretalxModel``, NetBox's
``NetBoxModel``): the tenant key, the fail-closed manager and the audit log, written once.

Nothing here imports the concrete kernel models: the program is named by its label and the
audit entry looked up through the app registry, so every module may import this one.
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ProgramOwned(models.Model):
    """A row that belongs to exactly one program (the tenant).

    Invariants: ``program`` is set on creation and never changes; every read goes through the
    scoped manager, so a query outside ``scope(program=…)`` raises instead of leaking rows. A
    model that is reached from its program (``program.places``) declares ``program`` again with
    that ``related_name``; the rest have no reverse accessor on the program.
    """

    program = models.ForeignKey(
        "partnerships.Program",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("program"),
    )

    objects = ScopedManager(program="program")

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name, behind get_FOO_display
        # Django builds the dict of a field's choices again on every call (make_hashable over
        # every choice): a page listing 50 measures with three choice columns did that 150
        # times, 6 % of the main pages' time under cProfile (issue 15). Built once per field
        # here; the labels stay lazy, so each call still answers in the active language.
        value = getattr(self, field.attname)
        choices = field.__dict__.get("_display_choices")
        if choices is None:
            choices = field.__dict__["_display_choices"] = dict(make_hashable(field.flatchoices))
        return force_str(choices.get(make_hashable(value), value), strings_only=True)

    def log_action(self, action: str, *, actor, changes: dict | None = None):
        """Record one audit entry about this row (pretix's ``log_action``). Services call it
        inside the transaction of the change, so the change and its entry commit together."""
        entry_model = apps.get_model("partnerships", "AuditEntry")
        if action not in entry_model.Action.values:
            # Checked here, not by the database: SQLite would store any string.
            raise ValueError(f"unknown audit action {action!r}")
        return entry_model.objects.create(
            program_id=self.program_id,
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            model_label=self._meta.label,
            object_id=str(self.pk),
            object_repr=str(self)[:300],
            changes=changes or {},
        )


class ProgramRecord(ProgramOwned):
    """A program-owned record a person made: who made it and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        abstract = True
