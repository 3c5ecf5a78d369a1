"""Effect follow-up of a place: before and after windows around a date, counts in the target
(A), buffer (B) and comparison (C) areas per category and in total, the figures of
``platser.effects`` with their readings, and the monthly timeline as an SVG made here.

Two queries whatever the number of months or categories: one sum per area and category for the
windows, one per month and area for the timeline.
"""

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.db.models import Sum
from django.utils.translation import gettext as _

from . import effects
from .models import AreaKind, IncidentCount

DEFAULT_MONTHS = 12


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Windows:
    before_start: datetime.date
    before_end: datetime.date  # exclusive
    after_start: datetime.date
    after_end: datetime.date  # exclusive

    @classmethod
    def around(cls, start: datetime.date, *, months: int = DEFAULT_MONTHS, gap: int = 0):
        """``months`` before (ending ``gap`` months before ``start``) and ``months`` from
        ``start``: the same calendar months on both sides when there is no gap."""
        after_start = start.replace(day=1)
        before_end = add_months(after_start, -gap)
        return cls(
            add_months(before_end, -months),
            before_end,
            after_start,
            add_months(after_start, months),
        )


@dataclass
class Row:
    """One category (or the total): counts and figures."""

    label: str
    a_before: int = 0
    a_after: int = 0
    b_before: int = 0
    b_after: int = 0
    c_before: int = 0
    c_after: int = 0
    res: effects.EffectSize | None = None
    res_reading: effects.Reading | None = None
    wdq: float | None = None
    wdq_reading: effects.Reading | None = None
    net: float | None = None

    def compute(self):
        self.res = effects.relative_effect_size(
            target_before=self.a_before,
            target_after=self.a_after,
            control_before=self.c_before,
            control_after=self.c_after,
        )
        self.res_reading = effects.read_effect_size(
            self.res,
            target_before=self.a_before,
            target_after=self.a_after,
            control_before=self.c_before,
            control_after=self.c_after,
        )
        counts = {
            "target_before": self.a_before,
            "target_after": self.a_after,
            "buffer_before": self.b_before,
            "buffer_after": self.b_after,
            "control_before": self.c_before,
            "control_after": self.c_after,
        }
        self.wdq = effects.weighted_displacement_quotient(**counts)
        self.wdq_reading = effects.read_displacement(self.wdq, **counts)
        self.net = effects.total_net_effect(**counts)
        return self

    @property
    def res_text(self) -> str:
        if self.res is None or not self.res.defined or not self.res_reading.judgeable:
            return str(effects.TOO_FEW)
        return (
            f"{effects.format_ratio(self.res.value)} "
            f"({effects.format_ratio(self.res.low)}–{effects.format_ratio(self.res.high)})"
        )

    @property
    def wdq_text(self) -> str:
        if not self.wdq_reading.judgeable:
            return str(effects.TOO_FEW)
        return effects.format_ratio(self.wdq)

    @property
    def net_text(self) -> str:
        if self.net is None:
            return "–"
        return f"{self.net:+.0f}".replace("-", "−")


@dataclass
class FollowUp:
    windows: Windows
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None


_FIELDS = {
    (AreaKind.TARGET, False): "a_before",
    (AreaKind.TARGET, True): "a_after",
    (AreaKind.BUFFER, False): "b_before",
    (AreaKind.BUFFER, True): "b_after",
    (AreaKind.COMPARISON, False): "c_before",
    (AreaKind.COMPARISON, True): "c_after",
}


def follow_up(place, windows: Windows, *, source: str | None = None) -> FollowUp:
    """Counts per category and area in the two windows, with RES, WDQ and the net effect."""
    counts = IncidentCount.objects.filter(
        place=place, month__gte=windows.before_start, month__lt=windows.after_end
    ).exclude(month__gte=windows.before_end, month__lt=windows.after_start)
    if source:
        counts = counts.filter(source=source)
    sums = (
        counts.values("category_id", "category__name", "area", "month")
        .annotate(n=Sum("count"))
        .order_by("category__name")
    )
    rows: dict[int, Row] = {}
    total = Row(str(_("Totalt")))
    for entry in sums:
        row = rows.setdefault(entry["category_id"], Row(entry["category__name"]))
        attribute = _FIELDS[(entry["area"], entry["month"] >= windows.after_start)]
        setattr(row, attribute, getattr(row, attribute) + entry["n"])
        setattr(total, attribute, getattr(total, attribute) + entry["n"])
    ordered = sorted(rows.values(), key=lambda row: row.label)
    return FollowUp(windows, [row.compute() for row in ordered], total.compute())


# --- The timeline --------------------------------------------------------------------------


@dataclass
class Timeline:
    months: list[datetime.date]
    series: dict  # area kind -> list of monthly totals
    markers: list  # (month, label)

    @property
    def table(self):
        """Rows for the data table beside the chart: (month, A, B, C)."""
        return [
            (month, *(self.series[kind][i] for kind in AreaKind.values))
            for i, month in enumerate(self.months)
        ]


def timeline(place, *, end: datetime.date, months: int = 36, markers=()) -> Timeline:
    """Monthly totals per area for the ``months`` months up to and including ``end``."""
    last = end.replace(day=1)
    first = add_months(last, -(months - 1))
    month_list = [add_months(first, i) for i in range(months)]
    index = {month: i for i, month in enumerate(month_list)}
    series = {kind: [0] * months for kind in AreaKind.values}
    totals = (
        IncidentCount.objects.filter(place=place, month__gte=first, month__lte=last)
        .values("month", "area")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for entry in totals:
        series[entry["area"]][index[entry["month"]]] += entry["n"]
    return Timeline(month_list, series, [m for m in markers if first <= m[0] <= last])


COLOURS = {AreaKind.TARGET: "#1d4f91", AreaKind.BUFFER: "#b35c00", AreaKind.COMPARISON: "#4d4d4d"}
DASHES = {AreaKind.TARGET: "", AreaKind.BUFFER: "6 3", AreaKind.COMPARISON: "2 3"}


def timeline_svg(line: Timeline, *, title: str, after_start: datetime.date | None = None) -> str:
    """The timeline as a self-contained SVG (the same picture on the web and in the PDF).
    The comparison area, usually much larger, is drawn on its own scale at the right."""
    width, height, left, right, top, bottom = 720, 260, 44, 44, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(line.months), 1)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    local_max = max([*line.series[AreaKind.TARGET], *line.series[AreaKind.BUFFER], 1])
    comparison_max = max([*line.series[AreaKind.COMPARISON], 1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="tl-title" class="timeline" font-family="sans-serif" '
        f'font-size="11">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        f'stroke="#767676"/>',
    ]
    for step in range(5):
        y = top + plot_h * step / 4
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{round(local_max * (4 - step) / 4)}</text>"
            f'<text x="{width - right + 4}" y="{y + 4:.1f}" fill="#333">'
            f"{round(comparison_max * (4 - step) / 4)}</text>"
        )
    for i, month in enumerate(line.months):
        if month.month == 1 or i == 0:
            parts.append(
                f'<line x1="{x(i):.1f}" y1="{top + plot_h}" x2="{x(i):.1f}" '
                f'y2="{top + plot_h + 4}" stroke="#333"/>'
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="#333">{month:%Y-%m}</text>'
            )
    if after_start and after_start in line.months:
        i = line.months.index(after_start)
        parts.append(
            f'<line x1="{x(i):.1f}" y1="{top}" x2="{x(i):.1f}" y2="{top + plot_h}" '
            f'stroke="#006b3c" stroke-width="2"/>'
        )
    for month, label in line.markers:
        if month in line.months:
            i = line.months.index(month)
            parts.append(
                f'<g><title>{escape(str(label))}</title><path d="M{x(i) - 5:.1f},{top} '
                f'L{x(i) + 5:.1f},{top} L{x(i):.1f},{top + 8} Z" fill="#006b3c"/></g>'
            )
    for kind in AreaKind.values:
        scale = comparison_max if kind == AreaKind.COMPARISON else local_max
        points = " ".join(
            f"{x(i):.1f},{top + plot_h - plot_h * value / scale:.1f}"
            for i, value in enumerate(line.series[kind])
        )
        dash = f' stroke-dasharray="{DASHES[kind]}"' if DASHES[kind] else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOURS[kind]}" '
            f'stroke-width="2"{dash}/>'
        )
    legend_x = left
    for kind, label in AreaKind.choices:
        dash = f' stroke-dasharray="{DASHES[kind]}"' if DASHES[kind] else ""
        parts.append(
            f'<line x1="{legend_x}" y1="{height - 6}" x2="{legend_x + 24}" y2="{height - 6}" '
            f'stroke="{COLOURS[kind]}" stroke-width="2"{dash}/>'
            f'<text x="{legend_x + 28}" y="{height - 2}" fill="#333">{escape(str(label))}'
            f"{' ' + escape(_('(höger skala)')) if kind == AreaKind.COMPARISON else ''}</text>"
        )
        legend_x += 200
    parts.append("</svg>")
    return "".join(parts)
