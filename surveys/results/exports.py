"""Survey exports: the suppressed results, and the anonymous responses (coordinators only).

CSV is UTF-8 with a BOM and semicolons (Excel in Swedish); XLSX is written with openpyxl. Text
that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
gets a leading apostrophe (CSV/formula injection).

The responses export has one row per response and one column per question; the submission is
given to the day (the model stores no more). It is streamed from the database in chunks, one
query for the responses and one for their answers, ordered so each response's answers arrive
together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..models import Answer, QuestionKind, Response, Survey
from ..stats import MIN_CELL
from .tables import survey_results

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HIDDEN = "–"


def safe_cell(value):
    """Text a spreadsheet will not evaluate; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _pct(value):
    return None if value is None else round(value * 100, 1)


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
                        _pct(s.p),
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


def response_rows(survey: Survey, items) -> Iterator[list]:
    """One row per response: number, date, channel, language, place, then each question."""
    questions = [item.question for item in items]
    yield [_("Svar nr"), _("Datum"), _("Kanal"), _("Språk"), _("Plats")] + [
        q.text_sv for q in questions
    ]
    labels = {o.pk: o.label_sv for q in questions for o in q.options.all()}
    column = {q.pk: i for i, q in enumerate(questions)}
    responses = (
        Response.objects.filter(survey=survey)
        .select_related("place")
        .order_by("pk")
        .values_list("pk", "submitted_on", "channel", "language", "place__name")
    )
    answers = (
        Answer.objects.filter(survey=survey)
        .order_by("response_id", "pk")
        .values_list("response_id", "question_id", "option_id", "text", "point", "zone__name")
        .iterator(chunk_size=2000)
    )
    pending = next(answers, None)
    for number, (pk, day, channel, language, place) in enumerate(
        responses.iterator(chunk_size=2000), start=1
    ):
        cells: list[list[str]] = [[] for _q in questions]
        while pending is not None and pending[0] == pk:
            _r, question_id, option_id, text, point, zone = pending
            if question_id in column:
                if option_id is not None:
                    value = labels.get(option_id, "")
                elif zone:
                    value = zone
                elif point:
                    lon, lat = point["coordinates"]
                    value = f"{lat:.5f},{lon:.5f}"
                else:
                    value = text
                cells[column[question_id]].append(value)
            pending = next(answers, None)
        yield [number, day.isoformat(), channel, language, place or ""] + [
            "; ".join(v) for v in cells
        ]


def to_csv(rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([safe_cell(_csv_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return value if isinstance(value, str) else str(value)


def to_xlsx(rows: Iterable[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
