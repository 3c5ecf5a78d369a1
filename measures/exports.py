"""The action plan as CSV and XLSX (``partnerships.spreadsheets``: Excel's Swedish CSV, typed
XLSX cells, formula-like text guarded)."""

from django.utils.translation import gettext as _

from partnerships.spreadsheets import to_csv, to_xlsx


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


def action_plan_csv(measures) -> bytes:
    return to_csv([_columns(), *(_row(m) for m in measures)])


def action_plan_xlsx(measures, *, title: str) -> bytes:
    """One sheet; dates and amounts keep their types."""
    return to_xlsx(
        [_columns(), *(_row(m) for m in measures)], sheet_title=_("Åtgärdsplan"), title=title
    )
