"""Writes for meetings: the meeting and its agenda, attendance, minutes, numbered decisions,
e-mail invitations with an .ics attachment, and calendar feed links.

Every function takes keyword arguments and an explicit ``actor``, runs in one transaction and
writes one audit entry. Rules the forms also check are checked here again, so a service called
from elsewhere (a command, the demo, a test) cannot store a meeting that ends before it starts,
a decision on an agenda item of another meeting or the attendance of another program's contact.
"""

from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import audit
from partnerships.jobs import enqueue_on_commit
from partnerships.models import AuditEntry, Contact, Membership, Organisation, Program
from partnerships.tenancy import cross_program

from . import ical
from .exceptions import MeetingError
from .models import AgendaItem, Attendance, CalendarFeed, Decision, Meeting, MeetingInvitation
from .selectors import invitation_recipients

# Changing these makes calendars replace their copy of the event (iCalendar SEQUENCE).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "location", "place_id", "kind")


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda line as edited: an existing item's id (or None for a new one) and its title."""

    pk: int | None
    title: str


@dataclass(frozen=True)
class AttendanceEntry:
    """One person's attendance: a contact or a user, and a status ("" = not recorded)."""

    status: str
    contact: Contact | None = None
    user: object = None
    organisation: Organisation | None = None


def _check_meeting(program: Program, meeting: Meeting) -> None:
    if meeting.starts_at is None or meeting.ends_at is None:
        raise MeetingError(_("Ange när mötet börjar och slutar."))
    if meeting.ends_at <= meeting.starts_at:
        raise MeetingError(_("Mötet måste sluta efter att det börjar."))
    if meeting.place_id is not None and meeting.place.program_id != program.pk:
        raise MeetingError(_("Platsen hör inte till programmet."))


@transaction.atomic
def save_meeting(
    *, actor, program: Program, meeting: Meeting, agenda: list[AgendaEntry]
) -> Meeting:
    """Create or update ``meeting`` with its agenda in the given order.

    Agenda items are numbered 1, 2, 3 … in list order; existing items keep their id (and so
    their minutes and decisions), items left out are removed. A change of time, place or title
    raises the calendar SEQUENCE.
    """
    _check_meeting(program, meeting)
    creating = meeting._state.adding
    meeting.program = program
    if creating:
        meeting.created_by = actor if actor is not None and actor.is_authenticated else None
        before = {}
    else:
        stored = Meeting._base_manager.get(pk=meeting.pk)
        before = audit.snapshot(stored)
        if any(getattr(stored, f) != getattr(meeting, f) for f in CALENDAR_FIELDS):
            meeting.sequence = stored.sequence + 1
    meeting.save()
    old_titles = (
        []
        if creating
        else list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
    )
    titles = _save_agenda(meeting, agenda)
    after = audit.snapshot(meeting)
    changes = after if creating else audit.diff(before, after)
    changes.pop("updated_at", None)
    if titles != old_titles:
        changes["agenda"] = titles if creating else [old_titles, titles]
    meeting.log_action(
        AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        actor=actor,
        changes=changes,
    )
    return meeting


def _save_agenda(meeting: Meeting, agenda: list[AgendaEntry]) -> list[str]:
    existing = {item.pk: item for item in meeting.agenda_items.all()}
    entries = [e for e in agenda if e.title.strip()]
    unknown = {e.pk for e in entries if e.pk is not None} - existing.keys()
    if unknown:
        raise MeetingError(_("En dagordningspunkt hör inte till mötet."))
    kept = {e.pk for e in entries if e.pk is not None}
    meeting.agenda_items.exclude(pk__in=kept).delete()
    # Two passes so that swapping two items never collides on the unique position.
    offset = 10000
    for pk in kept:
        AgendaItem.objects.filter(pk=pk).update(position=offset + existing[pk].position)
    for position, entry in enumerate(entries, start=1):
        title = entry.title.strip()
        if entry.pk is None:
            AgendaItem.objects.create(
                program_id=meeting.program_id, meeting=meeting, position=position, title=title
            )
        else:
            AgendaItem.objects.filter(pk=entry.pk).update(position=position, title=title)
    return [e.title.strip() for e in entries]


@transaction.atomic
def record_attendance(*, actor, meeting: Meeting, entries: list[AttendanceEntry]) -> None:
    """Set each listed person's attendance; an empty status removes their row.

    Raises ``MeetingError`` (and saves nothing) for a contact or user outside the program.
    """
    member_ids = set(
        Membership.objects.filter(program=meeting.program_id).values_list("user_id", flat=True)
    )
    changes = {}
    for entry in entries:
        if entry.status and entry.status not in Attendance.Status.values:
            raise MeetingError(_("Okänd närvarostatus."))
        if entry.contact is not None:
            if entry.contact.program_id != meeting.program_id:
                raise MeetingError(
                    _("%(name)s hör inte till programmet. Ingen närvaro sparades.")
                    % {"name": entry.contact.name}
                )
            lookup = {"contact": entry.contact}
            organisation_id = entry.contact.organisation_id
            name = entry.contact.name
        elif entry.user is not None:
            if entry.user.pk not in member_ids:
                raise MeetingError(
                    _("%(name)s är inte medlem i programmet. Ingen närvaro sparades.")
                    % {"name": entry.user}
                )
            lookup = {"user": entry.user}
            organisation_id = entry.organisation.pk if entry.organisation else None
            name = str(entry.user)
        else:
            raise MeetingError(_("Ange en person."))
        row = meeting.attendances.filter(**lookup).first()
        if not entry.status:
            if row is not None:
                row.delete()
                changes[name] = [row.status, ""]
            continue
        if row is None:
            Attendance.objects.create(
                program_id=meeting.program_id,
                meeting=meeting,
                organisation_id=organisation_id,
                status=entry.status,
                **lookup,
            )
            changes[name] = ["", entry.status]
        elif row.status != entry.status:
            changes[name] = [row.status, entry.status]
            row.status = entry.status
            row.save(update_fields=["status"])
    meeting.log_action(AuditEntry.Action.UPDATE, actor=actor, changes={"attendance": changes})


SIGNATORY_FIELDS = ("chair", "secretary", "adjuster")


@transaction.atomic
def write_minutes(
    *,
    actor,
    meeting: Meeting,
    minutes: dict[int, str],
    notes: str,
    signatories: dict[str, str] | None = None,
) -> None:
    """Store the minutes of each agenda item (by id), the meeting's general notes and, when
    given, who chaired, kept and adjusts the minutes (``chair``, ``secretary``, ``adjuster``)."""
    items = {item.pk: item for item in meeting.agenda_items.all()}
    if set(minutes) - items.keys():
        raise MeetingError(_("En dagordningspunkt hör inte till mötet."))
    changed = []
    for pk, text in minutes.items():
        item = items[pk]
        if item.minutes != text:
            item.minutes = text
            item.save(update_fields=["minutes"])
            changed.append(item.title)
    if meeting.notes != notes:
        meeting.notes = notes
        meeting.save(update_fields=["notes", "updated_at"])
        changed.append(str(_("Allmänna anteckningar")))
    people = {
        field: " ".join(value.split())
        for field, value in (signatories or {}).items()
        if field in SIGNATORY_FIELDS and getattr(meeting, field) != " ".join(value.split())
    }
    if people:
        for field, value in people.items():
            setattr(meeting, field, value)
        meeting.save(update_fields=[*people, "updated_at"])
        changed.append(str(_("Justering")))
    meeting.log_action(AuditEntry.Action.UPDATE, actor=actor, changes={"minutes": changed})


def _check_decision(meeting, agenda_item, responsible_organisation):
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise MeetingError(_("Dagordningspunkten hör inte till mötet."))
    if (
        responsible_organisation is not None
        and responsible_organisation.program_id != meeting.program_id
    ):
        raise MeetingError(_("Organisationen hör inte till programmet."))


@transaction.atomic
def add_decision(
    *,
    actor,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    responsible_organisation: Organisation | None = None,
) -> Decision:
    """Add the meeting's next numbered decision (1, 2, 3 …).

    The meeting row is locked first, so two decisions added at the same moment are numbered one
    after the other instead of both getting the same number.
    """
    _check_decision(meeting, agenda_item, responsible_organisation)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk").get()
    last = Decision.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0
    decision = Decision.objects.create(
        program_id=meeting.program_id,
        meeting=meeting,
        number=last + 1,
        text=text.strip(),
        agenda_item=agenda_item,
        responsible_organisation=responsible_organisation,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    decision.log_action(
        AuditEntry.Action.CREATE,
        actor=actor,
        changes=audit.snapshot(
            decision, ["number", "text", "agenda_item", "responsible_organisation"]
        ),
    )
    return decision


@transaction.atomic
def update_decision(
    *,
    actor,
    decision: Decision,
    text: str,
    agenda_item: AgendaItem | None = None,
    responsible_organisation: Organisation | None = None,
) -> Decision:
    """Change a decision's text, agenda item or responsible organisation (never its number)."""
    _check_decision(decision.meeting, agenda_item, responsible_organisation)
    fields = ["text", "agenda_item", "responsible_organisation"]
    before = audit.snapshot(decision, fields)
    decision.text = text.strip()
    decision.agenda_item = agenda_item
    decision.responsible_organisation = responsible_organisation
    decision.save(update_fields=fields)
    decision.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(decision, fields)),
    )
    return decision


# --- invitations ------------------------------------------------------------------------------


@transaction.atomic
def invite_to_meeting(*, actor, meeting: Meeting, resend: bool = False) -> int:
    """Queue invitation e-mails to the meeting's contacts with an e-mail address.

    People already invited are skipped unless ``resend`` (e.g. after the time changed), so
    pressing the button twice does not send twice. Returns the number of e-mails queued.
    """
    if meeting.cancelled_at is not None:
        raise MeetingError(_("Mötet är inställt. Ingen inbjudan skickades."))
    invited = {inv.email.lower(): inv for inv in MeetingInvitation.objects.filter(meeting=meeting)}
    now = timezone.now()
    queued = []
    for contact in invitation_recipients(meeting):
        email = contact.email.lower()
        if email in queued:  # two contacts sharing one address get one e-mail
            continue
        existing = invited.get(email)
        if existing is None:
            MeetingInvitation.objects.create(
                program_id=meeting.program_id,
                meeting=meeting,
                contact=contact,
                email=email,
                invited_by=actor,
                queued_at=now,
            )
            queued.append(email)
        elif resend:
            existing.sent_at = None
            existing.queued_at = now
            existing.invited_by = actor
            existing.save(update_fields=["sent_at", "queued_at", "invited_by"])
            queued.append(email)
    if queued:
        meeting.log_action(AuditEntry.Action.OTHER, actor=actor, changes={"invited": queued})
        enqueue_on_commit("meetings.send_meeting_invitations", meeting_id=meeting.pk)
    return len(queued)


@transaction.atomic
def cancel_meeting(*, actor, meeting: Meeting) -> int:
    """Cancel ``meeting``: it stays in the lists marked as cancelled, calendar feeds mark it
    CANCELLED, and everyone who was invited gets a cancellation (METHOD:CANCEL with a higher
    SEQUENCE, so their calendar removes the meeting). The cancellations go out through the
    invitations' own queue, each once. Returns the number of cancellations queued."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.cancelled_at is not None:
        raise MeetingError(_("Mötet är redan inställt."))
    now = timezone.now()
    meeting.cancelled_at = now
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    count = MeetingInvitation.objects.filter(meeting=meeting).update(
        sent_at=None, queued_at=now, invited_by=actor
    )
    meeting.log_action(
        AuditEntry.Action.UPDATE,
        actor=actor,
        changes={"cancelled_at": [None, now.isoformat()]},
    )
    if count:
        enqueue_on_commit("meetings.send_meeting_invitations", meeting_id=meeting.pk)
    return count


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "trygga-platser.invalid"


def _person(user) -> ical.Person | None:
    if user is None or not user.email:
        return None
    return ical.Person(name=user.get_full_name() or user.email, email=user.email)


def _organizer(invitation: MeetingInvitation) -> ical.Person:
    """Who replies go to: the person who sent the invitation, else the site's sender."""
    person = _person(invitation.invited_by)
    if person is None:
        name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
        person = ical.Person(name=name, email=email)
    return person


def meeting_event(meeting: Meeting, *, invitation: MeetingInvitation | None = None) -> ical.Event:
    """The meeting as an iCalendar event (agenda items must be loaded or loadable); for an
    e-mailed ``invitation`` with its organizer and the invited person as attendee."""
    lines = [str(meeting.get_kind_display())]
    lines.append(str(meeting.place) if meeting.place_id else _("Hela programmet"))
    agenda = [item.title for item in meeting.agenda_items.all()]
    if agenda:
        lines += ["", _("Dagordning:")] + [f"{i}. {t}" for i, t in enumerate(agenda, start=1)]
    url = settings.SITE_URL + meeting.get_absolute_url()
    lines += ["", url]
    return ical.Event(
        uid=f"meeting-{meeting.pk}@{_site_host()}",
        start=meeting.starts_at,
        end=meeting.ends_at,
        stamp=meeting.updated_at or timezone.now(),
        summary=meeting.title,
        location=meeting.location,
        description="\n".join(lines),
        url=url,
        sequence=meeting.sequence,
        cancelled=meeting.cancelled_at is not None,
        organizer=_organizer(invitation) if invitation else None,
        attendees=(
            (ical.Person(name=invitation.contact.name, email=invitation.email),)
            if invitation
            else ()
        ),
    )


def meeting_ics(meeting: Meeting) -> str:
    return ical.calendar([meeting_event(meeting)])


def invitation_ics(meeting: Meeting, invitation: MeetingInvitation) -> str:
    """The calendar file e-mailed to one invited person: a REQUEST their calendar can answer,
    or a CANCEL once the meeting is cancelled."""
    method = "CANCEL" if meeting.cancelled_at is not None else "REQUEST"
    return ical.calendar([meeting_event(meeting, invitation=invitation)], method=method)


def deliver_meeting_invitations(*, meeting: Meeting) -> int:
    """Send the queued invitation e-mails of ``meeting``, one per address, each marked sent.

    Each row is locked while its e-mail goes out, so a task running twice at the same moment
    cannot send it twice. Returns the number sent.
    """
    meeting = (
        Meeting.objects.select_related("place", "program")
        .prefetch_related("agenda_items")
        .get(pk=meeting.pk)
    )
    pending = list(
        MeetingInvitation.objects.filter(meeting=meeting, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    sent = 0
    for pk in pending:
        with transaction.atomic():
            invitation = (
                MeetingInvitation.objects.select_for_update(of=("self",))
                .select_related("contact", "invited_by")
                .filter(pk=pk)
                .first()
            )
            if invitation is None or invitation.sent_at is not None:
                continue
            _send_invitation(meeting, invitation)
            invitation.sent_at = timezone.now()
            invitation.save(update_fields=["sent_at"])
            sent += 1
    return sent


def _send_invitation(meeting: Meeting, invitation: MeetingInvitation) -> None:
    cancelled = meeting.cancelled_at is not None
    context = {
        "meeting": meeting,
        "program": meeting.program,
        "invitation": invitation,
        "url": settings.SITE_URL + meeting.get_absolute_url(),
    }
    if cancelled:
        subject = _("Inställt: %(title)s") % {"title": meeting.title}
        template = "meetings/email/meeting_cancelled.txt"
    else:
        subject = _("Inbjudan: %(title)s") % {"title": meeting.title}
        template = "meetings/email/meeting_invitation.txt"
    message = EmailMessage(
        subject=subject, body=render_to_string(template, context), to=[invitation.email]
    )
    method = "CANCEL" if cancelled else "REQUEST"
    message.attach(
        "mote.ics",
        invitation_ics(meeting, invitation),
        f"text/calendar; charset=utf-8; method={method}",
    )
    message.send()


# --- calendar feeds ---------------------------------------------------------------------------


@transaction.atomic
def create_calendar_feed(*, actor, program: Program, place=None) -> CalendarFeed:
    """A new calendar link for ``actor`` (their meetings, or a place's); an earlier active link
    for the same thing is revoked, so "create new" also retires the old URL."""
    if place is not None and place.program_id != program.pk:
        raise MeetingError(_("Platsen hör inte till programmet."))
    for old in CalendarFeed.objects.filter(
        program=program, user=actor, place=place, revoked_at__isnull=True
    ):
        revoke_calendar_feed(actor=actor, feed=old)
    feed = CalendarFeed.objects.create(program=program, user=actor, place=place)
    feed.log_action(AuditEntry.Action.CREATE, actor=actor, changes={"place": str(place or "")})
    return feed


@transaction.atomic
def revoke_calendar_feed(*, actor, feed: CalendarFeed) -> None:
    """Stop a calendar link from working (it answers 404 from now on)."""
    if feed.revoked_at is not None:
        return
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    feed.log_action(
        AuditEntry.Action.UPDATE, actor=actor, changes={"revoked_at": [None, str(feed.revoked_at)]}
    )


def find_calendar_feed(token: str) -> tuple[CalendarFeed, Membership] | None:
    """The active feed with ``token`` and its owner's membership, or None.

    A calendar app has only the token, so this lookup cannot be scoped; it reads one feed by an
    exact 43-character random token, and the owner's membership in that feed's program.
    """
    if not token or len(token) > 64:
        return None
    with cross_program("calendar-feed"):
        feed = (
            CalendarFeed.objects.select_related("program", "place", "user")
            .filter(token=token, revoked_at__isnull=True)
            .first()
        )
        if feed is None:
            return None
        membership = Membership.objects.filter(program=feed.program, user=feed.user).first()
    if membership is None or not feed.user.is_active:
        return None
    membership.program = feed.program
    return feed, membership


def feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + reverse("meeting_feed", kwargs={"token": feed.token})
