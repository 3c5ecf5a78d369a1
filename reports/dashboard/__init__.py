"""Reads for the county dashboard: every active place of a program side by side.

The figures come from ``reports.selectors.place_summaries`` (the same numbers as the reports'
place summaries), plus three things of its own, in a constant number of queries whatever the
number of places:

- the attendance rate: people present out of everyone registered at the meetings held;
- the safety index points of ``surveys.results.safety_indexes`` (through ``place_summaries``),
  with the baseline and follow-up chosen by ``surveys.results.headline``, so the dashboard shows
  exactly what the wave comparison page it links to and the reports show: the same index, the
  same protected tables, the same closed waves (an open survey is never a headline);
- the change in incidents per place: RES with its interval over the follow-up page's default
  windows ending with the period (``effect_windows``), one query for every place.

The figures are here; how they are shown (colours, links, the map) is ``presentation``, their
order ``sorting``; the stale-while-recounting cache is ``partnerships.cache.get_versioned``.

The figures and the map are kept in the cache with ``data_version``, the program's newest audit
entry (every write through the services records one) and its newest survey response. Counting
1,450 places takes a few hundred milliseconds, so after a change the board from before it is
shown, marked as being updated, while the ``refresh_dashboard`` task counts it again: nobody
waits for the count, and with eager tasks (the demo, the tests) the new figures show at once.
``STALE_SECONDS`` bounds how old a board may be shown; it also covers what changes with the
clock alone (a meeting that has started counts as held) and writes made outside the services.
A cache that fails only costs the speed-up: every request then counts.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.utils import timezone, translation

from partnerships import audit, cache
from partnerships.jobs import enqueue_on_commit
from partnerships.models import Membership, Program
from platser import effects as effect_figures
from platser.followup import Windows, total_effects
from platser.geo import bounds
from platser.models import Phase
from surveys.models import Response
from surveys.results import IndexPoint
from surveys.stats import Change, change, percent

from ..effects import effect_windows
from ..selectors import (
    PlaceSummary,
    Totals,
    baseline_and_latest,
    place_figures,
    report_places,
    totals,
)
from .presentation import CategoryCount, add_links, dashboard_geojson
from .sorting import DEFAULT_SORT, SORT_KEYS, name_key, sort_rows

#: Seconds a board stays in the cache at all.
CACHE_SECONDS = 3600
#: A board older than this is not shown while it is counted again (its task may have been
#: lost): the request counts it itself. It also bounds how long a change that leaves no trace
#: in ``data_version`` (a meeting starting, a write outside the services) takes to show.
STALE_SECONDS = 300


@dataclass(slots=True)
class PlaceEffect:
    """The change in incidents at a place (all categories): RES with its interval, only when
    the counts are enough to judge (``platser.effects``)."""

    res: effect_figures.EffectSize | None
    judgeable: bool
    label: str  # the reading in plain Swedish ("Minskning", "Ingen säker förändring", …)

    @property
    def value(self) -> float | None:
        return self.res.value if self.judgeable and self.res else None

    @property
    def fewer(self) -> bool:
        """The interval lies above 1: fewer incidents than the comparison trend predicts."""
        return self.judgeable and self.res.low > 1

    @property
    def more(self) -> bool:
        return self.judgeable and self.res.high < 1

    @property
    def text(self) -> str:
        if not self.judgeable:
            return ""
        res = self.res
        fmt = effect_figures.format_ratio
        return f"{fmt(res.value)} ({fmt(res.low)}–{fmt(res.high)})"


@dataclass
class DashboardRow:
    """One place's figures with the links to what lies behind each of them."""

    summary: PlaceSummary
    index_before: IndexPoint | None = None
    index_after: IndexPoint | None = None
    index_change: Change | None = None
    categories: list[CategoryCount] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    effect: PlaceEffect | None = None

    @property
    def place(self):
        return self.summary.place

    @property
    def registered(self) -> int:
        """Attendance rows at the meetings held (present or not)."""
        return self.summary.registered

    @property
    def attendance_rate(self) -> int | None:
        """Percent of the people registered at the meetings held who were present."""
        if not self.registered:
            return None
        return round(100 * self.summary.attendances / self.registered)

    @property
    def done_or_started(self) -> int:
        return self.summary.measures_done + self.summary.measures_ongoing

    @property
    def index_percent(self) -> int | None:
        point = self.index_after or self.index_before
        if point is None or point.share is None or point.share.p is None:
            return None
        return int(percent(point.share))

    @property
    def change_points(self) -> int | None:
        """From the unrounded shares, rounded once (``surveys.stats.percent``)."""
        if self.index_change is None or self.index_change.diff is None:
            return None
        return int(percent(self.index_change))


def default_period(program: Program, today: datetime.date | None = None):
    """The program's period while it runs; before or after it (or without one), the last 12
    months up to today, so the default view always includes what happened lately."""
    today = today or timezone.localdate()
    start, end = program.period_start, program.period_end
    if start and end and start <= today <= end:
        return start, end
    # 29 February has no twin a year back: count from the 28th.
    day = min(today.day, 28) if today.month == 2 else today.day
    year_ago = today.replace(year=today.year - 1, day=day)
    return year_ago + datetime.timedelta(days=1), today


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    totals: Totals
    stakeholders: int
    registered: int
    period_start: datetime.date
    period_end: datetime.date
    effect_windows: Windows  # the windows of the incidents' change (``effect_windows``)
    geojson: bytes  # the map's FeatureCollection as JSON, for reports:dashboard_map
    bounds: list | None  # [[south, west], [north, east]] of every place, for the map
    refreshing: bool = False  # counted before the latest change; a recount is under way

    @property
    def attendance_rate(self) -> int | None:
        if not self.registered:
            return None
        return round(100 * self.totals.attendances / self.registered)


def data_version(program: Program) -> str:
    """A cache key part that changes whenever a figure of the dashboard can have changed
    through the product (two index look-ups): the newest audit entry (every write through the
    services records one in the same transaction) and the newest survey response (anonymous,
    not audited, only ever added)."""
    response = (
        Response.objects.filter(program=program)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return f"{audit.latest(program)}:{response or '-'}"


@dataclass(slots=True)
class PlaceInfo:
    """What the dashboard shows of a place: kept in the cache instead of the model row."""

    pk: int
    name: str
    municipality_name: str
    phase: str

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label) if self.phase in Phase.values else self.phase


def dashboard(
    *,
    program: Program,
    membership: Membership,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date | None = None,
) -> Dashboard:
    """Every active place's figures for the period.

    The board is kept in the cache with the data version it was counted at. When the data has
    changed since, the board from before the change is shown (marked ``refreshing``) while a
    task counts it again, once per change; the task runs at once where tasks are eager, and
    the new board is then shown straight away. Nothing cached, or a board older than
    ``STALE_SECONDS``: counted here and now. From the cache: two queries (the data version).
    Counted afresh: a constant number more (``place_figures``' fifteen and the places). Links
    are added by ``add_links`` to the rows actually shown.
    """
    today = today or timezone.localdate()
    key = board_key(program, membership, period_start, period_end, today)

    def recount():
        enqueue_on_commit(
            "reports.refresh_dashboard",
            membership_id=membership.pk,
            period_start=period_start.isoformat(),
            period_end=period_end.isoformat(),
            today=today.isoformat(),
            language=translation.get_language(),
        )

    board, stale = cache.get_versioned(
        key,
        data_version(program),
        lambda: _compute(program, membership, period_start, period_end, today),
        timeout=CACHE_SECONDS,
        stale_seconds=STALE_SECONDS,
        recount=recount,
    )
    board.refreshing = stale
    return board


def refresh(*, membership: Membership, period_start, period_end, today) -> None:
    """Count the board again and keep it (the ``refresh_dashboard`` task)."""
    program = membership.program
    key = board_key(program, membership, period_start, period_end, today)
    version = data_version(program)  # before counting: a change made meanwhile shows as newer
    board = _compute(program, membership, period_start, period_end, today)
    cache.keep_versioned(key, version, board, CACHE_SECONDS)


def board_key(program, membership, period_start, period_end, today) -> str:
    return ":".join(
        [
            "reports:dashboard",
            str(program.pk),
            # Every member sees the same board: the safety index is of closed surveys only.
            translation.get_language() or "",
            period_start.isoformat(),
            period_end.isoformat(),
            today.isoformat(),
        ]
    )


def _compute(program, membership, period_start, period_end, today) -> Dashboard:
    places = list(report_places(program=program, existing_on=period_end).defer("description"))
    ids = [p.pk for p in places]
    figures = place_figures(
        program,
        period_start,
        period_end,
        ids,
        whole_program=True,
        today=today,
    )
    windows = effect_windows(period_end, today)
    effects = total_effects(ids, windows)  # one query, whatever the number of places
    rows = []
    for place in places:
        summary = figures[place.pk]
        # What the page shows of the place, small: the cache hands the board to every request.
        summary.place = PlaceInfo(place.pk, place.name, place.municipality.name, place.phase)
        total = effects[place.pk]
        row = DashboardRow(
            summary=summary,
            effect=PlaceEffect(total.res, total.res_reading.judgeable, total.res_reading.label),
        )
        row.index_before, row.index_after = baseline_and_latest(summary.index_points, today)
        before, after = row.index_before, row.index_after
        if before and after and before.share and after.share:
            row.index_change = change(before.share, after.share)
        summary.index_points = []  # kept on the row as before/after
        summary.baseline = summary.latest = None  # the reports' form of the same
        rows.append(row)
    rows.sort(key=lambda r: name_key(r.place.name))  # the default order, sorted once
    outlines = {p.pk: p.boundary for p in places if p.boundary}
    geojson = json.dumps(dashboard_geojson(rows, program, outlines)).encode()
    summaries = [row.summary for row in rows]
    board = Dashboard(
        rows=rows,
        totals=totals(program, summaries),
        stakeholders=sum(s.stakeholders for s in summaries),
        registered=sum(s.registered for s in summaries),
        period_start=period_start,
        period_end=period_end,
        effect_windows=windows,
        geojson=geojson,
        bounds=bounds(list(outlines.values())),
    )
    return board


__all__ = [
    "DEFAULT_SORT",
    "SORT_KEYS",
    "Dashboard",
    "DashboardRow",
    "PlaceEffect",
    "add_links",
    "dashboard",
    "default_period",
    "effect_windows",
    "refresh",
    "sort_rows",
]
