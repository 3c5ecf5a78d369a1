"""The county dashboard ("Översikt"): every active place of the program side by side.

A GET form picks the period; ``?sort=<key>&dir=asc|desc`` sorts on the server (plain header
links, no JavaScript needed), and the table is paginated 50 places a page, sorted across all
places. Every member may read it: it holds figures, never names (DESIGN §7). The map (static/js/
map.js) shows every place with a one-line summary in its popup.
"""

import hashlib

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag, urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from partnerships.forms import PeriodForm
from partnerships.permissions import ProgramPermissionMixin
from surveys.results import definition

from . import dashboard

PAGE_SIZE = 50

# (sort key, column label, first direction): numbers sort biggest first on the first click.
COLUMNS = [
    ("plats", _("Plats"), "asc"),
    ("fas", _("Fas"), "asc"),
    ("aktorer", _("Aktörer"), "desc"),
    ("moten", _("Hållna"), "desc"),
    ("narvaro", _("Närvaro"), "desc"),
    ("planerade", _("Planerade"), "desc"),
    ("pagaende", _("Pågående"), "desc"),
    ("genomforda", _("Genomförda"), "desc"),
    ("forsenade", _("Försenade"), "desc"),
    ("andel", _("Genomförda eller påbörjade"), "desc"),
    ("aktiviteter", _("Antal"), "desc"),
    ("timmar", _("Partnertimmar"), "desc"),
    ("kostnader", _("Kostnader (kr)"), "desc"),
    ("oppna_fynd", _("Öppna"), "desc"),
    ("stangda_fynd", _("Stängda"), "desc"),
    ("index", _("Senaste mätningen"), "desc"),
    ("forandring", _("Förändring"), "desc"),
    ("handelser", _("Förändring (RES)"), "desc"),
]

#: The columns shown by default, so that the table fits a 1280 px screen; ``?kolumner=alla``
#: shows the rest too (the phase, each status, the number of activities, costs, findings).
PRIORITY_COLUMNS = {
    "plats", "aktorer", "moten", "narvaro", "forsenade", "andel", "timmar", "index",
    "forandring", "handelser",
}  # fmt: skip


class DashboardMixin:
    """The period of ``?fran=&till=`` (or the default) and the member's board for it."""

    def get_period(self):
        start, end = dashboard.default_period(self.program)
        if "fran" not in self.request.GET and "till" not in self.request.GET:
            return PeriodForm(initial={"fran": start, "till": end}), start, end
        form = PeriodForm(self.request.GET)
        if form.is_valid():
            return form, form.cleaned_data["fran"], form.cleaned_data["till"]
        return form, start, end

    def get_board(self, start, end):
        return dashboard.dashboard(
            program=self.program, membership=self.membership, period_start=start, period_end=end
        )


class DashboardView(DashboardMixin, ProgramPermissionMixin, TemplateView):
    """All active places in a sortable table and on a map, with program totals."""

    permission = "is_member"
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        form, start, end = self.get_period()
        sort = self.request.GET.get("sort")
        sort = sort if sort in dashboard.SORT_KEYS else dashboard.DEFAULT_SORT
        default_dir = next(d for key, _label, d in COLUMNS if key == sort)
        direction = self.request.GET.get("dir")
        direction = direction if direction in ("asc", "desc") else default_dir
        board = self.get_board(start, end)
        rows = dashboard.sort_rows(board.rows, sort, direction == "desc")
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        dashboard.add_links(page.object_list, self.program, board.effect_windows, (start, end))
        period = {"fran": start.isoformat(), "till": end.isoformat()}
        # Sorted on a column that is not shown by default: it is shown (with the rest).
        all_columns = self.request.GET.get("kolumner") == "alla" or sort not in PRIORITY_COLUMNS
        shown = {key for key, _label, _d in COLUMNS if all_columns or key in PRIORITY_COLUMNS}
        view = {**period, **({"kolumner": "alla"} if all_columns else {})}
        columns = self.columns(sort, direction, view)
        return super().get_context_data(
            form=form,
            board=board,
            page_obj=page,
            rows=page.object_list,
            columns=columns,
            sub_columns=[columns[key] for key, _label, _d in COLUMNS[3:] if key in shown],
            shown=shown,
            all_columns=all_columns,
            groups={
                "measures": sum(k in shown for k in ("planerade", "pagaende", "genomforda")) + 2,
                "activities": sum(k in shown for k in ("aktiviteter", "kostnader")) + 1,
            },
            toggle_query=urlencode(
                {**period, "sort": sort, "dir": direction}
                | ({} if all_columns else {"kolumner": "alla"})
            ),
            sort_column=columns[sort],
            sort=sort,
            direction=direction,
            page_query=urlencode({**view, "sort": sort, "dir": direction}),
            map_query=urlencode(period),
            index_definition=definition(),
            **kwargs,
        )

    @staticmethod
    def columns(sort, direction, period) -> dict:
        """Per sort key: label, the link that sorts by it, and its aria-sort value."""
        columns = {}
        for key, label, first in COLUMNS:
            current = key == sort
            next_dir = ("asc" if direction == "desc" else "desc") if current else first
            columns[key] = {
                "label": label,
                "url": "?" + urlencode({**period, "sort": key, "dir": next_dir}),
                "aria_sort": ("ascending" if direction == "asc" else "descending")
                if current
                else None,
                "current": current,
            }
        return columns


class DashboardMapView(DashboardMixin, ProgramPermissionMixin, View):
    """The dashboard map's GeoJSON for the period, from the same cached board as the table.

    A request of its own so that the page does not carry 1,450 places' map data; the ETag lets
    the browser keep it until the figures change.
    """

    permission = "is_member"

    def get(self, request):
        _form, start, end = self.get_period()
        board = self.get_board(start, end)
        etag = quote_etag(hashlib.sha256(board.geojson).hexdigest()[:32])
        response = HttpResponse(board.geojson, content_type="application/json")
        response["ETag"] = etag
        response = get_conditional_response(request, etag=etag, response=response)
        # Private (figures of one program), and asked again each time: the ETag makes that cheap.
        response["Cache-Control"] = "private, no-cache"
        return response
