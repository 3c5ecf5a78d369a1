"""Places and what is known about them: places with their boundary and zones, the stakeholders
(organisations) taking part at each place, and what is found there: safety walks and their
findings.

Geometry is GeoJSON in a ``JSONField`` (no GDAL), validated by ``platser.geo`` on the way in.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from partnerships.models import (
    Invitation,
    Membership,
    Municipality,
    Organisation,
    Program,
    ProgramOwned,
    ProgramRecord,
)

from .querysets import PlaceQuerySet


class Phase(models.TextChoices):
    """The steps of the Trygga platser method (domain-research §1)."""

    START = "start", _("1. Uppstart och kartläggning")
    ANALYSIS = "analys", _("2. Nulägesanalys")
    ORGANISATION = "organisering", _("3. Samverkansorganisation")
    DEVELOPMENT = "utveckling", _("4. Platsutveckling och handlingsplan")
    FOLLOW_UP = "uppfoljning", _("5. Uppföljning")


PlaceManager = models.Manager.from_queryset(PlaceQuerySet)


class Place(ProgramOwned):
    """A place worked on in partnership: a square, a terminal, a town centre.

    Invariants: the name is unique within the program; ``boundary`` is null or a valid GeoJSON
    Polygon inside Sweden (checked by ``platser.geo.validate_polygon``); archived places are kept,
    never deleted.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="places", verbose_name=_("program")
    )
    name = models.CharField(_("namn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="places", verbose_name=_("kommun")
    )
    description = models.TextField(_("beskrivning"), max_length=5000, blank=True)
    boundary = models.JSONField(_("avgränsning"), null=True, blank=True)
    phase = models.CharField(_("fas"), max_length=20, choices=Phase, default=Phase.START)
    baseline_date = models.DateField(_("nollmätningsdatum"), null=True, blank=True)
    members = models.ManyToManyField(
        Membership, blank=True, related_name="places", verbose_name=_("ansvariga och partner")
    )
    # Declared here, not on Invitation, so that the kernel never refers to a place; the table
    # keeps the name it had as ``Invitation.places``.
    invitations = models.ManyToManyField(
        Invitation,
        blank=True,
        related_name="places",
        db_table="partnerships_invitation_places",
        verbose_name=_("inbjudningar"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    archived_at = models.DateTimeField(_("arkiverad"), null=True, blank=True)

    objects = ScopedManager(program="program", _manager_class=PlaceManager)

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="place_unique_name_per_program"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("platser:place", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Zone(ProgramOwned):
    """A named part of a place (e.g. Sala: Stationen, Stadsparken, Torget), optionally drawn.

    Invariant: the name is unique within its place.
    """

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="zones", verbose_name=_("plats")
    )
    name = models.CharField(_("namn"), max_length=100)
    boundary = models.JSONField(_("avgränsning"), null=True, blank=True)

    class Meta:
        verbose_name = _("zon")
        verbose_name_plural = _("zoner")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="zone_unique_name_per_place")
        ]

    def __str__(self):
        return self.name


def agreement_path(instance, filename):
    """A generated name: the uploader's file name (which may say anything) is not kept."""
    return f"agreements/{instance.program_id}/{uuid.uuid4().hex}.pdf"


class Stakeholder(ProgramOwned):
    """An organisation's participation at a place.

    It lives here rather than in ``partnerships`` because it joins an organisation to a place and
    dependencies point partnerships ← platser. Invariants: one row per organisation and place;
    ``left_on`` is not before ``joined_on``; an agreement date or file needs an agreement type.
    """

    class Group(models.TextChoices):
        STEERING = "styrgrupp", _("Styrgrupp")
        WORKING = "arbetsgrupp", _("Arbetsgrupp")
        NETWORK = "natverk", _("Nätverk")

    class Agreement(models.TextChoices):
        NONE = "", _("Ingen")
        INTENT = "avsiktsforklaring", _("Avsiktsförklaring")
        CONTRACT = "samverkansavtal", _("Samverkansavtal")

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="stakeholders", verbose_name=_("plats")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="stakeholdings",
        verbose_name=_("organisation"),
    )
    group = models.CharField(_("grupp"), max_length=20, choices=Group, default=Group.WORKING)
    commitment = models.TextField(_("åtagande"), max_length=2000, blank=True)
    joined_on = models.DateField(_("anslöt"), null=True, blank=True)
    left_on = models.DateField(_("lämnade"), null=True, blank=True)
    agreement_type = models.CharField(
        _("överenskommelse"), max_length=30, choices=Agreement, blank=True, default=""
    )
    agreement_signed_on = models.DateField(_("undertecknad"), null=True, blank=True)
    agreement_file = models.FileField(
        _("överenskommelse (PDF)"), upload_to=agreement_path, blank=True
    )

    class Meta:
        verbose_name = _("aktör")
        verbose_name_plural = _("aktörer")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "organisation"], name="stakeholder_unique_per_place"
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="stakeholder_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} @ {self.place}"


class SafetyWalk(ProgramOwned):
    """A trygghetsvandring at a place (domain-research §4.3).

    Participants are counted three ways: per organisation (``WalkParticipation`` rows), and by
    gender and by age group in plain integer columns. The buckets are fixed by the method and
    always read and written together with the walk, so columns keep them in the same row (no
    extra query on a list), let the database refuse negative counts and let reports ``Sum``
    them. Invariants: the follow-up date is after the walk (1–18 months, checked by the form);
    ``route`` is null or a GeoJSON LineString inside Sweden (``platser.geo.validate_line``).
    """

    class Light(models.TextChoices):
        DAYLIGHT = "dagsljus", _("Dagsljus")
        DARK = "morker", _("Mörker")

    GENDER_FIELDS = ("women", "men", "gender_other", "gender_unknown")
    AGE_FIELDS = ("age_under_20", "age_20_39", "age_40_64", "age_65_plus")

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="walks", verbose_name=_("plats")
    )
    date = models.DateField(_("datum"))
    light = models.CharField(_("ljus"), max_length=10, choices=Light, default=Light.DARK)
    route = models.JSONField(_("rutt"), null=True, blank=True)
    notes = models.TextField(_("anteckningar"), max_length=5000, blank=True)
    women = models.PositiveSmallIntegerField(_("kvinnor"), default=0)
    men = models.PositiveSmallIntegerField(_("män"), default=0)
    gender_other = models.PositiveSmallIntegerField(_("annat"), default=0)
    gender_unknown = models.PositiveSmallIntegerField(_("uppgift saknas"), default=0)
    age_under_20 = models.PositiveSmallIntegerField(_("under 20 år"), default=0)
    age_20_39 = models.PositiveSmallIntegerField(_("20–39 år"), default=0)
    age_40_64 = models.PositiveSmallIntegerField(_("40–64 år"), default=0)
    age_65_plus = models.PositiveSmallIntegerField(_("65 år och äldre"), default=0)
    follow_up_date = models.DateField(_("uppföljningsdatum"))
    followed_up_on = models.DateField(_("uppföljd"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        through="WalkParticipation",
        blank=True,
        related_name="+",
        verbose_name=_("deltagande organisationer"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The phone's id for a walk sent from a draft: stored once however often it is re-sent.
    client_id = models.UUIDField(_("inskicknings-id"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("trygghetsvandring")
        verbose_name_plural = _("trygghetsvandringar")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="walk_unique_client_id",
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up_date__gt=models.F("date")),
                name="walk_follow_up_after_walk",
            ),
            models.CheckConstraint(
                condition=models.Q(followed_up_on__isnull=True)
                | models.Q(followed_up_on__gte=models.F("date")),
                name="walk_followed_up_after_walk",
            ),
        ]

    def __str__(self):
        return _("Trygghetsvandring %(date)s") % {"date": self.date.isoformat()}

    def get_absolute_url(self):
        return reverse(
            "platser:walk",
            kwargs={"program": self.program.slug, "place": self.place_id, "pk": self.pk},
        )

    @property
    def participants_by_gender(self) -> int:
        return sum(getattr(self, name) for name in self.GENDER_FIELDS)

    @property
    def participants_by_age(self) -> int:
        return sum(getattr(self, name) for name in self.AGE_FIELDS)

    def is_follow_up_overdue(self, today) -> bool:
        return self.followed_up_on is None and self.follow_up_date < today


class WalkParticipation(ProgramOwned):
    """How many people an organisation sent on a walk. Invariant: one row per walk and
    organisation, with at least one participant."""

    walk = models.ForeignKey(
        SafetyWalk,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("trygghetsvandring"),
    )
    # RESTRICT: an organisation that walked cannot be deleted on its own, but a whole program
    # (walks included) can.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="+", verbose_name=_("organisation")
    )
    count = models.PositiveSmallIntegerField(_("antal deltagare"), default=1)

    class Meta:
        verbose_name = _("deltagande organisation")
        verbose_name_plural = _("deltagande organisationer")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["walk", "organisation"], name="walk_participation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="walk_participation_count_positive"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.count})"


class Finding(ProgramOwned):
    """A remark (anmärkning) about a spot at a place: what makes it feel unsafe, where, who has
    the power to fix it (rådighet), and how far it got.

    Invariants: ``point`` is a GeoJSON Point inside Sweden and inside the place's boundary when
    the place has one (checked by the form and the service); status ``ej åtgärdad`` carries a
    reason (database constraint); status changes go through
    ``platser.services.change_finding_status`` and are in the audit log. ``photo`` is always a
    re-encoded JPEG without metadata (``platser.photos.clean_photo``).
    """

    class Category(models.TextChoices):
        LIGHTING = "belysning", _("Belysning")
        VEGETATION = "vegetation", _("Vegetation")
        GRAFFITI = "klotter", _("Klotter")
        LITTER = "nedskrapning", _("Nedskräpning")
        DAMAGE = "skadegorelse", _("Skadegörelse")
        TRAFFIC = "trafik", _("Trafik")
        SIGHTLINES = "sikt", _("Sikt")
        DRUGS = "droger", _("Droger/alkohol")
        DISTURBANCE = "storningar", _("Störningar")
        OTHER = "annat", _("Annat")

    class Source(models.TextChoices):
        WALK = "trygghetsvandring", _("Trygghetsvandring")
        SURVEY = "enkat", _("Enkät")
        STATISTICS = "statistik", _("Statistik")
        INTERVIEW = "intervju", _("Intervju")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        OPEN = "oppen", _("Öppen")
        FIXED = "atgardad", _("Åtgärdad")
        CLOSED = "stangd", _("Stängd")
        NOT_FIXED = "ej_atgardad", _("Ej åtgärdad")

    # Which status may follow which (öppen → åtgärdad → stängd, or ej åtgärdad; reopening).
    #: Filter values that stand for several statuses: ``{value: (label, statuses)}``.
    STATUS_GROUPS = {
        "stangda": (
            _("Åtgärdade, stängda eller ej åtgärdade"),
            ("atgardad", "stangd", "ej_atgardad"),
        ),
    }

    TRANSITIONS = {
        Status.OPEN: (Status.FIXED, Status.NOT_FIXED),
        Status.FIXED: (Status.CLOSED, Status.OPEN),
        Status.NOT_FIXED: (Status.OPEN, Status.CLOSED),
        Status.CLOSED: (Status.OPEN,),
    }

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="findings", verbose_name=_("plats")
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("zon"),
    )
    walk = models.ForeignKey(
        SafetyWalk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("trygghetsvandring"),
    )
    point = models.JSONField(_("position"))
    category = models.CharField(_("kategori"), max_length=20, choices=Category)
    source = models.CharField(_("källa"), max_length=20, choices=Source, default=Source.WALK)
    description = models.TextField(_("beskrivning"), max_length=2000)
    photo = models.FileField(_("foto"), upload_to="findings/%Y/", blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rådighet (ansvarig organisation)"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    status_reason = models.TextField(_("motivering"), max_length=2000, blank=True)
    status_changed_at = models.DateTimeField(_("status ändrad"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The phone's id for a finding sent from a draft: stored once however often it is re-sent.
    client_id = models.UUIDField(_("inskicknings-id"), null=True, blank=True, editable=False)
    # A finding made on a walk still waiting on the phone: the walk's client id and the stop's
    # scores, kept until that walk arrives (``services.save_walk`` then links them).
    walk_client_id = models.UUIDField(
        _("väntande vandrings inskicknings-id"), null=True, blank=True, editable=False
    )
    pending_scores = models.JSONField(
        _("väntande bedömning"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("fynd")
        verbose_name_plural = _("fynd")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="finding_unique_client_id",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ej_atgardad") | ~models.Q(status_reason=""),
                name="finding_not_fixed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse(
            "platser:finding",
            kwargs={"program": self.program.slug, "place": self.place_id, "pk": self.pk},
        )

    @property
    def lonlat(self) -> tuple[float, float]:
        return tuple(self.point["coordinates"][:2])

    @property
    def next_statuses(self) -> tuple:
        return self.TRANSITIONS[self.Status(self.status)]


class Criterion(models.TextChoices):
    """The criteria a safety walk scores, each from 1 (mycket dåligt) to 5 (mycket bra).

    Sources: Safetipin's nine safety-audit parameters (lighting, openness, visibility, people,
    security, walk path, transport, gender usage, feeling; Viswanath & Basu, "SafetiPin: an
    innovative mobile app to collect data on women's safety in Indian cities", Gender &
    Development 23:1, 2015) and Boverket's guidance on safety walks and safe public places
    ("Trygghetsvandringar", and "Brottsförebyggande och trygghetsskapande åtgärder i den
    byggda miljön", 2010/2023). Merged to six so that a walk group can score a stop in a minute:
    security and transport are left to the findings, gender usage is part of folkliv.
    """

    LIGHTING = "belysning", _("Belysning")
    OVERVIEW = "overblick", _("Överblick och sikt")
    PEOPLE = "folkliv", _("Folkliv")
    UPKEEP = "skotsel", _("Skötsel")
    WALKWAY = "gangvag", _("Gångväg och tillgänglighet")
    FEELING = "trygghet", _("Trygghetskänsla")


class WalkScore(ProgramOwned):
    """One criterion's score on a safety walk: for the route as a whole (``finding`` empty) or
    for one stop, the spot of a finding made on the walk.

    Invariants: the score is 1–5 (database constraint); one score per criterion for the walk as
    a whole and one per criterion and finding; a finding's score belongs to the finding's walk
    (checked by ``platser.services.set_walk_scores``).
    """

    MIN, MAX = 1, 5

    walk = models.ForeignKey(
        SafetyWalk,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("trygghetsvandring"),
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scores",
        verbose_name=_("fynd (stopp)"),
    )
    criterion = models.CharField(_("kriterium"), max_length=20, choices=Criterion)
    score = models.PositiveSmallIntegerField(_("poäng (1–5)"))
    comment = models.CharField(_("kommentar"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["walk", "finding", "criterion"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="walk_score_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["walk", "criterion"],
                condition=models.Q(finding__isnull=True),
                name="walk_score_unique_per_walk",
            ),
            models.UniqueConstraint(
                fields=["finding", "criterion"],
                condition=models.Q(finding__isnull=False),
                name="walk_score_unique_per_finding",
            ),
        ]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.score}"


# --- Incident statistics and the areas they are compared in (issue 12) ---------------------


class IncidentSource(models.TextChoices):
    """Where a count comes from."""

    POLICE = "polisen", _("Polisen")
    BRA = "bra", _("Brå")
    MUNICIPALITY = "kommunen", _("Kommunens egna rapporter")
    GUARDS = "ordningsvakter", _("Ordningsvakter/bevakningsbolag")
    PROPERTY_OWNER = "fastighetsagare", _("Fastighetsägare")
    OTHER = "annan", _("Annan")


class AreaKind(models.TextChoices):
    """The three areas of an effect follow-up: the place itself (A), its buffer (B) where a
    problem may move to or benefits spread, and the comparison area (C) for the general trend."""

    TARGET = "mal", _("Platsen")
    BUFFER = "buffert", _("Buffertområde")
    COMPARISON = "jamforelse", _("Jämförelseområde")


# The standard categories every program has (code, Swedish name); a program may add its own.
STANDARD_INCIDENT_CATEGORIES = [
    ("misshandel", _("Misshandel")),
    ("ran", _("Rån")),
    ("skadegorelse", _("Skadegörelse")),
    ("klotter", _("Klotter")),
    ("narkotikabrott", _("Narkotikabrott")),
    ("ordningsstorning", _("Ordningsstörning")),
    ("stold", _("Stöld")),
    ("trafik", _("Trafik")),
    ("annat", _("Annat")),
]


class IncidentCategory(ProgramOwned):
    """A category of incidents counted in a program: the standard ones (``is_standard``,
    created by ``platser.incidents.ensure_standard_categories``) and the program's own.

    Invariant: code and name are unique within the program.
    """

    code = models.SlugField(_("kod"), max_length=40)
    name = models.CharField(_("namn"), max_length=100)
    is_standard = models.BooleanField(_("standardkategori"), default=False)

    class Meta:
        verbose_name = _("händelsekategori")
        verbose_name_plural = _("händelsekategorier")
        ordering = ["-is_standard", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"], name="incidentcategory_unique_code"
            ),
            models.UniqueConstraint(
                fields=["program", "name"], name="incidentcategory_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


def incident_import_path(instance, filename):
    """A generated name: the uploader's file name is kept in ``original_name`` only."""
    return f"incident-imports/{instance.program_id}/{uuid.uuid4().hex}"


class IncidentImport(ProgramRecord):
    """One imported file, kept whole: who, when, the original file, its rows and period.

    Invariants: ``sha256`` identifies the file's bytes (the same file twice is recognised);
    the counts it brought carry it as ``source_import`` so that undoing it removes exactly
    them; an undone import keeps its row with ``undone_at`` set.
    """

    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="incident_imports",
        verbose_name=_("plats"),
    )
    source = models.CharField(_("källa"), max_length=20, choices=IncidentSource)
    original_file = models.FileField(_("originalfil"), upload_to=incident_import_path)
    original_name = models.CharField(_("filnamn"), max_length=255)
    sha256 = models.CharField(_("kontrollsumma"), max_length=64)
    row_count = models.PositiveIntegerField(_("rader"), default=0)
    period_start = models.DateField(_("från månad"))
    period_end = models.DateField(_("till månad"))
    replaced = models.PositiveIntegerField(_("ersatta antal"), default=0)
    undone_at = models.DateTimeField(_("ångrad"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ångrad av"),
    )

    class Meta:
        verbose_name = _("import av händelser")
        verbose_name_plural = _("importer av händelser")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name


class IncidentCount(ProgramOwned):
    """The number of incidents of one category in one month in one of a place's areas, from
    one source.

    Invariants: ``month`` is the first day of a month, not in the future (checked by the import
    and the grid); one row per month, place, area, category and source (a new figure replaces
    the old one); ``count`` is never negative (the column refuses it).
    """

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="incident_counts", verbose_name=_("plats")
    )
    month = models.DateField(_("månad"))
    area = models.CharField(_("område"), max_length=20, choices=AreaKind, default=AreaKind.TARGET)
    category = models.ForeignKey(
        IncidentCategory,
        on_delete=models.CASCADE,
        related_name="counts",
        verbose_name=_("kategori"),
    )
    source = models.CharField(_("källa"), max_length=20, choices=IncidentSource)
    count = models.PositiveIntegerField(_("antal"))
    source_import = models.ForeignKey(
        IncidentImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counts",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("antal händelser")
        verbose_name_plural = _("antal händelser")
        ordering = ["place", "month", "area", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "month", "area", "category", "source"],
                name="incidentcount_unique_cell",
            ),
        ]
        indexes = [models.Index(fields=["place", "month"], name="incidentcount_place_month")]

    def __str__(self):
        return f"{self.place} {self.month:%Y-%m} {self.category}: {self.count}"


class PlaceAreas(ProgramOwned):
    """A place's buffer and comparison areas for effect follow-up.

    The buffer is drawn (``buffer_boundary``) or, by default, a ring ``buffer_width_m`` metres
    wide around the place's boundary (computed in SWEREF 99 TM by ``platser.areas``). The
    comparison area is drawn, another place of the program, or the rest of the municipality
    (everything outside the place and its buffer). Invariant: one row per place; a
    ``comparison_place`` is another place of the same program.
    """

    class Comparison(models.TextChoices):
        MUNICIPALITY = "kommun", _("Resten av kommunen")
        DRAWN = "ritad", _("Ritat område")
        PLACE = "plats", _("En annan plats")

    place = models.OneToOneField(
        Place, on_delete=models.CASCADE, related_name="areas", verbose_name=_("plats")
    )
    buffer_width_m = models.PositiveIntegerField(_("buffertens bredd (meter)"), default=200)
    buffer_boundary = models.JSONField(_("ritat buffertområde"), null=True, blank=True)
    comparison_kind = models.CharField(
        _("jämförelseområde"), max_length=10, choices=Comparison, default=Comparison.MUNICIPALITY
    )
    comparison_boundary = models.JSONField(_("ritat jämförelseområde"), null=True, blank=True)
    comparison_place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jämförelseplats"),
    )

    class Meta:
        verbose_name = _("jämförelseområden")
        verbose_name_plural = _("jämförelseområden")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(buffer_width_m__gte=10, buffer_width_m__lte=5000),
                name="placeareas_buffer_width_range",
            )
        ]

    def __str__(self):
        return f"{self.place}: {self.get_comparison_kind_display()}"
