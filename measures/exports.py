"""The action plan as CSV (UTF-8 with BOM, semicolons, for Excel in Swedish) and XLSX.

Cells that a spreadsheet would read as a formula (starting with = + - @, or a tab/CR) get a
leading apostrophe, so an exported title like ``=HYPERLINK(...)`` stays text (CSV injection).
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet will not evaluate; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _columns():
    return [
        _("Rubrik"),
        _("Beskrivning"),
        _("Kategori"),
        _("Typ"),
        _("Teknik"),
        _("Ansvarig organisation"),
        _("Medverkande organisationer"),
        _("Prioritet"),
        _("Status"),
        _("Planerad start"),
        _("Planerat klart"),
        _("Faktisk start"),
        _("Faktiskt klart"),
        _("Budget (kr)"),
        _("Faktisk kostnad (kr)"),
        _("Ursprung"),
        _("Försenad"),
    ]


def _row(m):
    return [
        m.title,
        m.description,
        m.get_category_display(),
        m.get_type_display(),
        m.get_technique_display() if m.technique else "",
        m.responsible.name,
        ", ".join(o.name for o in m.contributors.all()),
        m.get_priority_display(),
        m.get_status_display(),
        m.planned_start,
        m.planned_end,
        m.actual_start,
        m.actual_end,
        m.budget,
        m.actual_cost,
        m.get_origin_display(),
        _("ja") if m.is_overdue else _("nej"),
    ]


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace(".", ",") if not isinstance(value, str) else value


def action_plan_csv(measures) -> bytes:
    """CSV bytes with a BOM so Excel opens the Swedish characters correctly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_columns())
    for measure in measures:
        writer.writerow([safe_cell(_text(v)) for v in _row(measure)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def action_plan_xlsx(measures, *, title: str) -> bytes:
    """An XLSX workbook with one sheet; dates and amounts keep their types."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Åtgärdsplan")[:31]
    sheet.append(_columns())
    for measure in measures:
        sheet.append([safe_cell(v) for v in _row(measure)])
    for column in ("J", "K", "L", "M"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
