"""The place's story and the effect follow-up of measures (issue 12).

``platser.followup`` counts the incidents and draws the timeline; what else belongs on the
timeline lives in apps above platser, so it is gathered here: the measures' actual completion
dates (from their status history), the meetings' decisions and the survey waves' share feeling
unsafe (``surveys.results.safety_indexes``, closed surveys only, protected as everywhere).

Every function takes many places at once and costs a constant number of queries whatever their
number, so the report and the dashboard can use them for a whole program.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Decision
from platser import followup
from platser.followup import Marker, Wave, Windows
from surveys.results import safety_indexes

from .models import Measure, MeasureStatusChange, Status

TIMELINE_MONTHS = 36


def completion_dates(measures) -> dict[int, datetime.date]:
    """{measure id: its actual completion date} for the measures that are done now: the day of
    the last change to "Genomförd" in its status history, else its recorded actual end. One
    query."""
    done = [m for m in measures if m.status == Status.DONE]
    latest = dict(
        MeasureStatusChange.objects.filter(measure__in=[m.pk for m in done], to_status=Status.DONE)
        .values("measure_id")
        .annotate(at=Max("at"))
        .values_list("measure_id", "at")
    )
    dates = {}
    for measure in done:
        if measure.pk in latest:
            dates[measure.pk] = timezone.localtime(latest[measure.pk]).date()
        elif measure.actual_end:
            dates[measure.pk] = measure.actual_end
    return dates


def markers(place_ids, *, first: datetime.date, last: datetime.date) -> dict[int, list[Marker]]:
    """{place id: [Marker]}: the measures completed and the decisions of the place's meetings
    from ``first`` to ``last`` (inclusive). Three queries."""
    out: dict[int, list[Marker]] = {pk: [] for pk in place_ids}
    measures = list(
        Measure.objects.filter(place_id__in=place_ids, status=Status.DONE).only(
            "pk", "place_id", "title", "status", "actual_end"
        )
    )
    dates = completion_dates(measures)
    for measure in measures:
        day = dates.get(measure.pk)
        if day and first <= day <= last:
            out[measure.place_id].append(Marker(day, "measure", measure.title))
    decisions = (
        Decision.objects.filter(meeting__place_id__in=place_ids)
        .select_related("meeting")
        .only("number", "text", "meeting__place_id", "meeting__starts_at")
        .order_by("meeting__starts_at", "number")
    )
    for decision in decisions:
        day = timezone.localtime(decision.meeting.starts_at).date()
        if first <= day <= last:
            text = decision.text if len(decision.text) <= 80 else decision.text[:79] + "…"
            out[decision.meeting.place_id].append(
                Marker(
                    day,
                    "decision",
                    _("Beslut %(n)d: %(text)s") % {"n": decision.number, "text": text},
                )
            )
    return out


def waves(place_ids, *, today: datetime.date | None = None) -> dict[int, list[Wave]]:
    """{place id: [Wave]}: each closed survey's share feeling unsafe at the place (one minus
    the safety index, the interval turned the same way), dated by its closing day."""
    out: dict[int, list[Wave]] = {pk: [] for pk in place_ids}
    for place_id, points in safety_indexes(place_ids, today=today).items():
        for point in points:
            if point.preliminary:
                continue
            share = point.share
            if share is None or share.p is None:
                out[place_id].append(
                    Wave(point.survey.closes_on, point.survey.title, None, None, None)
                )
                continue
            out[place_id].append(
                Wave(
                    point.survey.closes_on,
                    point.survey.title,
                    1 - share.p,
                    None if share.high is None else 1 - share.high,
                    None if share.low is None else 1 - share.low,
                    share.n,
                )
            )
    return out


def last_whole_month(today: datetime.date | None = None) -> datetime.date:
    """The month before this one: the month under way has no complete counts yet."""
    today = today or timezone.localdate()
    return followup.add_months(today.replace(day=1), -1)


def stories(
    place_ids,
    *,
    end: datetime.date | None = None,
    months: int = TIMELINE_MONTHS,
    today: datetime.date | None = None,
    survey_waves: dict | None = None,
) -> dict[int, followup.Timeline]:
    """{place id: Timeline} with incidents, markers and survey waves, up to ``end`` (the last
    whole month by default). ``survey_waves`` (of ``waves``) may be given when the caller has
    them already."""
    place_ids = list(place_ids)
    end = end or last_whole_month(today)
    lines = followup.timelines(place_ids, end=end, months=months)
    first = lines[place_ids[0]].months[0] if place_ids else end
    last = followup.add_months(end, 1) - datetime.timedelta(days=1)
    marks = markers(place_ids, first=first, last=last)
    if survey_waves is None:
        survey_waves = waves(place_ids, today=today)
    return {
        pk: followup.with_events(lines[pk], markers=marks[pk], waves=survey_waves[pk])
        for pk in place_ids
    }


def story_svg(place, line: followup.Timeline, *, after_start=None) -> str:
    return followup.timeline_svg(
        line,
        title=_(
            "Händelser per månad i %(place)s, buffertområdet och jämförelseområdet, med "
            "genomförda åtgärder, beslut och enkäternas andel otrygga"
        )
        % {"place": place.name},
        after_start=after_start,
        uid=f"tl-{place.pk}",
    )


@dataclass
class MeasureSpan:
    """The measures followed up together and the period their completions span."""

    measures: list
    dates: dict  # measure id -> completion date
    first: datetime.date
    last: datetime.date

    @property
    def after_start(self) -> datetime.date:
        """The month of the last completion (as the place's page counts its start month)."""
        return self.last.replace(day=1)

    def windows(self, *, months: int = followup.DEFAULT_MONTHS, gap: int = 0, seasonal=True):
        """Before ends ``gap`` months before the month of the first completion; after starts
        with the month of the last (the months between are the implementation period)."""
        return Windows.spanning(
            before_limit=followup.add_months(self.first.replace(day=1), -gap),
            after_start=self.after_start,
            months=months,
            seasonal=seasonal,
        )


def measure_span(measures) -> MeasureSpan | None:
    """The span of the measures' completion dates, or None when none of them is done."""
    dates = completion_dates(measures)
    if not dates:
        return None
    done = [m for m in measures if m.pk in dates]
    return MeasureSpan(done, dates, min(dates.values()), max(dates.values()))
