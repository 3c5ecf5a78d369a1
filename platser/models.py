"""Places and what is known about them: municipalities (reference data), places with their
boundary and zones, and the stakeholders (organisations) taking part at each place.

Geometry is GeoJSON in a ``JSONField`` (no GDAL), validated by ``platser.geo`` on the way in.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from partnerships.models import Membership, Organisation, Program


class Municipality(models.Model):
    """One of Sweden's 290 municipalities (SCB code). Reference data: not program-owned."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    county_code = models.CharField(_("länskod"), max_length=2)
    county = models.CharField(_("län"), max_length=100)

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Phase(models.TextChoices):
    """The steps of the Trygga platser method (domain-research §1)."""

    START = "start", _("1. Uppstart och kartläggning")
    ANALYSIS = "analys", _("2. Nulägesanalys")
    ORGANISATION = "organisering", _("3. Samverkansorganisation")
    DEVELOPMENT = "utveckling", _("4. Platsutveckling och handlingsplan")
    FOLLOW_UP = "uppfoljning", _("5. Uppföljning")


class Place(models.Model):
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
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    archived_at = models.DateTimeField(_("arkiverad"), null=True, blank=True)

    objects = ScopedManager(program="program")

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="place_unique_name_per_program")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("platser:place", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Zone(models.Model):
    """A named part of a place (e.g. Sala: Stationen, Stadsparken, Torget), optionally drawn.

    Invariant: the name is unique within its place.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="zones", verbose_name=_("plats")
    )
    name = models.CharField(_("namn"), max_length=100)
    boundary = models.JSONField(_("avgränsning"), null=True, blank=True)

    objects = ScopedManager(program="program")

    class Meta:
        verbose_name = _("zon")
        verbose_name_plural = _("zoner")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="zone_unique_name_per_place")
        ]

    def __str__(self):
        return self.name


class Stakeholder(models.Model):
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

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program")
    )
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
        _("överenskommelse (PDF)"), upload_to="agreements/%Y/", blank=True
    )

    objects = ScopedManager(program="program")

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
