"""Template filters for reports: Swedish dates whatever the active language."""

import datetime

from django import template
from django.utils import timezone

from reports.dates import swedish_date

register = template.Library()


@register.filter
def sv_date(value) -> str:
    """``1 januari 2026`` for a date or (local) datetime."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return swedish_date(value) if value else ""


@register.filter
def pairs(items) -> list[tuple]:
    """A long list as rows of two: the first half down the left, the second down the right
    (the timeline's 36 months in 18 rows of a PDF table)."""
    items = list(items)
    half = (len(items) + 1) // 2
    left, right = items[:half], items[half:]
    return [(a, right[i]) if i < len(right) else (a,) for i, a in enumerate(left)]
