"""A small iCalendar (RFC 5545) writer for meeting invitations and calendar feeds.

Only what meetings need: one VCALENDAR with VEVENTs carrying UID, DTSTAMP, DTSTART/DTEND in
UTC, SEQUENCE, SUMMARY, LOCATION, DESCRIPTION and URL. Text values are escaped (backslash,
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
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str = "") -> str:
    """A whole VCALENDAR (METHOD:PUBLISH) as a string with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
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
