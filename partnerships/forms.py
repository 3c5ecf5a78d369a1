from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import Contact, Membership, Organisation, Role


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


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789+- ()")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 5):
            raise forms.ValidationError(
                _("Ange ett telefonnummer med siffror, t.ex. 070-123 45 67.")
            )
        return phone


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
        with scopes_disabled():
            already = Membership.objects.filter(program=self.program, user__email=email).exists()
        if already:
            raise forms.ValidationError(_("Personen är redan medlem i programmet."))
        return email


class MembershipForm(_RoleForm):
    pass
