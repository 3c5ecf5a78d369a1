"""Reads for the county dashboard: every active place of a program side by side.

The figures come from ``reports.selectors.place_summaries`` (the same numbers as the reports'
place summaries), plus two things of its own, in a constant number of queries whatever the
number of places:

- the attendance rate: people present out of everyone registered at the meetings held;
- the safety index points of ``surveys.results.safety_indexes`` (through ``place_summaries``),
  with the baseline and follow-up chosen by ``surveys.results.headline``, so the dashboard shows
  exactly what the wave comparison page it links to and the reports show: the same index, the
  same protected tables, the same closed waves (an open survey is never a headline).

Sorting happens in Python over all rows (the figures are needed for every place anyway), so a
page of the table is a slice of the whole sorted program.

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
import time
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from measures.models import Status as MeasureStatus
from partnerships import audit, cache
from partnerships.jobs import enqueue_on_commit
from partnerships.models import Membership, OrganisationCategory, Program
from platser.geo import bounds, centre
from platser.models import Finding, Phase
from platser.selectors import MAP_OUTLINE_LIMIT
from surveys.models import Response
from surveys.results import IndexPoint
from surveys.stats import Change, change, percent

from .selectors import (
    PlaceSummary,
    Totals,
    baseline_and_latest,
    place_figures,
    report_places,
    totals,
)

#: Seconds a board stays in the cache at all.
CACHE_SECONDS = 3600
#: A board older than this is not shown while it is counted again (its task may have been
#: lost): the request counts it itself. It also bounds how long a change that leaves no trace
#: in ``data_version`` (a meeting starting, a write outside the services) takes to show.
STALE_SECONDS = 300
#: How long one queued recount is waited for before another request may queue it again.
REFRESH_CLAIM_SECONDS = 60

#: One colour per stakeholder category for the small stacked bar (always paired with the
#: category's name in the list beside it, so colour is never the only cue).
CATEGORY_COLOURS = {
    OrganisationCategory.KOMMUN: "#0b5d3b",
    OrganisationCategory.FASTIGHETSAGARE: "#8a4b08",
    OrganisationCategory.NARINGSIDKARE: "#1a4fd6",
    OrganisationCategory.CIVILSAMHALLE: "#7a1f7a",
    OrganisationCategory.POLIS: "#1d2521",
    OrganisationCategory.RADDNINGSTJANST: "#a4161a",
    OrganisationCategory.REGION: "#00695c",
    OrganisationCategory.LANSSTYRELSE: "#b8860b",
    OrganisationCategory.ANNAN: "#6b7570",
}


# Swedish alphabetical order: å, ä, ö come after z (in that order).
_SWEDISH = str.maketrans({"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003"})
_PHASES = {value: position for position, value in enumerate(Phase.values)}


def _name_key(name: str) -> str:
    return name.lower().translate(_SWEDISH)


@dataclass
class CategoryCount:
    value: str
    label: str
    count: int
    colour: str
    url: str
    x: float = 0  # offset of its segment in the stacked bar (0–100)
    width: float = 0


@dataclass
class DashboardRow:
    """One place's figures with the links to what lies behind each of them."""

    summary: PlaceSummary
    index_before: IndexPoint | None = None
    index_after: IndexPoint | None = None
    index_change: Change | None = None
    categories: list[CategoryCount] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)

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


# ?sort=<key>: the value of a row to sort by. None (no data) sorts last in either direction.
SORT_KEYS = {
    "plats": lambda r: _name_key(r.place.name),
    "fas": lambda r: _PHASES.get(r.place.phase, len(_PHASES)),
    "aktorer": lambda r: r.summary.stakeholders,
    "moten": lambda r: r.summary.meetings,
    "narvaro": lambda r: r.attendance_rate,
    "planerade": lambda r: r.summary.measures_planned,
    "pagaende": lambda r: r.summary.measures_ongoing,
    "genomforda": lambda r: r.summary.measures_done,
    "forsenade": lambda r: r.summary.measures_overdue,
    "andel": lambda r: r.summary.share_done_or_started if r.summary.measures_total else None,
    "aktiviteter": lambda r: r.summary.activities,
    "timmar": lambda r: r.summary.hours,
    "kostnader": lambda r: r.summary.cost,
    "oppna_fynd": lambda r: r.summary.findings_open,
    "stangda_fynd": lambda r: r.summary.findings_closed,
    "index": lambda r: r.index_percent,
    "forandring": lambda r: r.change_points,
}
DEFAULT_SORT = "plats"


def sort_rows(rows: list[DashboardRow], key: str, descending: bool) -> list[DashboardRow]:
    """Rows sorted by ``key`` (then by place name); rows without a value come last.

    The dashboard's rows come in name order already (``_compute``); sorting is stable, so
    ties stay in that order."""
    value = SORT_KEYS.get(key, SORT_KEYS[DEFAULT_SORT])
    if key == DEFAULT_SORT:
        return list(reversed(rows)) if descending else list(rows)
    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + missing


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


class _Urls:
    """URLs of the pages behind the figures, reversed once per name (not once per place)."""

    MARK = 987654321

    def __init__(self, program: Program):
        self.slug = program.slug
        self._patterns: dict[tuple, tuple[str, str]] = {}

    def __call__(self, name: str, place_id: int | None = None, kwarg="place", **query) -> str:
        key = (name, kwarg if place_id is not None else None)
        pattern = self._patterns.get(key)
        if pattern is None:
            kwargs = {"program": self.slug}
            if place_id is not None:
                kwargs[kwarg] = self.MARK
            head, _mark, tail = reverse(name, kwargs=kwargs).partition(str(self.MARK))
            pattern = self._patterns[key] = (head, tail)
        head, tail = pattern
        url = f"{head}{place_id}{tail}" if place_id is not None else head
        return f"{url}?{urlencode(query)}" if query else url


def _links(urls: _Urls, place_id: int) -> dict[str, str]:
    plan = urls("measures:plan", place_id)
    findings = urls("platser:findings", place_id)
    return {
        "place": urls("platser:place", place_id, kwarg="pk"),
        "stakeholders": urls("platser:stakeholders", place_id, kwarg="pk"),
        "meetings": urls("meetings:meetings", plats=place_id, tid="tidigare"),
        "planned": f"{plan}?status=ej_paborjade",  # proposed or planned
        "ongoing": f"{plan}?status={MeasureStatus.ONGOING}",
        "done": f"{plan}?status={MeasureStatus.DONE}",
        "overdue": f"{plan}?forsenade=1",
        "share": f"{plan}?status=paborjade",  # ongoing or done
        "activities": urls("measures:activities", place_id),
        "findings_open": f"{findings}?status={Finding.Status.OPEN}",
        "findings_closed": f"{findings}?status=stangda",  # åtgärdad, stängd, ej åtgärdad
        "waves": urls("surveys:place_waves", place_id),
    }


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    totals: Totals
    stakeholders: int
    registered: int
    period_start: datetime.date
    period_end: datetime.date
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
    version = data_version(program)
    entry = cache.get(key)
    if entry is not None and entry[0] != version and time.time() - entry[2] < STALE_SECONDS:
        if _claim_refresh(key, version):
            enqueue_on_commit(
                "reports.refresh_dashboard",
                membership_id=membership.pk,
                period_start=period_start.isoformat(),
                period_end=period_end.isoformat(),
                today=today.isoformat(),
                language=translation.get_language(),
            )
            entry = cache.get(key) or entry  # an eager task has counted it already
        if entry[0] != version:
            board = entry[1]
            board.refreshing = True
            return board
    if entry is not None and entry[0] == version:
        return entry[1]
    board = _compute(program, membership, period_start, period_end, today)
    cache.set(key, (version, board, time.time()), CACHE_SECONDS)
    return board


def refresh(*, membership: Membership, period_start, period_end, today) -> None:
    """Count the board again and keep it (the ``refresh_dashboard`` task)."""
    program = membership.program
    key = board_key(program, membership, period_start, period_end, today)
    version = data_version(program)  # before counting: a change made meanwhile shows as newer
    board = _compute(program, membership, period_start, period_end, today)
    cache.set(key, (version, board, time.time()), CACHE_SECONDS)


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


def _claim_refresh(key: str, version: str) -> bool:
    """True for the one request that queues the recount of this change (or when the cache
    cannot say: then every request may, and the cache is not there to keep the result anyway)."""
    return cache.add(f"{key}:refresh:{version}", 1, REFRESH_CLAIM_SECONDS)


def _compute(program, membership, period_start, period_end, today) -> Dashboard:
    places = list(report_places(program=program).defer("description"))
    ids = [p.pk for p in places]
    figures = place_figures(
        program,
        period_start,
        period_end,
        ids,
        whole_program=True,
        today=today,
    )
    rows = []
    for place in places:
        summary = figures[place.pk]
        # What the page shows of the place, small: the cache hands the board to every request.
        summary.place = PlaceInfo(place.pk, place.name, place.municipality.name, place.phase)
        row = DashboardRow(summary=summary)
        row.index_before, row.index_after = baseline_and_latest(summary.index_points, today)
        before, after = row.index_before, row.index_after
        if before and after and before.share and after.share:
            row.index_change = change(before.share, after.share)
        summary.index_points = []  # kept on the row as before/after
        summary.baseline = summary.latest = None  # the reports' form of the same
        rows.append(row)
    rows.sort(key=lambda r: _name_key(r.place.name))  # the default order, sorted once
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
        geojson=geojson,
        bounds=bounds(list(outlines.values())),
    )
    return board


def add_links(rows: list[DashboardRow], program: Program) -> None:
    """Fill in the links and the stakeholder categories of the rows on the page (no queries)."""
    urls = _Urls(program)
    labels = {value: str(label) for value, label in OrganisationCategory.choices}
    for row in rows:
        summary = row.summary
        row.links = _links(urls, row.place.pk)
        row.categories = []
        offset = 0.0
        for value in OrganisationCategory.values:
            count = summary.stakeholders_by_category.get(value)
            if not count:
                continue
            width = 100 * count / summary.stakeholders
            row.categories.append(
                CategoryCount(
                    value=value,
                    label=labels[value],
                    count=count,
                    colour=CATEGORY_COLOURS[value],
                    url=f"{row.links['stakeholders']}?kategori={value}",
                    x=round(offset, 2),
                    width=round(width, 2),
                )
            )
            offset += width


def dashboard_geojson(rows: list[DashboardRow], program: Program, outlines: dict) -> dict:
    """A FeatureCollection with every place: its outline (``outlines`` by place id), or a point
    when there are many."""
    from django.utils.translation import gettext as _

    show_outlines = len(rows) <= MAP_OUTLINE_LIMIT
    urls = _Urls(program)
    phases = {value: str(label) for value, label in Phase.choices}
    popup = _(
        "%(phase)s · åtgärder: %(done)s av %(total)s genomförda eller påbörjade · "
        "%(overdue)s försenade"
    )
    features = []
    for row in rows:
        boundary = outlines.get(row.place.pk)
        if not boundary:
            continue
        if show_outlines:
            geometry = boundary
        else:
            point = centre(boundary)
            if point is None:
                continue
            geometry = {"type": "Point", "coordinates": point}
        s = row.summary
        summary = popup % {
            "phase": phases.get(row.place.phase, ""),
            "done": s.measures_done + s.measures_ongoing,
            "total": s.measures_total,
            "overdue": s.measures_overdue,
        }
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "name": row.place.name,
                    "url": urls("platser:place", row.place.pk, kwarg="pk"),
                    "summary": summary,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
