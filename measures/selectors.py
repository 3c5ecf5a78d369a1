"""Reads for the action plan, activities and co-financing."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnerships.models import Organisation, Program
from partnerships.periods import end_of_day
from platser.models import Place

from .models import CLOSED_STATUSES, STATUS_GROUPS, Activity, Measure, MeasureStatusChange, Status

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))

#: Vinnova's ceiling for personnel costs (domain-research §5.1): co-financing hours are valued at
#: the program's hourly rate, but never above this.
HOURLY_CEILING = Decimal("800")


def hourly_rate(program: Program) -> tuple[Decimal, bool]:
    """The rate co-financing hours are valued at (the program's, capped at Vinnova's ceiling)
    and whether the cap applied. Every page and report values hours with this."""
    rate = program.hourly_rate or Decimal("0")
    if rate > HOURLY_CEILING:
        return HOURLY_CEILING, True
    return rate, False


def measures_as_of(
    measures: QuerySet[Measure], day: datetime.date, *, today: datetime.date | None = None
) -> QuerySet[Measure]:
    """``measures`` as they stood at the end of ``day``: only those that existed then, each with
    ``status_then``, its status at that moment from the status history. From today on it is
    today's state (``status_then`` is the status), without reading the history.

    A measure exists from its first history row (written when it is created); one without any
    history (made before the history was kept) from its ``created_at``.
    """
    today = today or timezone.localdate()
    if day >= today:
        return measures.annotate(status_then=F("status"))
    until = end_of_day(day)
    history = MeasureStatusChange.objects.filter(measure=OuterRef("pk"))
    before = history.filter(at__lt=until)
    return measures.annotate(
        status_then=Coalesce(
            Subquery(before.order_by("-at", "-pk").values("to_status")[:1]), F("status")
        )
    ).filter(Exists(before) | (~Exists(history) & Q(created_at__lt=until)))


def action_plan(
    *,
    place: Place,
    status: str | None = None,
    category: str | None = None,
    organisation: int | None = None,
    overdue: bool = False,
    as_of: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Measure]:
    """The measures of ``place`` with the filters of the action-plan page, ready for a table.

    ``as_of`` (a past day) shows the plan as it stood at the end of that day
    (``measures_as_of``): the measures that existed, filtered on their status then, overdue
    counted on that day. Each row carries ``status_then`` either way."""
    today = today or timezone.localdate()
    day = min(as_of, today) if as_of else today
    measures = measures_as_of(
        Measure.objects.filter(place=place).select_related("responsible", "program"),
        day,
        today=today,
    )
    if status in STATUS_GROUPS:
        measures = measures.filter(status_then__in=STATUS_GROUPS[status][1])
    elif status:
        measures = measures.filter(status_then=status)
    if category:
        measures = measures.filter(category=category)
    if organisation:
        measures = measures.filter(Q(responsible_id=organisation) | Q(contributors=organisation))
        measures = measures.distinct()
    if overdue:
        measures = overdue_filter(measures, today=day, field="status_then")
    return measures.order_by("planned_end", "pk")


def overdue_filter(
    measures: QuerySet[Measure], *, today: datetime.date | None = None, field: str = "status"
):
    """Measures whose planned end has passed while they are neither done nor cancelled
    (``field`` names the status to judge: ``status_then`` for a plan as of a past day)."""
    today = today or timezone.localdate()
    return measures.filter(planned_end__lt=today).exclude(**{f"{field}__in": CLOSED_STATUSES})


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


def plan_share(
    *,
    place: Place | None = None,
    measures: QuerySet[Measure] | None = None,
    as_of: datetime.date | None = None,
) -> Share:
    """``Share`` for the measures of ``place`` (or the given queryset), in one query; as they
    stood at the end of ``as_of`` if given (``measures_as_of``)."""
    if measures is None:
        measures = Measure.objects.filter(place=place)
    if as_of is not None:
        measures = measures_as_of(measures, as_of)
        field = "status_then"
    else:
        field = "status"
    counts = measures.exclude(**{field: Status.CANCELLED}).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(**{field: Status.DONE})),
        ongoing=Count("pk", filter=Q(**{field: Status.ONGOING})),
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


def activity_list(
    *,
    place: Place,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> QuerySet[Activity]:
    """A place's activities (for dates within the period, if one is given), newest first,
    with what the list shows."""
    return (
        activities_in_period(place.program, period_start, period_end)
        .filter(place=place)
        .select_related("organisation", "measure", "created_by")
    )


def activities_in_period(
    program: Program,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    *,
    places=None,
) -> QuerySet[Activity]:
    """The activities logged for dates within the period (either end may be open), at the
    given places if any. The one definition of "the period's activities": the dashboard, the
    lists, co-financing and every report count these."""
    activities = Activity.objects.filter(program=program)
    if period_start is not None:
        activities = activities.filter(date__gte=period_start)
    if period_end is not None:
        activities = activities.filter(date__lte=period_end)
    if places is not None:
        activities = activities.filter(place__in=places)
    return activities


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


def cofinancing(
    *,
    program: Program,
    place: Place | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Cofinancing:
    """Hours and costs logged as activities in the period, summed per organisation, per place
    and both; hours valued at ``hourly_rate`` (the in-kind co-financing)."""
    activities = activities_in_period(
        program, period_start, period_end, places=[place.pk] if place else None
    )
    rate, _capped = hourly_rate(program)
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
