"""Forms for the action plan and for logging activities (validation with Swedish messages)."""

import uuid
from decimal import Decimal

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Organisation
from platser.fields import PointField
from platser.photos import clean_photo

from .models import MAX_ACTIVITY_HOURS, Activity, Measure, MeasurePhoto, Status

DATE = {"type": "date"}
MONEY = {"inputmode": "decimal", "step": "0.01", "min": "0"}


def _not_negative(value, message):
    if value is not None and value < 0:
        raise forms.ValidationError(message)
    return value


class MeasureForm(forms.ModelForm):
    """Create or fully edit a measure (coordinators and place leads)."""

    # Declared with no queryset: the scoped manager cannot be queried at import time.
    responsible = forms.ModelChoiceField(label=_("Ansvarig organisation"), queryset=None)
    contributors = forms.ModelMultipleChoiceField(
        label=_("Medverkande organisationer"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location = PointField(
        label=_("Plats på kartan"),
        required=False,
        help_text=_("Valfritt. Klicka på kartan där åtgärden görs."),
    )

    class Meta:
        model = Measure
        fields = [
            "title",
            "description",
            "category",
            "type",
            "technique",
            "responsible",
            "contributors",
            "priority",
            "status",
            "planned_start",
            "planned_end",
            "budget",
            "origin",
            "location",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "planned_start": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "planned_end": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "budget": forms.NumberInput(attrs=MONEY),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(program=program).order_by("name")
        self.fields["responsible"].queryset = organisations
        self.fields["contributors"].queryset = organisations
        if self.instance.pk:
            # The status has its own form with the allowed transitions and the history.
            del self.fields["status"]
        else:
            self.fields["status"].choices = [
                (s.value, s.label) for s in (Status.PROPOSED, Status.PLANNED, Status.ONGOING)
            ]

    def clean_budget(self):
        return _not_negative(self.cleaned_data.get("budget"), _("Budgeten kan inte vara negativ."))

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("Planerat slut kan inte vara före planerad start."))
        return data


class StatusForm(forms.Form):
    """Change the status and record actual dates and cost (partners of the responsible org too)."""

    status = forms.ChoiceField(label=_("Ny status"), choices=Status.choices)
    reason = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när åtgärden ställs in."),
    )
    actual_start = forms.DateField(
        label=_("Faktisk start"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    actual_end = forms.DateField(
        label=_("Faktiskt klart"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    actual_cost = forms.DecimalField(
        label=_("Faktisk kostnad (kr)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
    )

    def __init__(self, *args, measure, **kwargs):
        from .models import TRANSITIONS

        super().__init__(*args, **kwargs)
        allowed = [measure.status, *sorted(TRANSITIONS[measure.status])]
        self.fields["status"].choices = [(s, Status(s).label) for s in allowed]
        self.initial.setdefault("status", measure.status)
        self.initial.setdefault("actual_start", measure.actual_start)
        self.initial.setdefault("actual_end", measure.actual_end)
        self.initial.setdefault("actual_cost", measure.actual_cost)

    def clean_actual_cost(self):
        return _not_negative(
            self.cleaned_data.get("actual_cost"), _("Kostnaden kan inte vara negativ.")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end < start:
            self.add_error("actual_end", _("Åtgärden kan inte bli klar före sin start."))
        if data.get("status") == Status.CANCELLED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Ange skälet till att åtgärden ställs in."))
        return data


class MeasurePhotoForm(forms.ModelForm):
    image = forms.FileField(
        label=_("Foto"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )

    class Meta:
        model = MeasurePhoto
        fields = ["kind", "image", "caption"]

    def clean_image(self):
        return clean_photo(self.cleaned_data["image"])


class OwnMeasuresFirstIterator(forms.models.ModelChoiceIterator):
    """The measures the partner's organisation is responsible for or contributes to first, then
    the rest of the place's, as two option groups. The queryset is annotated with ``ours``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset)
        ours = [self.choice(m) for m in rows if m.ours]
        rest = [self.choice(m) for m in rows if not m.ours]
        if ours:
            yield (_("Er organisations åtgärder"), ours)
        if rest:
            yield (_("Övriga åtgärder på platsen") if ours else _("Åtgärder på platsen"), rest)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class ActivityForm(forms.ModelForm):
    """The one-screen phone form. A partner's organisation is fixed; others choose it."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    measure = forms.ModelChoiceField(
        label=_("Hör till åtgärd (valfritt)"),
        queryset=None,
        required=False,
        empty_label=_("Ingen särskild åtgärd"),
    )
    point = PointField(required=False, widget=forms.HiddenInput)
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # A plain file field: clean_photo decodes, checks and re-encodes it (Swedish messages).
    photo = forms.FileField(
        label=_("Foto (valfritt)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-resize": ""}
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "description",
            "date",
            "measure",
            "hours",
            "cost",
            "organisation",
            "photo",
            "point",
            "client_id",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "hours": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            "cost": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }
        labels = {
            "description": _("Vad gjorde ni?"),
            "hours": _("Timmar"),
            "cost": _("Kostnad (kr)"),
        }

    def __init__(self, *args, organisations, fixed_organisation=None, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if fixed_organisation is not None:
            self.fields["organisation"].initial = fixed_organisation.pk
            self.fields["organisation"].disabled = True
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["measure"].queryset = measures
        if fixed_organisation is not None:
            contributes = Measure.contributors.through.objects.filter(
                measure=OuterRef("pk"), organisation=fixed_organisation
            )
            self.fields["measure"].queryset = measures.annotate(
                ours=Q(responsible=fixed_organisation) | Exists(contributes)
            ).order_by("-ours", "title")
            self.fields["measure"].iterator = OwnMeasuresFirstIterator
            self.fields["measure"].widget.choices = self.fields["measure"].choices
        self.fields["date"].initial = timezone.localdate
        self.fields["hours"].initial = None
        self.fields["cost"].initial = None
        self.fields["hours"].required = False
        self.fields["cost"].required = False
        self.fields["hours"].localize = True
        self.fields["cost"].localize = True
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())

    def clean_hours(self):
        hours = self.cleaned_data.get("hours") or Decimal("0")
        _not_negative(hours, _("Timmar kan inte vara negativa."))
        if hours > MAX_ACTIVITY_HOURS:
            raise forms.ValidationError(
                _("Högst %(max)s timmar per aktivitet.") % {"max": MAX_ACTIVITY_HOURS}
            )
        return hours

    def clean_cost(self):
        cost = self.cleaned_data.get("cost") or Decimal("0")
        return _not_negative(cost, _("Kostnaden kan inte vara negativ."))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte vara i framtiden."))
        return date

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            return clean_photo(photo)
        return None
