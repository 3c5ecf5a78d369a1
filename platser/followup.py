"""Effect follow-up of a place: before and after windows around a date, counts in the target
(A), buffer (B) and comparison (C) areas per category and in total, the figures of
``platser.effects`` with their readings, and the monthly timeline as an SVG made here.

Two queries whatever the number of months or categories: one sum per area and category for the
windows, one per month and area for the timeline.
"""

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.db.models import BooleanField, Case, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import effects
from .models import AreaKind, IncidentCount

DEFAULT_MONTHS = 12


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> int:
    """Whole months from ``first`` to ``last`` (negative when ``last`` is earlier)."""
    return (last.year - first.year) * 12 + last.month - first.month


@dataclass
class Windows:
    before_start: datetime.date
    before_end: datetime.date  # exclusive
    after_start: datetime.date
    after_end: datetime.date  # exclusive

    @classmethod
    def around(
        cls,
        start: datetime.date,
        *,
        months: int = DEFAULT_MONTHS,
        gap: int = 0,
        seasonal: bool = True,
    ):
        """``months`` from ``start``, and ``months`` before it ending at least ``gap`` months
        before ``start``. Seasonally matched (the default), the before window begins in the
        same calendar month as the after window, whole years back."""
        after_start = start.replace(day=1)
        return cls.spanning(
            before_limit=add_months(after_start, -gap),
            after_start=after_start,
            months=months,
            seasonal=seasonal,
        )

    @classmethod
    def spanning(
        cls,
        *,
        before_limit: datetime.date,
        after_start: datetime.date,
        months: int = DEFAULT_MONTHS,
        seasonal: bool = True,
    ):
        """Before ``before_limit`` (exclusive) and from ``after_start``: the months between
        them are left out (the implementation period of a measure or a group of them)."""
        before_limit = before_limit.replace(day=1)
        after_start = after_start.replace(day=1)
        if seasonal:
            span = months + max(months_between(before_limit, after_start), 0)
            years = -(-span // 12)  # whole years back, rounded up
            before_start = add_months(after_start, -12 * years)
        else:
            before_start = add_months(min(before_limit, after_start), -months)
        return cls(
            before_start,
            add_months(before_start, months),
            after_start,
            add_months(after_start, months),
        )

    @property
    def gap_months(self) -> int:
        return months_between(self.before_end, self.after_start)


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


def _window_counts(place_ids, windows: Windows, source: str | None = None):
    counts = IncidentCount.objects.filter(
        place_id__in=place_ids, month__gte=windows.before_start, month__lt=windows.after_end
    ).exclude(month__gte=windows.before_end, month__lt=windows.after_start)
    if source:
        counts = counts.filter(source=source)
    return counts


def follow_ups(place_ids, windows: Windows, *, source: str | None = None) -> dict:
    """{place id: FollowUp} for many places in one query (a GROUP BY per place, category, area
    and window)."""
    place_ids = list(place_ids)
    sums = (
        _window_counts(place_ids, windows, source)
        .annotate(after=_after(windows))
        .values("place_id", "category_id", "category__name", "area", "after")
        .annotate(n=Sum("count"))
        .order_by()
    )
    rows: dict[int, dict[int, Row]] = {pk: {} for pk in place_ids}
    totals = {pk: Row(str(_("Totalt"))) for pk in place_ids}
    for entry in sums:
        row = rows[entry["place_id"]].setdefault(entry["category_id"], Row(entry["category__name"]))
        attribute = _FIELDS[(entry["area"], entry["after"])]
        total = totals[entry["place_id"]]
        setattr(row, attribute, getattr(row, attribute) + entry["n"])
        setattr(total, attribute, getattr(total, attribute) + entry["n"])
    return {
        pk: FollowUp(
            windows,
            [row.compute() for row in sorted(rows[pk].values(), key=lambda row: row.label)],
            totals[pk].compute(),
        )
        for pk in place_ids
    }


def follow_up(place, windows: Windows, *, source: str | None = None) -> FollowUp:
    """Counts per category and area in the two windows, with RES, WDQ and the net effect."""
    return follow_ups([place.pk], windows, source=source)[place.pk]


def total_effects(place_ids, windows: Windows) -> dict:
    """{place id: Row} of the totals only (the dashboard): one query, one row per place, area
    and window, whatever the number of months or categories."""
    place_ids = list(place_ids)
    sums = (
        _window_counts(place_ids, windows)
        .annotate(after=_after(windows))
        .values("place_id", "area", "after")
        .annotate(n=Sum("count"))
        .order_by()
    )
    totals = {pk: Row(str(_("Totalt"))) for pk in place_ids}
    for entry in sums:
        total = totals[entry["place_id"]]
        attribute = _FIELDS[(entry["area"], entry["after"])]
        setattr(total, attribute, getattr(total, attribute) + entry["n"])
    return {pk: row.compute() for pk, row in totals.items()}


def _after(windows: Windows):
    return Case(
        When(month__gte=windows.after_start, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


# --- The timeline --------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A dated event on the timeline: a measure completed or a meeting's decision."""

    day: datetime.date
    kind: str  # "measure" or "decision"
    label: str

    @property
    def month(self) -> datetime.date:
        return self.day.replace(day=1)


@dataclass(frozen=True)
class Wave:
    """A survey wave's share feeling unsafe (0–1) with its 95 % interval; ``share`` is None
    where the survey's figure is suppressed (too few answers)."""

    day: datetime.date
    label: str
    share: float | None
    low: float | None
    high: float | None
    respondents: int = 0

    @property
    def month(self) -> datetime.date:
        return self.day.replace(day=1)


MARKER_KINDS = {"measure": _lazy("Åtgärd genomförd"), "decision": _lazy("Beslut på möte")}


@dataclass
class Timeline:
    months: list[datetime.date]
    series: dict  # area kind -> list of monthly totals
    markers: list = field(default_factory=list)  # Marker, by day
    waves: list = field(default_factory=list)  # Wave, by day

    @property
    def table(self):
        """Rows for the data table beside the chart: (month, A, B, C)."""
        return [
            (month, *(self.series[kind][i] for kind in AreaKind.values))
            for i, month in enumerate(self.months)
        ]


def timelines(place_ids, *, end: datetime.date, months: int = 36) -> dict:
    """{place id: Timeline} of monthly totals per area for the ``months`` months up to and
    including ``end``: one query whatever the number of places and months."""
    place_ids = list(place_ids)
    last = end.replace(day=1)
    first = add_months(last, -(months - 1))
    month_list = [add_months(first, i) for i in range(months)]
    index = {month: i for i, month in enumerate(month_list)}
    lines = {
        pk: Timeline(month_list, {kind: [0] * months for kind in AreaKind.values})
        for pk in place_ids
    }
    totals = (
        IncidentCount.objects.filter(place_id__in=place_ids, month__gte=first, month__lte=last)
        .values("place_id", "month", "area")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for entry in totals:
        lines[entry["place_id"]].series[entry["area"]][index[entry["month"]]] += entry["n"]
    return lines


def timeline(place, *, end: datetime.date, months: int = 36, markers=(), waves=()) -> Timeline:
    """The timeline of one place, with the markers and survey waves that fall inside it."""
    line = timelines([place.pk], end=end, months=months)[place.pk]
    return with_events(line, markers=markers, waves=waves)


def with_events(line: Timeline, *, markers=(), waves=()) -> Timeline:
    first, last = line.months[0], line.months[-1]
    line.markers = sorted((m for m in markers if first <= m.month <= last), key=lambda m: m.day)
    line.waves = sorted((w for w in waves if first <= w.month <= last), key=lambda w: w.day)
    return line


COLOURS = {AreaKind.TARGET: "#1d4f91", AreaKind.BUFFER: "#b35c00", AreaKind.COMPARISON: "#4d4d4d"}
DASHES = {AreaKind.TARGET: "", AreaKind.BUFFER: "6 3", AreaKind.COMPARISON: "2 3"}
MARKER_COLOURS = {"measure": "#006b3c", "decision": "#6a1b9a"}
WAVE_COLOUR = "#a4161a"


def _nice(value: float) -> int:
    """A round top for an axis a little above ``value``, divisible by four so that the labels
    of the quarter gridlines are whole numbers."""
    target = value * 1.08
    unit = 4 * max(1, 10 ** (len(str(int(target))) - 2))
    return -(-int(target) // unit) * unit or unit


def _marker_shape(kind: str, cx: float, y: float) -> str:
    colour = MARKER_COLOURS[kind]
    if kind == "measure":  # a triangle pointing down
        return (
            f'<path d="M{cx - 5:.1f},{y} L{cx + 5:.1f},{y} L{cx:.1f},{y + 8} Z" fill="{colour}"/>'
        )
    return (  # a diamond
        f'<path d="M{cx:.1f},{y} L{cx + 4.5:.1f},{y + 4.5} L{cx:.1f},{y + 9} '
        f'L{cx - 4.5:.1f},{y + 4.5} Z" fill="{colour}"/>'
    )


def timeline_svg(
    line: Timeline, *, title: str, after_start: datetime.date | None = None, uid: str = "tl"
) -> str:
    """The timeline as a self-contained SVG (the same picture on the web and in the PDF).

    The upper panel has the monthly incidents in the place, its buffer and (on its own scale
    at the right, usually much larger) the comparison area, with the measures completed
    (triangles) and meetings' decisions (diamonds) marked along its top. The lower panel has
    the survey waves' share feeling unsafe with its 95 % interval. ``uid`` keeps the title's
    id unique when several timelines share a page (the PDF)."""
    width, left, right, top = 720, 44, 44, 36
    plot_w, plot_h = width - left - right, 190
    band = top - 14  # the row of markers above the plot
    wave_top = top + plot_h + 30
    wave_h = 70
    height = wave_top + wave_h + 48
    n = max(len(line.months), 1)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def x_of(day: datetime.date):
        """A day's position: its month's point plus the share of the month gone."""
        i = months_between(line.months[0], day.replace(day=1))
        step = plot_w / (n - 1) if n > 1 else 0
        return min(x(i) + step * (day.day - 1) / 31, left + plot_w)  # the last month ends there

    local_max = _nice(max([*line.series[AreaKind.TARGET], *line.series[AreaKind.BUFFER], 1]))
    comparison_max = _nice(max([*line.series[AreaKind.COMPARISON], 1]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{uid}-title" class="timeline" font-family="sans-serif" '
        f'font-size="11">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<text x="{left}" y="12" fill="#333">{escape(_("Händelser per månad"))}</text>',
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
        # Each January, and the first month when no January follows within three months.
        if month.month == 1 or (i == 0 and month.month < 11):
            parts.append(
                f'<line x1="{x(i):.1f}" y1="{wave_top + wave_h}" x2="{x(i):.1f}" '
                f'y2="{wave_top + wave_h + 4}" stroke="#333"/>'
                f'<text x="{x(i):.1f}" y="{wave_top + wave_h + 16}" text-anchor="middle" '
                f'fill="#333">{month:%Y-%m}</text>'
            )
    if after_start and after_start in line.months:
        i = line.months.index(after_start)
        parts.extend(
            f'<line x1="{x(i):.1f}" y1="{y1}" x2="{x(i):.1f}" y2="{y2}" '
            f'stroke="#006b3c" stroke-width="2"/>'
            for y1, y2 in ((top, top + plot_h), (wave_top, wave_top + wave_h))
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
    for marker in line.markers:
        cx = x_of(marker.day)
        parts.append(
            f"<g><title>{escape(f'{marker.day:%Y-%m-%d}')} {escape(str(marker.label))}</title>"
            f'<line x1="{cx:.1f}" y1="{top}" x2="{cx:.1f}" y2="{top + plot_h}" '
            f'stroke="{MARKER_COLOURS[marker.kind]}" stroke-width="1" stroke-opacity="0.45"/>'
            f"{_marker_shape(marker.kind, cx, band)}</g>"
        )
    # The survey panel: share feeling unsafe, 0–100 %.
    parts.append(
        f'<text x="{left}" y="{wave_top - 8}" fill="#333">'
        f"{escape(_('Andel otrygga i enkäterna (95 % intervall)'))}</text>"
        f'<rect x="{left}" y="{wave_top}" width="{plot_w}" height="{wave_h}" fill="#fff" '
        f'stroke="#767676"/>'
    )
    for value in (0, 50, 100):
        y = wave_top + wave_h - wave_h * value / 100
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{value} %</text>'
        )
    if not line.waves:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{wave_top + wave_h / 2 + 4:.1f}" '
            f'text-anchor="middle" fill="#555">{escape(_("Inga enkätmätningar i perioden"))}'
            "</text>"
        )
    for wave in line.waves:
        cx = x_of(wave.day)
        if wave.share is None:
            parts.append(
                f"<g><title>{escape(str(wave.label))}: {escape(_('för få svar'))}</title>"
                f'<circle cx="{cx:.1f}" cy="{wave_top + wave_h / 2:.1f}" r="4" fill="#fff" '
                f'stroke="{WAVE_COLOUR}" stroke-width="1.5"/></g>'
            )
            continue

        def y_of(share):
            return wave_top + wave_h - wave_h * share

        whisker = ""
        if wave.low is not None and wave.high is not None:
            whisker = (
                f'<line x1="{cx:.1f}" y1="{y_of(wave.low):.1f}" x2="{cx:.1f}" '
                f'y2="{y_of(wave.high):.1f}" stroke="{WAVE_COLOUR}" stroke-width="1.5"/>'
                f'<line x1="{cx - 4:.1f}" y1="{y_of(wave.low):.1f}" x2="{cx + 4:.1f}" '
                f'y2="{y_of(wave.low):.1f}" stroke="{WAVE_COLOUR}"/>'
                f'<line x1="{cx - 4:.1f}" y1="{y_of(wave.high):.1f}" x2="{cx + 4:.1f}" '
                f'y2="{y_of(wave.high):.1f}" stroke="{WAVE_COLOUR}"/>'
            )
        parts.append(
            f"<g><title>{escape(str(wave.label))}: {round(100 * wave.share)} %</title>{whisker}"
            f'<circle cx="{cx:.1f}" cy="{y_of(wave.share):.1f}" r="4" fill="{WAVE_COLOUR}"/>'
            "</g>"
        )
    legend_y = height - 8
    legend_x = left
    for kind, label in AreaKind.choices:
        dash = f' stroke-dasharray="{DASHES[kind]}"' if DASHES[kind] else ""
        text = str(label) + (" " + _("(höger skala)") if kind == AreaKind.COMPARISON else "")
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y - 4}" x2="{legend_x + 20}" '
            f'y2="{legend_y - 4}" stroke="{COLOURS[kind]}" stroke-width="2"{dash}/>'
            f'<text x="{legend_x + 24}" y="{legend_y}" fill="#333">{escape(text)}</text>'
        )
        legend_x += 24 + 6.2 * len(text) + 14
    for kind, label in MARKER_KINDS.items():
        parts.append(
            f"{_marker_shape(kind, legend_x + 5, legend_y - 9)}"
            f'<text x="{legend_x + 14}" y="{legend_y}" fill="#333">{escape(str(label))}</text>'
        )
        legend_x += 14 + 6.2 * len(str(label)) + 14
    parts.append("</svg>")
    return "".join(parts)
