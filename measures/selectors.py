"""Reads for the action plan, activities and co-financing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerships.models import Organisation, Program
from platser.models import Place

from .models import CLOSED_STATUSES, STATUS_GROUPS, Activity, Measure, Status

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def action_plan(
    *,
    place: Place,
    status: str | None = None,
    category: str | None = None,
    organisation: int | None = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Measure]:
    """The measures of ``place`` with the filters of the action-plan page, ready for a table."""
    measures = Measure.objects.filter(place=place).select_related("responsible", "program")
    if status in STATUS_GROUPS:
        measures = measures.filter(status__in=STATUS_GROUPS[status][1])
    elif status:
        measures = measures.filter(status=status)
    if category:
        measures = measures.filter(category=category)
    if organisation:
        measures = measures.filter(Q(responsible_id=organisation) | Q(contributors=organisation))
        measures = measures.distinct()
    if overdue:
        measures = overdue_filter(measures, today=today)
    return measures.order_by("planned_end", "pk")


def overdue_filter(measures: QuerySet[Measure], *, today: datetime.date | None = None):
    """Measures whose planned end has passed while they are neither done nor cancelled."""
    today = today or timezone.localdate()
    return measures.filter(planned_end__lt=today).exclude(status__in=CLOSED_STATUSES)


@dataclass(frozen=True)
class Share:
    """The pilots' headline: measures done or started out of all not cancelled."""

    done_or_started: int
    total: int
    done: int
    ongoing: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_or_started / self.total) if self.total else 0


def plan_share(*, place: Place | None = None, measures: QuerySet[Measure] | None = None) -> Share:
    """``Share`` for the measures of ``place`` (or the given queryset), in one query."""
    if measures is None:
        measures = Measure.objects.filter(place=place)
    counts = measures.exclude(status=Status.CANCELLED).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Status.DONE)),
        ongoing=Count("pk", filter=Q(status=Status.ONGOING)),
    )
    return Share(
        done_or_started=counts["done"] + counts["ongoing"],
        total=counts["total"],
        done=counts["done"],
        ongoing=counts["ongoing"],
    )


def measures_for_detail(*, program: Program) -> QuerySet[Measure]:
    """The measures of ``program`` with what a measure's page shows."""
    return (
        Measure.objects.filter(program=program)
        .select_related("place", "responsible", "created_by", "program")
        .prefetch_related("contributors")
    )


def activity_list(*, place: Place) -> QuerySet[Activity]:
    """A place's activities, newest first, with what the list shows."""
    return Activity.objects.filter(place=place).select_related(
        "organisation", "measure", "created_by"
    )


def place_measures_for_activity(*, place: Place) -> QuerySet[Measure]:
    """The measures an activity at ``place`` may belong to (not cancelled)."""
    return Measure.objects.filter(place=place).exclude(status=Status.CANCELLED).order_by("title")


def _sums(activities: QuerySet[Activity], *keys: str) -> list[dict]:
    return list(
        activities.values(*keys)
        .annotate(
            hours=Coalesce(Sum("hours"), ZERO), cost=Coalesce(Sum("cost"), ZERO), count=Count("pk")
        )
        .order_by(*keys)
    )


@dataclass
class Cofinancing:
    by_organisation: list[dict]
    by_place: list[dict]
    by_organisation_and_place: list[dict]
    hours: Decimal
    cost: Decimal
    value: Decimal
    rate: Decimal


def cofinancing(*, program: Program, place: Place | None = None) -> Cofinancing:
    """Hours and costs logged as activities, summed per organisation, per place and both; hours
    valued at the program's hourly rate (the in-kind co-financing)."""
    activities = Activity.objects.filter(program=program)
    if place is not None:
        activities = activities.filter(place=place)
    rate = program.hourly_rate
    by_org = _sums(activities, "organisation__name")
    by_place = _sums(activities, "place__name")
    both = _sums(activities, "organisation__name", "place__name")
    for row in (*by_org, *by_place, *both):
        row["value"] = row["hours"] * rate
        row["total"] = row["value"] + row["cost"]
    hours = sum((r["hours"] for r in by_org), Decimal("0"))
    cost = sum((r["cost"] for r in by_org), Decimal("0"))
    return Cofinancing(by_org, by_place, both, hours, cost, hours * rate, rate)


def overdue_by_organisation(
    *, program: Program, today: datetime.date | None = None
) -> dict[Organisation, list[Measure]]:
    """Overdue measures of the program grouped by responsible organisation (for the digest)."""
    grouped: dict[Organisation, list[Measure]] = {}
    measures = overdue_filter(Measure.objects.filter(program=program), today=today)
    for measure in measures.select_related("responsible", "place", "program").order_by(
        "responsible__name", "planned_end"
    ):
        grouped.setdefault(measure.responsible, []).append(measure)
    return grouped
