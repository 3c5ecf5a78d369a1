"""The content of a report PDF: one context dict built from the selectors.

Kept apart from the services so the benchmark and tests can build the same context; every
section tolerates an app without data (an empty list renders as "Inget under perioden").
"""

from django.utils import timezone

from .charts import safety_index_chart
from .dates import swedish_date
from .models import NARRATIVE_FIELDS, Kind, Report
from .selectors import (
    cofinancing_rate,
    measures_done_in_period,
    meetings_in_period,
    partner_participation,
    place_summaries,
    totals,
)


def build_context(report: Report) -> tuple[dict, list[str]]:
    """``(context, media)`` for ``reports/pdf/report.html``; ``media`` lists the photo files
    the PDF may embed."""
    program = report.program
    start, end = report.period_start, report.period_end
    summaries = place_summaries(program, start, end, place=report.place)
    place_ids = [s.place.pk for s in summaries]
    done = measures_done_in_period(program, start, end, places=place_ids)
    media = [photo.image.name for measure in done for photo in measure.report_photos]
    rate, capped = cofinancing_rate(program)
    chart_rows = [
        (
            s.place.name,
            s.baseline.percent if s.baseline else None,
            s.latest.percent if s.latest else None,
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
        "totals": totals(program, summaries),
        "measures_done": done,
        "meetings": meetings_in_period(
            program, start, end, places=place_ids, program_wide=report.place is None
        ),
        "participation": partner_participation(program, start, end, places=place_ids),
        "rate": rate,
        "rate_capped": capped,
        "program_rate": program.hourly_rate,
        "has_survey_data": any(s.baseline or s.latest for s in summaries),
        "safety_chart": safety_index_chart(chart_rows),
        "narrative": [
            (Report._meta.get_field(name).verbose_name, getattr(report, name))
            for name in NARRATIVE_FIELDS
        ],
    }
    return context, media
