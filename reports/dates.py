"""Swedish dates and report periods ("1 januari – 31 mars 2026")."""

import datetime

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def swedish_date(day: datetime.date) -> str:
    """``1 januari 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def swedish_period(start: datetime.date, end: datetime.date) -> str:
    """``1 januari – 31 mars 2026``; the year is written once when both ends share it."""
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {swedish_date(end)}"
    return f"{swedish_date(start)} – {swedish_date(end)}"


def last_complete_period(
    frequency: str, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The last whole month (``manad``) or quarter (``kvartal``) that ended before ``today``."""
    first_of_month = today.replace(day=1)
    if frequency == "manad":
        end = first_of_month - datetime.timedelta(days=1)
        return end.replace(day=1), end
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    end = today.replace(month=quarter_start_month, day=1) - datetime.timedelta(days=1)
    start = end.replace(month=end.month - 2, day=1)
    return start, end
