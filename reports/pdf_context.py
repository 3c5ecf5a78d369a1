"""The content of a report PDF: one context dict built from the selectors.

Kept apart from the services so the benchmark and tests can build the same context; every
section tolerates an app without data (an empty list renders as "Inget under perioden").
"""

from django.utils import timezone

from measures.selectors import hourly_rate
from surveys.charts import Bar, wave_chart
from surveys.results import definition

from .dates import swedish_date
from .effects import effects_section
from .models import NARRATIVE_FIELDS, Kind, Report, narrative_fields
from .selectors import (
    economy,
    measures_done_in_period,
    meetings_in_period,
    partner_participation,
    place_summaries,
    places_made_after,
    totals,
)

#: The PDF template of each kind of report: the slutrapport has its own (the lägesrapporter
#: share one); both are made of the same partials.
PDF_TEMPLATES = {Kind.FINAL: "reports/pdf/final.html"}
PDF_TEMPLATE = "reports/pdf/report.html"


def template_for(report: Report) -> str:
    return PDF_TEMPLATES.get(report.kind, PDF_TEMPLATE)


def build_context(report: Report) -> tuple[dict, list[str]]:
    """``(context, media)`` for ``reports/pdf/report.html``; ``media`` lists the photo files
    the PDF may embed."""
    program = report.program
    start, end = report.period_start, report.period_end
    # Closed surveys only (``place_figures``), chosen and protected as on the web.
    summaries = place_summaries(program, start, end, place=report.place)
    place_ids = [s.place.pk for s in summaries]
    done = measures_done_in_period(program, start, end, places=place_ids)
    media = [photo.image.name for measure in done for photo in measure.report_photos]
    rate, capped = hourly_rate(program)
    # The same places as the summaries (loaded already), for the "Effekter" section.
    section = effects_section(program, start, end, places=[s.place for s in summaries])
    by_place = {entry.place.pk: entry for entry in section["effects"]["places"]}
    for s in summaries:  # the results table of the slutrapport shows each place's effect
        s.effects = by_place.get(s.place.pk)
    participation = partner_participation(program, start, end, places=place_ids)
    chart_groups = [
        (
            _clip(s.place.name),
            _bar("Nollmätning", s.baseline),
            _bar("Senaste uppföljning", s.latest),
        )
        for s in summaries
    ]
    context = {
        "report": report,
        "program": program,
        "kind_label": report.get_kind_display(),
        "is_funder_report": report.kind in (Kind.VINNOVA, Kind.FINAL),
        "period": report.period_label,
        "issued": swedish_date(timezone.localdate()),
        "summaries": summaries,
        # Places made after the period are not in it: named so that nobody looks for them.
        "places_left_out": [
            p for p in places_made_after(program, end) if report.place in (None, p)
        ],
        "totals": totals(program, summaries),
        "measures_done": done,
        "meetings": meetings_in_period(
            program, start, end, places=place_ids, program_wide=report.place is None
        ),
        "participation": participation,
        "economy": economy(program, start, end, places=place_ids, partners=participation)
        if report.kind == Kind.FINAL
        else None,
        "signatory": _name(report.requested_by),
        "rate": rate,
        "rate_capped": capped,
        "program_rate": program.hourly_rate,
        "has_survey_data": any(s.baseline or s.latest for s in summaries),
        "index_definition": definition(),
        "safety_chart": wave_chart(
            "report-safety-index",
            "Trygghetsindex per plats",
            chart_groups,
            before_label="Nollmätning",
            after_label="Senaste uppföljning",
        ),
        **section,
        "narrative": [
            (Report._meta.get_field(name).verbose_name, getattr(report, name))
            for name in narrative_fields(report.kind)
        ],
        "texts": {
            name: (Report._meta.get_field(name).verbose_name, getattr(report, name))
            for name in NARRATIVE_FIELDS
        },
    }
    return context, media


def _name(user) -> str:
    """Who signs: the person who asked for the report, by name (blank for a schedule's)."""
    if user is None:
        return ""
    return user.name or ""


def _bar(label: str, index) -> Bar:
    if index is None or index.percent is None:
        return Bar(label, None)
    return Bar(label, index.percent / 100, index.low, index.high)


def _clip(name: str, length: int = 22) -> str:
    # The chart's label column is narrow: a long place name would run off its left edge.
    return name if len(name) <= length else name[: length - 1] + "…"
