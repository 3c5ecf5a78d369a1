"""Reads for meetings: lists, the detail page, attendance by organisation, the people who can
attend or be invited, and the meetings in a calendar feed."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from partnerships.models import Contact, Membership, Organisation, Program, Role
from partnerships.rules import acts_for_assigned_places, membership_place_ids

from .models import AgendaItem, Attendance, CalendarFeed, Decision, Meeting

UPCOMING, PAST, ALL = "kommande", "tidigare", "alla"
#: Meetings held: started by now and not cancelled. What every figure counts as a meeting.
HELD = "genomforda"


def held(meetings: QuerySet[Meeting], period_start=None, period_end=None) -> QuerySet[Meeting]:
    """The meetings of ``meetings`` that were held (started, not cancelled), starting within the
    period if one is given (either end may be open). The one definition of "meetings in the
    period": the dashboard, the meeting list it links to and every report count these."""
    meetings = meetings.filter(starts_at__lte=timezone.now(), cancelled_at__isnull=True)
    if period_start is not None:
        meetings = meetings.filter(starts_at__date__gte=period_start)
    if period_end is not None:
        meetings = meetings.filter(starts_at__date__lte=period_end)
    return meetings


def meeting_list(
    *,
    program: Program,
    place=None,
    kind: str | None = None,
    when: str = UPCOMING,
    period_start=None,
    period_end=None,
) -> QuerySet[Meeting]:
    """The program's meetings, upcoming first by date (or past, newest first), with counts;
    ``HELD`` lists the meetings held (``held``) in the period, newest first."""
    qs = program.meetings.select_related("place", "program").annotate(
        decision_count=Count("decisions", distinct=True),
        agenda_count=Count("agenda_items", distinct=True),
    )
    if place is not None:
        qs = qs.filter(place=place)
    if kind:
        qs = qs.filter(kind=kind)
    if when == HELD:
        return held(qs, period_start, period_end).order_by("-starts_at", "-id")
    if period_start is not None:
        qs = qs.filter(starts_at__date__gte=period_start)
    if period_end is not None:
        qs = qs.filter(starts_at__date__lte=period_end)
    now = timezone.now()
    if when == UPCOMING:
        return qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    if when == PAST:
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return qs.order_by("-starts_at", "-id")


def meetings_for_detail(*, program: Program) -> QuerySet[Meeting]:
    """The program's meetings with agenda, decisions and attendance loaded, for a meeting's
    page."""
    return program.meetings.select_related("place", "program", "created_by").prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "id")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("agenda_item", "responsible_organisation")
            .prefetch_related("measures__place")
            .order_by("number"),
        ),
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("contact", "user", "organisation"),
        ),
    )


@dataclass
class OrganisationAttendance:
    """The attendance of one organisation's people at a meeting."""

    organisation: Organisation | None
    present: list = field(default_factory=list)
    absent: list = field(default_factory=list)
    excused: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.organisation.name if self.organisation else ""


def attendance_by_organisation(meeting: Meeting) -> list[OrganisationAttendance]:
    """The meeting's (prefetched) attendance grouped by organisation, alphabetically, with the
    people without an organisation last."""
    groups: dict = {}
    buckets = {
        Attendance.Status.PRESENT: "present",
        Attendance.Status.ABSENT: "absent",
        Attendance.Status.EXCUSED: "excused",
    }
    for row in meeting.attendances.all():
        group = groups.setdefault(row.organisation_id, OrganisationAttendance(row.organisation))
        getattr(group, buckets[row.status]).append(row)
    for group in groups.values():
        for bucket in buckets.values():
            getattr(group, bucket).sort(key=lambda r: r.person_name.lower())
    return sorted(groups.values(), key=lambda g: (g.organisation is None, g.name.lower()))


@dataclass
class Person:
    """Someone who can attend: a contact of an organisation, or a member of the program."""

    key: str
    name: str
    organisation: Organisation | None
    role: str
    contact: Contact | None = None
    user: object = None


def _contacts_for(meeting: Meeting) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(program=meeting.program_id)
    if meeting.place_id is not None:
        contacts = contacts.filter(organisation__stakeholdings__place=meeting.place_id)
    return contacts.select_related("organisation").distinct().order_by("organisation__name", "name")


def attendance_candidates(meeting: Meeting) -> list[Person]:
    """Everyone whose attendance can be recorded: the contacts of the place's stakeholders
    (every organisation's contacts for a program-wide meeting), then the program's members who
    work with the meeting (coordinators, and place leads and partners of the place) unless they
    are already listed as a contact with the same e-mail address. Anyone already recorded is
    included too, so that a row never disappears from the form."""
    people: OrderedDict[str, Person] = OrderedDict()
    emails = set()
    for contact in _contacts_for(meeting):
        people[f"c{contact.pk}"] = Person(
            f"c{contact.pk}", contact.name, contact.organisation, contact.role, contact=contact
        )
        if contact.email:
            emails.add(contact.email.lower())
    memberships = Membership.objects.filter(program=meeting.program_id).select_related(
        "user", "organisation"
    )
    if meeting.place_id is not None:
        memberships = memberships.filter(
            Q(role=Role.COORDINATOR) | Q(places=meeting.place_id)
        ).distinct()
    for membership in memberships.order_by("user__name", "user__email"):
        if membership.user.email.lower() in emails:
            continue
        user = membership.user
        people[f"u{user.pk}"] = Person(
            f"u{user.pk}",
            str(user),
            membership.organisation,
            membership.get_role_display(),
            user=user,
        )
    for row in meeting.attendances.select_related("contact__organisation", "user", "organisation"):
        key = f"c{row.contact_id}" if row.contact_id else f"u{row.user_id}"
        if key not in people:
            people[key] = Person(
                key, row.person_name, row.organisation, "", contact=row.contact, user=row.user
            )
    return list(people.values())


def invitation_recipients(meeting: Meeting) -> QuerySet[Contact]:
    """The contacts with an e-mail address who are invited to ``meeting``."""
    return _contacts_for(meeting).exclude(email="")


def feed_meetings(feed: CalendarFeed, membership: Membership) -> QuerySet[Meeting]:
    """The meetings a calendar feed publishes.

    A place feed: every meeting of the place. A personal feed: for coordinators and observers
    every meeting of the program; for place leads and partners the meetings at their places and
    the program-wide ones.
    """
    qs = (
        Meeting.objects.filter(program=feed.program_id)
        .select_related("place", "program")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position"))
        )
        .order_by("starts_at", "id")
    )
    if feed.place_id is not None:
        return qs.filter(place=feed.place_id)
    if acts_for_assigned_places(membership):
        places = membership_place_ids(membership)
        qs = qs.filter(Q(place__in=places) | Q(place__isnull=True))
    return qs


def calendar_feeds(*, program: Program, user) -> QuerySet[CalendarFeed]:
    """The user's active calendar links in the program."""
    return CalendarFeed.objects.filter(
        program=program, user=user, revoked_at__isnull=True
    ).select_related("place")
