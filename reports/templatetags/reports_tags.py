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
