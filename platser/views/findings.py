"""Pages for findings and safety walks at a place.

Every view fetches the place through ``request.program`` (404 for another program's ids) and
the finding or walk through the place; permissions are the predicates in ``platser.rules``.
"""

import datetime
import io
import mimetypes

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from partnerships import drafts
from partnerships.exceptions import DomainError
from partnerships.files import file_response
from partnerships.models import Organisation
from partnerships.pdf import render_pdf
from partnerships.rules import has_perm

from .. import geo, selectors, services
from ..forms import FindingForm, FindingStatusForm, SafetyWalkForm
from ..models import Finding, SafetyWalk
from ..svgmap import Marker, route_svg
from .places import PlaceObjectMixin


class PlaceScopedMixin(PlaceObjectMixin):
    """The place comes from the ``place`` URL kwarg; shared page context."""

    place_kwarg = "place"

    def place_context(self) -> dict:
        place = self.get_place()
        return {
            "place": place,
            "bounds": geo.bounds([place.boundary]),
            "show_people": has_perm(self.membership, "can_see_personal_data"),
        }

    def get_context_data(self, **kwargs):
        kwargs.pop("place", None)  # the URL's id; the object comes from place_context()
        return super().get_context_data(**{**kwargs, **self.place_context()})


class FindingObjectMixin(PlaceScopedMixin):
    def get_finding(self) -> Finding:
        return self.url_object(selectors.finding_list(place=self.get_place()))

    def get_permission_object(self):
        return self.get_finding()


class WalkObjectMixin(PlaceScopedMixin):
    def get_walk(self) -> SafetyWalk:
        return self.url_object(selectors.walks_for_detail(place=self.get_place()))

    def get_permission_object(self):
        return self.get_walk()


# --- findings --------------------------------------------------------------------------------


class FindingListView(PlaceScopedMixin, TemplateView):
    """The findings of a place on a map and in a list, with the same filters for both."""

    permission = "can_view_place"
    template_name = "platser/finding_list.html"

    FILTERS = {
        "kategori": ("category", Finding.Category),
        "status": ("status", Finding.Status),
        "kalla": ("source", Finding.Source),
    }

    def get_context_data(self, **kwargs):
        place = self.get_place()
        filters = {}
        for param, (name, choices) in self.FILTERS.items():
            value = self.request.GET.get(param)
            grouped = name == "status" and value in Finding.STATUS_GROUPS
            allowed = value in choices.values or grouped
            filters[name] = value if allowed else None
        organisations = list(
            Organisation.objects.filter(program=self.program).order_by("name").only("pk", "name")
        )
        org = self.request.GET.get("radighet", "")
        filters["organisation"] = (
            int(org) if org.isdigit() and int(org) in {o.pk for o in organisations} else None
        )
        try:  # ?per=: the findings as they stood at the end of a past day (the dashboard's)
            as_of = datetime.date.fromisoformat(self.request.GET.get("per") or "")
        except ValueError:
            as_of = None
        as_of = as_of if as_of and as_of < timezone.localdate() else None
        findings = list(selectors.finding_list(place=place, as_of=as_of, **filters))
        return super().get_context_data(
            findings=findings,
            findings_geojson=selectors.findings_geojson(findings, place=place),
            filters=filters,
            filtered=any(filters.values()),
            as_of=as_of,
            categories=Finding.Category.choices,
            statuses=Finding.Status.choices
            + [(value, label) for value, (label, _s) in Finding.STATUS_GROUPS.items()],
            sources=Finding.Source.choices,
            organisations=organisations,
            colours=selectors.CATEGORY_COLOURS,
            can_add=has_perm(self.membership, "can_add_finding", place),
            **kwargs,
        )


class FindingCreateView(PlaceScopedMixin, CreateView):
    """Report a finding, on a phone in one screen; ``?vandring=<id>`` preselects a walk."""

    permission = "can_add_finding"
    form_class = FindingForm
    template_name = "platser/finding_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "place": self.get_place()}

    def get_initial(self):
        walk = self.request.GET.get("vandring", "")
        if walk.isdigit() and self.get_place().walks.filter(pk=walk).exists():
            return {"walk": int(walk), "source": Finding.Source.WALK}
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs)

    def form_invalid(self, form):
        if drafts.is_draft(self.request):
            return drafts.refused(form)
        return super().form_invalid(form)

    def form_valid(self, form):
        finding = form.save(commit=False)
        finding.client_id = form.cleaned_data.get("client_id")
        if not finding.walk_id:
            finding.walk_client_id = form.cleaned_data.get("walk_client_id")
        try:
            finding, created = services.report_finding_once(
                actor=self.request.user,
                place=self.get_place(),
                finding=finding,
                scores=form.scores() if finding.walk_id or finding.walk_client_id else None,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if drafts.is_draft(self.request) and not drafts.is_now(self.request):
            return drafts.stored(created=created, url=finding.get_absolute_url())
        messages.success(
            self.request, _("Fyndet är sparat.") if created else _("Fyndet var redan sparat.")
        )
        url = finding.walk.get_absolute_url() if finding.walk_id else finding.get_absolute_url()
        if drafts.is_draft(self.request):
            return drafts.stored(created=created, url=url)
        return redirect(url)


class FindingUpdateView(FindingObjectMixin, UpdateView):
    permission = "can_manage_findings"
    form_class = FindingForm
    template_name = "platser/finding_form.html"

    def get_object(self, queryset=None):
        return self.get_finding()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "place": self.get_place()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            finding = services.update_finding(
                actor=self.request.user,
                finding=form.save(commit=False),
                fields=[f for f in form.changed_data if f in form._meta.fields],
                scores=form.scores(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Fyndet är sparat."))
        return redirect(finding.get_absolute_url())


class FindingDetailView(FindingObjectMixin, DetailView):
    """One finding with its photo, where it is, who can fix it, and the status form."""

    permission = "can_view_place"
    template_name = "platser/finding_detail.html"
    context_object_name = "finding"

    def get_object(self, queryset=None):
        return self.get_finding()

    def get_context_data(self, **kwargs):
        finding = self.object
        can_manage = has_perm(self.membership, "can_manage_findings", finding)
        return super().get_context_data(
            finding_geojson=selectors.findings_geojson([finding], place=finding.place),
            can_manage=can_manage,
            status_form=FindingStatusForm(finding=finding) if can_manage else None,
            **kwargs,
        )


class FindingStatusView(FindingObjectMixin, View):
    """POST: change a finding's status through the service; errors come back as a message."""

    permission = "can_manage_findings"

    def post(self, request, place, pk):
        finding = self.get_finding()
        form = FindingStatusForm(request.POST, finding=finding)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(finding.get_absolute_url())
        try:
            services.change_finding_status(
                actor=request.user,
                finding=finding,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Status ändrad till %(s)s.") % {"s": finding.get_status_display()}
            )
        return redirect(finding.get_absolute_url())


class FindingPhotoView(FindingObjectMixin, View):
    """Serve a finding's photo through the membership check (media is never public)."""

    permission = "can_view_place"

    def get(self, request, place, pk):
        finding = self.get_finding()
        return file_response(
            finding.photo,
            content_type=mimetypes.guess_type(finding.photo.name)[0] or "image/jpeg",
            private_cache_seconds=3600,
        )


# --- safety walks ------------------------------------------------------------------------------


class WalkListView(PlaceScopedMixin, TemplateView):
    """The safety walks of a place, with their follow-up dates (overdue ones stand out)."""

    permission = "can_view_place"
    template_name = "platser/walk_list.html"

    def get_context_data(self, **kwargs):
        place = self.get_place()
        return super().get_context_data(
            walks=list(selectors.walk_list(place=place)),
            today=timezone.localdate(),
            can_manage=has_perm(self.membership, "can_manage_walks", place),
            **kwargs,
        )


class WalkFormMixin(PlaceScopedMixin):
    permission = "can_manage_walks"
    form_class = SafetyWalkForm
    template_name = "platser/walk_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "place": self.get_place()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            walk = services.save_walk(
                actor=self.request.user,
                place=self.get_place(),
                walk=form.save(commit=False),
                participants=form.participants(),
                scores=form.scores(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Trygghetsvandringen är sparad."))
        return redirect(walk.get_absolute_url())


class WalkCreateView(WalkFormMixin, CreateView):
    """A new walk; from a phone's draft (``X-Trygga-Draft``) it is stored once by client id and
    answered in JSON (``partnerships.drafts``)."""

    def form_invalid(self, form):
        if drafts.is_draft(self.request):
            return drafts.refused(form)
        return super().form_invalid(form)

    def form_valid(self, form):
        walk = form.save(commit=False)
        walk.client_id = form.cleaned_data.get("client_id")
        try:
            walk, created = services.save_walk_once(
                actor=self.request.user,
                place=self.get_place(),
                walk=walk,
                participants=form.participants(),
                scores=form.scores(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        if drafts.is_draft(self.request):
            if drafts.is_now(self.request):
                messages.success(self.request, _("Trygghetsvandringen är sparad."))
            return drafts.stored(created=created, url=walk.get_absolute_url())
        messages.success(
            self.request,
            _("Trygghetsvandringen är sparad.")
            if created
            else _("Trygghetsvandringen var redan sparad."),
        )
        return redirect(walk.get_absolute_url())


class WalkUpdateView(WalkObjectMixin, WalkFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return self.get_walk()


def walk_findings_context(walk: SafetyWalk) -> dict:
    """The walk's findings (numbered as on the map), and the static SVG map of the walk."""
    findings = list(
        selectors.finding_list(place=walk.place, walk=walk).order_by("created_at", "pk")
    )
    by_finding = selectors.stop_scores(findings)
    for finding in findings:
        finding.stop_scores = by_finding[finding.pk]
    markers = [
        Marker(*f.lonlat, label=str(i), colour=selectors.CATEGORY_COLOURS[f.category])
        for i, f in enumerate(findings, start=1)
    ]
    title = _("Karta över rutten och fynden")
    return {
        "findings": findings,
        "scores": selectors.walk_score_summary(walk),
        "route_map": route_svg(
            boundary=walk.place.boundary, route=walk.route, markers=markers, title=title
        ),
    }


class WalkDetailView(WalkObjectMixin, DetailView):
    """A walk and its follow-up: participants, route, and each finding's current status."""

    permission = "can_view_place"
    template_name = "platser/walk_detail.html"
    context_object_name = "walk"

    def get_object(self, queryset=None):
        return self.get_walk()

    def get_context_data(self, **kwargs):
        walk = self.object
        context = walk_findings_context(walk)
        return super().get_context_data(
            **context,
            counts=_status_counts(context["findings"]),
            today=timezone.localdate(),
            can_manage=has_perm(self.membership, "can_manage_walks", walk),
            can_add=has_perm(self.membership, "can_add_finding", walk),
            **kwargs,
        )


def _status_counts(findings) -> list[tuple[str, str, int]]:
    return [
        (status.value, status.label, sum(1 for f in findings if f.status == status))
        for status in Finding.Status
    ]


class WalkFollowedUpView(WalkObjectMixin, View):
    """POST: mark the walk as followed up today."""

    permission = "can_manage_walks"

    def post(self, request, place, pk):
        walk = self.get_walk()
        services.mark_walk_followed_up(actor=request.user, walk=walk, on=timezone.localdate())
        messages.success(request, _("Uppföljningen är registrerad."))
        return redirect(walk.get_absolute_url())


class WalkProtocolView(WalkObjectMixin, View):
    """The walk protocol as a PDF: participants, route map and findings with photos."""

    permission = "can_view_place"

    def get(self, request, place, pk):
        walk = self.get_walk()
        context = walk_findings_context(walk)
        findings = context["findings"]
        pdf = render_pdf(
            "platser/pdf/walk_protocol.html",
            {
                "walk": walk,
                "place": walk.place,
                "program": self.program,
                "counts": _status_counts(findings),
                **context,
            },
            media=[f.photo.name for f in findings if f.photo],
        )
        return FileResponse(
            io.BytesIO(pdf),
            content_type="application/pdf",
            as_attachment=False,
            filename=f"trygghetsvandring-{walk.date.isoformat()}.pdf",
        )
