"""Which responses the published results of a survey count, so that results move in steps.

One answer must never be watched arriving: results of a survey change at most once a day, and
only when at least MIN_CELL new responses have come since the last change. Within a day, and
until five more have come, every page, export, chart and report shows the same snapshot. While
a survey is open only coordinators see its results, marked *preliminär* (``surveys.results.rules``).
The first read after the survey closes counts every response (the final results, which is what
partners and observers see first); paper responses keyed in later join in steps of five.

A snapshot is one row per survey (``ResultsSnapshot``): the id of the newest response it counts
(responses are only ever added, so an id bound is the set) and when it was taken.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import Response, ResultsSnapshot, Survey
from ..services import take_results_snapshots
from ..stats import MIN_CELL


@dataclass(frozen=True)
class Snapshot:
    """The responses counted: ids up to ``upto`` (None: none yet), ``responses`` of them."""

    upto: int | None
    responses: int
    taken_on: datetime.date
    preliminary: bool  # the survey was still open when it was taken
    waiting: int = 0  # responses since, not yet counted
    # The safety index's counts kept on the row (``surveys.results.waves``), as read.
    safety_counts: dict = field(default_factory=dict, compare=False, hash=False)

    def key(self) -> str:
        return str(self.upto)


def snapshots(surveys: list[Survey], *, today: datetime.date | None = None) -> dict[int, Snapshot]:
    """``{survey id: Snapshot}``, taking a new snapshot where one is due. A constant number of
    queries whatever the number of surveys: the snapshots, the responses per survey, and at
    most one insert and one update for the snapshots that move."""
    today = today or timezone.localdate()
    if not surveys:
        return {}
    ids = [s.pk for s in surveys]
    stored = {s.survey_id: s for s in ResultsSnapshot.objects.filter(survey_id__in=ids)}
    live = _live_counts(ids, stored)
    moved = []
    out = {}
    for survey in surveys:
        latest, total = live.get(survey.pk, (None, 0))
        row = stored.get(survey.pk)
        closed = today > survey.closes_on
        due = (
            row is None
            or (closed and not row.final)
            or (row.taken_on < today and total - row.responses >= MIN_CELL)
        )
        if due:
            row = row or ResultsSnapshot(program_id=survey.program_id, survey=survey)
            row.last_response_id, row.responses = latest, total
            row.taken_on, row.final = today, closed
            moved.append(row)
        out[survey.pk] = Snapshot(
            upto=row.last_response_id,
            responses=row.responses,
            taken_on=row.taken_on,
            preliminary=not (row.final and closed),
            waiting=max(0, total - row.responses),
            safety_counts=row.safety_counts or {},
        )
    if moved:
        take_results_snapshots(moved)
    return out


def _live_counts(ids: list[int], stored: dict[int, ResultsSnapshot]) -> dict[int, tuple]:
    """``{survey id: (newest response id, number of responses)}``.

    Responses are only ever added, so a survey's count is its snapshot's plus those after the
    snapshot's newest id: one index range per survey instead of counting a million rows again
    (the county dashboard without a cache spent 180 ms here at national volume, issue 15).
    """
    since = Q(pk__in=[])
    for survey_id in ids:
        row = stored.get(survey_id)
        if row is None or row.last_response_id is None:
            since |= Q(survey_id=survey_id)
        else:
            since |= Q(survey_id=survey_id, id__gt=row.last_response_id)
    new = {
        r["survey"]: (r["latest"], r["n"])
        for r in Response.objects.filter(since)
        .values("survey")
        .annotate(latest=Max("id"), n=Count("id"))
        .order_by()
    }
    live = {}
    for survey_id in ids:
        row = stored.get(survey_id)
        latest, count = new.get(survey_id, (None, 0))
        if row is not None and row.last_response_id is not None:
            latest = max(latest or 0, row.last_response_id)
            count += row.responses
        if latest is not None:
            live[survey_id] = (latest, count)
    return live


def snapshot(survey: Survey, *, today: datetime.date | None = None) -> Snapshot:
    """The snapshot of one survey (see ``snapshots``)."""
    return snapshots([survey], today=today)[survey.pk]
