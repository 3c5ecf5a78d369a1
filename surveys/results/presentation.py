"""How survey results are drawn: the server-made SVG charts of the results page and of the
wave comparison (the same pictures as in the PDF reports), and the map cells as the results
map script reads them. No queries: everything is made from the figures of ``tables`` and
``waves``."""

from django.utils.translation import gettext as _

from ..charts import Bar, bar_chart, index_line, wave_chart
from ..models import QuestionKind


def cell_bar(cell) -> Bar:
    """A table cell as a bar: hidden cells are drawn as hidden."""
    if cell.hidden or cell.share is None or cell.share.p is None:
        return Bar(cell.label, None)
    return Bar(cell.label, cell.share.p, cell.share.low, cell.share.high)


def index_bar(point) -> Bar:
    if point is None or point.share is None:
        return Bar(_("Trygghetsindex"), None)
    return Bar(_("Trygghetsindex"), point.share.p, point.share.low, point.share.high)


def add_result_charts(rows) -> None:
    """A bar chart on every question result that has figures to show."""
    for result in rows:
        if result.cells and result.n is not None:
            result.chart = bar_chart(
                f"chart-{result.item.pk}",
                result.question.text_sv,
                [cell_bar(cell) for cell in result.cells],
            )


def map_cells(rows) -> dict:
    """``{element id: [[south, west], [north, east], count] …}`` of the map questions."""
    return {
        f"map-{r.item.pk}": [[[c.south, c.west], [c.north, c.east], c.count] for c in r.map_cells]
        for r in rows
        if r.question.kind == QuestionKind.POINT
    }


def comparison_charts(place, comparison) -> dict:
    """The wave comparison's charts: the safety index before and after (``index``), the index
    over every wave (``series``, with more than one), and one chart on each question."""
    before_label = comparison.before.wave_label if comparison.before else ""
    after_label = comparison.after.wave_label if comparison.after else ""
    charts = {}
    if comparison.index_before or comparison.index_after:
        charts["index"] = wave_chart(
            "chart-index",
            _("Trygghetsindex: andel trygga"),
            [(place.name, index_bar(comparison.index_before), index_bar(comparison.index_after))],
            before_label=before_label,
            after_label=after_label,
        )
    if len(comparison.index_series) > 1:
        charts["series"] = index_line(
            "chart-series",
            _("Trygghetsindex per mätomgång"),
            [
                Bar(p.survey.wave_label, p.share.p if p.share else None)
                for p in comparison.index_series
            ],
        )
    for position, question in enumerate(comparison.questions):
        question.chart = wave_chart(
            f"chart-q{position}",
            question.question.text_sv,
            [
                (label, cell_bar(before), cell_bar(after))
                for label, before, after, _d in question.rows
            ],
            before_label=before_label,
            after_label=after_label,
        )
    return charts
