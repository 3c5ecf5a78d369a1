"""Report archive, request form, progress page, download, and schedules (plain POST + redirect).

The progress page works without JavaScript (an "Uppdatera" link); with it, static/js/
report_status.js polls the small JSON status view every two seconds and reloads when done.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from partnerships.exceptions import DomainError
from partnerships.files import file_response
from partnerships.permissions import ProgramObjectMixin, ProgramPermissionMixin
from partnerships.rules import has_perm

from . import selectors, services
from .forms import ReportRequestForm, ScheduleForm
from .models import Report, ReportSchedule, narrative_fields


class ReportObjectMixin(ProgramObjectMixin):
    """The report in the URL, fetched through the program (404 outside it)."""

    def get_report(self) -> Report:
        return self.url_object(selectors.report_archive(program=self.program))


class ReportListView(ProgramPermissionMixin, ListView):
    """The program's report archive with each report's status."""

    permission = "can_view_reports"
    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        return selectors.report_archive(program=self.program)


class ReportRequestView(ProgramPermissionMixin, FormView):
    """Ask for a report; it is rendered in the background."""

    permission = "can_request_reports"
    template_name = "reports/report_form.html"
    form_class = ReportRequestForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "program": self.program,
            "membership": self.membership,
            "today": timezone.localdate(),
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            report = services.request_report(
                actor=self.request.user,
                program=self.program,
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                place=data.get("place"),
                narrative=form.narrative(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Rapporten är beställd och skapas nu."))
        return redirect(report.get_absolute_url())


class ReportDetailView(ReportObjectMixin, TemplateView):
    """A report's progress, its failure reason and retry, or its download."""

    permission = "can_view_reports"
    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        report = self.get_report()
        return super().get_context_data(
            report=report,
            stuck=services.is_stuck(report),
            can_retry=has_perm(self.membership, "can_manage_report", report),
            narrative=[
                (Report._meta.get_field(name).verbose_name, getattr(report, name))
                for name in narrative_fields(report.kind)
            ],
            **kwargs,
        )


class ReportStatusView(ReportObjectMixin, View):
    """``{"status": …, "finished": …}`` for the progress page's polling script."""

    permission = "can_view_reports"

    def get(self, request, pk):
        report = self.get_report()
        return JsonResponse(
            {
                "status": report.status,
                "label": report.get_status_display(),
                "finished": report.is_finished,
                # The page tells the truth about a report that waits for a lost worker.
                "stuck": services.is_stuck(report),
            }
        )


class ReportRetryView(ReportObjectMixin, View):
    """Queue a failed or stuck report again."""

    permission = "can_manage_report"

    def get_permission_object(self):
        return self.get_report()

    def post(self, request, pk):
        report = self.get_report()
        try:
            services.retry_report(actor=request.user, report=report)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Rapporten skapas igen."))
        return redirect(report.get_absolute_url())


class ReportDownloadView(ReportObjectMixin, View):
    """The PDF, only through the permission check and only when ready (media is never public)."""

    permission = "can_view_reports"

    def get(self, request, pk):
        report = self.get_report()
        if report.status != Report.Status.READY:
            raise Http404
        return file_response(
            report.pdf,
            content_type="application/pdf",
            as_attachment=True,
            filename=services.pdf_filename(report),
        )


class ScheduleListView(ProgramPermissionMixin, ListView):
    """The program's report schedules."""

    permission = "can_manage_schedules"
    template_name = "reports/schedule_list.html"
    context_object_name = "schedules"

    def get_queryset(self):
        return (
            ReportSchedule.objects.filter(program=self.program)
            .select_related("place")
            .prefetch_related("recipient_members__user")
        )


class ScheduleFormMixin(ProgramObjectMixin):
    permission = "can_manage_schedules"
    template_name = "reports/schedule_form.html"
    form_class = ScheduleForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "program": self.program}

    def form_valid(self, form):
        schedule = form.save(commit=False)
        services.save_schedule(
            actor=self.request.user,
            schedule=schedule,
            members=form.cleaned_data["recipient_members"],
            fields=list(form.changed_data),
        )
        messages.success(self.request, _("Schemat är sparat."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return reverse("reports:schedules", kwargs={"program": self.program.slug})


class ScheduleCreateView(ScheduleFormMixin, FormView):
    pass


class ScheduleUpdateView(ScheduleFormMixin, FormView):
    def get_schedule(self) -> ReportSchedule:
        return self.url_object(self.program.report_schedules.all())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_schedule()}

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(schedule=self.get_schedule(), **kwargs)


class ScheduleDeactivateView(ProgramPermissionMixin, View):
    """Stop a schedule; its reports stay in the archive."""

    permission = "can_manage_schedules"

    def post(self, request, pk):
        schedule = get_object_or_404(ReportSchedule.objects.filter(program=self.program), pk=pk)
        services.deactivate_schedule(actor=request.user, schedule=schedule)
        messages.success(request, _("Schemat är avslutat."))
        return redirect("reports:schedules", program=self.program.slug)
