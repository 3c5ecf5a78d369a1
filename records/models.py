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
