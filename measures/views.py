"""Pages of the action plan, measures, activities and co-financing (plain POST + redirect)."""

import datetime
import mimetypes
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, ListView, TemplateView, UpdateView

from meetings.models import Decision
from partnerships import drafts
from partnerships.exceptions import DomainError
from partnerships.files import file_response
from partnerships.forms import PeriodForm
from partnerships.models import Organisation
from partnerships.permissions import ProgramObjectMixin, ProgramPermissionMixin
from partnerships.rules import acts_for_one_organisation, has_perm
from platser.views import PlaceObjectMixin

from . import exports, origins, selectors, services
from .forms import ActivityForm, MeasureForm, MeasurePhotoForm, StatusForm
from .models import (
    CLOSED_STATUSES,
    STATUS_GROUPS,
    Activity,
    Category,
    Measure,
    MeasurePhoto,
    Status,
)


class MeasureObjectMixin(ProgramObjectMixin):
    """The measure in the URL, fetched through the program (404 outside it)."""

    measure_kwarg = "pk"

    def get_measure(self) -> Measure:
        return self.url_object(
            selectors.measures_for_detail(program=self.program), self.measure_kwarg
        )

    def get_permission_object(self):
        return self.get_measure()


def _plan_filters(request, place):
    status = request.GET.get("status") or None
    category = request.GET.get("kategori") or None
    try:
        organisation = int(request.GET.get("organisation") or 0) or None
    except ValueError:
        organisation = None
    try:
        as_of = datetime.date.fromisoformat(request.GET.get("per") or "")
    except ValueError:
        as_of = None  # no day, or not one: today's plan
    return {
        "status": status if status in Status.values or status in STATUS_GROUPS else None,
        "category": category if category in Category.values else None,
        "organisation": organisation,
        "overdue": request.GET.get("forsenade") == "1",
        "as_of": as_of if as_of and as_of < timezone.localdate() else None,
    }


class ActionPlanView(PlaceObjectMixin, TemplateView):
    """The action plan of a place: filters, overdue measures marked, the headline share."""

    permission = "can_view_place"
    place_kwarg = "place"
    template_name = "measures/action_plan.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("place", None)  # the URL's id; the object goes in below
        place = self.get_place()
        filters = _plan_filters(self.request, place)
        as_of = filters["as_of"]
        day = as_of or timezone.localdate()
        measures = list(selectors.action_plan(place=place, **filters))
        for measure in measures:  # as the plan stood on the day shown (today's by default)
            measure.status_shown = Status(measure.status_then)
            measure.overdue_shown = (
                measure.planned_end is not None
                and measure.planned_end < day
                and measure.status_then not in CLOSED_STATUSES
            )
        overdue = selectors.overdue_filter(
            selectors.measures_as_of(place.measures.all(), day), today=day, field="status_then"
        )
        return super().get_context_data(
            place=place,
            measures=measures,
            share=selectors.plan_share(place=place, as_of=as_of),
            overdue_count=overdue.count(),
            filters=filters,
            query=self.request.GET.urlencode(),
            statuses=[(value, label) for value, (label, _s) in STATUS_GROUPS.items()]
            + Status.choices,
            categories=Category.choices,
            organisations=Organisation.objects.filter(program=self.program).order_by("name"),
            can_manage=has_perm(self.membership, "can_manage_measures", place),
            can_log=has_perm(self.membership, "can_log_activity", place),
            **kwargs,
        )


class ActionPlanExportView(PlaceObjectMixin, View):
    """The (filtered) action plan as CSV or XLSX."""

    permission = "can_view_place"
    place_kwarg = "place"
    file_format = "csv"

    def get(self, request, place):
        place = self.get_place()
        measures = selectors.action_plan(place=place, **_plan_filters(request, place))
        measures = measures.prefetch_related("contributors")
        name = f"atgardsplan-{slugify(place.name)}-{timezone.localdate():%Y-%m-%d}"
        if self.file_format == "xlsx":
            response = HttpResponse(
                exports.action_plan_xlsx(measures, title=str(place)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(
                exports.action_plan_csv(measures), content_type="text/csv; charset=utf-8"
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.file_format}"'
        return response


class DecisionMeasureView(ProgramObjectMixin, TemplateView):
    """A program-wide meeting's decision becomes a measure at the place chosen (``?plats=``):
    on to the new-measure form of that place, prefilled from the decision. Without a valid
    choice, the page to choose on."""

    permission = "can_manage_measures"
    template_name = "measures/decision_measure.html"

    def get_decision(self) -> Decision:
        return self.url_object(
            Decision.objects.filter(program=self.program).select_related("meeting__place"),
            "decision",
        )

    def get_permission_object(self):
        return self.get_decision().meeting.place  # None for a program-wide meeting

    def get(self, request, *args, **kwargs):
        decision = self.get_decision()
        self.places = list(self.program.places.active().restrict(self.membership).order_by("name"))
        raw = request.GET.get("plats")
        chosen = next((p for p in self.places if str(p.pk) == raw), None)
        if chosen is not None:
            target = reverse(
                "measures:measure_create", kwargs={"program": self.program.slug, "place": chosen.pk}
            )
            return redirect(f"{target}?beslut={decision.pk}")
        if raw is not None:
            messages.error(request, _("Välj en av dina platser för åtgärden."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("decision", None)  # the URL's id; the object comes from get_decision()
        return super().get_context_data(decision=self.get_decision(), places=self.places, **kwargs)


class MeasureCreateView(PlaceObjectMixin, CreateView):
    """A new measure; ``?beslut=<id>`` or ``?fynd=<id>`` prefill it from a decision/finding."""

    permission = "can_manage_measures"
    place_kwarg = "place"
    form_class = MeasureForm
    template_name = "measures/measure_form.html"

    @cached_property
    def source(self):
        return origins.source_from_request(self.request, self.program, self.get_place())

    def get(self, request, *args, **kwargs):
        if self.source.refused:
            messages.error(request, self.source.refused)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), **self.source.initial}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(place=self.get_place(), source=self.source, **kwargs)

    def form_valid(self, form):
        source = self.source
        if source.refused:  # the decision or finding in the URL may not make a measure here
            form.add_error(None, source.refused)
            return self.form_invalid(form)
        measure = form.save(commit=False)
        source.apply(measure)
        try:
            measure = services.create_measure(
                actor=self.request.user,
                place=self.get_place(),
                measure=measure,
                contributors=form.cleaned_data["contributors"],
                findings=source.findings,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Åtgärden %(title)s är skapad.") % {"title": measure})
        return HttpResponseRedirect(measure.get_absolute_url())


class MeasureDetailView(MeasureObjectMixin, TemplateView):
    permission = "can_view_place"
    template_name = "measures/measure_detail.html"

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        return super().get_context_data(
            measure=measure,
            place=measure.place,
            history=list(measure.status_changes.select_related("actor")),
            photos=list(measure.photos.all()),
            activities=list(measure.activities.select_related("organisation")[:20]),
            linked=origins.linked_sources(measure),
            can_manage=has_perm(self.membership, "can_manage_measures", measure),
            can_update=has_perm(self.membership, "can_update_measure", measure),
            show_people=has_perm(self.membership, "can_see_personal_data"),
            **kwargs,
        )


class MeasureUpdateView(MeasureObjectMixin, UpdateView):
    permission = "can_manage_measures"
    form_class = MeasureForm
    template_name = "measures/measure_form.html"

    def get_object(self, queryset=None):
        return self.get_measure()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def get_context_data(self, **kwargs):
        return super().get_context_data(place=self.get_measure().place, **kwargs)

    def form_valid(self, form):
        measure = services.update_measure(
            actor=self.request.user,
            measure=form.save(commit=False),
            contributors=form.cleaned_data["contributors"],
            fields=list(form.changed_data),
        )
        messages.success(self.request, _("Åtgärden %(title)s är sparad.") % {"title": measure})
        return HttpResponseRedirect(measure.get_absolute_url())


class MeasureStatusView(MeasureObjectMixin, FormView):
    """Change status (allowed transitions only) and record actual dates and cost."""

    permission = "can_update_measure"
    form_class = StatusForm
    template_name = "measures/status_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "measure": self.get_measure()}

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        return super().get_context_data(measure=measure, place=measure.place, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            measure = services.change_status(
                actor=self.request.user,
                measure=self.get_measure(),
                to_status=data["status"],
                reason=data["reason"],
                actual_start=data["actual_start"],
                actual_end=data["actual_end"],
                actual_cost=data["actual_cost"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Status för %(title)s: %(status)s.")
            % {"title": measure, "status": measure.get_status_display()},
        )
        return HttpResponseRedirect(measure.get_absolute_url())


class MeasurePhotoCreateView(MeasureObjectMixin, CreateView):
    permission = "can_update_measure"
    form_class = MeasurePhotoForm
    template_name = "measures/photo_form.html"

    def get_context_data(self, **kwargs):
        measure = self.get_measure()
        return super().get_context_data(measure=measure, place=measure.place, **kwargs)

    def form_valid(self, form):
        measure = self.get_measure()
        services.add_measure_photo(
            actor=self.request.user,
            measure=measure,
            kind=form.cleaned_data["kind"],
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(self.request, _("Fotot är sparat."))
        return HttpResponseRedirect(measure.get_absolute_url())


def _serve_jpeg(field, name):
    content_type = mimetypes.guess_type(field.name)[0] or "image/jpeg"
    return file_response(
        field, content_type=content_type, filename=name, private_cache_seconds=3600
    )


class MeasurePhotoView(MeasureObjectMixin, View):
    """A measure photo, only through the membership check (media is never public)."""

    permission = "can_view_place"
    measure_kwarg = "measure"

    def get(self, request, measure, pk):
        photo = get_object_or_404(MeasurePhoto.objects.filter(measure=self.get_measure()), pk=pk)
        return _serve_jpeg(photo.image, f"atgard-{measure}-{pk}.jpg")


# --- activities ----------------------------------------------------------------------------


class ActivityStartView(ProgramPermissionMixin, TemplateView):
    """ "Logga aktivitet" from the menu: straight to the form when the user has one place."""

    permission = "can_log_activities"
    template_name = "measures/activity_start.html"

    def get(self, request, *args, **kwargs):
        places = self.get_places()
        if len(places) == 1:
            return redirect(
                "measures:activity_create", program=self.program.slug, place=places[0].pk
            )
        return super().get(request, *args, **kwargs)

    def get_places(self):
        return list(self.program.places.active().restrict(self.membership).order_by("name"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(places=self.get_places(), **kwargs)


class ActivityCreateView(PlaceObjectMixin, FormView):
    """The one-screen phone form: log what was done in under 30 seconds."""

    permission = "can_log_activity"
    place_kwarg = "place"
    form_class = ActivityForm
    template_name = "measures/activity_form.html"

    def get_form_kwargs(self):
        place = self.get_place()
        organisation = None
        if acts_for_one_organisation(self.membership):
            organisation = self.membership.organisation
        organisations = Organisation.objects.filter(program=self.program).order_by("name")
        if organisation is not None:
            organisations = organisations.filter(pk=organisation.pk)
        kwargs = {
            **super().get_form_kwargs(),
            "organisations": organisations,
            "fixed_organisation": organisation,
            "measures": selectors.place_measures_for_activity(place=place),
        }
        measure_id = self.request.GET.get("atgard", "")
        if measure_id.isdigit():
            kwargs.setdefault("initial", {})["measure"] = int(measure_id)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(place=self.get_place(), **kwargs)

    def form_invalid(self, form):
        if drafts.is_draft(self.request):
            return drafts.refused(form)
        return super().form_invalid(form)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            activity, created = services.log_activity(
                actor=self.request.user,
                place=self.get_place(),
                organisation=data["organisation"],
                measure=data["measure"],
                date=data["date"],
                description=data["description"],
                hours=data["hours"],
                cost=data["cost"],
                photo=data["photo"],
                point=data["point"],
                client_id=data["client_id"],
            )
        except (DomainError, ValidationError) as error:
            form.add_error(None, error.messages if hasattr(error, "messages") else str(error))
            return self.form_invalid(form)
        if drafts.is_draft(self.request):
            return drafts.stored(created=created)
        if created:
            messages.success(self.request, _("Aktiviteten är sparad. Tack!"))
        else:
            messages.info(self.request, _("Aktiviteten var redan sparad."))
        return redirect(
            "measures:activity_create", program=self.program.slug, place=activity.place_id
        )


class ActivityListView(PlaceObjectMixin, ListView):
    permission = "can_view_place"
    place_kwarg = "place"
    template_name = "measures/activity_list.html"
    context_object_name = "activities"
    paginate_by = 50

    def get_queryset(self):
        self.period_form, self.start, self.end = PeriodForm.from_request(self.request)
        return selectors.activity_list(
            place=self.get_place(), period_start=self.start, period_end=self.end
        )

    def get_context_data(self, **kwargs):
        place = self.get_place()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            place=place,
            period_form=self.period_form,
            period_start=self.start,
            period_end=self.end,
            query=query.urlencode(),
            totals=selectors.cofinancing(
                program=self.program, place=place, period_start=self.start, period_end=self.end
            ),
            show_people=has_perm(self.membership, "can_see_personal_data"),
            can_log=has_perm(self.membership, "can_log_activity", place),
            **kwargs,
        )


class ActivityPhotoView(ProgramPermissionMixin, View):
    permission = "can_view_place"

    def get(self, request, pk):
        activity = get_object_or_404(Activity.objects.filter(program=self.program), pk=pk)
        return _serve_jpeg(activity.photo, f"aktivitet-{pk}.jpg")


class CofinancingView(ProgramPermissionMixin, TemplateView):
    """Hours and costs per organisation and place in a period (the program's by default),
    hours valued at the program's rate (capped at Vinnova's ceiling)."""

    permission = "is_member"
    template_name = "measures/cofinancing.html"

    def get_context_data(self, **kwargs):
        program = self.program
        form, start, end = PeriodForm.from_request(
            self.request, default=(program.period_start, program.period_end)
        )
        return super().get_context_data(
            period_form=form,
            period_start=start,
            period_end=end,
            totals=selectors.cofinancing(program=program, period_start=start, period_end=end),
            **kwargs,
        )
