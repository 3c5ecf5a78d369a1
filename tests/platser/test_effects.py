"""The effect follow-up formulas (platser/effects.py).

Sources of the formulas and readings:
- Farrington, D. P. & Welsh, B. C. (2002), *Effects of improved street lighting on crime: a
  systematic review*, Home Office Research Study 251, and Welsh & Farrington (2009), *Public
  area CCTV and crime prevention*, Justice Quarterly 26(4): RES = (a·d)/(b·c) with
  var(ln RES) = 1/a + 1/b + 1/c + 1/d, a/b the experimental area before/after and c/d the
  control area before/after.
- Bowers, K. J. & Johnson, S. D. (2003), *Measuring the geographical displacement and
  diffusion of benefit effects of crime prevention activity*, Journal of Quantitative
  Criminology 19(3): the WDQ, its table of readings and the total net effect.

The worked examples below are done by hand from those formulas (the arithmetic is in each
test), with round numbers so a reader can check them on paper.
"""

import math

import pytest

from platser import effects


def res(a_b, a_a, c_b, c_a, **kwargs):
    return effects.relative_effect_size(
        target_before=a_b, target_after=a_a, control_before=c_b, control_after=c_a, **kwargs
    )


def wdq(a_b, a_a, b_b, b_a, c_b, c_a):
    return effects.weighted_displacement_quotient(
        target_before=a_b,
        target_after=a_a,
        buffer_before=b_b,
        buffer_after=b_a,
        control_before=c_b,
        control_after=c_a,
    )


def test_res_halving_against_a_flat_control():
    # a=100, b=50, c=100, d=100: RES = 100·100/(50·100) = 2.
    # var(ln RES) = 1/100 + 1/50 + 1/100 + 1/100 = 0.05, sd = 0.2236;
    # 95 %: exp(ln 2 ± 1.96·0.2236) = 2·exp(±0.4383) = 1.290 … 3.100.
    result = res(100, 50, 100, 100)
    assert result.value == pytest.approx(2.0)
    assert result.low == pytest.approx(1.2903, abs=1e-4)
    assert result.high == pytest.approx(3.1000, abs=1e-4)
    assert result.excludes_one


def test_res_follows_the_control_trend():
    # Target and control both rise by half: RES = 40·60/(60·40) = 1, interval around 1.
    result = res(40, 60, 40, 60)
    assert result.value == pytest.approx(1.0)
    assert result.low < 1 < result.high
    assert not result.excludes_one


def test_res_interval_is_symmetric_on_the_log_scale_and_widens_with_confidence():
    narrow = res(30, 20, 50, 45, confidence=0.90)
    wide = res(30, 20, 50, 45, confidence=0.99)
    assert math.log(narrow.value) - math.log(narrow.low) == pytest.approx(
        math.log(narrow.high) - math.log(narrow.value)
    )
    assert wide.low < narrow.low and wide.high > narrow.high
    assert wide.value == narrow.value == pytest.approx(30 * 45 / (20 * 50))


@pytest.mark.parametrize(
    "counts", [(0, 5, 5, 5), (5, 0, 5, 5), (5, 5, 0, 5), (5, 5, 5, 0), (0, 0, 0, 0)]
)
def test_res_with_a_zero_count_is_undefined_not_a_division_by_zero(counts):
    result = res(*counts)
    assert (result.value, result.low, result.high) == (None, None, None)
    reading = effects.read_effect_size(
        result,
        target_before=counts[0],
        target_after=counts[1],
        control_before=counts[2],
        control_after=counts[3],
    )
    assert not reading.judgeable
    assert reading.label == "För få händelser för att bedöma"


def test_res_tiny_counts_read_as_too_few():
    result = res(3, 1, 2, 2)
    assert result.value == pytest.approx(3.0)
    reading = effects.read_effect_size(
        result, target_before=3, target_after=1, control_before=2, control_after=2
    )
    assert reading.label == "För få händelser för att bedöma"


def test_res_readings():
    kwargs = {"target_before": 100, "target_after": 50, "control_before": 100}
    down = effects.read_effect_size(res(100, 50, 100, 100), control_after=100, **kwargs)
    assert down.label == "Minskning" and down.judgeable
    up = effects.read_effect_size(
        res(50, 100, 100, 100),
        target_before=50,
        target_after=100,
        control_before=100,
        control_after=100,
    )
    assert up.label == "Ökning"
    flat = effects.read_effect_size(
        res(40, 60, 40, 60), target_before=40, target_after=60, control_before=40, control_after=60
    )
    assert flat.label == "Ingen säker förändring"


@pytest.mark.parametrize("bad", [{"confidence": 0}, {"confidence": 1}, {"confidence": 1.5}])
def test_res_refuses_a_meaningless_confidence(bad):
    with pytest.raises(ValueError):
        res(10, 10, 10, 10, **bad)


def test_res_refuses_negative_counts():
    with pytest.raises(ValueError):
        res(-1, 10, 10, 10)


def test_wdq_displacement_smaller_than_the_effect():
    # Target 100 → 50, buffer 80 → 100, control 200 → 200.
    # Success measure = 50/200 − 100/200 = −0.25; buffer measure = 100/200 − 80/200 = 0.10;
    # WDQ = 0.10 / −0.25 = −0.4: displacement, smaller than the direct effect.
    # Total net effect = (100·1 − 50) + (80·1 − 100) = 50 − 20 = 30 incidents avoided.
    value = wdq(100, 50, 80, 100, 200, 200)
    assert value == pytest.approx(-0.4)
    net = effects.total_net_effect(
        target_before=100,
        target_after=50,
        buffer_before=80,
        buffer_after=100,
        control_before=200,
        control_after=200,
    )
    assert net == pytest.approx(30)
    reading = effects.read_displacement(
        value,
        target_before=100,
        target_after=50,
        buffer_before=80,
        buffer_after=100,
        control_before=200,
        control_after=200,
    )
    assert reading.label == "Förflyttning, mindre än effekten"


def test_wdq_diffusion_of_benefits():
    # Target 100 → 50, buffer 80 → 60, control 200 → 200:
    # buffer measure = 60/200 − 80/200 = −0.10; WDQ = −0.10 / −0.25 = 0.4.
    value = wdq(100, 50, 80, 60, 200, 200)
    assert value == pytest.approx(0.4)
    reading = effects.read_displacement(
        value,
        target_before=100,
        target_after=50,
        buffer_before=80,
        buffer_after=60,
        control_before=200,
        control_after=200,
    )
    assert reading.label == "Spridning av vinster"


def test_wdq_displacement_greater_than_the_effect():
    # Target 100 → 90, buffer 50 → 80, control 100 → 100: success −0.10, buffer +0.30, WDQ −3.
    value = wdq(100, 90, 50, 80, 100, 100)
    assert value == pytest.approx(-3.0)
    reading = effects.read_displacement(
        value,
        target_before=100,
        target_after=90,
        buffer_before=50,
        buffer_after=80,
        control_before=100,
        control_after=100,
    )
    assert reading.label == "Förflyttning, större än effekten"


def test_wdq_undefined_without_change_or_control():
    # The target followed the control exactly: denominator 0.
    assert wdq(50, 50, 20, 30, 100, 100) is None
    assert wdq(50, 40, 20, 30, 0, 100) is None
    assert wdq(50, 40, 20, 30, 100, 0) is None
    assert wdq(0, 0, 0, 0, 0, 0) is None
    assert (
        effects.total_net_effect(
            target_before=0,
            target_after=0,
            buffer_before=0,
            buffer_after=0,
            control_before=0,
            control_after=0,
        )
        is None
    )


def test_wdq_when_the_target_got_worse_reads_as_no_effect():
    value = wdq(50, 80, 40, 40, 100, 100)
    reading = effects.read_displacement(
        value,
        target_before=50,
        target_after=80,
        buffer_before=40,
        buffer_after=40,
        control_before=100,
        control_after=100,
    )
    assert reading.label == "Ingen effekt att flytta"


def test_wdq_tiny_counts_read_as_too_few():
    reading = effects.read_displacement(
        wdq(4, 1, 2, 3, 10, 10),
        target_before=4,
        target_after=1,
        buffer_before=2,
        buffer_after=3,
        control_before=10,
        control_after=10,
    )
    assert reading.label == "För få händelser för att bedöma" and not reading.judgeable


def test_format_ratio_uses_a_decimal_comma():
    assert effects.format_ratio(2.0) == "2,00"
    assert effects.format_ratio(-0.4) == "−0,40"
    assert effects.format_ratio(None) == "–"
    assert effects.format_ratio(-0.0001) == "0,00"
