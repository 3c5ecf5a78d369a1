"""Survey arithmetic: shares with confidence intervals, the change between two waves, and the
one rounding for display every page, chart, export and report goes through.

Pure functions over counts; nothing here touches the database.

**Interval for a share: Wilson score interval.** The textbook Wald interval
``p ± z·sqrt(p(1-p)/n)`` collapses to a zero-width interval at p = 0 or p = 1 and undercovers badly
for small n (a place survey often has 30–200 answers, subgroups fewer). Wilson's interval (Wilson
1927; recommended by Brown, Cai & DasGupta 2001 and Agresti & Coull 1998) stays inside [0, 1],
has close to nominal 95 % coverage down to small n, and is a closed formula::

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)

**Interval for a change between two waves: Newcombe's hybrid score method** (Newcombe 1998,
method 10). The two waves are independent samples. The interval for d = p₁ − p₂ is built from the
two Wilson intervals (l₁, u₁) and (l₂, u₂)::

    lower = d − sqrt((p₁ − l₁)² + (u₂ − p₂)²)
    upper = d + sqrt((u₁ − p₁)² + (p₂ − l₂)²)

It inherits Wilson's good behaviour near 0 and 1 and for small n, where the Wald difference
interval is too narrow (zero width when both shares are 0 or 1). The change is flagged
*significant* when its interval excludes 0 (a two-sided test at roughly the 5 % level).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

#: 97.5th percentile of the standard normal distribution (two-sided 95 %).
Z95 = 1.959963984540054

#: Fewest respondents behind any number we show (domain-research §6.3: 5–7 is the usual floor).
MIN_CELL = 5


@dataclass(frozen=True)
class Share:
    """``count`` of ``n`` with its 95 % Wilson interval (``None`` values when n = 0)."""

    count: int
    n: int
    p: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Change:
    """The change ``after − before`` in a share, with its 95 % Newcombe interval."""

    before: Share
    after: Share
    diff: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        """True when the interval excludes 0."""
        return self.low is not None and (self.low > 0 or self.high < 0)


def wilson_interval(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``count`` successes out of ``n`` (n > 0)."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= count <= n:
        raise ValueError("count must be between 0 and n")
    p = count / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1) in exact arithmetic.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


@functools.lru_cache(maxsize=65536)
def share(count: int, n: int) -> Share:
    """``count`` of ``n`` as a share with its Wilson interval; n = 0 gives no share at all.

    Remembered (a Share is immutable): the protected table by place of a national survey asks
    for some 17,000 shares of a few thousand distinct (count, n) pairs per page (cProfile of
    *Enkäter över tid*, issue 15: 30 % of the page)."""
    if n == 0:
        return Share(count=0, n=0, p=None, low=None, high=None)
    low, high = wilson_interval(count, n)
    return Share(count=count, n=n, p=count / n, low=low, high=high)


def change(before: Share, after: Share) -> Change:
    """The change from ``before`` to ``after`` (independent samples) with Newcombe's interval."""
    if before.p is None or after.p is None:
        return Change(before=before, after=after, diff=None, low=None, high=None)
    # Newcombe's formula is for p₁ − p₂; here p₁ = after, p₂ = before.
    p1, l1, u1 = after.p, after.low, after.high
    p2, l2, u2 = before.p, before.low, before.high
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Change(before=before, after=after, diff=d, low=max(-1.0, low), high=min(1.0, high))


# Suppression (which counts may be shown) lives in ``surveys.results.disclosure``.


# --- rounding for display ----------------------------------------------------------------------
#
# One rule for every page, chart label, export and report: a share or a change is computed from
# the counts (exactly, as a fraction) and rounded once, halves away from zero. So 5 of 8 is
# 63 % on the page and 62,5 in the export, and a change is the difference of the unrounded
# shares, rounded (216/350 − 176/380 = +15.4 → +15, never 62 − 46 = +16).


def _exact(value) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, Share):
        return None if value.n == 0 else Fraction(value.count, value.n)
    if isinstance(value, Change):
        if value.diff is None:
            return None
        return Fraction(value.after.count, value.after.n) - Fraction(
            value.before.count, value.before.n
        )
    return Fraction(Decimal(repr(float(value))))


def percent(value, digits: int = 0) -> Decimal | None:
    """``value`` (a Share, a Change or a proportion) in percent, rounded half away from zero to
    ``digits`` decimals; None when there is no value."""
    exact = _exact(value)
    if exact is None:
        return None
    scaled = exact * 100 * 10**digits
    sign = -1 if scaled < 0 else 1
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return Decimal(sign * whole).scaleb(-digits)
