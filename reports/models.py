"""Reports (PDF) and the schedules that request them.

A report is a row with a status (pending → rendering → ready, or failed with a reason): the
request is stored first and a Celery task renders the PDF later (STYLE 22). The PDF is a private
file, served only through a permission-checked view. Narrative sections are written by the
coordinator and kept with the report, so a re-render shows the same text.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership, Program, ProgramOwned, ProgramRecord
from platser.models import Place

from .dates import swedish_period

NARRATIVE_MAX_LENGTH = 5000

# A TextField's max_length only reaches the form; the validator makes full_clean enforce it too
# (the task validates a report before rendering it).
_NARRATIVE = {
    "max_length": NARRATIVE_MAX_LENGTH,
    "validators": [MaxLengthValidator(NARRATIVE_MAX_LENGTH)],
}

# The narrative sections of a Vinnova-style report, in the order they are printed; the
# slutrapport adds what the work taught, how it was spread and what comes next.
PERIODIC_NARRATIVE_FIELDS = ("purpose", "implementation", "results", "effects", "deviations")
FINAL_NARRATIVE_FIELDS = ("lessons", "dissemination", "next_steps")
NARRATIVE_FIELDS = PERIODIC_NARRATIVE_FIELDS + FINAL_NARRATIVE_FIELDS


class Kind(models.TextChoices):
    PLACE = "plats", _("Lägesrapport för plats")
    PROGRAM = "program", _("Lägesrapport för programmet")
    VINNOVA = "vinnova", _("Vinnova lägesrapport")
    FINAL = "slutrapport", _("Slutrapport")


def narrative_fields(kind: str) -> tuple[str, ...]:
    """The narrative sections a report of ``kind`` prints (the slutrapport has them all)."""
    return NARRATIVE_FIELDS if kind == Kind.FINAL else PERIODIC_NARRATIVE_FIELDS


class Frequency(models.TextChoices):
    MONTHLY = "manad", _("Varje månad")
    QUARTERLY = "kvartal", _("Varje kvartal")


def validate_recipient_emails(value) -> None:
    """``value`` is a list of e-mail addresses (the schedule's external recipients)."""
    if not isinstance(value, list):
        raise ValidationError(_("Mottagarna ska vara en lista med e-postadresser."))
    for address in value:
        validate_email(address)


class ReportSchedule(ProgramRecord):
    """A standing order: render a report of ``kind`` for every complete month or quarter.

    Recipients are e-mail addresses (e.g. the funder's) and/or program members. Invariant: a
    schedule makes at most one report per period (``report_unique_schedule_period``). A place
    report schedule names its place.
    """

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="report_schedules",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("typ av rapport"), max_length=20, choices=Kind)
    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
    )
    frequency = models.CharField(_("intervall"), max_length=10, choices=Frequency)
    recipient_emails = models.JSONField(
        _("e-postmottagare"), default=list, blank=True, validators=[validate_recipient_emails]
    )
    recipient_members = models.ManyToManyField(
        Membership, blank=True, related_name="+", verbose_name=_("mottagare bland medlemmarna")
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("rapportschema")
        verbose_name_plural = _("rapportscheman")
        ordering = ["-active", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="plats") | models.Q(place__isnull=False),
                name="report_schedule_place_report_has_place",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.get_frequency_display().lower()}"


class Report(ProgramOwned):
    """One rendered (or to be rendered) PDF report for a period.

    Invariants: ``period_end`` is not before ``period_start`` (``report_period_ordered``); a
    place report names its place; a schedule makes one report per period
    (``report_unique_schedule_period``, so beat firing twice cannot duplicate); ``pdf`` is set
    exactly when the status is ready (kept by the task). ``failure_reason`` is short Swedish
    text for the user; the traceback goes to the log. A "rendering" report belongs to the
    attempt named by ``claimed_by`` while its ``heartbeat_at`` is fresh.
    """

    class Status(models.TextChoices):
        PENDING = "vantar", _("Väntar")
        RENDERING = "skapas", _("Skapas")
        READY = "klar", _("Klar")
        FAILED = "misslyckades", _("Misslyckades")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="reports", verbose_name=_("program")
    )
    kind = models.CharField(_("typ av rapport"), max_length=20, choices=Kind)
    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("plats"),
    )
    period_start = models.DateField(_("från och med"))
    period_end = models.DateField(_("till och med"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    failure_reason = models.CharField(_("orsak till felet"), max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beställd av"),
    )
    schedule = models.ForeignKey(
        ReportSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("schema"),
    )
    created_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("färdig"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    # The rendering attempt that holds the claim: its Celery task id and its last sign of life
    # (reports.services: a re-delivered task takes over its own dead claim at once, a claim
    # without a heartbeat for a while is dead).
    claimed_by = models.CharField(_("skapas av uppgift"), max_length=255, blank=True)
    heartbeat_at = models.DateTimeField(_("senaste livstecken"), null=True, blank=True)
    notified_at = models.DateTimeField(_("mottagare aviserade"), null=True, blank=True)

    purpose = models.TextField(_("Syfte och mål"), blank=True, **_NARRATIVE)
    implementation = models.TextField(_("Genomförande"), blank=True, **_NARRATIVE)
    results = models.TextField(_("Resultat"), blank=True, **_NARRATIVE)
    effects = models.TextField(_("Förväntade effekter"), blank=True, **_NARRATIVE)
    deviations = models.TextField(_("Avvikelser"), blank=True, **_NARRATIVE)
    lessons = models.TextField(_("Lärdomar"), blank=True, **_NARRATIVE)
    dissemination = models.TextField(_("Spridning och kommunikation"), blank=True, **_NARRATIVE)
    next_steps = models.TextField(_("Fortsättning efter projektet"), blank=True, **_NARRATIVE)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="plats") | models.Q(place__isnull=False),
                name="report_place_report_has_place",
            ),
            models.UniqueConstraint(
                fields=["schedule", "period_start", "period_end"],
                name="report_unique_schedule_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="report_status_started")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"

    def get_absolute_url(self):
        return reverse("reports:detail", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def period_label(self) -> str:
        return swedish_period(self.period_start, self.period_end)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
