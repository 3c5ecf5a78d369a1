from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)

from partnerships.files import file_response
from partnerships.models import OrganisationCategory
from partnerships.permissions import ProgramObjectMixin, ProgramPermissionMixin
from partnerships.rules import has_perm

from .. import geo, selectors, services
from ..forms import PlaceForm, StakeholderForm, ZoneBoundaryForm
from ..models import Place, Stakeholder


class PlaceObjectMixin(ProgramObjectMixin):
    """The place in the URL, fetched through the program; the object the permission is about."""

    place_kwarg = "pk"

    def get_place(self) -> Place:
        return self.url_object(self.program.places.select_related("municipality"), self.place_kwarg)

    def get_permission_object(self):
        return self.get_place()


class ProgramHomeView(ProgramPermissionMixin, ListView):
    """The program page: every active place on one map, and in a table 50 at a time with a
    search by place or municipality (a national roll-out has 1,450)."""

    permission = "is_member"
    template_name = "platser/program_home.html"
    context_object_name = "places"
    paginate_by = 50

    def get_queryset(self):
        self.archived = self.request.GET.get("arkiverade") == "1"
        # A search box, not a form field: cut it to size and drop NUL (PostgreSQL refuses it).
        self.search = self.request.GET.get("sok", "").replace("\x00", "").strip()[:100]
        return selectors.place_list(
            program=self.program, archived=self.archived, search=self.search
        )

    def paginate_queryset(self, queryset, page_size):
        # A page number that is not one (or is past the end) shows the nearest page, not a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        geojson, bounds = selectors.places_map(program=self.program, archived=self.archived)
        query = {"arkiverade": "1"} if self.archived else {}
        if self.search:
            query["sok"] = self.search
        return super().get_context_data(
            archived=self.archived,
            search=self.search,
            page_query=urlencode(query),
            places_geojson=geojson,
            bounds=bounds,
            **kwargs,
        )


class PlaceCreateView(ProgramPermissionMixin, CreateView):
    permission = "can_create_places"
    form_class = PlaceForm
    template_name = "platser/place_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def form_valid(self, form):
        place = services.save_place(
            actor=self.request.user,
            program=self.program,
            place=form.save(commit=False),
            zones=form.cleaned_data["zones"],
        )
        messages.success(self.request, _("Platsen %(name)s är skapad.") % {"name": place})
        return HttpResponseRedirect(place.get_absolute_url())


class PlaceUpdateView(PlaceObjectMixin, UpdateView):
    permission = "can_manage_place"
    form_class = PlaceForm
    template_name = "platser/place_form.html"

    def get_object(self, queryset=None):
        return self.get_place()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def form_valid(self, form):
        place = services.save_place(
            actor=self.request.user,
            program=self.program,
            place=form.save(commit=False),
            zones=form.cleaned_data["zones"],
        )
        messages.success(self.request, _("Platsen %(name)s är sparad.") % {"name": place})
        return HttpResponseRedirect(place.get_absolute_url())


class PlaceDetailView(PlaceObjectMixin, DetailView):
    permission = "can_view_place"
    template_name = "platser/place_detail.html"
    context_object_name = "place"

    def get_object(self, queryset=None):
        return self.get_place()

    def get_context_data(self, **kwargs):
        place = self.object
        return super().get_context_data(
            zones=list(place.zones.all()),
            zone_features=geo.zone_features(place.zones.all()),
            stakeholders=list(selectors.stakeholder_register(place=place)),
            can_manage=has_perm(self.membership, "can_manage_place", place),
            bounds=geo.bounds([place.boundary]),
            **kwargs,
        )


class ZoneBoundaryView(PlaceObjectMixin, FormView):
    """Draw a zone of a place as a polygon inside the place's boundary."""

    permission = "can_manage_place"
    template_name = "platser/zone_form.html"
    form_class = ZoneBoundaryForm

    def get_zone(self):
        return self.url_object(self.get_place().zones.all(), "zone")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "zone": self.get_zone()}

    def get_context_data(self, **kwargs):
        place = self.get_place()
        zone = self.get_zone()
        others = [z for z in place.zones.all() if z.pk != zone.pk and z.boundary]
        return super().get_context_data(
            place=place,
            zone=zone,
            bounds=geo.bounds([place.boundary]),
            other_zones=geo.zone_features(others),
            **kwargs,
        )

    def form_valid(self, form):
        zone = services.save_zone_boundary(
            actor=self.request.user, zone=form.zone, boundary=form.cleaned_data["boundary"]
        )
        messages.success(self.request, _("Zonen %(name)s är sparad.") % {"name": zone})
        return HttpResponseRedirect(zone.place.get_absolute_url())


class PlaceArchiveView(PlaceObjectMixin, View):
    permission = "can_manage_place"

    def post(self, request, pk):
        place = self.get_place()
        if request.POST.get("restore"):
            services.restore_place(actor=request.user, place=place)
            messages.success(request, _("Platsen %(name)s är återställd.") % {"name": place})
        else:
            services.archive_place(actor=request.user, place=place)
            messages.success(request, _("Platsen %(name)s är arkiverad.") % {"name": place})
        return redirect(place.get_absolute_url())


class StakeholderListView(PlaceObjectMixin, TemplateView):
    """The stakeholder register of a place, filterable by organisation category."""

    permission = "can_view_place"
    template_name = "platser/stakeholder_list.html"

    def get_context_data(self, **kwargs):
        place = self.get_place()
        category = self.request.GET.get("kategori") or None
        if category not in OrganisationCategory.values:
            category = None
        return super().get_context_data(
            place=place,
            category=category,
            categories=OrganisationCategory.choices,
            stakeholders=selectors.stakeholder_register(place=place, category=category),
            can_manage=has_perm(self.membership, "can_manage_place", place),
            show_contacts=has_perm(self.membership, "can_see_personal_data"),
            **kwargs,
        )


class StakeholderFormMixin(PlaceObjectMixin):
    permission = "can_manage_place"
    place_kwarg = "place"
    form_class = StakeholderForm
    template_name = "platser/stakeholder_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program, "place": self.get_place()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(place=self.get_place(), **kwargs)

    def form_valid(self, form):
        place = self.get_place()
        stakeholder = services.save_stakeholder(
            actor=self.request.user, place=place, stakeholder=form.save(commit=False)
        )
        messages.success(
            self.request, _("%(org)s är sparad som aktör.") % {"org": stakeholder.organisation}
        )
        return redirect("platser:stakeholders", program=self.program.slug, pk=place.pk)


class StakeholderCreateView(StakeholderFormMixin, CreateView):
    pass


class StakeholderUpdateView(StakeholderFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            Stakeholder.objects.filter(place=self.get_place()).select_related("organisation"),
            pk=self.kwargs["pk"],
        )


class StakeholderDeleteView(PlaceObjectMixin, View):
    permission = "can_manage_place"
    place_kwarg = "place"

    def post(self, request, place, pk):
        stakeholder = get_object_or_404(Stakeholder.objects.filter(place=self.get_place()), pk=pk)
        services.remove_stakeholder(actor=request.user, stakeholder=stakeholder)
        messages.success(
            request, _("%(org)s är borttagen som aktör.") % {"org": stakeholder.organisation}
        )
        return redirect("platser:stakeholders", program=self.program.slug, pk=place)


class AgreementDownloadView(PlaceObjectMixin, View):
    """Serve an agreement PDF only through the membership check (media is never public)."""

    permission = "can_view_place"
    place_kwarg = "place"

    def get(self, request, place, pk):
        stakeholder = get_object_or_404(Stakeholder.objects.filter(place=self.get_place()), pk=pk)
        # Always a download: a PDF may carry JavaScript, which the browser's viewer would run
        # under the site's origin if the file were shown inline.
        return file_response(
            stakeholder.agreement_file,
            content_type="application/pdf",
            as_attachment=True,
            filename=f"overenskommelse-{stakeholder.pk}.pdf",
        )
