"""Archive exports of a whole program (allmän handling, arkivlagen).

An export is a row with a status (pending → running → ready, or failed with a reason), like a
report: the request is stored and audited first, a Celery task builds the BagIt bag later and
stores it as a .zip, served only through a permission-checked view. An export made on the command
line (``manage.py export_program``) is a row too, with the path it was written to, so that every
export is listed and audited.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import Program, ProgramOwned


class ProgramExport(ProgramOwned):
    """One archive export of a program. ``archive`` is set exactly when the status is ready
    and the export was made from the web; ``destination`` is the path a command wrote to."""

    class Status(models.TextChoices):
        PENDING = "vantar", _("Väntar")
        RUNNING = "skapas", _("Skapas")
        READY = "klar", _("Klar")
        FAILED = "misslyckades", _("Misslyckades")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="exports", verbose_name=_("program")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    archive = models.FileField(_("arkivpaket"), upload_to="exports/%Y/", blank=True)
    destination = models.CharField(_("skrivet till"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("storlek i byte"), null=True, blank=True)
    counts = models.JSONField(_("antal poster per fil"), default=dict, blank=True)
    failure_reason = models.CharField(_("orsak till felet"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("färdig"), null=True, blank=True)

    class Meta:
        verbose_name = _("arkivexport")
        verbose_name_plural = _("arkivexporter")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Arkivexport {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "Arkivexport"

    def get_absolute_url(self):
        return reverse("records:export", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class Erasure(ProgramOwned):
    """One erasure on request (GDPR art. 17): the person is "Borttagen person <pk>" wherever
    they appeared. Holds no personal data itself: the kind, the id of the row that was
    anonymised, who did it and why (a reason the coordinator writes without names)."""

    class Kind(models.TextChoices):
        USER = "anvandare", _("Användare")
        CONTACT = "kontakt", _("Kontaktperson")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="erasures", verbose_name=_("program")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    subject_id = models.PositiveBigIntegerField(_("post-id"))
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    erased_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("radering av personuppgifter")
        verbose_name_plural = _("raderingar av personuppgifter")
        ordering = ["-erased_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject_id"], name="erasure_once_per_person")
        ]

    def __str__(self):
        return self.pseudonym

    @property
    def pseudonym(self) -> str:
        return f"Borttagen person {self.pk}"

    @property
    def pseudonym_email(self) -> str:
        return f"borttagen-person-{self.pk}@borttagen.invalid"


class RetentionKind(models.TextChoices):
    """The record types with a retention period (gallring) a program may set."""

    FINDING_PHOTOS = "fyndfoton", _("Foton av fynd som är stängda eller åtgärdade")
    DEPARTED_CONTACTS = (
        "kontakter",
        _("Kontaktpersoner hos organisationer som inte längre är aktörer på någon plats"),
    )
    MEETING_INVITATIONS = "motesutskick", _("Utskick av mötesinbjudningar (e-postadresser)")
    PROGRAM_INVITATIONS = "inbjudningar", _("Inbjudningar till programmet som inte används")


class RetentionRule(ProgramOwned):
    """How long a program keeps one record type: after ``months`` the beat task removes it
    (a photo is deleted, a contact anonymised, an e-mail log row deleted), audited."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="retention_rules",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("posttyp"), max_length=20, choices=RetentionKind)
    months = models.PositiveSmallIntegerField(_("gallras efter (månader)"))

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind"], name="retention_rule_once"),
            models.CheckConstraint(condition=models.Q(months__gte=1), name="retention_months_min"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.months} mån"
