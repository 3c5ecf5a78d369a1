"""The program archive page: request an export (POST), follow its progress, download the bag.

The progress page works without JavaScript (an "Uppdatera" link); with it, the reports' status
script (static/js/report_status.js) polls the JSON status view and reloads when done.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from partnerships.exceptions import DomainError
from partnerships.files import file_response
from partnerships.permissions import ProgramObjectMixin, ProgramPermissionMixin

from . import services
from .models import ProgramExport


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
