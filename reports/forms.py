"""Forms for requesting reports and keeping schedules (Swedish messages)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership, Role
from partnerships.rules import acts_for_every_place
from platser.models import Place

from .dates import last_complete_period
from .models import FINAL_NARRATIVE_FIELDS, NARRATIVE_FIELDS, Kind, Report, ReportSchedule

#: A report longer than this is almost certainly a typing mistake (and a very long render).
MAX_PERIOD = datetime.timedelta(days=3 * 366)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportRequestForm(forms.ModelForm):
    """Kind, period, place (for a place report) and the narrative sections."""

    place = forms.ModelChoiceField(
        label=_("Plats"),
        queryset=None,
        required=False,
        help_text=_("Bara för lägesrapport för plats."),
    )

    class Meta:
        model = Report
        fields = ["kind", "place", "period_start", "period_end", *NARRATIVE_FIELDS]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in NARRATIVE_FIELDS},
        }

    def __init__(self, *args, program, membership, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        for name in FINAL_NARRATIVE_FIELDS:
            self.fields[name].help_text = _("Skrivs ut i slutrapporten.")
        self.fields["place"].queryset = (
            program.places.active().restrict(membership).order_by("name")
        )
        self.fields["place"].empty_label = _("Hela programmet")
        if not acts_for_every_place(membership):  # a place lead: reports of their places
            self.fields["kind"].choices = [(Kind.PLACE, Kind.PLACE.label)]
            self.fields["place"].required = True
            self.fields["place"].empty_label = None
        if not self.is_bound:
            start, end = last_complete_period("kvartal", today)
            self.initial.setdefault("period_start", start)
            self.initial.setdefault("period_end", end)

    def clean(self):
        data = super().clean()
        kind, place = data.get("kind"), data.get("place")
        start, end = data.get("period_start"), data.get("period_end")
        if kind == Kind.PLACE and place is None:
            self.add_error("place", _("Välj vilken plats rapporten gäller."))
        if kind and kind != Kind.PLACE:
            data["place"] = None
        if start and end:
            if end < start:
                self.add_error("period_end", _("Periodens slut kan inte ligga före dess början."))
            elif end - start > MAX_PERIOD:
                self.add_error("period_end", _("En rapport kan omfatta högst tre år."))
        return data

    def narrative(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in NARRATIVE_FIELDS}


class EmailListField(forms.CharField):
    """E-mail addresses, one per line (or separated by commas), each validated."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        addresses = [a.strip() for a in text.replace(",", "\n").splitlines() if a.strip()]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("”%(address)s” är ingen giltig e-postadress."), params={"address": address}
                ) from None
        if len(addresses) > 50:
            raise ValidationError(_("Högst 50 mottagare."))
        return list(dict.fromkeys(a.lower() for a in addresses))


class ScheduleForm(forms.ModelForm):
    """A schedule: kind, place (place reports), interval and recipients."""

    recipient_emails = EmailListField(
        label=_("E-postmottagare"),
        required=False,
        help_text=_("En adress per rad. Mottagarna får en länk till rapporten, inte PDF:en."),
    )
    place = forms.ModelChoiceField(
        label=_("Plats"),
        queryset=None,
        required=False,
        help_text=_("Bara för lägesrapport för plats."),
    )
    recipient_members = forms.ModelMultipleChoiceField(
        label=_("Mottagare bland medlemmarna"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReportSchedule
        fields = ["kind", "place", "frequency", "recipient_emails", "recipient_members", "active"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["place"].queryset = Place.objects.filter(
            program=program, archived_at__isnull=True
        ).order_by("name")
        self.fields["place"].empty_label = _("Hela programmet")
        self.fields["recipient_members"].queryset = (
            Membership.objects.filter(program=program)
            .exclude(role=Role.PARTNER)
            .select_related("user")
            .order_by("user__name", "user__email")
        )
        self.fields["recipient_members"].label_from_instance = lambda m: (
            f"{m.user.name or m.user.email} ({m.get_role_display().lower()})"
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.PLACE and data.get("place") is None:
            self.add_error("place", _("Välj vilken plats rapporten gäller."))
        if not data.get("recipient_emails") and not data.get("recipient_members"):
            self.add_error("recipient_emails", _("Ange minst en mottagare."))
        return data
