"""Survey exports: the protected results, and the anonymous responses (coordinators only).

CSV and XLSX are written by ``partnerships.spreadsheets`` (Excel's Swedish CSV, typed XLSX
cells, formula-like text guarded).

The results export is the results page's own figures (``surveys.results``: the same snapshot,
the same suppression), shares in percent with one decimal, rounded like the page
(``surveys.stats.percent``: 5 of 8 is 62,5 here and 63 % on the page).

The responses export (microdata, for coordinators' own analysis, never for observers) has one
row per response of the published snapshot and one column per question, made hard to link to
a person: the date is given as its ISO week, map points as the 100 m grid cell the map uses,
every answer (and language and place) given by fewer than MIN_CELL respondents is merged into
"Övriga svar", and free text is left out unless asked for (``with_text``). It is streamed from
the database in chunks, one query for the responses and one for their answers, ordered so each
response's answers arrive together.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from django.utils.translation import gettext as _

from partnerships.spreadsheets import to_csv, to_xlsx

from ..models import Answer, QuestionKind, Response, Survey
from ..stats import MIN_CELL, percent
from .snapshots import snapshot
from .tables import GRID_LAT, GRID_LON, survey_results

HIDDEN = "–"


def _pct(value):
    return None if value is None else float(percent(value, 1))


def results_rows(survey: Survey) -> Iterator[list]:
    """The results table: one row per question and answer, hidden values as "–"."""
    yield [
        _("Fråga"),
        _("Svar"),
        _("Antal"),
        _("Andel (%)"),
        _("95 % KI nedre (%)"),
        _("95 % KI övre (%)"),
        _("Antal svarande på frågan"),
    ]
    for result in survey_results(survey):
        question = result.question.text_sv
        n = result.n if result.n is not None else _("färre än %(n)s") % {"n": MIN_CELL}
        if result.cells:
            for cell in result.cells:
                if cell.hidden:
                    yield [question, cell.label, HIDDEN, HIDDEN, HIDDEN, HIDDEN, n]
                else:
                    s = cell.share
                    yield [
                        question,
                        cell.label,
                        cell.count,
                        _pct(s),
                        _pct(s.low),
                        _pct(s.high),
                        n,
                    ]
        elif result.question.kind == QuestionKind.POINT:
            for c in result.map_cells:
                yield [question, c.label, c.count, "", "", "", n]
        elif result.question.kind == QuestionKind.TEXT:
            for text in result.texts:
                yield [question, text, "", "", "", "", n]
        else:
            yield [question, "", "", "", "", "", n]


#: The label rare answers are merged into in the responses export.
def _other() -> str:
    return _("Övriga svar")


def _merged(counts: Counter) -> dict:
    """``{value: value or "Övriga svar"}``: values given by fewer than MIN_CELL respondents are
    merged; when the merged ones are still fewer than MIN_CELL, the next smallest joins them."""
    rare = {v for v, n in counts.items() if n < MIN_CELL}
    if rare:
        while sum(counts[v] for v in rare) < MIN_CELL and len(rare) < len(counts):
            rare.add(min((v for v in counts if v not in rare), key=lambda v: (counts[v], str(v))))
    return {v: (_other() if v in rare else v) for v in counts}


def _cell(point) -> str:
    """The map's 100 m grid cell of a point, as its centre (lat,lon)."""
    lon, lat = point["coordinates"]
    col, row = math.floor(lon / GRID_LON), math.floor(lat / GRID_LAT)
    return f"{(row + 0.5) * GRID_LAT:.4f},{(col + 0.5) * GRID_LON:.4f}"


def _week(day) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-V{week:02d}"


def response_rows(survey: Survey, items, *, with_text: bool = False) -> Iterator[list]:
    """One row per response of the published snapshot: number, week, channel, language, place,
    then each question (free text only ``with_text``), rare values merged (module docstring)."""
    questions = [
        item.question for item in items if with_text or item.question.kind != QuestionKind.TEXT
    ]
    yield [_("Svar nr"), _("Vecka"), _("Kanal"), _("Språk"), _("Plats")] + [
        q.text_sv for q in questions
    ]
    upto = snapshot(survey).upto or 0
    labels = {o.pk: o.label_sv for q in questions for o in q.options.all()}
    column = {q.pk: i for i, q in enumerate(questions)}
    responses = (
        Response.objects.filter(survey=survey, id__lte=upto)
        .order_by("pk")
        .values_list("pk", "submitted_on", "channel", "language", "place__name")
    )
    answers = (
        Answer.objects.filter(survey=survey, response_id__lte=upto)
        .order_by("response_id", "pk")
        .values_list("response_id", "question_id", "option_id", "text", "point", "zone__name")
    )
    # First pass: how often each value occurs, to merge the rare ones (two aggregates).
    meta = Counter()
    for _pk, day, channel, language, place in responses.iterator(chunk_size=2000):
        meta[("week", _week(day))] += 1
        meta[("channel", channel)] += 1
        meta[("language", language)] += 1
        meta[("place", place or "")] += 1
    values = Counter()
    for _r, question_id, option_id, text, point, zone in answers.iterator(chunk_size=2000):
        if question_id in column:
            values[(question_id, _value(labels, option_id, text, point, zone))] += 1
    merged_meta = {}
    for kind in ("week", "channel", "language", "place"):
        part = Counter({v: n for (k, v), n in meta.items() if k == kind})
        merged_meta[kind] = _merged(part)
    merged = {}
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        part = Counter({v: n for (q, v), n in values.items() if q == question.pk})
        merged[question.pk] = _merged(part)
    stream = answers.iterator(chunk_size=2000)
    pending = next(stream, None)
    for number, (pk, day, channel, language, place) in enumerate(
        responses.iterator(chunk_size=2000), start=1
    ):
        cells: list[list[str]] = [[] for _q in questions]
        while pending is not None and pending[0] == pk:
            _r, question_id, option_id, text, point, zone = pending
            if question_id in column:
                value = _value(labels, option_id, text, point, zone)
                value = merged.get(question_id, {}).get(value, value)
                if value not in cells[column[question_id]]:
                    cells[column[question_id]].append(value)
            pending = next(stream, None)
        yield [
            number,
            merged_meta["week"][_week(day)],
            merged_meta["channel"][channel],
            merged_meta["language"][language],
            merged_meta["place"][place or ""],
        ] + ["; ".join(v) for v in cells]


def _value(labels, option_id, text, point, zone) -> str:
    if option_id is not None:
        return labels.get(option_id, "")
    if zone:
        return zone
    if point:
        return _cell(point)
    return text


__all__ = ["response_rows", "results_rows", "to_csv", "to_xlsx"]  # the views write through these
