"""Reads for reports and the county dashboard.

``place_summaries`` computes every headline figure of every place of a program for a period with
a constant number of queries (one aggregate per kind of data, grouped by place), so a report
with 20 places and the dashboard with 1,450 cost the same number of round trips.

The other apps' data is read through the ORM relations from the program (their selectors work
per place; a grouped read over all places is the reports' own job). Every figure tolerates an
app that has no rows yet: a place without meetings simply shows zeros.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from measures.models import CLOSED_STATUSES, Measure, MeasurePhoto
from measures.models import Category as MeasureCategory
from measures.models import Status as MeasureStatus
from measures.selectors import activities_in_period, hourly_rate, measures_as_of
from meetings.models import Attendance, Decision, Meeting
from meetings.selectors import held
from partnerships.models import OrganisationCategory, Program
from partnerships.periods import end_of_day
from platser.models import Finding, Place, Stakeholder
from platser.selectors import closed_by, findings_as_of
from surveys.results import headline, safety_indexes
from surveys.stats import Change, change, percent

from .models import Report

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass
class SafetyIndex:
    """The safety index (``surveys.results.safety``) of one survey at one place, as the report
    and the dashboard show it: the published share, rounded once for display."""

    wave: int
    respondents: int
    percent: int | None  # None when suppressed (too few respondents)
    low: float | None = None  # 95 % interval of the share, for the chart's whiskers
    high: float | None = None
    share: object = None  # the unrounded surveys.stats.Share
    title: str = ""


@dataclass
class PlaceSummary:
    """The headline figures of one place for a period (report summary and dashboard row)."""

    place: Place | None  # None while only the figures are known (``place_figures``)
    stakeholders_by_category: dict[str, int] = field(default_factory=dict)
    stakeholders: int = 0
    meetings: int = 0
    registered: int = 0  # attendance rows at the meetings held (present, absent or excused)
    attendances: int = 0  # of them present
    organisations_attending: int = 0
    measures_total: int = 0  # not cancelled
    measures_planned: int = 0  # proposed or planned
    measures_ongoing: int = 0
    measures_done: int = 0
    measures_overdue: int = 0
    measures_done_in_period: int = 0
    activities: int = 0
    hours: Decimal = Decimal("0")
    cost: Decimal = Decimal("0")
    findings_open: int = 0
    findings_closed: int = 0
    findings_new: int = 0
    baseline: SafetyIndex | None = None
    latest: SafetyIndex | None = None
    index_points: list = field(default_factory=list)  # surveys.results.IndexPoint, by wave
    change: Change | None = None  # from the unrounded shares

    def set_index_points(self, points: list, today: datetime.date | None = None) -> None:
        """The place's safety index points: baseline and follow-up chosen from them as on
        every page (``surveys.results.headline``)."""
        self.index_points = points
        baseline, latest = baseline_and_latest(points, today)
        self.baseline = _index(baseline) if baseline else None
        self.latest = _index(latest) if latest else None
        self.change = None
        if baseline and latest and baseline.share and latest.share:
            self.change = change(baseline.share, latest.share)

    @property
    def share_done_or_started(self) -> int:
        """Percent of the (not cancelled) measures that are done or started."""
        if not self.measures_total:
            return 0
        return round(100 * (self.measures_done + self.measures_ongoing) / self.measures_total)

    @property
    def stakeholder_categories(self) -> list[tuple[str, int]]:
        """(Swedish category label, count) in the categories' own order, zeros left out."""
        return [
            (label, self.stakeholders_by_category[value])
            for value, label in OrganisationCategory.choices
            if self.stakeholders_by_category.get(value)
        ]

    @property
    def index_change(self) -> int | None:
        """Percentage points from the baseline to the follow-up, computed from the unrounded
        shares and rounded once (None if unknown)."""
        if self.change is None or self.change.diff is None:
            return None
        return int(percent(self.change))


def baseline_and_latest(points: list, today: datetime.date | None = None) -> tuple:
    """The baseline and the follow-up among a place's index points, chosen as everywhere
    (``surveys.results.headline``: closed surveys, same target group and main question)."""
    chosen = headline(points, today=today)
    return chosen.baseline, chosen.follow_up


def _index(point) -> SafetyIndex:
    share = point.share
    return SafetyIndex(
        wave=point.wave,
        respondents=share.n if share else 0,
        percent=int(percent(share)) if share and share.p is not None else None,
        low=share.low if share else None,
        high=share.high if share else None,
        share=share,
        title=point.survey.title,
    )


def report_places(
    *,
    program: Program,
    place: Place | None = None,
    existing_on: datetime.date | None = None,
) -> QuerySet[Place]:
    """The places a report covers: one place, or every place of the program not archived;
    with ``existing_on``, only those created by the end of that day (a report on a period
    leaves out the places that did not exist yet: ``places_made_after`` names them)."""
    places = Place.objects.filter(program=program).select_related("municipality")
    if existing_on is not None:
        places = places.filter(created_at__lt=end_of_day(existing_on))
    if place is not None:
        return places.filter(pk=place.pk)
    return places.active().order_by("municipality__name", "name")


def places_made_after(program: Program, day: datetime.date) -> list[Place]:
    """The active places created after ``day``: left out of a report on a period ending then."""
    return list(
        Place.objects.filter(program=program, created_at__gte=end_of_day(day))
        .active()
        .select_related("municipality")
        .order_by("created_at", "name")
    )


def _by_place(rows, key="place"):
    return {row[key]: row for row in rows}


def place_summaries(
    program: Program,
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    place: Place | None = None,
    places: list[Place] | None = None,
    today: datetime.date | None = None,
    surveys: Q | None = None,
) -> list[PlaceSummary]:
    """One ``PlaceSummary`` per place of ``program`` (or just ``place``) for the period.

    Status figures (planned, ongoing, done, overdue, open findings) are the state at the end of
    the period (today's while it runs; measures from their status history, as the action plan
    ``?per=`` shows them), of the places that existed by then; flows (meetings, activities,
    hours, measures done, new findings) count what happened within the period. The safety index
    (``surveys.results``) compares the nollmätning (wave 0) with the latest closed follow-up
    that opened by the end of the period (``surveys.results.headline``). At most fifteen
    queries (the places, five aggregates, and up to nine for the safety index with its
    snapshots), whatever the number of places. ``places`` may be given when the caller has
    loaded them already (in ``report_places`` order; the dashboard loads them without their
    boundaries).
    """
    if places is None:
        places = list(report_places(program=program, place=place, existing_on=period_end))
    figures = place_figures(
        program,
        period_start,
        period_end,
        [p.pk for p in places],
        whole_program=place is None,
        today=today,
        surveys=surveys,
    )
    for p in places:
        figures[p.pk].place = p
    return [figures[p.pk] for p in places]


def place_figures(
    program: Program,
    period_start: datetime.date,
    period_end: datetime.date,
    ids: list[int],
    *,
    whole_program: bool,
    today: datetime.date | None = None,
    surveys: Q | None = None,
) -> dict[int, PlaceSummary]:
    """The figures of ``place_summaries`` by place id, without the places themselves
    (``PlaceSummary.place`` is None): plain numbers, cheap to keep in a cache.

    ``whole_program`` says that ``ids`` are all the program's active places: the aggregates
    then filter by program alone (every row carries it), which is cheaper than joining the
    places or sending 1,450 ids, and rows of archived places are skipped here.
    """
    today = today or timezone.localdate()
    overdue_before = min(today, period_end)
    summaries = {pk: PlaceSummary(place=None) for pk in ids}
    if not ids:
        return summaries
    in_scope = Q(program=program) if whole_program else Q(program=program, place__in=ids)

    def rows_of(queryset):
        """The aggregate's rows with the summary they belong to (other places' left out)."""
        for row in queryset.order_by():
            summary = summaries.get(row["place"])
            if summary is not None:
                yield summary, row

    active_stakeholders = Stakeholder.objects.filter(in_scope).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=period_end),
        Q(left_on__isnull=True) | Q(left_on__gte=period_start),
    )
    for summary, row in rows_of(
        active_stakeholders.values("place", "organisation__category").annotate(
            n=Count("organisation", distinct=True)
        )
    ):
        summary.stakeholders_by_category[row["organisation__category"]] = row["n"]
        summary.stakeholders += row["n"]

    meetings = held(Meeting.objects.filter(in_scope), period_start, period_end)
    present = Q(attendances__status=Attendance.Status.PRESENT)
    for summary, row in rows_of(
        meetings.values("place").annotate(
            n_meetings=Count("pk", distinct=True),
            n_registered=Count("attendances"),
            n_present=Count("attendances", filter=present),
            n_organisations=Count("attendances__organisation", filter=present, distinct=True),
        )
    ):
        summary.meetings = row["n_meetings"]
        summary.registered = row["n_registered"]
        summary.attendances = row["n_present"]
        summary.organisations_attending = row["n_organisations"]

    # Statuses as they stood at the end of the period (today's while it runs).
    not_cancelled = ~Q(status_then=MeasureStatus.CANCELLED)
    for summary, row in rows_of(
        measures_as_of(Measure.objects.filter(in_scope), period_end, today=today)
        .values("place")
        .annotate(
            total=Count("pk", filter=not_cancelled),
            planned=Count(
                "pk", filter=Q(status_then__in=[MeasureStatus.PROPOSED, MeasureStatus.PLANNED])
            ),
            ongoing=Count("pk", filter=Q(status_then=MeasureStatus.ONGOING)),
            done=Count("pk", filter=Q(status_then=MeasureStatus.DONE)),
            overdue=Count(
                "pk",
                filter=Q(planned_end__lt=overdue_before) & ~Q(status_then__in=CLOSED_STATUSES),
            ),
            done_in_period=Count(
                "pk",
                filter=Q(
                    status_then=MeasureStatus.DONE,
                    actual_end__gte=period_start,
                    actual_end__lte=period_end,
                ),
            ),
        )
    ):
        summary.measures_total = row["total"]
        summary.measures_planned = row["planned"]
        summary.measures_ongoing = row["ongoing"]
        summary.measures_done = row["done"]
        summary.measures_overdue = row["overdue"]
        summary.measures_done_in_period = row["done_in_period"]

    for summary, row in rows_of(
        activities_in_period(program, period_start, period_end)
        .filter(in_scope)
        .values("place")
        .annotate(
            n=Count("pk"), hours=Coalesce(Sum("hours"), ZERO), cost=Coalesce(Sum("cost"), ZERO)
        )
    ):
        summary.activities = row["n"]
        summary.hours = row["hours"]
        summary.cost = row["cost"]

    # Findings as at the end of the period (``platser.selectors.findings_as_of``).
    closed_then = closed_by(period_end)
    for summary, row in rows_of(
        findings_as_of(Finding.objects.filter(in_scope), period_end)
        .values("place")
        .annotate(
            open=Count("pk", filter=~closed_then),
            closed=Count("pk", filter=closed_then),
            new=Count(
                "pk", filter=Q(created_at__date__gte=period_start, created_at__date__lte=period_end)
            ),
        )
    ):
        summary.findings_open = row["open"]
        summary.findings_closed = row["closed"]
        summary.findings_new = row["new"]

    # The surveys app's index (defined once, published through the same protected tables as
    # the results page), of closed surveys only: an open one is never a headline. A constant
    # number of queries for any number of places.
    indexes = safety_indexes(
        ids,
        surveys=Q(opens_on__lte=period_end, closes_on__lt=today) & (surveys or Q()),
        today=today,
    )
    for place_id, points in indexes.items():
        summaries[place_id].set_index_points(points, today)
    return summaries


@dataclass
class Totals:
    """Sums over the places of a report, with the co-financing value of the hours."""

    places: int
    measures_total: int
    measures_done: int
    measures_ongoing: int
    measures_planned: int
    measures_overdue: int
    measures_done_in_period: int
    meetings: int
    attendances: int
    activities: int
    hours: Decimal
    cost: Decimal
    rate: Decimal
    rate_capped: bool
    hours_value: Decimal
    findings_open: int
    findings_closed: int

    @property
    def share_done_or_started(self) -> int:
        if not self.measures_total:
            return 0
        return round(100 * (self.measures_done + self.measures_ongoing) / self.measures_total)

    @property
    def cofinancing(self) -> Decimal:
        """In-kind co-financing: the hours' value plus the partners' own costs."""
        return self.hours_value + self.cost


def totals(program: Program, summaries: list[PlaceSummary]) -> Totals:
    """Add up the place summaries (no queries)."""
    rate, capped = hourly_rate(program)
    hours = sum((s.hours for s in summaries), Decimal("0"))

    def total(name):
        return sum(getattr(s, name) for s in summaries)

    return Totals(
        places=len(summaries),
        measures_total=total("measures_total"),
        measures_done=total("measures_done"),
        measures_ongoing=total("measures_ongoing"),
        measures_planned=total("measures_planned"),
        measures_overdue=total("measures_overdue"),
        measures_done_in_period=total("measures_done_in_period"),
        meetings=total("meetings"),
        attendances=total("attendances"),
        activities=total("activities"),
        hours=hours,
        cost=sum((s.cost for s in summaries), Decimal("0")),
        rate=rate,
        rate_capped=capped,
        hours_value=(hours * rate).quantize(Decimal("1")),
        findings_open=total("findings_open"),
        findings_closed=total("findings_closed"),
    )


def measures_done_in_period(
    program, period_start, period_end, *, places, today=None
) -> list[Measure]:
    """Measures completed within the period (done at its end) with their before/after photos
    (two queries)."""
    measures = Measure.objects.filter(
        program=program,
        place__in=places,
        actual_end__gte=period_start,
        actual_end__lte=period_end,
    )
    return list(
        measures_as_of(measures, period_end, today=today)
        .filter(status_then=MeasureStatus.DONE)
        .select_related("place", "responsible")
        .prefetch_related(_photos())
        .order_by("place__name", "actual_end", "pk")
    )


def _photos():
    from django.db.models import Prefetch

    return Prefetch(
        # "fore" sorts after "efter": descending puts the before photos first.
        "photos",
        queryset=MeasurePhoto.objects.order_by("-kind", "pk"),
        to_attr="report_photos",
    )


def meetings_in_period(program, period_start, period_end, *, places, program_wide=True):
    """Meetings held in the period at the places (and program-wide ones), with decisions."""
    from django.db.models import Prefetch

    where = Q(place__in=places)
    if program_wide:
        where |= Q(place__isnull=True)
    present = Q(attendances__status=Attendance.Status.PRESENT)
    return list(
        held(Meeting.objects.filter(where, program=program), period_start, period_end)
        .select_related("place")
        .annotate(
            present=Count("attendances", filter=present),
            organisations=Count("attendances__organisation", filter=present, distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.order_by("number"),
                to_attr="report_decisions",
            )
        )
        .order_by("starts_at", "pk")
    )


def partner_participation(program, period_start, period_end, *, places) -> list[dict]:
    """Per organisation: activities, hours and costs in the period, and meetings attended."""
    rows: dict[str, dict] = {}
    for row in (
        activities_in_period(program, period_start, period_end, places=places)
        .values("organisation__name", "organisation__category")
        .annotate(
            activities=Count("pk"),
            hours=Coalesce(Sum("hours"), ZERO),
            cost=Coalesce(Sum("cost"), ZERO),
        )
        .order_by()
    ):
        rows[row["organisation__name"]] = {
            "name": row["organisation__name"],
            "category": OrganisationCategory(row["organisation__category"]).label,
            "activities": row["activities"],
            "hours": row["hours"],
            "cost": row["cost"],
            "meetings": 0,
        }
    attended = Attendance.objects.filter(
        Q(meeting__place__in=places) | Q(meeting__place__isnull=True),
        program=program,
        status=Attendance.Status.PRESENT,
        organisation__isnull=False,
        meeting__in=held(Meeting.objects.filter(program=program), period_start, period_end),
    )
    for row in (
        attended.values("organisation__name", "organisation__category")
        .annotate(meetings=Count("meeting", distinct=True))
        .order_by()
    ):
        entry = rows.setdefault(
            row["organisation__name"],
            {
                "name": row["organisation__name"],
                "category": OrganisationCategory(row["organisation__category"]).label,
                "activities": 0,
                "hours": Decimal("0"),
                "cost": Decimal("0"),
                "meetings": 0,
            },
        )
        entry["meetings"] = row["meetings"]
    rate, _capped = hourly_rate(program)
    for row in rows.values():  # valued as on the co-financing page (``hourly_rate``)
        row["value"] = row["hours"] * rate
        row["total"] = row["value"] + row["cost"]
    return sorted(rows.values(), key=lambda r: (-r["hours"], r["name"]))


@dataclass
class CategoryCost:
    """The measures of one category in a report: how many, their budget and actual cost."""

    label: str
    measures: int
    done: int
    budget: Decimal
    actual_cost: Decimal


@dataclass
class Economy:
    """The slutrapport's economy: the granted amount against the action plans' budgets and the
    measures' actual costs by category, and the partners' co-financing."""

    granted: Decimal | None
    categories: list[CategoryCost]
    rate: Decimal
    rate_capped: bool
    partners: list[dict]  # partner_participation rows (with value and total)

    @property
    def budget(self) -> Decimal:
        return sum((c.budget for c in self.categories), Decimal("0"))

    @property
    def actual_cost(self) -> Decimal:
        return sum((c.actual_cost for c in self.categories), Decimal("0"))

    @property
    def measures(self) -> int:
        return sum(c.measures for c in self.categories)

    @property
    def budget_percent_of_grant(self) -> int | None:
        """The budgets as a share of the grant, in whole percent (None without a grant)."""
        if not self.granted:
            return None
        return round(100 * self.budget / self.granted)

    @property
    def cost_percent_of_budget(self) -> int | None:
        if not self.budget:
            return None
        return round(100 * self.actual_cost / self.budget)

    @property
    def cofinancing_hours(self) -> Decimal:
        return sum((p["hours"] for p in self.partners), Decimal("0"))

    @property
    def cofinancing_value(self) -> Decimal:
        return sum((p["value"] for p in self.partners), Decimal("0"))

    @property
    def cofinancing_cost(self) -> Decimal:
        return sum((p["cost"] for p in self.partners), Decimal("0"))

    @property
    def cofinancing(self) -> Decimal:
        return self.cofinancing_value + self.cofinancing_cost


def economy(program, period_start, period_end, *, places, partners=None, today=None) -> Economy:
    """``Economy`` for the places of a report: the measures not cancelled at the period's end
    (``measures_as_of``) by category, one query; ``partners`` are the report's
    ``partner_participation`` rows (read here when not given)."""
    measures = measures_as_of(
        Measure.objects.filter(program=program, place__in=places), period_end, today=today
    ).exclude(status_then=MeasureStatus.CANCELLED)
    rows = {
        row["category"]: row
        for row in measures.values("category")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status_then=MeasureStatus.DONE)),
            budget=Coalesce(Sum("budget"), ZERO),
            actual=Coalesce(Sum("actual_cost"), ZERO),
        )
        .order_by()
    }
    categories = [
        CategoryCost(
            label=str(label),
            measures=rows[value]["n"],
            done=rows[value]["done"],
            budget=rows[value]["budget"],
            actual_cost=rows[value]["actual"],
        )
        for value, label in MeasureCategory.choices
        if value in rows
    ]
    rate, capped = hourly_rate(program)
    if partners is None:
        partners = partner_participation(program, period_start, period_end, places=places)
    return Economy(
        granted=program.grant_amount,
        categories=categories,
        rate=rate,
        rate_capped=capped,
        partners=partners,
    )


def report_archive(*, program: Program) -> QuerySet[Report]:
    """A program's reports, newest first, with what the archive table shows."""
    return Report.objects.filter(program=program).select_related(
        "place", "requested_by", "schedule"
    )
