"""Days and periods as every app counts them."""

import datetime

from django.utils import timezone


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in local time: "by the end of the day" is ``< end_of_day``."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
