"""The program archive page: request an export (POST), follow its progress, download the bag.

The progress page works without JavaScript (an "Uppdatera" link); with it, the reports' status
script (static/js/report_status.js) polls the JSON status view and reloads when done.
"""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_scopes import scope

from partnerships.exceptions import DomainError
from partnerships.files import file_response
from partnerships.models import AuditEntry, Contact, Membership
from partnerships.permissions import ProgramObjectMixin, ProgramPermissionMixin

from . import personal, retention, services
from .forms import EraseForm, RetentionForm
from .models import Erasure, ProgramExport, RetentionKind, RetentionRule


class ExportObjectMixin(ProgramObjectMixin):
    permission = "can_export_program"

    def get_export(self) -> ProgramExport:
        return self.url_object(
            ProgramExport.objects.filter(program=self.program).select_related("program")
        )


class ExportListView(ProgramPermissionMixin, ListView):
    """Every export of the program, newest first, and the button that asks for a new one."""

    permission = "can_export_program"
    template_name = "records/export_list.html"
    context_object_name = "exports"
    paginate_by = 50

    def get_queryset(self):
        return ProgramExport.objects.filter(program=self.program).select_related("requested_by")

    def post(self, request, *args, **kwargs):
        try:
            export = services.request_export(actor=request.user, program=self.program)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("records:exports", program=self.program.slug)
        messages.success(request, _("Exporten är beställd och skapas nu."))
        return redirect(export.get_absolute_url())


class ExportDetailView(ExportObjectMixin, TemplateView):
    template_name = "records/export_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(export=self.get_export(), **kwargs)


class ExportStatusView(ExportObjectMixin, View):
    def get(self, request, pk):
        export = self.get_export()
        return JsonResponse(
            {
                "status": export.status,
                "label": export.get_status_display(),
                "finished": export.is_finished,
                "stuck": False,
            }
        )


class ExportDownloadView(ExportObjectMixin, View):
    """The .zip, only through the permission check and only when ready."""

    def get(self, request, pk):
        export = self.get_export()
        if export.status != ProgramExport.Status.READY or not export.archive:
            raise Http404
        return file_response(
            export.archive,
            content_type="application/zip",
            as_attachment=True,
            filename=f"{services.bag_name(export)}.zip",
        )


# --- a person's data (GDPR) -----------------------------------------------------------------


def _program_users(program):
    return get_user_model().objects.filter(memberships__program=program).distinct()


class PersonalDataView(ProgramPermissionMixin, TemplateView):
    """The program's members and contacts, each with an extract and an erasure, and the link to
    the retention rules."""

    permission = "can_manage_personal_data"
    template_name = "records/personal_data.html"

    def get_context_data(self, **kwargs):
        erased = Erasure.objects.filter(program=self.program)
        return super().get_context_data(
            users=_program_users(self.program)
            .exclude(pk__in=erased.filter(kind=Erasure.Kind.USER).values("subject_id"))
            .order_by("name", "email"),
            contacts=Contact.objects.filter(program=self.program)
            .exclude(pk__in=erased.filter(kind=Erasure.Kind.CONTACT).values("subject_id"))
            .select_related("organisation")
            .order_by("organisation__name", "name"),
            erasures=erased.select_related("erased_by")[:50],
            **kwargs,
        )


class SubjectMixin(ProgramObjectMixin):
    permission = "can_manage_personal_data"
    kind = ""

    def get_subject(self):
        if self.kind == Erasure.Kind.USER:
            return self.url_object(_program_users(self.program))
        return self.url_object(
            Contact.objects.filter(program=self.program).select_related("organisation")
        )


class ExtractView(SubjectMixin, View):
    """The register extract as a JSON download; making one is audited."""

    def get(self, request, pk):
        subject = self.get_subject()
        data = personal.extract(self.program, subject, made_by=request.user)
        AuditEntry.objects.create(
            program=self.program,
            actor=request.user,
            action=AuditEntry.Action.OTHER,
            model_label=subject._meta.label,
            object_id=str(subject.pk),
            object_repr=str(subject)[:300],
            changes={"registerutdrag": [None, "skapat"]},
        )
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="registerutdrag-{self.kind}-{subject.pk}.json"'
        )
        return response


class EraseView(SubjectMixin, FormView):
    """Confirm and erase: the person becomes "Borttagen person N" everywhere."""

    template_name = "records/erase.html"
    form_class = EraseForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.get_subject(), kind=self.kind, **kwargs)

    def form_valid(self, form):
        try:
            erasure = personal.erase(
                actor=self.request.user,
                program=self.program,
                subject=self.get_subject(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Personuppgifterna är raderade. Personen visas nu som %(name)s.")
            % {"name": erasure.pseudonym},
        )
        return redirect("records:personal_data", program=self.program.slug)


class RetentionView(ProgramPermissionMixin, FormView):
    """The retention period per record type, and what the nightly run would remove now."""

    permission = "can_manage_personal_data"
    template_name = "records/retention.html"
    form_class = RetentionForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "rules": RetentionRule.objects.filter(program=self.program),
        }

    def get_context_data(self, **kwargs):
        listed = retention.due(self.program, timezone.now())
        return super().get_context_data(
            due=[(item, [retention.describe(obj) for obj in item.rows]) for item in listed],
            **kwargs,
        )

    def form_valid(self, form):
        with transaction.atomic():
            for kind in RetentionKind:
                months = form.cleaned_data.get(kind.value)
                rule = RetentionRule.objects.filter(program=self.program, kind=kind).first()
                if months is None:
                    if rule is not None:
                        rule.log_action("delete", actor=self.request.user)
                        rule.delete()
                elif rule is None:
                    rule = RetentionRule.objects.create(
                        program=self.program, kind=kind, months=months
                    )
                    rule.log_action(
                        "create", actor=self.request.user, changes={"months": [None, months]}
                    )
                elif rule.months != months:
                    rule.log_action(
                        "update", actor=self.request.user, changes={"months": [rule.months, months]}
                    )
                    rule.months = months
                    rule.save(update_fields=["months"])
        messages.success(self.request, _("Gallringsreglerna är sparade."))
        return redirect("records:retention", program=self.program.slug)


class UserExtractView(ExtractView):
    kind = Erasure.Kind.USER


class ContactExtractView(ExtractView):
    kind = Erasure.Kind.CONTACT


class UserEraseView(EraseView):
    kind = Erasure.Kind.USER


class ContactEraseView(EraseView):
    kind = Erasure.Kind.CONTACT


class OwnExtractView(LoginRequiredMixin, View):
    """The signed-in person's own register extract: what every program they belong to holds on
    them, as one JSON download (GDPR art. 15). Audited in each program."""

    def get(self, request):
        # The user row itself (request.user is a lazy wrapper).
        user = get_user_model().objects.get(pk=request.user.pk)
        memberships = Membership._base_manager.filter(user=user).select_related("program")
        extracts = []
        for membership in memberships.order_by("program__name"):
            program = membership.program
            with scope(program=program):
                extracts.append(personal.extract(program, user, made_by=user))
                AuditEntry.objects.create(
                    program=program,
                    actor=user,
                    action=AuditEntry.Action.OTHER,
                    model_label=user._meta.label,
                    object_id=str(user.pk),
                    object_repr=str(user)[:300],
                    changes={"registerutdrag": [None, "eget"]},
                )
        response = HttpResponse(
            json.dumps({"program": extracts}, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mitt-registerutdrag.json"'
        return response
