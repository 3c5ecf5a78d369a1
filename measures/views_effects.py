"""Effect follow-up pages: a place's (windows chosen by the reader) and a measure's or a group
of measures' (windows around their actual completion dates). Both show the counts in the target
(A), buffer (B) and comparison (C) areas per category, RES, WDQ and the net effect with their
readings, and the place's story: the timeline with measures, decisions and survey waves.

Every member reads them (aggregated counts, no personal data). They live here, not in platser,
because the story needs the measures, the meetings and the surveys (STYLE §2).
"""

from django.contrib import messages
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partnerships.rules import has_perm
from platser import followup, incidents
from platser.models import AreaKind
from platser.views import PlaceObjectMixin

from . import effects
from .models import Measure, Status
from .views import MeasureObjectMixin


class FollowUpMixin:
    """The ``?manader=&uppehall=&sasong=`` of both pages and the story of the place."""

    def _int(self, name, default, low, high):
        try:
            value = int(self.request.GET.get(name, default))
        except (TypeError, ValueError):
            return default
        return min(max(value, low), high)

    def window_options(self) -> dict:
        return {
            "months": self._int("manader", followup.DEFAULT_MONTHS, 1, 36),
            "gap": self._int("uppehall", 0, 0, 24),
            "seasonal": self.request.GET.get("sasong", "1") != "0",
        }

    def story_context(self, place, windows) -> dict:
        line = effects.stories([place.pk])[place.pk]
        return {
            "timeline": line,
            "timeline_svg": mark_safe(  # made from numbers and escaped labels
                effects.story_svg(place, line, after_start=windows.after_start)
            ),
            "areas": AreaKind.choices,
            "marker_kinds": followup.MARKER_KINDS,
        }


class PlaceEffectsView(FollowUpMixin, PlaceObjectMixin, TemplateView):
    """A place's follow-up: the after window from ``?fran=`` (12 months back by default)."""

    permission = "can_view_place"
    place_kwarg = "place"
    template_name = "measures/place_effects.html"

    def _start(self, default):
        text = self.request.GET.get("fran", "")
        try:
            return incidents.parse_month(text) if text else default
        except ValueError:
            messages.warning(self.request, _("Startmånaden gick inte att läsa; standard används."))
            return default

    def get_context_data(self, **kwargs):
        kwargs.pop("place", None)
        place = self.get_place()
        options = self.window_options()
        today = timezone.localdate().replace(day=1)
        start = self._start(followup.add_months(today, -options["months"]))
        windows = followup.Windows.around(start, **options)
        return super().get_context_data(
            place=place,
            windows=windows,
            start=start,
            result=followup.follow_up(place, windows),
            can_manage=has_perm(self.membership, "can_manage_place", place),
            done_measures=Measure.objects.filter(place=place, status=Status.DONE).order_by("title"),
            **options,
            **self.story_context(place, windows),
            **kwargs,
        )


class MeasureEffectsView(FollowUpMixin, MeasureObjectMixin, TemplateView):
    """A measure's follow-up around its actual completion date; ``?med=<id>`` adds other
    measures of the same place, followed up together over the period they span."""

    permission = "can_view_place"
    template_name = "measures/measure_effects.html"

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        place = measure.place
        others = list(
            Measure.objects.filter(place=place, status=Status.DONE)
            .exclude(pk=measure.pk)
            .order_by("title")
        )
        chosen_ids = set()
        for value in self.request.GET.getlist("med"):
            if value.isdigit():
                chosen_ids.add(int(value))
        chosen = [m for m in others if m.pk in chosen_ids]
        options = self.window_options()
        span = effects.measure_span([measure, *chosen])
        context = {
            "measure": measure,
            "place": place,
            "others": others,
            "chosen_ids": {m.pk for m in chosen},
            "span": span,
            **options,
        }
        if span is None:
            context["not_done"] = True
        else:
            windows = span.windows(**options)
            context.update(
                windows=windows,
                result=followup.follow_up(place, windows),
                in_future=windows.after_end > timezone.localdate().replace(day=1),
                **self.story_context(place, windows),
            )
        return super().get_context_data(**context, **kwargs)
