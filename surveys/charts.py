"""Server-made SVG charts for survey results, shared by the pages and the PDF reports.

Plain SVG strings (``rect``, ``line``, ``text``, ``g`` only, so WeasyPrint draws them as the
browser does), every text escaped, no script and no ``style`` attribute (the page's CSP forbids
inline styles; presentation attributes such as ``fill`` are allowed). Each chart is
``<svg role="img" aria-labelledby="…">`` with a ``<title>`` and a ``<desc>`` that says the numbers
in words; the page shows the same numbers in a table next to it.

Colours are checked against white: text ``#1d2521`` (15:1), the follow-up bar ``#0b5d3b``
(7.6:1), the baseline bar ``#5b6770`` (5.9:1), whiskers ``#1d2521`` — all pass WCAG AA for text
(4.5:1), so they also pass the 3:1 needed for graphics. Hidden values are drawn as a hatched
outline with the words "visas inte", never as a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import stats

FONT = "DejaVu Sans"
TEXT = "#1d2521"
MUTED = "#4f5b55"
GRID = "#c9d1cc"
BEFORE = "#5b6770"
AFTER = "#0b5d3b"
SINGLE = "#0b5d3b"


@dataclass(frozen=True)
class Bar:
    """One bar: a label and a share in [0, 1] with its interval, or ``None`` when hidden."""

    label: str
    p: float | None
    low: float | None = None
    high: float | None = None


def percent(value: float | None) -> str:
    """A share as a Swedish percentage with no decimals ("42 %"), or "–" (rounded as on every
    page: ``surveys.stats.percent``)."""
    if value is None:
        return "–"
    return f"{int(stats.percent(value)):d} %"


def _text(x, y, content, *, anchor="start", size=12, fill=TEXT, weight=None) -> str:
    weight_attr = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'fill="{fill}" text-anchor="{anchor}"{weight_attr}>{escape(content)}</text>'
    )


def _line(x1, y1, x2, y2, *, stroke=TEXT, width=1) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        f'stroke="{stroke}" stroke-width="{width}"/>'
    )


def _rect(x, y, w, h, *, fill, stroke="none") -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
        f'fill="{fill}" stroke="{stroke}"/>'
    )


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]):
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return mark_safe(  # noqa: S308 - every text above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT}">'
        f'<title id="{escape(title_id)}">{escape(title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _axis(left: float, right: float, top: float, bottom: float) -> list[str]:
    """Vertical grid lines at 0, 25, 50, 75 and 100 % with their labels underneath."""
    out = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = left + (right - left) * tick
        out.append(_line(x, top, x, bottom, stroke=GRID))
        out.append(_text(x, bottom + 14, percent(tick), anchor="middle", size=10, fill=MUTED))
    return out


def _whisker(left, scale, low, high, y) -> list[str]:
    if low is None or high is None:
        return []
    x1, x2 = left + scale * low, left + scale * high
    return [_line(x1, y, x2, y), _line(x1, y - 4, x1, y + 4), _line(x2, y - 4, x2, y + 4)]


def _hidden(left, y, h) -> list[str]:
    return [
        _rect(left, y, 60, h, fill="none", stroke=MUTED),
        _text(left + 66, y + h / 2 + 4, _("visas inte"), size=11, fill=MUTED),
    ]


def _describe(bars: Sequence[Bar]) -> str:
    return "; ".join(
        f"{bar.label}: {percent(bar.p) if bar.p is not None else _('visas inte')}" for bar in bars
    )


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar], *, width: int = 480) -> SafeString:
    """Horizontal bars: the share answering each option, with 95 % interval whiskers."""
    label_width, top, row, bar_h = 170, 8, 30, 18
    left, right = label_width, width - 50
    scale = right - left
    height = top + row * len(bars) + 24
    body = _axis(left, right, top, top + row * len(bars))
    for i, bar in enumerate(bars):
        y = top + i * row + (row - bar_h) / 2
        body.append(
            _text(label_width - 8, y + bar_h / 2 + 4, _clip(bar.label), anchor="end", size=11)
        )
        if bar.p is None:
            body += _hidden(left, y, bar_h)
            continue
        body.append(_rect(left, y, scale * bar.p, bar_h, fill=SINGLE))
        body += _whisker(left, scale, bar.low, bar.high, y + bar_h / 2)
        label_x = left + scale * max(bar.p, bar.high or 0) + 6
        body.append(_text(label_x, y + bar_h / 2 + 4, percent(bar.p), weight="bold"))
    desc = _("Andel per svar med 95 %% konfidensintervall. %(values)s") % {
        "values": _describe(bars)
    }
    return _svg(chart_id, title, desc, width, height, body)


def wave_chart(
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, Bar, Bar]],
    *,
    before_label: str,
    after_label: str,
    width: int = 480,
) -> SafeString:
    """Paired bars per group (e.g. per place): the baseline and the follow-up, with whiskers."""
    label_width, top, bar_h, gap = 170, 30, 16, 14
    left, right = label_width, width - 50
    scale = right - left
    group_h = bar_h * 2 + gap
    height = top + group_h * len(groups) + 24
    body = [
        _rect(left, 6, 12, 12, fill=BEFORE),
        _text(left + 18, 16, before_label, size=11),
        _rect(left + 130, 6, 12, 12, fill=AFTER),
        _text(left + 148, 16, after_label, size=11),
    ]
    body += _axis(left, right, top, top + group_h * len(groups))
    descriptions = []
    for i, (label, before, after) in enumerate(groups):
        y0 = top + i * group_h + gap / 2
        body.append(_text(label_width - 8, y0 + bar_h + 4, _clip(label), anchor="end", size=11))
        for j, (bar, colour) in enumerate(((before, BEFORE), (after, AFTER))):
            y = y0 + j * bar_h
            if bar.p is None:
                body += _hidden(left, y + 1, bar_h - 2)
                continue
            body.append(_rect(left, y + 1, scale * bar.p, bar_h - 2, fill=colour))
            body += _whisker(left, scale, bar.low, bar.high, y + bar_h / 2)
            x = left + scale * max(bar.p, bar.high or 0) + 6
            body.append(_text(x, y + bar_h / 2 + 4, percent(bar.p), size=11))
        descriptions.append(
            f"{label}: {before_label} {percent(before.p)}, {after_label} {percent(after.p)}"
        )
    desc = _("Andel före och efter med 95 %% konfidensintervall. %(values)s") % {
        "values": "; ".join(descriptions)
    }
    return _svg(chart_id, title, desc, width, height, body)


def index_line(
    chart_id: str, title: str, points: Sequence[Bar], *, width: int = 360, height: int = 140
) -> SafeString:
    """A small line of the safety index over the waves (a gap where a wave is hidden)."""
    left, right, top, bottom = 80, width - 50, 12, height - 28
    body = []
    for tick in (0, 0.5, 1):
        y = bottom - (bottom - top) * tick
        body.append(_line(left, y, right, y, stroke=GRID))
        body.append(_text(left - 6, y + 4, percent(tick), anchor="end", size=10, fill=MUTED))
    step = (right - left) / max(len(points) - 1, 1)
    previous = None
    for i, point in enumerate(points):
        x = left + step * i if len(points) > 1 else (left + right) / 2
        body.append(_text(x, height - 8, _clip(point.label, 16), anchor="middle", size=10))
        if point.p is None:
            previous = None
            continue
        y = bottom - (bottom - top) * point.p
        if previous is not None:
            body.append(_line(previous[0], previous[1], x, y, stroke=AFTER, width=2))
        body.append(_rect(x - 3, y - 3, 6, 6, fill=AFTER))
        body.append(_text(x, y - 8, percent(point.p), anchor="middle", size=10, weight="bold"))
        previous = (x, y)
    desc = _("Trygghetsindex per mätomgång. %(values)s") % {"values": _describe(points)}
    return _svg(chart_id, title, desc, width, height, body)


def _clip(label: str, length: int = 26) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"
