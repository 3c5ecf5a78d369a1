from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RetentionKind


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=300,
        required=False,
        help_text=_("Till exempel ”Begäran om radering 2026-03-14”. Skriv inga namn."),
    )
    confirm = forms.BooleanField(
        label=_("Jag förstår att personuppgifterna tas bort och att det inte kan ångras."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta raderingen.")},
    )


class RetentionForm(forms.Form):
    """One field per record type: months to keep it, or empty to keep it until further."""

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {rule.kind: rule.months for rule in rules or []}
        for kind in RetentionKind:
            self.fields[kind.value] = forms.IntegerField(
                label=kind.label,
                required=False,
                min_value=1,
                max_value=600,
                initial=current.get(kind.value),
                help_text=_("Antal månader. Lämna tomt för att inte gallra."),
                error_messages={
                    "invalid": _("Ange ett helt antal månader."),
                    "min_value": _("Ange minst 1 månad."),
                    "max_value": _("Ange högst 600 månader."),
                },
            )
