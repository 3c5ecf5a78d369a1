"""Server-made SVG charts for reports (the same picture on the web page and in the PDF)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BASELINE_COLOUR = "#8a948f"
LATEST_COLOUR = "#0b5d3b"


def safety_index_chart(
    rows: list[tuple[str, int | None, int | None]], *, width: int = 640
) -> SafeString:
    """Horizontal bars per place: the nollmätning's safety index beside the latest follow-up's.

    ``rows`` are ``(place name, baseline percent, latest percent)``; ``None`` is "no data or
    fewer than five respondents" and is written out instead of drawn.
    """
    label_width, bar_height, gap, top = 170, 14, 12, 28
    scale = (width - label_width - 60) / 100
    height = top + len(rows) * (2 * bar_height + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Trygghetsindex per plats: nollmätning och senaste uppföljning">',
        f'<rect x="{label_width}" y="4" width="10" height="10" fill="{BASELINE_COLOUR}"/>',
        f'<text x="{label_width + 14}" y="13" font-size="10">Nollmätning</text>',
        f'<rect x="{label_width + 100}" y="4" width="10" height="10" fill="{LATEST_COLOUR}"/>',
        f'<text x="{label_width + 114}" y="13" font-size="10">Senaste uppföljning</text>',
    ]
    y = top
    for name, baseline, latest in rows:
        parts.append(
            f'<text x="0" y="{y + bar_height + 4}" font-size="10">{escape(name[:30])}</text>'
        )
        bars = ((0, baseline, BASELINE_COLOUR), (bar_height, latest, LATEST_COLOUR))
        for offset, value, colour in bars:
            bar_y = y + offset
            if value is None:
                parts.append(
                    f'<text x="{label_width}" y="{bar_y + 11}" font-size="9" fill="#4f5b55">'
                    "ingen mätning eller färre än 5 svar</text>"
                )
                continue
            bar = max(1, round(value * scale))
            parts.append(
                f'<rect x="{label_width}" y="{bar_y}" width="{bar}" height="{bar_height - 2}" '
                f'fill="{colour}"/>'
                f'<text x="{label_width + bar + 4}" y="{bar_y + 10}" font-size="9">{value} %</text>'
            )
        y += 2 * bar_height + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped names
