"""Demo data: 36 months of incident counts per pilot place and standard category, in the place,
its buffer (the default 200 m ring) and its comparison area (the rest of the municipality).

A step of ``manage.py load_demo``. The last 12 months are the "after" window of the follow-up:
Avesta shows a clear reduction (RES interval above 1), Falun a reduction that moved into its
buffer (displacement, WDQ below 0), Sala no change. The numbers are made up but deterministic.
Idempotent: a place that already has counts is left as it is.
"""

from django.utils import timezone
from django_scopes import scope

from platser.followup import add_months
from platser.incidents import ensure_standard_categories
from platser.models import AreaKind, IncidentCategory, IncidentCount, IncidentSource, PlaceAreas

from .places import Result

MONTHS = 36
# Monthly incidents in the place before the measures, per standard category.
BASE = {
    "misshandel": 3, "ran": 1, "skadegorelse": 6, "klotter": 5, "narkotikabrott": 2,
    "ordningsstorning": 4, "stold": 7, "trafik": 3, "annat": 2,
}  # fmt: skip
# (target, buffer, comparison) factors in the last 12 months.
STORIES = {
    "avesta": (0.5, 1.0, 1.0),  # a clear reduction
    "falun": (0.5, 1.7, 1.0),  # displacement into the buffer
    "sala": (1.0, 1.0, 1.0),  # no change
}
SHARES = {AreaKind.TARGET: 1.0, AreaKind.BUFFER: 0.6, AreaKind.COMPARISON: 8.0}


def _noise(i: int, j: int, k: int) -> int:
    return (i * 37 + j * 11 + k * 5) % 5 - 2


def load(result: Result) -> None:
    last = add_months(timezone.localdate().replace(day=1), -1)
    first = add_months(last, -(MONTHS - 1))
    for key, factors in STORIES.items():
        place = result.places.get(key)
        if place is None:
            continue
        with scope(program=place.program):
            if IncidentCount.objects.filter(place=place).exists():
                continue
            ensure_standard_categories(place.program)
            PlaceAreas.objects.get_or_create(place=place, defaults={"program": place.program})
            categories = {c.code: c for c in IncidentCategory.objects.filter(program=place.program)}
            rows = []
            for i in range(MONTHS):
                month = add_months(first, i)
                after = i >= MONTHS - 12
                for j, (code, base) in enumerate(BASE.items()):
                    for k, (area, share) in enumerate(SHARES.items()):
                        factor = factors[k] if after else 1.0
                        value = round(base * share * factor) + _noise(i, j, k)
                        rows.append(
                            IncidentCount(
                                program=place.program,
                                place=place,
                                month=month,
                                area=area,
                                category=categories[code],
                                source=IncidentSource.POLICE,
                                count=max(value, 0),
                            )
                        )
            IncidentCount.objects.bulk_create(rows)
            result.created += len(rows)
