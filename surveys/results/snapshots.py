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
from dataclasses import dataclass

from django.db.models import Count, Max
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
    live = {
        row["survey"]: (row["latest"], row["n"])
        for row in Response.objects.filter(survey_id__in=ids)
        .values("survey")
        .annotate(latest=Max("id"), n=Count("id"))
        .order_by()
    }
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
        )
    if moved:
        take_results_snapshots(moved)
    return out


def snapshot(survey: Survey, *, today: datetime.date | None = None) -> Snapshot:
    """The snapshot of one survey (see ``snapshots``)."""
    return snapshots([survey], today=today)[survey.pk]
