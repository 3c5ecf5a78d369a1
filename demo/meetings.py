"""Demo meetings for the pilot places (a step of ``load_demo``).

Every pilot place gets a past styrgruppsmöte with attendance, minutes per agenda item and three
numbered decisions, and an upcoming arbetsgruppsmöte with an agenda; the program with the pilots
also gets one program-wide styrgruppsmöte. Dates are set relative to the day the demo is first
loaded. A meeting is looked up by place and title and left alone when it exists, so a second
run writes nothing. Writes go through the meeting services with the program's demo
coordinator as the actor.
"""

import datetime

from django.utils import timezone
from django_scopes import scope

from meetings.models import Attendance, Meeting
from meetings.services import (
    AgendaEntry,
    AttendanceEntry,
    add_decision,
    record_attendance,
    save_meeting,
    write_minutes,
)
from partnerships.models import Contact, Membership, Organisation, Role

PILOTS = ("avesta", "falun", "sala", "hallstahammar")

STEERING_AGENDA = [
    (
        "Lägesbild från polisen",
        "Kommunpolisen redovisade läget sedan förra mötet: färre larm om ordningsstörningar på "
        "kvällstid, men fortsatt klotter vid gångtunneln.",
    ),
    (
        "Uppföljning av handlingsplanen",
        "Genomgång av åtgärderna i handlingsplanen. De flesta är genomförda eller påbörjade; "
        "belysningen vid busstorget är försenad i väntan på leverans.",
    ),
    (
        "Resultat från trygghetsvandringen",
        "Deltagarna pekade ut mörka partier och skymd sikt vid entréerna. Fynden finns på kartan.",
    ),
    ("Övriga frågor", "Nästa styrgruppsmöte hålls efter årsskiftet."),
]
# Decision text, agenda position, responsible organisation category (first match at the place).
DECISIONS = [
    ("Kommunen byter ut armaturerna vid busstorget före nästa mörkerperiod.", 2, "kommun"),
    (
        "Fastighetsägarna inför en gemensam rutin för klottersanering inom 24 timmar.",
        2,
        "fastighetsagare",
    ),
    (
        "Polisen och kommunen följer upp trygghetsvandringens fynd på nästa arbetsgruppsmöte.",
        3,
        "polis",
    ),
]
WORKING_AGENDA = [
    "Genomgång av fynden från trygghetsvandringen",
    "Fördelning av åtgärder och ansvar",
    "Planering av vinterns aktiviteter",
]
STATUSES = [
    Attendance.Status.PRESENT,
    Attendance.Status.PRESENT,
    Attendance.Status.EXCUSED,
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
]


def load(result) -> None:
    """Add the demo meetings (``result`` is ``demo.places.Result``)."""
    today = timezone.localdate()
    for key in PILOTS:
        place = result.places.get(key)
        if place is None:
            continue
        actor = _coordinator(place.program)
        with scope(program=place.program):
            _held_working_meetings(result, place, actor, today)
            _steering(result, place, actor, today - datetime.timedelta(days=30))
            _working(result, place, actor, today + datetime.timedelta(days=14))
    programs = {result.places[k].program for k in PILOTS if k in result.places}
    for program in programs:
        with scope(program=program):
            _program_wide(
                result, program, _coordinator(program), today + datetime.timedelta(days=35)
            )


def _coordinator(program):
    """The program's first coordinator: the actor of the audit entries."""
    with scope(program=program):
        membership = (
            Membership.objects.filter(program=program, role=Role.COORDINATOR)
            .select_related("user")
            .order_by("pk")
            .first()
        )
    return membership.user if membership else None


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _new(result, *, actor, program, place, kind, title, day, hours, location, agenda):
    """The meeting by place and title, created with its agenda when missing (else None)."""
    if Meeting.objects.filter(program=program, place=place, title=title).exists():
        return None
    meeting = Meeting(
        place=place,
        kind=kind,
        title=title,
        starts_at=_at(day, hours[0]),
        ends_at=_at(day, hours[1]),
        location=location,
    )
    save_meeting(
        actor=actor,
        program=program,
        meeting=meeting,
        agenda=[AgendaEntry(None, title) for title in agenda],
    )
    result.created += 1
    return meeting


def _steering(result, place, actor, day):
    meeting = _new(
        result,
        actor=actor,
        program=place.program,
        place=place,
        kind=Meeting.Kind.STEERING,
        title=f"Styrgruppsmöte {place.name}",
        day=day,
        hours=(13, 15),
        location="Stadshuset, sammanträdesrum Dalälven",
        agenda=[title for title, _minutes in STEERING_AGENDA],
    )
    if meeting is None:
        return
    items = list(meeting.agenda_items.order_by("position"))
    write_minutes(
        actor=actor,
        meeting=meeting,
        minutes={item.pk: text for item, (_t, text) in zip(items, STEERING_AGENDA, strict=True)},
        notes="Mötet leddes av platsansvarig. Protokollet justeras vid nästa möte.",
    )
    contacts = list(
        Contact.objects.filter(organisation__stakeholdings__place=place)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name")
    )
    record_attendance(
        actor=actor,
        meeting=meeting,
        entries=[
            AttendanceEntry(STATUSES[i % len(STATUSES)], contact=contact)
            for i, contact in enumerate(contacts)
        ],
    )
    organisations = list(
        Organisation.objects.filter(stakeholdings__place=place).distinct().order_by("name")
    )
    for text, position, category in DECISIONS:
        responsible = next((o for o in organisations if o.category == category), None)
        add_decision(
            actor=actor,
            meeting=meeting,
            text=text,
            agenda_item=items[position - 1],
            responsible_organisation=responsible,
        )


def _held_working_meetings(result, place, actor, today):
    """The working group met every third month of the program period, from the month after
    the place's baseline (or the period's start): the meetings and attendance a report on the
    period counts."""
    program = place.program
    if not program.period_start or not program.period_end:
        return
    first = max(program.period_start, place.baseline_date or program.period_start)
    day = datetime.date(first.year, first.month, 1) + datetime.timedelta(days=40)
    contacts = list(
        Contact.objects.filter(organisation__stakeholdings__place=place)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name")
    )
    number = 0
    while day <= min(program.period_end, today - datetime.timedelta(days=1)):
        number += 1
        day = day - datetime.timedelta(days=day.weekday())  # the Monday of that week
        meeting = _new(
            result,
            actor=actor,
            program=program,
            place=place,
            kind=Meeting.Kind.WORKING,
            title=f"Arbetsgruppsmöte {number} {place.name}",
            day=day + datetime.timedelta(days=1),  # a Tuesday
            hours=(9, 11),
            location=f"{place.name}, samlingslokalen",
            agenda=WORKING_AGENDA,
        )
        if meeting is not None and contacts:
            record_attendance(
                actor=actor,
                meeting=meeting,
                entries=[
                    AttendanceEntry(STATUSES[(i + number) % len(STATUSES)], contact=contact)
                    for i, contact in enumerate(contacts)
                ],
            )
        day = datetime.date(day.year + (day.month + 2) // 12, (day.month + 2) % 12 + 1, 10)


def _working(result, place, actor, day):
    _new(
        result,
        actor=actor,
        program=place.program,
        place=place,
        kind=Meeting.Kind.WORKING,
        title=f"Arbetsgruppsmöte {place.name}",
        day=day,
        hours=(9, 11),
        location=f"{place.name}, samlingslokalen",
        agenda=WORKING_AGENDA,
    )


def _program_wide(result, program, actor, day):
    _new(
        result,
        actor=actor,
        program=program,
        place=None,
        kind=Meeting.Kind.WORKSHOP,
        title="Erfarenhetsutbyte mellan piloterna",
        day=day,
        hours=(10, 15),
        location="Digitalt (Teams)",
        agenda=[
            "Varje pilot berättar om läget",
            "Vad har fungerat? Vad har inte fungerat?",
            "Gemensam rapportering till finansiären",
        ],
    )
