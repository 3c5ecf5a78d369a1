"""The import of a place's incident statistics. The follow-up page is in
measures.views_effects: it shows the measures and survey waves too.

Coordinators and the place's leads import and undo. The import is two steps: the file is
checked and shown with its column mapping, and saved only when the whole file is valid and the
import is confirmed. The file waits between the steps in storage under a path made of the
program, place and user, so a token names nobody else's upload.
"""

import re
import uuid

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from .. import incidents
from ..models import IncidentImport, IncidentSource
from .places import PlaceObjectMixin

TOKEN = re.compile(r"[0-9a-f]{32}")
FIELD_LABELS = {
    "month": gettext_lazy("Månad"),
    "place": gettext_lazy("Plats"),
    "area": gettext_lazy("Område (plats, buffert, jämförelse)"),
    "category": gettext_lazy("Kategori"),
    "count": gettext_lazy("Antal"),
    "date": gettext_lazy("Datum (en rad per händelse)"),
    "lon": gettext_lazy("Longitud"),
    "lat": gettext_lazy("Latitud"),
}


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Källa"), choices=IncidentSource.choices)
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller XLSX)"),
        required=False,
        help_text=gettext_lazy(
            "En rad per månad och kategori (månad, kategori, antal, gärna område), eller en "
            "rad per händelse med datum och koordinater."
        ),
    )


class IncidentImportView(PlaceObjectMixin, TemplateView):
    permission = "can_manage_place"
    place_kwarg = "place"
    template_name = "platser/incident_import.html"

    def _pending_path(self, token):
        return (
            f"incident-imports/pending/{self.program.pk}/{self.get_place().pk}/"
            f"{self.request.user.pk}/{token}"
        )

    def get_context_data(self, **kwargs):
        kwargs.pop("place", None)
        place = self.get_place()
        return super().get_context_data(
            place=place,
            form=kwargs.pop("form", None) or ImportForm(),
            imports=IncidentImport.objects.filter(program=self.program, place=place)
            .select_related("created_by", "undone_by")
            .order_by("-created_at")[:50],
            field_labels=FIELD_LABELS,
            **kwargs,
        )

    def post(self, request, place):
        place = self.get_place()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token = request.POST.get("token", "")
        upload = form.cleaned_data["file"]
        if upload is not None:
            if upload.size > incidents.MAX_FILE_BYTES:
                form.add_error("file", _("Filen är för stor (högst 20 MB)."))
                return self.render_to_response(self.get_context_data(form=form))
            data = upload.read()
            name = upload.name
            token = uuid.uuid4().hex
            default_storage.save(self._pending_path(token), ContentFile(data))
            request.session[f"incident-import-{token}"] = name[:200]
        elif TOKEN.fullmatch(token) and default_storage.exists(self._pending_path(token)):
            with default_storage.open(self._pending_path(token)) as handle:
                data = handle.read()
            name = request.session.get(f"incident-import-{token}", "import.csv")
        else:
            form.add_error("file", _("Välj en fil att importera."))
            return self.render_to_response(self.get_context_data(form=form))
        incidents.ensure_standard_categories(self.program)
        try:
            rows = incidents.read_rows(data)
        except incidents.ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        mapping = self._mapping(rows[0])
        parsed = incidents.parse_file(self.program, rows, mapping, only_place=place)
        source = form.cleaned_data["source"]
        if parsed.valid and request.POST.get("confirm"):
            record, created = incidents.save_import(
                self.program,
                user=request.user,
                source=source,
                data=data,
                filename=name,
                parsed=parsed,
                place=place,
            )
            default_storage.delete(self._pending_path(token))
            if created:
                messages.success(
                    request,
                    _("%(n)d antal importerade för %(start)s–%(end)s.")
                    % {
                        "n": len(parsed.counts),
                        "start": f"{record.period_start:%Y-%m}",
                        "end": f"{record.period_end:%Y-%m}",
                    }
                    + (
                        " " + _("%(n)d tidigare antal ersattes.") % {"n": record.replaced}
                        if record.replaced
                        else ""
                    ),
                )
            else:
                messages.info(request, _("Filen var redan importerad; ingenting ändrades."))
            return redirect(
                reverse(
                    "measures:place_effects",
                    kwargs={"program": self.program.slug, "place": place.pk},
                )
            )
        header = [str(cell if cell is not None else "") for cell in rows[0]]
        return self.render_to_response(
            self.get_context_data(
                form=form,
                preview=True,
                token=token,
                file_name=name,
                source=source,
                header=list(enumerate(header)),
                sample=[[str(c if c is not None else "") for c in row] for row in rows[1:11]],
                mapping=mapping,
                parsed=parsed,
                errors=parsed.errors,
                replaced=incidents.replaced_count(self.program, source, parsed),
                already=incidents.already_imported(self.program, source, data),
            )
        )

    def _mapping(self, header):
        chosen = {}
        for name in FIELD_LABELS:
            value = self.request.POST.get(f"col_{name}")
            if value is None:
                continue
            if value.isdigit() and int(value) < len(header):
                chosen[name] = int(value)
        if not any(f"col_{name}" in self.request.POST for name in FIELD_LABELS):
            return incidents.guess_mapping(header)
        return chosen


class IncidentImportUndoView(PlaceObjectMixin, View):
    permission = "can_manage_place"
    place_kwarg = "place"

    def post(self, request, place, pk):
        place = self.get_place()
        record = self.url_object(
            IncidentImport.objects.filter(
                program=self.program, place=place, undone_at__isnull=True
            ),
            "pk",
        )
        removed = incidents.undo_import(record, user=request.user)
        messages.success(
            request,
            _("Importen %(name)s är ångrad: %(n)d antal togs bort.")
            % {"name": record.original_name, "n": removed},
        )
        return redirect(
            reverse(
                "platser:incident_import", kwargs={"program": self.program.slug, "place": place.pk}
            )
        )
