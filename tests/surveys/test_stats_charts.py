"""Server-made SVG charts: accessible, escaped, basic SVG only, hidden values never drawn."""

import re

from surveys.charts import SINGLE, Bar, bar_chart, index_line, percent, wave_chart

ALLOWED = {"svg", "title", "desc", "g", "rect", "line", "text"}


def _elements(svg: str) -> set[str]:
    return set(re.findall(r"<([a-z]+)[\s>/]", svg))


def test_bar_chart_is_accessible_and_basic():
    svg = str(bar_chart("q1", "Trygg på kvällen", [Bar("Mycket trygg", 0.4, 0.28, 0.54)]))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="q1-title q1-desc"' in svg
    assert '<title id="q1-title">Trygg på kvällen</title>' in svg
    assert "Mycket trygg: 40 %" in svg  # the numbers in words, in <desc>
    assert _elements(svg) <= ALLOWED
    assert "style=" not in svg and "<script" not in svg
    assert 'font-family="DejaVu Sans"' in svg


def test_chart_text_is_escaped():
    svg = str(bar_chart("q<2>", "<b>&", [Bar('<script>"x"', 0.5, 0.4, 0.6)]))
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;&amp;" in svg


def test_hidden_value_is_not_drawn_as_a_bar():
    svg = str(bar_chart("q3", "T", [Bar("Mycket otrygg", None)]))
    assert "visas inte" in svg
    drawn = svg.split("</desc>")[1]
    assert 'font-weight="bold"' not in drawn  # no value label
    assert f'fill="{SINGLE}"' not in drawn  # no filled bar


def test_wave_chart_has_both_waves_and_whiskers():
    svg = str(
        wave_chart(
            "w",
            "Andel trygga",
            [("Avesta centrum", Bar("Före", 0.6, 0.46, 0.72), Bar("Efter", 0.8, 0.67, 0.89))],
            before_label="Nollmätning",
            after_label="Uppföljning 1",
        )
    )
    assert "Avesta centrum: Nollmätning 60 %, Uppföljning 1 80 %" in svg
    assert svg.count("<line") >= 6 + 5  # two whiskers of three lines, five grid lines
    assert _elements(svg) <= ALLOWED


def test_index_line_leaves_a_gap_for_a_hidden_wave():
    svg = str(index_line("i", "Index", [Bar("N", 0.6), Bar("U1", None), Bar("U2", 0.7)]))
    assert "U1: visas inte" in svg
    # No connecting line across the gap: only the three grid lines are drawn.
    assert svg.count('stroke-width="2"') == 0


def test_percent_is_swedish():
    assert percent(0.4) == "40 %"
    assert percent(None) == "–"
