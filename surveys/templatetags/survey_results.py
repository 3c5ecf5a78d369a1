"""Number formats for survey results: shares as "40 %", intervals as "28–54 %", changes as
signed percentage points, all rounded by ``surveys.stats.percent`` (halves away from zero)."""

from django import template

from surveys.stats import percent

register = template.Library()


def _p(value) -> int:
    return int(percent(value))


@register.filter
def pct(share) -> str:
    """A ``Share`` (or a proportion) as a whole percentage, "–" when there is none."""
    value = percent(share)
    return "–" if value is None else f"{int(value)} %"


@register.filter
def ci(share) -> str:
    """The share's 95 % interval as "28–54 %"."""
    if share is None or share.low is None:
        return "–"
    return f"{_p(share.low)}–{_p(share.high)} %"


@register.filter
def pp(change) -> str:
    """A ``Change`` as signed percentage points, from the unrounded shares: "+20"."""
    if change is None or change.diff is None:
        return "–"
    return f"{_p(change):+d}".replace("-", "−")


@register.filter
def pp_ci(change) -> str:
    """The change's 95 % interval in percentage points: "+2 till +36"."""
    if change is None or change.low is None:
        return "–"
    return f"{_p(change.low):+d} till {_p(change.high):+d}".replace("-", "−")
