from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView
from django.views.generic.edit import CreateView

from . import audit, selectors, services
from .exceptions import DomainError
from .forms import (
    AuditFilterForm,
    ContactForm,
    InvitationForm,
    MembershipForm,
    OrganisationForm,
    ProfileForm,
)
from .models import Contact, OrganisationCategory, Role
from .permissions import ProgramPermissionMixin
from .spreadsheets import to_csv


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's programs; with exactly one, go straight to it."""

    template_name = "partnerships/home.html"

    def get(self, request, *args, **kwargs):
        programs = list(selectors.programs_for_user(request.user))
        if len(programs) == 1 and "valj" not in request.GET:
            return redirect(programs[0].get_absolute_url())
        return self.render_to_response({"programs": programs})


class OrganisationListView(ProgramPermissionMixin, ListView):
    permission = "is_member"
    template_name = "partnerships/organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        category = self.request.GET.get("kategori") or None
        if category not in OrganisationCategory.values:
            category = None
        self.category = category
        return selectors.organisation_list(program=self.program, category=category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            categories=OrganisationCategory.choices, category=self.category, **kwargs
        )


class OrganisationDetailView(ProgramPermissionMixin, DetailView):
    permission = "is_member"
    template_name = "partnerships/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset=None):
        try:
            return selectors.organisation_detail(program=self.program, pk=self.kwargs["pk"])
        except self.program.organisations.model.DoesNotExist as exc:
            raise Http404 from exc


class OrganisationFormMixin(ProgramPermissionMixin):
    permission = "can_manage_organisations"
    form_class = OrganisationForm
    template_name = "partnerships/organisation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def form_valid(self, form):
        organisation = form.save(commit=False)
        organisation.program = self.program
        services.save_record(
            actor=self.request.user, instance=organisation, fields=list(form.changed_data) or None
        )
        messages.success(
            self.request, _("Organisationen %(name)s är sparad.") % {"name": organisation}
        )
        return HttpResponseRedirect(organisation.get_absolute_url())


class OrganisationCreateView(OrganisationFormMixin, CreateView):
    pass


class OrganisationUpdateView(OrganisationFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.program.organisations, pk=self.kwargs["pk"])


class ContactFormMixin(ProgramPermissionMixin):
    permission = "can_manage_organisations"
    form_class = ContactForm
    template_name = "partnerships/contact_form.html"

    def get_organisation(self):
        return get_object_or_404(self.program.organisations, pk=self.kwargs["organisation"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.get_organisation(), **kwargs)

    def form_valid(self, form):
        contact = form.save(commit=False)
        organisation = self.get_organisation()
        contact.program = self.program
        contact.organisation = organisation
        services.save_record(actor=self.request.user, instance=contact)
        messages.success(self.request, _("Kontaktpersonen %(name)s är sparad.") % {"name": contact})
        return HttpResponseRedirect(organisation.get_absolute_url())


class ContactCreateView(ContactFormMixin, CreateView):
    pass


class ContactUpdateView(ContactFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            Contact.objects.filter(program=self.program, organisation=self.get_organisation()),
            pk=self.kwargs["pk"],
        )


class ContactDeleteView(ProgramPermissionMixin, View):
    """Remove a contact (POST only). The audit log keeps what it was."""

    permission = "can_manage_organisations"

    def post(self, request, organisation, pk):
        contact = get_object_or_404(
            Contact.objects.filter(program=self.program, organisation_id=organisation), pk=pk
        )
        services.delete_record(actor=request.user, instance=contact)
        messages.success(request, _("Kontaktpersonen %(name)s är borttagen.") % {"name": contact})
        return redirect(contact.organisation.get_absolute_url())


class MemberListView(ProgramPermissionMixin, TemplateView):
    permission = "can_manage_program"
    template_name = "partnerships/member_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=selectors.member_list(program=self.program),
            invitations=selectors.open_invitations(program=self.program),
            **kwargs,
        )


class InviteView(ProgramPermissionMixin, FormView):
    permission = "can_manage_program"
    form_class = InvitationForm
    template_name = "partnerships/invite_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def form_valid(self, form):
        data = form.cleaned_data
        services.invite_member(
            actor=self.request.user,
            program=self.program,
            email=data["email"],
            role=data["role"],
            organisation=data.get("organisation"),
            places=data.get("places") or [],
        )
        messages.success(self.request, _("En inbjudan har skickats till %(email)s.") % data)
        return redirect("partnerships:members", program=self.program.slug)


class InvitationRevokeView(ProgramPermissionMixin, View):
    permission = "can_manage_program"

    def post(self, request, pk):
        invitation = get_object_or_404(self.program.invitations, pk=pk)
        services.revoke_invitation(actor=request.user, invitation=invitation)
        messages.success(
            request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email}
        )
        return redirect("partnerships:members", program=self.program.slug)


class MembershipUpdateView(ProgramPermissionMixin, FormView):
    permission = "can_manage_program"
    form_class = MembershipForm
    template_name = "partnerships/membership_form.html"

    def get_membership(self):
        return get_object_or_404(
            self.program.memberships.select_related("user"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        membership = self.get_membership()
        return {
            **super().get_form_kwargs(),
            "program": self.program,
            "initial": {
                "role": membership.role,
                "organisation": membership.organisation,
                "places": list(membership.places.all()),
            },
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.get_membership(), **kwargs)

    def form_valid(self, form):
        membership = self.get_membership()
        if (
            membership.user_id == self.request.user.pk
            and form.cleaned_data["role"] != Role.COORDINATOR
        ):
            form.add_error("role", _("Du kan inte ta bort din egen samordnarroll."))
            return self.form_invalid(form)
        services.update_membership(
            actor=self.request.user, membership=membership, **form.cleaned_data
        )
        messages.success(self.request, _("Medlemskapet är uppdaterat."))
        return redirect("partnerships:members", program=self.program.slug)


class AuditLogView(ProgramPermissionMixin, ListView):
    """Who changed what and when, in words, filtered; ``?format=csv`` downloads the filtered
    log (one row per changed field)."""

    permission = "can_manage_program"
    template_name = "partnerships/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_filter_form(self) -> AuditFilterForm:
        if not hasattr(self, "_filter_form"):
            people, labels = selectors.audit_log_choices(self.program)
            kinds = sorted(((label, audit.kind_of(label)) for label in labels), key=lambda k: k[1])
            self._filter_form = AuditFilterForm(
                self.request.GET or None, people=people, kinds=kinds
            )
        return self._filter_form

    def get_queryset(self):
        return selectors.audit_log(program=self.program, **self.get_filter_form().filters())

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv()
        return super().get(request, *args, **kwargs)

    def csv(self):
        header = [_("Tidpunkt"), _("Vem"), _("Händelse"), _("Posttyp"), _("Post")]
        header += [_("Uppgift"), _("Före"), _("Efter")]
        rows = [header]
        for entry in self.get_queryset().iterator(chunk_size=500):
            base = [
                audit.show(entry.created_at.isoformat()),
                str(entry.actor or _("systemet")),
                entry.get_action_display(),
                audit.kind(entry),
                entry.object_repr,
            ]
            rows += [base + list(row) for row in audit.describe(entry)] or [base + ["", "", ""]]
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"andringslogg-{self.program.slug}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for entry in context["entries"]:
            entry.rows = audit.describe(entry)
            entry.kind = audit.kind(entry)
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        context["filter_form"] = self.get_filter_form()
        context["csv_query"] = query.urlencode()
        return context


class ProfileView(LoginRequiredMixin, UpdateView):
    """A person's own name, title and phone, with links to the address, password and MFA."""

    form_class = ProfileForm
    template_name = "partnerships/profile.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Dina uppgifter är sparade."))
        return redirect("account_profile")


class InvitationAcceptView(View):
    """The link in an invitation e-mail.

    Logged in with the invited address: accept and go to the program. Not logged in: remember
    the token in the session and send the person to log in or create an account; allauth brings
    them back here afterwards.
    """

    def get(self, request, token):
        invitation = services.find_invitation(token)
        if invitation is None:
            raise Http404
        if not invitation.is_usable:
            return render(
                request,
                "partnerships/invitation_invalid.html",
                {"invitation": invitation},
                status=410,
            )
        if not request.user.is_authenticated:
            request.session["invitation_token"] = token
            # The person reached this page through the invited address, so signing up with that
            # address needs no second verification round (allauth's invitation hook).
            get_adapter(request).stash_verified_email(request, invitation.email)
            return render(
                request,
                "partnerships/invitation_start.html",
                {
                    "invitation": invitation,
                    "next": reverse("invitation_accept", kwargs={"token": token}),
                },
            )
        return render(request, "partnerships/invitation_confirm.html", {"invitation": invitation})

    def post(self, request, token):
        invitation = services.find_invitation(token)
        if invitation is None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect("invitation_accept", token=token)
        try:
            membership = services.accept_invitation(user=request.user, invitation=invitation)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("home")
        request.session.pop("invitation_token", None)
        messages.success(
            request, _("Välkommen till %(program)s!") % {"program": membership.program}
        )
        return redirect(membership.program.get_absolute_url())
