"""A small iCalendar (RFC 5545) writer for meeting invitations and calendar feeds.

Only what meetings need: one VCALENDAR with VEVENTs carrying UID, DTSTAMP, DTSTART/DTEND in
UTC, SEQUENCE, STATUS, SUMMARY, LOCATION, DESCRIPTION, URL, and for an invitation by e-mail
(iTIP/iMIP, RFC 5546 and 6047) ORGANIZER and ATTENDEE: a calendar then offers to accept or
decline a METHOD:REQUEST, replaces the copy it has when SEQUENCE grows, and removes it on a
METHOD:CANCEL. Feeds are METHOD:PUBLISH without attendees. Text values are escaped (backslash,
semicolon, comma, newline) and every content line is folded at 75 octets without splitting a
UTF-8 character, with CRLF line ends (RFC 5545 §3.1, §3.3.11). Writing these few lines ourselves
is smaller than a dependency and keeps the output exactly as tested.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Trygga platser//Möten//SV"


@dataclass(frozen=True)
class Person:
    """An ORGANIZER or ATTENDEE: a name and an e-mail address."""

    name: str
    email: str

    def address(self, prop: str, *params: str) -> str:
        # A parameter value may not hold a DQUOTE; quoted, it may hold ; : and , (§3.2).
        name = " ".join(self.name.replace('"', "").split())
        cn = f';CN="{name}"' if name else ""
        extra = "".join(f";{p}" for p in params)
        return f"{prop}{cn}{extra}:mailto:{self.email}"


@dataclass(frozen=True)
class Event:
    """One VEVENT. ``start``, ``end`` and ``stamp`` are aware datetimes."""

    uid: str
    start: datetime.datetime
    end: datetime.datetime
    stamp: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()


def escape_text(value: str) -> str:
    """Escape a TEXT value: ``\\`` ``;`` ``,`` and newlines (CR is dropped)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line into CRLF-separated pieces of at most 75 octets each.

    Continuation lines start with a space, which counts towards their 75 octets; a multi-byte
    UTF-8 character is never split.
    """
    pieces = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc(value: datetime.datetime) -> str:
    """``20261125T120000Z``: a DATE-TIME in UTC."""
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc(event.stamp)}",
        f"DTSTART:{utc(event.start)}",
        f"DTEND:{utc(event.end)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.organizer is not None:
        lines.append(event.organizer.address("ORGANIZER"))
    for attendee in event.attendees:
        status = "" if event.cancelled else "PARTSTAT=NEEDS-ACTION"
        lines.append(
            attendee.address(
                "ATTENDEE",
                "CUTYPE=INDIVIDUAL",
                "ROLE=REQ-PARTICIPANT",
                *([status, "RSVP=TRUE"] if status else []),
            )
        )
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str = "", method: str = "PUBLISH") -> str:
    """A whole VCALENDAR as a string with CRLF line ends. ``method`` is PUBLISH (a feed, a
    download), REQUEST (an invitation) or CANCEL (a cancellation)."""
    if method not in ("PUBLISH", "REQUEST", "CANCEL"):
        raise ValueError(method)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        lines += [
            f"X-WR-CALNAME:{escape_text(name)}",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
        ]
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
