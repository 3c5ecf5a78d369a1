"""Effect follow-up figures of the evaluation literature, as plain functions (DESIGN.md §3).

- The relative effect size of Farrington and Welsh: RES = (A_b · C_a) / (A_a · C_b), with a
  confidence interval from var(ln RES) = 1/A_b + 1/A_a + 1/C_b + 1/C_a. RES > 1 means fewer
  incidents in the target area than the comparison area's trend would predict.
- The weighted displacement quotient of Bowers and Johnson (2003):
  WDQ = ((B_a/C_a) − (B_b/C_b)) / ((A_a/C_a) − (A_b/C_b)), and their total net effect.
- Readings in plain Swedish, with "för få händelser för att bedöma" instead of a figure where a
  count is zero or so small that the interval says nothing.

Nothing here touches the database; every function takes counts and never divides by zero.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

from django.utils.translation import gettext_lazy as _

# Below this many incidents in any of the four cells the interval is too wide to say anything.
MIN_COUNT = 5
# An interval whose upper bound is more than this many times its lower one says nothing either.
MAX_INTERVAL_RATIO = 10.0

TOO_FEW = _("För få händelser för att bedöma")


@dataclass(frozen=True)
class EffectSize:
    """A relative effect size with its interval; ``None`` where it is not defined."""

    value: float | None
    low: float | None
    high: float | None
    confidence: float = 0.95

    @property
    def defined(self) -> bool:
        return self.value is not None

    @property
    def excludes_one(self) -> bool:
        """Whether the interval lies wholly above or wholly below 1."""
        if self.low is None or self.high is None:
            return False
        return self.low > 1 or self.high < 1


@dataclass(frozen=True)
class Reading:
    """A figure's meaning: a short label and one sentence in plain Swedish."""

    label: str
    meaning: str
    judgeable: bool = True


def _check_counts(**counts):
    for name, value in counts.items():
        if value is None or value < 0:
            raise ValueError(f"{name} must be a count (0 or more), not {value!r}")


def relative_effect_size(
    *, target_before, target_after, control_before, control_after, confidence=0.95
) -> EffectSize:
    """Farrington and Welsh's relative effect size with a log-normal confidence interval.

    Any zero count leaves the value and the interval undefined (``None``): the log variance
    would be infinite. Negative counts and a confidence outside (0, 1) raise ``ValueError``.
    """
    _check_counts(
        target_before=target_before,
        target_after=target_after,
        control_before=control_before,
        control_after=control_after,
    )
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie between 0 and 1")
    if min(target_before, target_after, control_before, control_after) == 0:
        return EffectSize(None, None, None, confidence)
    value = (target_before * control_after) / (target_after * control_before)
    variance = 1 / target_before + 1 / target_after + 1 / control_before + 1 / control_after
    z = NormalDist().inv_cdf((1 + confidence) / 2)
    half_width = z * math.sqrt(variance)
    log_value = math.log(value)
    return EffectSize(
        value, math.exp(log_value - half_width), math.exp(log_value + half_width), confidence
    )


def success_measure(*, target_before, target_after, control_before, control_after):
    """Bowers and Johnson's success measure A_a/C_a − A_b/C_b (negative: the target improved
    relative to the control area), or ``None`` where a control count is zero."""
    if not control_before or not control_after:
        return None
    return target_after / control_after - target_before / control_before


def weighted_displacement_quotient(
    *, target_before, target_after, buffer_before, buffer_after, control_before, control_after
) -> float | None:
    """Bowers and Johnson's WDQ, or ``None`` where it is not defined (a zero control count, or
    no change at all in the target relative to the control: the denominator is zero)."""
    _check_counts(
        target_before=target_before,
        target_after=target_after,
        buffer_before=buffer_before,
        buffer_after=buffer_after,
        control_before=control_before,
        control_after=control_after,
    )
    success = success_measure(
        target_before=target_before,
        target_after=target_after,
        control_before=control_before,
        control_after=control_after,
    )
    if success is None or math.isclose(success, 0.0, abs_tol=1e-12):
        return None
    buffer_measure = buffer_after / control_after - buffer_before / control_before
    return buffer_measure / success


def total_net_effect(
    *, target_before, target_after, buffer_before, buffer_after, control_before, control_after
) -> float | None:
    """Bowers and Johnson's total net effect in incidents: those the control trend predicts in
    the target and buffer minus those that happened. Positive: incidents avoided in all.
    ``None`` where the control count before is zero."""
    _check_counts(
        target_before=target_before,
        target_after=target_after,
        buffer_before=buffer_before,
        buffer_after=buffer_after,
        control_before=control_before,
        control_after=control_after,
    )
    if not control_before:
        return None
    trend = control_after / control_before
    return (target_before * trend - target_after) + (buffer_before * trend - buffer_after)


def too_few(*counts) -> bool:
    """Whether any count is below ``MIN_COUNT`` (the interval would say nothing)."""
    return any(count is None or count < MIN_COUNT for count in counts)


def read_effect_size(
    res: EffectSize, *, target_before, target_after, control_before, control_after
) -> Reading:
    """The RES in plain Swedish."""
    counts = (target_before, target_after, control_before, control_after)
    if (
        not res.defined or too_few(*counts) or res.high / res.low > MAX_INTERVAL_RATIO  # type: ignore[operator]
    ):
        return Reading(
            str(TOO_FEW),
            str(
                _(
                    "Antalet händelser är noll eller så litet att intervallet inte säger "
                    "något. Samla fler månader eller slå ihop kategorier."
                )
            ),
            judgeable=False,
        )
    if res.low > 1:  # type: ignore[operator]
        return Reading(
            str(_("Minskning")),
            str(
                _(
                    "Färre händelser på platsen än jämförelseområdets utveckling förutsäger. "
                    "Skillnaden är större än slumpen brukar ge."
                )
            ),
        )
    if res.high < 1:  # type: ignore[operator]
        return Reading(
            str(_("Ökning")),
            str(
                _(
                    "Fler händelser på platsen än jämförelseområdets utveckling förutsäger. "
                    "Skillnaden är större än slumpen brukar ge."
                )
            ),
        )
    return Reading(
        str(_("Ingen säker förändring")),
        str(
            _(
                "Platsen har utvecklats ungefär som jämförelseområdet. Intervallet rymmer 1, "
                "så en skillnad kan vara slump."
            )
        ),
    )


def read_displacement(
    wdq: float | None,
    *,
    target_before,
    target_after,
    buffer_before,
    buffer_after,
    control_before,
    control_after,
) -> Reading:
    """The WDQ in plain Swedish, after Bowers and Johnson's (2003) table of readings."""
    counts = (target_before, target_after, buffer_before, buffer_after)
    success = success_measure(
        target_before=target_before,
        target_after=target_after,
        control_before=control_before,
        control_after=control_after,
    )
    if too_few(*counts, control_before, control_after) or success is None:
        return Reading(
            str(TOO_FEW),
            str(_("För få händelser i mål-, buffert- eller jämförelseområdet.")),
            judgeable=False,
        )
    if wdq is None or success >= 0:
        return Reading(
            str(_("Ingen effekt att flytta")),
            str(
                _(
                    "Platsen har inte förbättrats jämfört med jämförelseområdet, så det finns "
                    "ingen minskning som kan ha flyttat till buffertområdet."
                )
            ),
        )
    if wdq > 1:
        return Reading(
            str(_("Spridning av vinster, större än effekten")),
            str(
                _(
                    "Även buffertområdet blev bättre, och mer än själva platsen: åtgärderna "
                    "verkar ha smittat av sig på omgivningen."
                )
            ),
        )
    if wdq > 0:
        return Reading(
            str(_("Spridning av vinster")),
            str(_("Även buffertområdet blev bättre än jämförelseområdets utveckling.")),
        )
    if wdq == 0:
        return Reading(
            str(_("Ingen förflyttning")),
            str(_("Buffertområdet utvecklades som jämförelseområdet.")),
        )
    if wdq >= -1:
        return Reading(
            str(_("Förflyttning, mindre än effekten")),
            str(
                _(
                    "En del av problemet verkar ha flyttat till buffertområdet, men mindre än "
                    "minskningen på platsen: totalt sett en vinst."
                )
            ),
        )
    return Reading(
        str(_("Förflyttning, större än effekten")),
        str(
            _(
                "Problemet verkar ha flyttat till buffertområdet, och mer än det minskade på "
                "platsen: totalt sett ingen vinst."
            )
        ),
    )


def format_ratio(value: float | None) -> str:
    """A ratio with two decimals and a decimal comma, or a dash."""
    if value is None:
        return "–"
    if abs(value) < 0.005:
        value = 0.0
    return f"{value:.2f}".replace(".", ",").replace("-", "−")
