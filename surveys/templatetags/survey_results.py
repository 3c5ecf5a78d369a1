"""Number formats for survey results: shares as "40 %", intervals as "28–54 %", changes as
signed percentage points."""

from django import template

register = template.Library()


def _p(value) -> int:
    return round(value * 100)


@register.filter
def pct(share) -> str:
    """A ``Share`` (or a float) as a whole percentage, "–" when there is none."""
    value = getattr(share, "p", share)
    return "–" if value is None else f"{_p(value)} %"


@register.filter
def ci(share) -> str:
    """The share's 95 % interval as "28–54 %"."""
    if share is None or share.low is None:
        return "–"
    return f"{_p(share.low)}–{_p(share.high)} %"


@register.filter
def pp(change) -> str:
    """A ``Change`` as signed percentage points: "+20"."""
    if change is None or change.diff is None:
        return "–"
    return f"{_p(change.diff):+d}".replace("-", "−")


@register.filter
def pp_ci(change) -> str:
    """The change's 95 % interval in percentage points: "+2 till +36"."""
    if change is None or change.low is None:
        return "–"
    return f"{_p(change.low):+d} till {_p(change.high):+d}".replace("-", "−")
