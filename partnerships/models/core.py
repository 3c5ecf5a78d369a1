"""The tenant (Program), the people and organisations in it, memberships, invitations and the
audit log.

Every model here except ``Program`` belongs to exactly one program and is reached through a
``ScopedManager``: a query outside ``scope(program=…)`` raises instead of leaking rows.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import ProgramOwned


class UserManager(BaseUserManager):
    """Users are identified by e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Not program-owned: one account may belong to several programs.

    Invariant: the e-mail address is unique and is the login.
    """

    username = None
    first_name = None
    last_name = None
    name = models.CharField(_("namn"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), unique=True)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["email"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email


class Municipality(models.Model):
    """One of Sweden's 290 municipalities (SCB code). Reference data: not program-owned.

    Kept in the kernel because organisations and places both point at it; its table keeps the
    name it had in ``platser`` (``platser_municipality``).
    """

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    county_code = models.CharField(_("länskod"), max_length=2)
    county = models.CharField(_("län"), max_length=100)

    class Meta:
        db_table = "platser_municipality"
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def centre(self) -> tuple[float, float] | None:
        """(lat, lon) of the municipality's central locality (``partnerships.reference``)."""
        from partnerships.reference import municipality_centres

        return municipality_centres().get(self.code)


class Program(models.Model):
    """A programme of place partnerships under one coordinating organisation: the tenant.

    Invariant: ``slug`` is unique and is the only key in URLs (``/p/<slug>/``).
    """

    class MethodTemplate(models.TextChoices):
        TRYGGA_PLATSER = "trygga_platser", _("Trygga platser (platssamverkan i fem steg)")
        BID = "bid", _("BID (Business Improvement District)")
        EST = "est", _("EST (Effektiv samordning för trygghet)")

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    coordinator_name = models.CharField(_("samordnande organisation"), max_length=200)
    funder = models.CharField(_("finansiär"), max_length=200, blank=True)
    grant_reference = models.CharField(_("diarienummer"), max_length=100, blank=True)
    grant_amount = models.DecimalField(
        _("beviljat belopp (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    period_start = models.DateField(_("periodens början"), null=True, blank=True)
    period_end = models.DateField(_("periodens slut"), null=True, blank=True)
    method_template = models.CharField(
        _("metod"), max_length=30, choices=MethodTemplate, default=MethodTemplate.TRYGGA_PLATSER
    )
    hourly_rate = models.DecimalField(
        _("timpris för medfinansiering (kr/h)"), max_digits=8, decimal_places=0, default=800
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="program_period_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("platser:overview", kwargs={"program": self.slug})


class OrganisationCategory(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    FASTIGHETSAGARE = "fastighetsagare", _("Fastighetsägare")
    NARINGSIDKARE = "naringsidkare", _("Näringsidkare")
    CIVILSAMHALLE = "civilsamhalle", _("Civilsamhälle")
    POLIS = "polis", _("Polis")
    RADDNINGSTJANST = "raddningstjanst", _("Räddningstjänst")
    REGION = "region", _("Region/kollektivtrafik")
    LANSSTYRELSE = "lansstyrelse", _("Länsstyrelse")
    ANNAN = "annan", _("Annan")


class Organisation(ProgramOwned):
    """A participating body in a program. Invariant: the name is unique within its program."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("program")
    )
    name = models.CharField(_("namn"), max_length=200)
    category = models.CharField(_("kategori"), max_length=30, choices=OrganisationCategory)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    website = models.URLField(_("webbplats"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="organisation_unique_name_per_program"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "partnerships:organisation",
            kwargs={"program": self.program.slug, "pk": self.pk},
        )


class Contact(ProgramOwned):
    """A person at an organisation. Personal data: hidden from observers, exportable, erasable."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("program")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Samordnare")
    PLACE_LEAD = "place_lead", _("Platsansvarig")
    PARTNER = "partner", _("Partner")
    OBSERVER = "observer", _("Observatör")


class Membership(ProgramOwned):
    """A user's role in a program.

    Place leads and partners act for the places in ``places`` (a reverse relation from
    ``platser.Place.members``); a partner also acts for one ``organisation``.
    Invariants: one membership per user and program; a partner has an organisation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("användare"),
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("program")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(organisation__isnull=False),
                name="membership_partner_has_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.program})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(ProgramOwned):
    """An e-mailed invitation to join a program with a role, for the places in ``places`` (a
    reverse relation from ``platser.Place.invitations``).

    Invariants: the token is unguessable and unique; an invitation is accepted at most once
    (``accepted_at``) and only before ``expires_at``.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("program")
    )
    email = models.EmailField(_("e-post"))
    role = models.CharField(_("roll"), max_length=20, choices=Role)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    token = models.CharField(
        _("nyckel"), max_length=64, unique=True, default=_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("inbjuden av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("giltig till"))
    email_sent_at = models.DateTimeField(_("e-post skickad"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepterad"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class AuditEntry(ProgramOwned):
    """One change to a program-owned record: who, what, when and which fields.

    Written by services in the same transaction as the change; never edited afterwards.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Skapade")
        UPDATE = "update", _("Ändrade")
        DELETE = "delete", _("Tog bort")
        ARCHIVE = "archive", _("Arkiverade")
        OTHER = "other", _("Annat")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="audit_entries", verbose_name=_("program")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    action = models.CharField(_("händelse"), max_length=20, choices=Action)
    model_label = models.CharField(_("posttyp"), max_length=100)
    object_id = models.CharField(_("post-id"), max_length=64)
    object_repr = models.CharField(_("post"), max_length=300)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-created_at"], name="audit_program_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
