"""Template filters for meetings: the time written the Swedish way."""

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def swedish_datetime(value) -> str:
    """``25 november 2026 kl. 13.00`` in the site's time zone and language."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return formats.date_format(value, r"j F Y \k\l. H.i")


@register.filter
def meeting_time(meeting) -> str:
    """``25 november 2026 kl. 13.00–15.00`` (the end date too when the meeting spans days)."""
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{swedish_datetime(start)}–{formats.date_format(end, 'H.i')}"
    return f"{swedish_datetime(start)} – {swedish_datetime(end)}"
