"""The action plan (measures) and the work partners log against it (activities).

A ``Measure`` (åtgärd) is one point of a place's action plan: who is responsible, when it is
planned, what it costs and where it stands. Its status changes are kept as
``MeasureStatusChange`` rows; before/after evidence as ``MeasurePhoto``. An ``Activity`` is what
a partner did on a given day (hours and cost are the partners' in-kind co-financing).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Organisation, ProgramOwned, ProgramRecord
from platser.models import Place


class Category(models.TextChoices):
    """The Trygga platser triad (domain-research §3.1)."""

    TRYGGHET = "trygghetsskapande", _("Trygghetsskapande")
    BROTT = "brottsforebyggande", _("Brottsförebyggande")
    TRIVSEL = "trivselskapande", _("Trivselskapande")


class MeasureType(models.TextChoices):
    """Brå: situational measures change the situation, social ones motivation and behaviour."""

    SITUATIONAL = "situationell", _("Situationell")
    SOCIAL = "social", _("Social")


class Technique(models.TextChoices):
    """Clarke & Cornish's 25 situational techniques (five principles) and the CPTED principles
    (domain-research §3.3–3.4). The Swedish label starts with the principle for grouping."""

    # Öka ansträngningen (increase the effort)
    TARGET_HARDEN = "scp01", _("Öka ansträngningen: Försvåra åtkomst till målet")
    CONTROL_ACCESS = "scp02", _("Öka ansträngningen: Kontrollera tillträde")
    SCREEN_EXITS = "scp03", _("Öka ansträngningen: Kontrollera utgångar")
    DEFLECT_OFFENDERS = "scp04", _("Öka ansträngningen: Avled gärningspersoner")
    CONTROL_TOOLS = "scp05", _("Öka ansträngningen: Kontrollera verktyg och vapen")
    # Öka risken (increase the risks)
    EXTEND_GUARDIANSHIP = "scp06", _("Öka risken: Utöka tillsynen")
    NATURAL_SURVEILLANCE = "scp07", _("Öka risken: Underlätta naturlig övervakning")
    REDUCE_ANONYMITY = "scp08", _("Öka risken: Minska anonymiteten")
    PLACE_MANAGERS = "scp09", _("Öka risken: Använd platsansvariga")
    FORMAL_SURVEILLANCE = "scp10", _("Öka risken: Stärk formell övervakning")
    # Minska vinsten (reduce the rewards)
    CONCEAL_TARGETS = "scp11", _("Minska vinsten: Dölj målen")
    REMOVE_TARGETS = "scp12", _("Minska vinsten: Ta bort målen")
    IDENTIFY_PROPERTY = "scp13", _("Minska vinsten: Märk egendom")
    DISRUPT_MARKETS = "scp14", _("Minska vinsten: Stör marknader")
    DENY_BENEFITS = "scp15", _("Minska vinsten: Förneka vinsten")
    # Minska provokationer (reduce provocations)
    REDUCE_FRUSTRATION = "scp16", _("Minska provokationer: Minska frustration och stress")
    AVOID_DISPUTES = "scp17", _("Minska provokationer: Undvik konflikter")
    REDUCE_AROUSAL = "scp18", _("Minska provokationer: Minska känslomässig upphetsning")
    PEER_PRESSURE = "scp19", _("Minska provokationer: Neutralisera grupptryck")
    DISCOURAGE_IMITATION = "scp20", _("Minska provokationer: Motverka efterhärmning")
    # Ta bort ursäkter (remove excuses)
    SET_RULES = "scp21", _("Ta bort ursäkter: Sätt upp regler")
    POST_INSTRUCTIONS = "scp22", _("Ta bort ursäkter: Sätt upp anvisningar")
    ALERT_CONSCIENCE = "scp23", _("Ta bort ursäkter: Väck samvetet")
    ASSIST_COMPLIANCE = "scp24", _("Ta bort ursäkter: Underlätta regelefterlevnad")
    CONTROL_DRUGS = "scp25", _("Ta bort ursäkter: Kontrollera droger och alkohol")
    # CPTED
    CPTED_SURVEILLANCE = "cpted_surveillance", _("CPTED: Naturlig övervakning")
    CPTED_ACCESS = "cpted_access", _("CPTED: Naturlig tillträdeskontroll")
    CPTED_TERRITORY = "cpted_territory", _("CPTED: Territoriell förstärkning")
    CPTED_MAINTENANCE = "cpted_maintenance", _("CPTED: Underhåll och skötsel")
    CPTED_ACTIVITY = "cpted_activity", _("CPTED: Aktivitetsstöd")


class Priority(models.TextChoices):
    HIGH = "hog", _("Hög")
    MEDIUM = "medel", _("Medel")
    LOW = "lag", _("Låg")


class Status(models.TextChoices):
    PROPOSED = "foreslagen", _("Föreslagen")
    PLANNED = "planerad", _("Planerad")
    ONGOING = "pagaende", _("Pågående")
    DONE = "genomford", _("Genomförd")
    CANCELLED = "installd", _("Inställd")


# Allowed status changes: forward along the plan, one step back for corrections, and cancelling
# anything not yet done; a cancelled measure can be proposed again.
TRANSITIONS: dict[str, set[str]] = {
    Status.PROPOSED: {Status.PLANNED, Status.ONGOING, Status.CANCELLED},
    Status.PLANNED: {Status.PROPOSED, Status.ONGOING, Status.CANCELLED},
    Status.ONGOING: {Status.PLANNED, Status.DONE, Status.CANCELLED},
    Status.DONE: {Status.ONGOING},
    Status.CANCELLED: {Status.PROPOSED},
}
CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

#: Filter values that stand for several statuses (the dashboard's "planned" and "done or
#: started" figures link to them): ``{value: (label, statuses)}``.
STATUS_GROUPS = {
    "ej_paborjade": (_("Föreslagna eller planerade"), (Status.PROPOSED, Status.PLANNED)),
    "paborjade": (_("Pågående eller genomförda"), (Status.ONGOING, Status.DONE)),
}


class Origin(models.TextChoices):
    DECISION = "beslut", _("Beslut på möte")
    WALK = "trygghetsvandring", _("Trygghetsvandring")
    SURVEY = "enkat", _("Enkät")
    OTHER = "annat", _("Annat")


class Measure(ProgramRecord):
    """One point of a place's action plan.

    Invariants (named constraints): a cancelled measure has a reason; planned and actual end
    dates are not before their start; budget and actual cost are not negative. Status changes go
    through ``measures.services.change_status`` (valid transitions only, with history).
    """

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plats")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), max_length=5000, blank=True)
    category = models.CharField(_("kategori"), max_length=30, choices=Category)
    type = models.CharField(
        _("typ"), max_length=20, choices=MeasureType, default=MeasureType.SITUATIONAL
    )
    technique = models.CharField(
        _("teknik"), max_length=30, choices=Technique, blank=True, default=""
    )
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="measures",
        verbose_name=_("ansvarig organisation"),
    )
    contributors = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="contributed_measures",
        verbose_name=_("medverkande organisationer"),
    )
    priority = models.CharField(
        _("prioritet"), max_length=10, choices=Priority, default=Priority.MEDIUM
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED)
    cancel_reason = models.TextField(_("skäl till att den ställts in"), max_length=2000, blank=True)
    planned_start = models.DateField(_("planerad start"), null=True, blank=True)
    planned_end = models.DateField(_("planerat klart"), null=True, blank=True)
    actual_start = models.DateField(_("faktisk start"), null=True, blank=True)
    actual_end = models.DateField(_("faktiskt klart"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (kr)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    actual_cost = models.DecimalField(
        _("faktisk kostnad (kr)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    location = models.JSONField(_("plats på kartan"), null=True, blank=True)
    origin = models.CharField(_("ursprung"), max_length=30, choices=Origin, default=Origin.OTHER)
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("beslut"),
    )
    findings = models.ManyToManyField(
        "platser.Finding",
        blank=True,
        related_name="measures",
        verbose_name=_("fynd som åtgärden avser"),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["planned_end", "pk"]
        indexes = [models.Index(fields=["place", "status"], name="measure_place_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="installd") | ~Q(cancel_reason=""),
                name="measure_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="measure_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="measure_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="measure_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(actual_cost__isnull=True) | Q(actual_cost__gte=0),
                name="measure_cost_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("measures:measure", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return (
            self.planned_end is not None
            and self.planned_end < timezone.localdate()
            and self.status not in CLOSED_STATUSES
        )


class MeasureStatusChange(ProgramOwned):
    """One status change of a measure: the measure's history. Written only by services."""

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("åtgärd"),
    )
    from_status = models.CharField(_("från"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("till"), max_length=20, choices=Status)
    reason = models.TextField(_("kommentar"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)

    class Meta:
        verbose_name = _("statusändring")
        verbose_name_plural = _("statusändringar")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.measure}: {self.from_status} → {self.to_status}"


def measure_photo_path(instance, filename):
    return f"measures/{instance.measure_id}/{uuid.uuid4().hex}.jpg"


class MeasurePhoto(ProgramOwned):
    """A before or after photo of a measure (metadata-free JPEG; served through a view)."""

    class Kind(models.TextChoices):
        BEFORE = "fore", _("Före")
        AFTER = "efter", _("Efter")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="photos", verbose_name=_("åtgärd")
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind, default=Kind.BEFORE)
    image = models.ImageField(_("foto"), upload_to=measure_photo_path)
    caption = models.CharField(_("bildtext"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppladdad av"),
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foton")
        ordering = ["kind", "created_at"]

    def __str__(self):
        return f"{self.measure} ({self.get_kind_display()})"


def activity_photo_path(instance, filename):
    return f"activities/{instance.program_id}/{uuid.uuid4().hex}.jpg"


MAX_ACTIVITY_HOURS = 24 * 31  # a whole month of one organisation's work in one row at most


class Activity(ProgramRecord):
    """What a partner organisation did at a place on a day (in-kind co-financing).

    Invariants: hours and cost are not negative and hours are bounded; ``client_id`` is unique
    per program so a re-sent phone submission is stored once.
    """

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plats")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("åtgärd"),
    )
    date = models.DateField(_("datum"), default=timezone.localdate)
    description = models.TextField(_("vad gjordes"), max_length=2000)
    hours = models.DecimalField(_("timmar"), max_digits=6, decimal_places=2, default=0)
    cost = models.DecimalField(_("kostnad (kr)"), max_digits=12, decimal_places=2, default=0)
    photo = models.ImageField(_("foto"), upload_to=activity_photo_path, blank=True)
    point = models.JSONField(_("position"), null=True, blank=True)
    client_id = models.UUIDField(_("inskicknings-id"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["place", "-date"], name="activity_place_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "client_id"], name="activity_unique_client_id"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=MAX_ACTIVITY_HOURS),
                name="activity_hours_in_range",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="activity_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.date} {self.organisation}: {self.description[:60]}"


class OverdueDigest(ProgramOwned):
    """A weekly overdue digest sent to an organisation: at most one per ISO week (idempotence)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    iso_year = models.PositiveIntegerField(_("år"))
    iso_week = models.PositiveSmallIntegerField(_("vecka"))
    measure_count = models.PositiveIntegerField(_("antal försenade åtgärder"), default=0)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)

    class Meta:
        verbose_name = _("veckosammanställning")
        verbose_name_plural = _("veckosammanställningar")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "iso_year", "iso_week"], name="digest_once_per_week"
            )
        ]

    def __str__(self):
        return f"{self.organisation} v{self.iso_week} {self.iso_year}"
