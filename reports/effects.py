"""The "Effekter" section of the report PDFs: per place the before/after counts in the target
(A), buffer (B) and comparison (C) areas, RES with its interval, WDQ and the net effect with
their readings, the place's story (the same timeline SVG as on the follow-up page) and its
survey waves' share feeling unsafe.

One context function, ``effects_section``, for any report template: include
``reports/pdf/_effects.html`` where the section belongs and add the function's dict to the
context. A constant number of queries whatever the number of places.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from measures import effects as story
from partnerships.models import Program
from platser import followup
from platser.models import AreaKind, Place

from .selectors import report_places


def effect_windows(period_end: datetime.date, today: datetime.date | None = None):
    """The 12 months up to the period's end (at most the last whole month: the month under
    way has no complete counts), against the same months a year earlier. The follow-up page's
    default windows; the dashboard and the reports use these."""
    last = min(period_end.replace(day=1), story.last_whole_month(today))
    return followup.Windows.around(followup.add_months(last, -11))


@dataclass
class PlaceEffects:
    place: Place
    result: followup.FollowUp
    timeline: followup.Timeline
    svg: SafeString
    waves: list  # every closed survey's Wave at the place, by closing day

    @property
    def has_counts(self) -> bool:
        total = self.result.total
        return any(
            (total.a_before, total.a_after, total.b_before, total.b_after, total.c_before,
             total.c_after)
        )  # fmt: skip


def effects_section(
    program: Program,
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    place: Place | None = None,
    places: list[Place] | None = None,
    today: datetime.date | None = None,
) -> dict:
    """``{"effects": {...}}`` for ``reports/pdf/_effects.html``: the windows, the areas' labels
    and one ``PlaceEffects`` per place of the report (``place`` alone, or every active place,
    or ``places`` when the caller has them)."""
    today = today or timezone.localdate()
    if places is None:
        places = list(report_places(program=program, place=place, existing_on=period_end))
    ids = [p.pk for p in places]
    windows = effect_windows(period_end, today)
    results = followup.follow_ups(ids, windows)
    end = min(period_end.replace(day=1), story.last_whole_month(today))
    survey_waves = story.waves(ids, today=today)
    lines = story.stories(ids, end=end, today=today, survey_waves=survey_waves)
    entries = [
        PlaceEffects(
            place=p,
            result=results[p.pk],
            timeline=lines[p.pk],
            svg=mark_safe(  # made from numbers and escaped labels
                story.story_svg(p, lines[p.pk], after_start=windows.after_start)
            ),
            waves=sorted(survey_waves[p.pk], key=lambda w: w.day),
        )
        for p in places
    ]
    return {
        "effects": {
            "windows": windows,
            "places": entries,
            "areas": AreaKind.choices,
            "marker_kinds": followup.MARKER_KINDS,
            "period_start": period_start,
            "period_end": period_end,
        }
    }
