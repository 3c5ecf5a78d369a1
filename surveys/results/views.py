"""Survey results pages: per survey (tables, charts, breakdowns, map cells), the wave comparison
of a place, and the exports. Reads come from ``surveys.results``; nothing here writes."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import TemplateView

from partnerships.permissions import ProgramObjectMixin
from partnerships.rules import has_perm
from platser.geo import bounds

from .. import results
from ..selectors import response_totals
from ..stats import MIN_CELL
from ..views import SurveyObjectMixin
from . import exports, presentation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SurveyResultsView(SurveyObjectMixin, TemplateView):
    """Per question: n, shares with intervals, a chart and the same numbers in a table.

    Figures only for those who may see them now (``can_view_survey_results``: everyone once
    the survey has closed, coordinators while it is open, marked preliminary); everyone else
    sees how many have answered so far.
    """

    permission = "can_view_survey_progress"
    template_name = "surveys/results.html"

    def get_context_data(self, **kwargs):
        survey = self.get_survey()
        today = timezone.localdate()
        places = list(survey.places.all())
        context = {
            "survey": survey,
            "places": places,
            "min_cell": MIN_CELL,
            "is_open": survey.is_open_on(today),
        }
        if not has_perm(self.membership, "can_view_survey_results", survey):
            total = response_totals([survey.pk]).get(survey.pk, 0)
            return super().get_context_data(count_only=True, responses=total, **context, **kwargs)
        snap = results.snapshot(survey, today=today)
        items = results.survey_items(survey)
        dimensions = results.breakdown_dimensions(survey, items)
        by = self.request.GET.get("uppdelning")
        by = by if by in dict(dimensions) else None
        rows = results.survey_results(survey, by=by, items=items, snap=snap)
        presentation.add_result_charts(rows)
        return super().get_context_data(
            results=rows,
            snapshot=snap,
            dimensions=dimensions,
            by=by,
            by_label=dict(dimensions).get(by),
            map_cells=presentation.map_cells(rows),
            place_bounds=_bounds(places),
            group_min=results.GROUP_MIN,
            can_export_responses=has_perm(self.membership, "can_export_responses", survey),
            **context,
            **kwargs,
        )


def _bounds(places):
    return bounds([p.boundary for p in places if p.boundary])


class _Download(SurveyObjectMixin, View):
    fmt = "csv"
    name = ""

    def rows(self, survey):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        survey = self.get_survey()
        filename = f"{slugify(survey.title) or 'enkat'}-{self.name}"
        if self.fmt == "xlsx":
            body = exports.to_xlsx(self.rows(survey), sheet_title=self.name)
            response = HttpResponse(body, content_type=XLSX)
        else:
            body = exports.to_csv(self.rows(survey))
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.{self.fmt}"'
        return response


class ResultsExportView(_Download):
    """The results as on the page (suppressed)."""

    permission = "can_view_survey_results"
    name = "resultat"

    def rows(self, survey):
        return exports.results_rows(survey)


class ResponsesExportView(_Download):
    """The anonymous responses, one row each, made hard to link to a person (coordinators only;
    free text only with ``?fritext=1``, chosen beside the warning on the results page)."""

    permission = "can_export_responses"
    name = "svar"

    def rows(self, survey):
        return exports.response_rows(
            survey,
            results.survey_items(survey),
            with_text=self.request.GET.get("fritext") == "1",
        )


class PlaceWavesView(ProgramObjectMixin, TemplateView):
    """Nollmätning vs the latest uppföljning at a place: the safety index and each question."""

    permission = "can_view_place_results"
    template_name = "surveys/results_waves.html"

    def get_permission_object(self):
        return self.url_object(self.program.places, "place")

    def get_context_data(self, **kwargs):
        place = self.get_permission_object()
        preliminary = has_perm(self.membership, "can_view_preliminary_results")
        comparison = results.wave_comparison(place, preliminary=preliminary)
        kwargs.update(
            place=place,
            comparison=comparison,
            charts=presentation.comparison_charts(place, comparison),
            min_cell=MIN_CELL,
            definition=results.definition(_index_item(comparison)),
        )
        return super().get_context_data(**kwargs)


def _index_item(comparison):
    survey = comparison.after or comparison.before
    return results.index_item(results.survey_items(survey)) if survey else None
