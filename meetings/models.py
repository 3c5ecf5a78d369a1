"""Meetings of a partnership: at one place or for the whole program, with an ordered agenda,
attendance per person and organisation, minutes per agenda item and numbered decisions, the
e-mail invitations sent for them and the calendar feeds that publish them.

The models moved here from ``partnerships`` (the kernel) and keep their tables
(``partnerships_meeting`` …): no data moved with them.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Contact, Organisation, Program, ProgramOwned, ProgramRecord


class Meeting(ProgramRecord):
    """A meeting of the partnership: a steering group, a working group, a workshop or a walk.

    Invariants: ``ends_at`` is after ``starts_at`` (``meeting_ends_after_start``); ``place`` is
    a place of the same program or null for a program-wide meeting; ``sequence`` (iCalendar
    SEQUENCE) grows whenever the time or location changes, so calendars replace the old copy,
    and when the meeting is cancelled (``cancelled_at``), so they remove it.
    """

    class Kind(models.TextChoices):
        STEERING = "styrgruppsmote", _("Styrgruppsmöte")
        WORKING = "arbetsgruppsmote", _("Arbetsgruppsmöte")
        WORKSHOP = "workshop", _("Workshop")
        WALK = "platsvandring", _("Platsvandring")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("program")
    )
    place = models.ForeignKey(
        "platser.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("plats"),
        help_text=_("Lämna tomt för ett möte för hela programmet."),
    )
    kind = models.CharField(_("typ av möte"), max_length=20, choices=Kind, default=Kind.WORKING)
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    location = models.CharField(_("lokal eller adress"), max_length=200, blank=True)
    notes = models.TextField(_("allmänna anteckningar"), max_length=10000, blank=True)
    sequence = models.PositiveIntegerField(_("version i kalendern"), default=0, editable=False)
    cancelled_at = models.DateTimeField(_("inställt"), null=True, blank=True, editable=False)
    # The justering of the minutes: who chaired, who kept them, who checks and signs them.
    chair = models.CharField(_("ordförande"), max_length=200, blank=True)
    secretary = models.CharField(_("sekreterare"), max_length=200, blank=True)
    adjuster = models.CharField(_("justerare"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        db_table = "partnerships_meeting"
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["program", "starts_at"], name="meeting_program_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting", kwargs={"program": self.program.slug, "pk": self.pk})

    @property
    def is_program_wide(self) -> bool:
        return self.place_id is None

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @staticmethod
    def audit_choices() -> dict:
        """Labels for the attendance statuses kept in the meeting's audit entries."""
        return {"attendance": Attendance.Status}


class AgendaItem(ProgramOwned):
    """One point on a meeting's agenda, with the minutes written for it.

    Invariant: positions are 1, 2, 3 … within a meeting (``agenda_item_unique_position``); the
    service renumbers them whenever the agenda is saved.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("möte")
    )
    position = models.PositiveSmallIntegerField(_("ordning"))
    title = models.CharField(_("punkt"), max_length=300)
    minutes = models.TextField(_("protokollsanteckning"), max_length=20000, blank=True)

    class Meta:
        db_table = "partnerships_agendaitem"
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agenda_item_unique_position"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="agenda_item_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Attendance(ProgramOwned):
    """Whether one person came to a meeting: a contact of an organisation, or a member (user).

    Personal data: observers see counts per organisation, never names. Invariants: exactly one of
    ``contact`` and ``user`` is set (``attendance_contact_or_user``); one row per person and
    meeting (``attendance_unique_contact``, ``attendance_unique_user``). ``organisation`` is the
    organisation the person represented, kept for the list by organisation.
    """

    class Status(models.TextChoices):
        PRESENT = "narvarande", _("Närvarande")
        ABSENT = "franvarande", _("Frånvarande")
        EXCUSED = "anmalt_forhinder", _("Anmält förhinder")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("möte")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("kontaktperson"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("närvaro"), max_length=20, choices=Status)

    class Meta:
        db_table = "partnerships_attendance"
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["meeting", "organisation__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False, user__isnull=True)
                | models.Q(contact__isnull=True, user__isnull=False),
                name="attendance_contact_or_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=models.Q(contact__isnull=False),
                name="attendance_unique_contact",
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="attendance_unique_user",
            ),
        ]

    def __str__(self):
        return f"{self.person_name} – {self.get_status_display()}"

    @property
    def person_name(self) -> str:
        return str(self.contact if self.contact_id else self.user)


class Decision(ProgramRecord):
    """A decision taken at a meeting, numbered 1, 2, 3 … within the meeting.

    Invariant: ``number`` is unique within the meeting (``decision_unique_number_per_meeting``)
    and assigned by ``partnerships.services.add_decision`` under a lock on the meeting,
    so two people adding decisions at the same moment get consecutive numbers.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("möte")
    )
    number = models.PositiveIntegerField(_("nummer"), editable=False)
    text = models.TextField(_("beslut"), max_length=5000)
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("dagordningspunkt"),
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ansvarig organisation"),
    )

    class Meta:
        db_table = "partnerships_decision"
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="decision_unique_number_per_meeting"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="decision_number_positive"
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"Beslut {self.number}: {text}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#beslut-{self.number}"


class MeetingInvitation(ProgramOwned):
    """That a person was invited to a meeting by e-mail, and when the e-mail went out.

    Invariant: one row per meeting and address (``meeting_invitation_unique_email``), so sending
    the invitations again reaches only the people not yet invited, unless a resend is asked for
    (which clears ``sent_at``). ``sent_at`` is null while the e-mail is queued.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("möte")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("kontaktperson"),
    )
    email = models.EmailField(_("e-post"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("inbjuden av"),
    )
    queued_at = models.DateTimeField(_("köad"), default=timezone.now)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        db_table = "partnerships_meetinginvitation"
        verbose_name = _("mötesinbjudan")
        verbose_name_plural = _("mötesinbjudningar")
        ordering = ["meeting", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="meeting_invitation_unique_email"
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.meeting})"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(ProgramOwned):
    """A private iCalendar subscription URL: a user's own meetings, or all meetings of a place.

    The token is the only key (calendar apps cannot log in), so it is unguessable (256 bits),
    unique, and can be revoked; a revoked feed answers 404. The feed also stops answering when
    its user is no longer a member of the program.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("användare"),
    )
    place = models.ForeignKey(
        "platser.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plats"),
        help_text=_("Tomt: användarens egna möten."),
    )
    token = models.CharField(
        _("nyckel"), max_length=64, unique=True, default=_feed_token, editable=False
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        db_table = "partnerships_calendarfeed"
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(self.place) if self.place_id else str(_("Mina möten"))

    def get_absolute_url(self):
        return reverse("meeting_feed", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
