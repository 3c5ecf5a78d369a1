"""Results arithmetic against hand-computed values (z = 1.959964, z² = 3.841459)."""

from decimal import Decimal

import pytest

from surveys.results.disclosure import Table, protect_line, protect_table
from surveys.stats import (
    MIN_CELL,
    change,
    percent,
    share,
    wilson_interval,
)


def test_wilson_interval_thirty_of_fifty():
    # p = 0.6, z²/n = 0.0768292, 1 + z²/n = 1.0768292
    # centre = (0.6 + 0.0384146) / 1.0768292 = 0.592866
    # half = 1.959964 / 1.0768292 · sqrt(0.24/50 + 3.841459/10000)
    #      = 1.820125 · sqrt(0.005184146) = 1.820125 · 0.0720010 = 0.131051
    low, high = wilson_interval(30, 50)
    assert low == pytest.approx(0.461815, abs=1e-5)
    assert high == pytest.approx(0.723916, abs=1e-5)


def test_wilson_interval_half_of_ten_is_symmetric():
    # p = 0.5: centre = (0.5 + 0.192073) / 1.384146 = 0.5 exactly.
    # half = 1.959964 / 1.384146 · sqrt(0.025 + 0.00960365) = 1.416010 · 0.186020 = 0.263407
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.236593, abs=1e-5)
    assert high == pytest.approx(0.763407, abs=1e-5)
    assert low + high == pytest.approx(1.0)


def test_wilson_interval_at_zero_is_not_degenerate():
    # p = 0: centre = 0.192073 / 1.384146 = 0.138766; half = 1.416010 · sqrt(0.00960365)
    # = 1.416010 · 0.0979982 = 0.138766 → (0, 0.277533). Wald would give (0, 0).
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.277533, abs=1e-5)


def test_wilson_interval_at_one_mirrors_zero():
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    assert low == pytest.approx(1 - 0.277533, abs=1e-5)


def test_wilson_interval_rejects_bad_counts():
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_share_of_nobody_has_no_value():
    result = share(0, 0)
    assert result.p is None and result.low is None and result.high is None


def test_share_carries_count_and_interval():
    result = share(30, 50)
    assert (result.count, result.n, result.p) == (30, 50, 0.6)
    assert result.low < 0.6 < result.high


def test_change_between_waves_newcombe():
    # before 30/50: p₂ = 0.6, (l₂, u₂) = (0.461815, 0.723916)
    # after 40/50:  p₁ = 0.8; centre = (0.8 + 0.0384146) / 1.0768292 = 0.778596,
    #   half = 1.820125 · sqrt(0.16/50 + 0.000384146) = 1.820125 · 0.0598677 = 0.108967
    #   → (l₁, u₁) = (0.669629, 0.887563)
    # d = 0.2
    # lower = 0.2 − sqrt((0.8 − 0.669629)² + (0.723916 − 0.6)²)
    #       = 0.2 − sqrt(0.0169966 + 0.0153553) = 0.2 − 0.179867 = 0.020133
    # upper = 0.2 + sqrt((0.887563 − 0.8)² + (0.6 − 0.461815)²)
    #       = 0.2 + sqrt(0.0076673 + 0.0190951) = 0.2 + 0.163592 = 0.363592
    result = change(share(30, 50), share(40, 50))
    assert result.diff == pytest.approx(0.2)
    assert result.low == pytest.approx(0.020134, abs=1e-5)
    assert result.high == pytest.approx(0.363592, abs=1e-5)
    assert result.significant


def test_change_not_significant_when_interval_spans_zero():
    # 5/10 → 6/10: d = 0.1, the intervals overlap widely.
    result = change(share(5, 10), share(6, 10))
    assert result.low < 0 < result.high
    assert not result.significant


def test_change_from_zero_to_all_is_bounded():
    # 0/10 → 10/10: d = 1; lower = 1 − sqrt(0.277533² + 0.277533²) = 1 − 0.392491 = 0.607509
    result = change(share(0, 10), share(10, 10))
    assert result.diff == 1.0
    assert result.low == pytest.approx(0.607509, abs=1e-5)
    assert result.high == 1.0
    assert result.significant


def test_change_with_an_empty_wave_has_no_value():
    result = change(share(0, 0), share(3, 10))
    assert result.diff is None and not result.significant


# --- suppression -------------------------------------------------------------------------------


def test_min_cell_is_five():
    assert MIN_CELL == 5


def _line(counts, total, **kwargs):
    line = protect_line(counts, total, **kwargs)
    return line.hidden, line.total_hidden


def test_cell_of_four_is_hidden_and_a_complement_too():
    # 4 hidden; alone it could be worked out as 24 − 10 − 10, so the smallest shown cell (the
    # first 10) is hidden with it: hidden sum 14 ≥ 5 over two cells.
    hidden, total_hidden = _line([4, 10, 10], 24)
    assert hidden == [True, True, False]
    assert not total_hidden


def test_cell_of_five_is_shown():
    hidden, total_hidden = _line([5, 10, 10], 25)
    assert hidden == [False, False, False]
    assert not total_hidden


def test_zero_is_shown():
    hidden, _ = _line([0, 10, 10], 20)
    assert hidden == [False, False, False]


def test_two_small_cells_adding_up_to_less_than_five_take_a_third():
    # 1 + 2 = 3 < 5 would still pin them down (3 can only be 1 + 2 or 2 + 1 ...): hide 6 too.
    hidden, _ = _line([1, 2, 6, 20], 29)
    assert hidden == [True, True, True, False]


def test_two_small_cells_adding_up_to_five_are_enough():
    hidden, _ = _line([2, 3, 6, 20], 31)
    assert hidden == [True, True, False, False]


def test_total_of_four_hides_everything():
    hidden, total_hidden = _line([4, 0], 4)
    assert hidden == [True, True] and total_hidden


def test_total_of_five_with_one_answer():
    hidden, total_hidden = _line([5, 0], 5)
    assert hidden == [False, False] and not total_hidden


def test_multiple_choice_hides_an_option_few_chose_or_few_left_out():
    hidden, total_hidden = _line([4, 10, 18], 20, additive=False)
    assert hidden == [True, False, True] and not total_hidden  # 4 chose it; 2 did not


def test_index_sub_lines_are_protected_each():
    # Safe = 10 + 3, not safe = 8 + 4 + 0: each sub-line hides two cells, so the index (13 of
    # 25) tells nothing the table hides; before, 25 × 52 % = 13 gave "Ganska trygg" = 3 away.
    line = protect_line([10, 3, 8, 4, 0], 25, groups=[[0, 1], [2, 3, 4]])
    assert line.groups_shown
    assert line.hidden == [True, True, True, True, False]


def test_index_is_not_published_when_a_sub_line_is_small():
    line = protect_line([10, 12, 3, 0, 0], 25, groups=[[0, 1], [2, 3, 4]])
    assert not line.groups_shown


def test_breakdown_hides_a_rectangle_so_a_small_cell_can_move():
    # Rows are groups (sizes public), columns the question's counts (public): the 3 can only be
    # moved down to 0 through a rectangle of hidden cells.
    table = Table(
        cells=[[10, 3, 20], [12, 8, 15]],
        row_totals=[33, 35],
        groups=[[0, 1, 2]],
        column_known=[True, True, True],
        group_known=[True],
    )
    protection = protect_table(table)
    assert protection.hidden == [[True, True, False], [True, True, False]]
    assert not protection.withdrawn


def test_breakdown_hides_in_every_row_an_answer_hidden_overall():
    table = Table(
        cells=[[20, 2, 3, 10], [25, 1, 2, 12]],
        row_totals=[35, 40],
        groups=[[0, 1, 2, 3]],
        column_known=[True, False, False, True],
        group_known=[True],
    )
    hidden = protect_table(table).hidden
    assert [row[1] for row in hidden] == [True, True] and [row[2] for row in hidden] == [True, True]


def test_breakdown_without_small_cells_hides_nothing():
    table = Table(
        cells=[[5, 6], [7, 8]],
        row_totals=[11, 15],
        groups=[[0, 1]],
        column_known=[True, True],
        group_known=[True],
    )
    assert protect_table(table).hidden == [[False, False], [False, False]]


@pytest.mark.parametrize(
    "value,digits,expected",
    [
        (share(5, 8), 0, Decimal("63")),
        (share(5, 8), 1, Decimal("62.5")),
        (share(1, 8), 1, Decimal("12.5")),
        (share(1, 40), 0, Decimal("3")),
        (0.625, 0, Decimal("63")),
    ],
)
def test_percent_rounds_halves_away_from_zero(value, digits, expected):
    assert percent(value, digits) == expected


def test_change_is_rounded_once_from_unrounded_shares():
    # Sala: 216 of 350 (61.7 %, shown 62 %) after 176 of 380 (46.3 %, shown 46 %): +15.4,
    # shown +15, not 62 − 46 = +16.
    delta = change(share(176, 380), share(216, 350))
    assert percent(delta) == 15
    assert percent(change(share(1, 8), share(0, 8))) == Decimal("-13")  # halves away from 0
