from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contact, Membership, Organisation, Role, User
from .tenancy import cross_program


def luhn_valid(digits: str) -> bool:
    """The check digit of a Swedish organisation or personal number (the Luhn algorithm over
    the ten digits: every other digit from the first doubled, digit sums added, a multiple of
    ten)."""
    total = 0
    for position, digit in enumerate(int(d) for d in digits):
        product = digit * (2 - position % 2)
        total += product - 9 if product > 9 else product
    return total % 10 == 0


class OrganisationForm(forms.ModelForm):
    """An organisation; its name must be unique within the program (checked here, not by a 500)."""

    class Meta:
        model = Organisation
        fields = ["name", "category", "org_number", "municipality", "website"]
        help_texts = {"org_number": _("Till exempel 212000-2080.")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["municipality"].queryset = self.fields["municipality"].queryset.order_by("name")

    def clean_org_number(self):
        value = self.cleaned_data["org_number"].strip()
        digits = value.replace("-", "")
        if value and (not digits.isdigit() or len(digits) != 10):
            raise forms.ValidationError(
                _("Organisationsnumret ska ha tio siffror, till exempel 212000-2080.")
            )
        if value and not luhn_valid(digits):
            raise forms.ValidationError(
                _(
                    "Organisationsnumret %(value)s stämmer inte: kontrollsiffran (den sista) "
                    "är fel. Kontrollera numret mot Bolagsverket eller Skatteverket."
                )
                % {"value": value}
            )
        return value

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Organisation.objects.filter(program=self.program, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Det finns redan en organisation som heter %(name)s i programmet.")
                % {"name": name}
            )
        return name


def clean_phone_number(value: str) -> str:
    phone = value.strip()
    allowed = set("0123456789+- ()")
    if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 5):
        raise forms.ValidationError(_("Ange ett telefonnummer med siffror, t.ex. 070-123 45 67."))
    return phone


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])


class ProfileForm(forms.ModelForm):
    """A person's own name, title and phone: shown to the program instead of the address."""

    class Meta:
        model = User
        fields = ["name", "title", "phone"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "name": _("Ditt för- och efternamn, som de andra i programmet ser det."),
            "title": _("Frivilligt, till exempel trygghetssamordnare."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Skriv ditt namn."))
        return name

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])


class SignupForm(forms.Form):
    """The extra fields of signing up from an invitation (allauth's
    ``ACCOUNT_SIGNUP_FORM_CLASS``): the name is asked for, title and phone may be given."""

    name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Ditt för- och efternamn, som de andra i programmet ser det."),
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Skriv ditt namn."))
        return name

    def clean_phone(self):
        return clean_phone_number(self.cleaned_data["phone"])

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.title = self.cleaned_data["title"].strip()
        user.phone = self.cleaned_data["phone"]
        user.save(update_fields=["name", "title", "phone"])


class _RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation (för partner)"), queryset=None, required=False
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Platser (för platsansvarig och partner)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["organisation"].queryset = program.organisations.all()
        self.fields["places"].queryset = program.places.active()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.PARTNER and not data.get("organisation"):
            self.add_error("organisation", _("En partner måste höra till en organisation."))
        if role in (Role.PLACE_LEAD, Role.PARTNER) and not data.get("places"):
            self.add_error("places", _("Välj minst en plats."))
        return data


class InvitationForm(_RoleForm):
    email = forms.EmailField(label=_("E-postadress"), max_length=254)
    field_order = ["email", "role", "organisation", "places"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        # A global lookup of one address across programs is needed to tell the inviter that the
        # person is already in *this* program; only this program's rows are compared.
        with cross_program("invitation"):
            already = Membership.objects.filter(program=self.program, user__email=email).exists()
        if already:
            raise forms.ValidationError(_("Personen är redan medlem i programmet."))
        return email


class MembershipForm(_RoleForm):
    pass


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET). Unknown or malformed values are reported, never a 500."""

    person = forms.TypedChoiceField(label=_("Vem"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Posttyp"), required=False)
    text = forms.CharField(label=_("Post"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("Från"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Till"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Alla"))] + [(str(p), n) for p, n in people]
        self.fields["kind"].choices = [("", _("Alla"))] + list(kinds)
        self.fields["text"].help_text = _("Ord i postens namn, till exempel en plats.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Från-datumet ligger efter till-datumet."))
        return cleaned

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "actor_id": data["person"],
            "model_label": data["kind"],
            "text": data["text"].strip(),
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }


class PeriodForm(forms.Form):
    """``?fran=&till=``: the period a page counts (the dashboard, co-financing, the lists its
    figures link to). With ``required=False`` either end may be left open."""

    fran = forms.DateField(label=_("Från"), widget=forms.DateInput(attrs={"type": "date"}))
    till = forms.DateField(label=_("Till"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = required

    def clean(self):
        data = super().clean()
        if data.get("fran") and data.get("till") and data["till"] < data["fran"]:
            raise forms.ValidationError(_("Periodens slut kan inte ligga före dess början."))
        return data

    @classmethod
    def from_request(cls, request, default=(None, None)):
        """``(form, start, end)`` of the request's ``?fran=&till=``; without either, ``default``
        (shown in the form); invalid input keeps the default and the form's errors say why."""
        start, end = default
        if "fran" not in request.GET and "till" not in request.GET:
            return cls(initial={"fran": start, "till": end}, required=False), start, end
        form = cls(request.GET, required=False)
        if form.is_valid():
            return form, form.cleaned_data["fran"], form.cleaned_data["till"]
        return form, start, end
