"""Results arithmetic against hand-computed values (z = 1.959964, z² = 3.841459)."""

import pytest

from surveys.stats import (
    MIN_CELL,
    change,
    share,
    suppress_line,
    suppress_table,
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


def test_cell_of_four_is_hidden_and_a_complement_too():
    # 4 hidden; alone it could be worked out as 24 − 10 − 10, so the smallest shown cell (the
    # first 10) is hidden with it: hidden sum 14 ≥ 5 over two cells.
    hidden, total_hidden = suppress_line([4, 10, 10], 24)
    assert hidden == [True, True, False]
    assert not total_hidden


def test_cell_of_five_is_shown():
    hidden, total_hidden = suppress_line([5, 10, 10], 25)
    assert hidden == [False, False, False]
    assert not total_hidden


def test_zero_is_shown():
    hidden, _ = suppress_line([0, 10, 10], 20)
    assert hidden == [False, False, False]


def test_two_small_cells_adding_up_to_less_than_five_take_a_third():
    # 1 + 2 = 3 < 5 would still pin them down (3 can only be 1 + 2 or 2 + 1 ...): hide 6 too.
    hidden, _ = suppress_line([1, 2, 6, 20], 29)
    assert hidden == [True, True, True, False]


def test_two_small_cells_adding_up_to_five_are_enough():
    hidden, _ = suppress_line([2, 3, 6, 20], 31)
    assert hidden == [True, True, False, False]


def test_total_of_four_hides_everything():
    hidden, total_hidden = suppress_line([4, 0], 4)
    assert hidden == [True, True] and total_hidden


def test_total_of_five_with_one_answer():
    hidden, total_hidden = suppress_line([5, 0], 5)
    assert hidden == [False, False] and not total_hidden


def test_multiple_choice_has_no_complementary_suppression():
    hidden, total_hidden = suppress_line([4, 10, 10], 20, additive=False)
    assert hidden == [True, False, False] and not total_hidden


def test_breakdown_column_protects_against_differencing():
    # Overall answer counts (public): 14 and 16. Zones: A = [4, 8], B = [10, 8].
    # Row A: 4 is hidden, then 8 with it (row rule). Column 0: A's 4 hidden, B's 10 shown
    # → 14 − 10 = 4: B's 10 is hidden too. Column 1: A's 8 hidden alone → B's 8 hidden.
    hidden, row_hidden = suppress_table([[4, 8], [10, 8]], [12, 18], [14, 16], [False, False])
    assert hidden == [[True, True], [True, True]]
    assert row_hidden == [False, False]


def test_breakdown_small_group_is_hidden_with_a_partner_group():
    # Groups of 3, 20 and 22 people out of 45: the group of 3 is hidden, and so the next
    # smallest group size (20), or 45 − 20 − 22 = 3 gives it away.
    cells = [[3, 0], [10, 10], [11, 11]]
    hidden, row_hidden = suppress_table(cells, [3, 20, 22], [24, 21], [False, False])
    assert row_hidden == [True, True, False]
    assert hidden[0] == [True, True] and hidden[1] == [True, True]
    # Columns: hidden 3 + 10 = 13 and 0 + 10 = 10 over two cells each: protected.
    assert hidden[2] == [False, False]


def test_breakdown_without_small_cells_hides_nothing():
    hidden, row_hidden = suppress_table([[5, 6], [7, 8]], [11, 15], [12, 14], [False, False])
    assert hidden == [[False, False], [False, False]]
    assert row_hidden == [False, False]
