"""Forms for meetings: the meeting with its agenda (a formset you can reorder), attendance per
person, minutes per agenda item, decisions and calendar links."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership
from partnerships.rules import acts_for_every_place

from .models import AgendaItem, Attendance, Decision, Meeting
from .selectors import Person


class MeetingForm(forms.ModelForm):
    """A meeting on one day: the date and the start and end times (mobile-friendly inputs)."""

    # Scoped models: the querysets are set per request in __init__, never at import time.
    place = forms.ModelChoiceField(
        label=_("Plats"),
        queryset=None,
        required=False,
        help_text=_("Lämna tomt för ett möte för hela programmet."),
    )
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Börjar"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Slutar"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    class Meta:
        model = Meeting
        fields = ["title", "kind", "place", "date", "start_time", "end_time", "location"]

    def __init__(self, *args, program, membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        places = program.places.active().restrict(membership).order_by("name")
        if not acts_for_every_place(membership):
            # Place leads hold meetings at their own places; program-wide ones are coordinators'.
            self.fields["place"].required = True
            self.fields["place"].help_text = ""
        else:
            self.fields["place"].empty_label = _("Hela programmet")
        if self.instance.place_id:
            places = places | program.places.filter(pk=self.instance.place_id)
        self.fields["place"].queryset = places
        if self.instance.pk:
            start = timezone.localtime(self.instance.starts_at)
            end = timezone.localtime(self.instance.ends_at)
            self.initial.update(date=start.date(), start_time=start.time(), end_time=end.time())

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start and end:
            tz = timezone.get_current_timezone()
            starts_at = datetime.datetime.combine(date, start, tzinfo=tz)
            ends_at = datetime.datetime.combine(date, end, tzinfo=tz)
            if ends_at <= starts_at:
                self.add_error("end_time", _("Mötet måste sluta efter att det börjar."))
            else:
                self.instance.starts_at = starts_at
                self.instance.ends_at = ends_at
        return data


class AgendaItemForm(forms.Form):
    """One agenda line; an existing item carries its id so that its minutes stay with it."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Punkt"), max_length=300, required=False)


class BaseAgendaFormSet(forms.BaseFormSet):
    def entries(self):
        """``(id or None, title)`` in the order chosen, deleted and empty lines left out."""
        from .services import AgendaEntry

        # ordered_forms leaves out deleted and untouched blank forms; no number sorts last.
        return [
            AgendaEntry(pk=f.cleaned_data.get("item"), title=f.cleaned_data.get("title", ""))
            for f in self.ordered_forms
            if f.cleaned_data.get("title", "").strip()
        ]


AgendaFormSet = forms.formset_factory(
    AgendaItemForm,
    formset=BaseAgendaFormSet,
    extra=3,
    can_order=True,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def agenda_initial(meeting: Meeting | None) -> list[dict]:
    if meeting is None or meeting.pk is None:
        return []
    return [
        {"item": item.pk, "title": item.title, "ORDER": item.position}
        for item in meeting.agenda_items.order_by("position")
    ]


class AttendanceForm(forms.Form):
    """A status per person (radio buttons); leaving "–" means nothing is recorded."""

    CHOICES = [("", _("Ej angivet"))] + list(Attendance.Status.choices)
    KEY = re.compile(r"^person_([cu]\d+)$")

    def __init__(self, *args, people: list[Person], current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.key: p for p in people}
        for person in people:
            self.fields[f"person_{person.key}"] = forms.ChoiceField(
                label=person.name,
                choices=self.CHOICES,
                required=False,
                initial=current.get(person.key, ""),
                widget=forms.RadioSelect,
            )

    def clean(self):
        data = super().clean()
        # Someone not on this meeting's list (another place's or another program's contact).
        unknown = [
            m.group(1)
            for key in self.data
            if (m := self.KEY.match(key)) and m.group(1) not in self.people
        ]
        if unknown:
            raise forms.ValidationError(
                _(
                    "Närvaron kan bara anges för mötets aktörer och programmets medlemmar. "
                    "Ingenting sparades."
                )
            )
        return data

    def rows(self):
        """(person, bound field) pairs for the template, grouped later by organisation."""
        return [(self.people[name[len("person_") :]], self[name]) for name in self.fields]

    def entries(self):
        from .services import AttendanceEntry

        return [
            AttendanceEntry(
                status=self.cleaned_data.get(f"person_{key}", ""),
                contact=person.contact,
                user=person.user if person.contact is None else None,
                organisation=person.organisation,
            )
            for key, person in self.people.items()
        ]


class MinutesForm(forms.Form):
    """A text area per agenda item and one for the general notes."""

    notes = forms.CharField(
        label=_("Allmänna anteckningar"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    chair = forms.CharField(label=_("Ordförande"), max_length=200, required=False)
    secretary = forms.CharField(label=_("Sekreterare"), max_length=200, required=False)
    adjuster = forms.CharField(
        label=_("Justerare"),
        max_length=200,
        required=False,
        help_text=_("Den som läser igenom och skriver under protokollet."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(meeting.agenda_items.order_by("position"))
        self.fields["notes"].initial = meeting.notes
        for field in ("chair", "secretary", "adjuster"):
            self.fields[field].initial = getattr(meeting, field)
        fields = {}
        for item in self.items:
            fields[f"item_{item.pk}"] = forms.CharField(
                label=f"{item.position}. {item.title}",
                max_length=20000,
                required=False,
                initial=item.minutes,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        # The items first, in agenda order; the general notes, then the justering last.
        rest = ("notes", "chair", "secretary", "adjuster")
        self.fields = {**fields, **{name: self.fields[name] for name in rest}}

    def signatories(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("chair", "secretary", "adjuster")}

    def minutes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"].strip() for item in self.items}


class DecisionForm(forms.ModelForm):
    agenda_item = forms.ModelChoiceField(label=_("Dagordningspunkt"), queryset=None, required=False)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Ansvarig organisation"),
        queryset=None,
        required=False,
        help_text=_("Vem som ska se till att beslutet genomförs."),
    )

    class Meta:
        model = Decision
        fields = ["text", "agenda_item", "responsible_organisation"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = 5000
        self.fields["text"].widget.attrs["maxlength"] = 5000
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["agenda_item"].empty_label = _("Ingen särskild punkt")
        self.fields["responsible_organisation"].queryset = meeting.program.organisations.all()
        self.fields["responsible_organisation"].empty_label = _("Ingen")


class CalendarFeedForm(forms.Form):
    place = forms.ModelChoiceField(
        label=_("Plats"), queryset=None, required=False, empty_label=_("Mina möten")
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = program.places.active()
