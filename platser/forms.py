from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnerships.models import Organisation

from .fields import PolygonField
from .models import Municipality, Place, Stakeholder

MAX_ZONES = 20


class PlaceForm(forms.ModelForm):
    """A place with its boundary and zones (one zone name per line)."""

    boundary = PolygonField(
        label=_("Avgränsning"),
        required=False,
        help_text=_(
            "Klicka på kartan för att sätta ut hörnen och välj sedan ”Klar”. Utan mus går det "
            "att klistra in GeoJSON i rutan."
        ),
    )
    zones = forms.CharField(
        label=_("Zoner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En zon per rad, till exempel Stationen, Stadsparken, Torget."),
    )

    class Meta:
        model = Place
        fields = ["name", "municipality", "description", "phase", "baseline_date", "boundary"]
        widgets = {"baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["zones"] = "\n".join(z.name for z in self.instance.zones.all())

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Place.objects.filter(program=self.program, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Det finns redan en plats med det namnet i programmet."))
        return name

    def clean_zones(self):
        names = []
        for line in self.cleaned_data["zones"].splitlines():
            name = line.strip()
            if not name:
                continue
            if len(name) > 100:
                raise forms.ValidationError(_("Ett zonnamn får vara högst 100 tecken."))
            if name.lower() in (n.lower() for n in names):
                raise forms.ValidationError(_("Zonen %(name)s står två gånger.") % {"name": name})
            names.append(name)
        if len(names) > MAX_ZONES:
            raise forms.ValidationError(_("En plats kan ha högst %(n)s zoner.") % {"n": MAX_ZONES})
        return names


def validate_pdf(upload) -> None:
    """Accept only a real PDF within the size limit; the message says what was wrong."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise forms.ValidationError(
            _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(max)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": settings.MAX_UPLOAD_MB}
        )
    head = upload.read(5)
    upload.seek(0)
    if not upload.name.lower().endswith(".pdf") or head != b"%PDF-":
        raise forms.ValidationError(_("Överenskommelsen måste vara en PDF-fil."))


class StakeholderForm(forms.ModelForm):
    # Declared with no queryset: the scoped manager cannot be queried at import time.
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)

    class Meta:
        model = Stakeholder
        fields = [
            "organisation",
            "group",
            "commitment",
            "joined_on",
            "left_on",
            "agreement_type",
            "agreement_signed_on",
            "agreement_file",
        ]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreement_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreement_file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args, program, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.place = place
        self.fields["organisation"].queryset = Organisation.objects.filter(program=program)
        if self.instance.pk:
            # The organisation of an existing stakeholder is fixed; remove and add instead.
            self.fields["organisation"].disabled = True

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        duplicate = Stakeholder.objects.filter(place=self.place, organisation=organisation)
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(
                _("%(org)s är redan aktör på platsen.") % {"org": organisation}
            )
        return organisation

    def clean_agreement_file(self):
        upload = self.cleaned_data.get("agreement_file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_pdf(upload)
        return upload

    def clean(self):
        data = super().clean()
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("Datumet då aktören lämnade kan inte vara före anslutningen."))
        if (data.get("agreement_signed_on") or data.get("agreement_file")) and not data.get(
            "agreement_type"
        ):
            self.add_error("agreement_type", _("Ange vilken sorts överenskommelse det är."))
        return data
