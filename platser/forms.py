import calendar
import datetime
import uuid

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from partnerships.files import megabytes
from partnerships.models import Municipality, Organisation

from . import geo
from .fields import LineField, PointField, PolygonField
from .models import Criterion, Finding, Place, SafetyWalk, Stakeholder, WalkScore
from .photos import clean_photo
from .widgets import GeoJSONWidget

MAX_ZONES = 20


class PlaceForm(forms.ModelForm):
    """A place with its boundary and zones (one zone name per line)."""

    boundary = PolygonField(
        label=_("Avgränsning"),
        required=False,
        # The map jumps to the municipality chosen while nothing is drawn.
        widget=GeoJSONWidget("Polygon", follow="id_municipality", centres="municipality-centres"),
        help_text=_(
            "Välj kommun så flyttas kartan dit. Klicka på kartan för att sätta ut hörnen och välj "
            "sedan ”Klar”; dra ett hörn för att flytta det. Utan mus går det att klistra in "
            "GeoJSON i rutan."
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

    @cached_property
    def municipality_centres(self) -> dict[int, tuple[float, float]]:
        """``{municipality id: (lat, lon)}``: where the map jumps when one is chosen."""
        return {m.pk: m.centre for m in self.fields["municipality"].queryset if m.centre}

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


class ZoneBoundaryForm(forms.Form):
    """A zone's boundary, drawn over its place's (and refused outside it)."""

    boundary = PolygonField(
        label=_("Zonens avgränsning"),
        required=False,
        widget=GeoJSONWidget("Polygon", center="place-bounds", context="place-boundary"),
        help_text=_(
            "Klicka på kartan för att sätta ut zonens hörn inom platsen och välj sedan ”Klar”; "
            "dra ett hörn för att flytta det. Töm fältet för att ta bort zonens avgränsning."
        ),
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        if not self.is_bound:
            self.initial["boundary"] = zone.boundary

    def clean_boundary(self):
        return geo.validate_polygon_within(self.cleaned_data["boundary"], self.zone.place.boundary)


def validate_pdf(upload) -> None:
    """Accept only a real PDF within the size limit; the message says what was wrong."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise forms.ValidationError(
            _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(max)s MB.")
            % {"size": megabytes(upload.size), "max": settings.MAX_UPLOAD_MB}
        )
    head = upload.read(5)
    upload.seek(0)
    if not upload.name.lower().endswith(".pdf") or head != b"%PDF-":
        raise forms.ValidationError(_("Överenskommelsen måste vara en PDF-fil."))
    try:  # a file that only starts like a PDF is not one: it must open with pages in it
        pages = len(PdfReader(upload, strict=False).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        pages = 0
    finally:
        upload.seek(0)
    if not pages:
        raise forms.ValidationError(
            _(
                "Filen går inte att öppna som PDF. Spara överenskommelsen som PDF igen och "
                "ladda upp den."
            )
        )


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
            self.add_error(
                "left_on", _("Datumet då aktören lämnade kan inte vara före anslutningen.")
            )
        if (data.get("agreement_signed_on") or data.get("agreement_file")) and not data.get(
            "agreement_type"
        ):
            self.add_error("agreement_type", _("Ange vilken sorts överenskommelse det är."))
        return data


# --- findings and safety walks -----------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class CategoryRadioSelect(forms.RadioSelect):
    """Categories as large touch targets (styled as tiles by ``.tiles``)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "tiles", **(attrs or {})}, choices=choices)


class StakeholdersFirstIterator(forms.models.ModelChoiceIterator):
    """The organisations at the place first (its stakeholders, active or not), then the rest of
    the program's, as two option groups. The queryset is annotated with ``at_place``."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset)
        here = [self.choice(org) for org in rows if org.at_place]
        rest = [self.choice(org) for org in rows if not org.at_place]
        if here:
            yield (_("Aktörer på platsen"), here)
        if rest:
            yield (_("Övriga organisationer") if here else _("Organisationer"), rest)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class StakeholdersFirstField(forms.ModelChoiceField):
    iterator = StakeholdersFirstIterator


SCORE_CHOICES = [(str(n), str(n)) for n in range(WalkScore.MIN, WalkScore.MAX + 1)]


class ScoreRadioSelect(forms.RadioSelect):
    """The five scores side by side as large touch targets (``.score-scale``)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "score-scale", **(attrs or {})}, choices=choices)


class ScoresMixin:
    """One optional 1–5 score and comment per criterion (``platser.models.Criterion``), as the
    fields ``score_<criterion>`` and ``comment_<criterion>``; ``scores()`` hands them to the
    service. Call ``add_score_fields(existing)`` from ``__init__``."""

    def add_score_fields(self, existing: dict[str, WalkScore]) -> None:
        for criterion in Criterion:
            row = existing.get(criterion.value)
            self.fields[f"score_{criterion.value}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=[("", _("Ingen")), *SCORE_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(row.score) if row else "",
                widget=ScoreRadioSelect,
            )
            self.fields[f"comment_{criterion.value}"] = forms.CharField(
                label=_("Kommentar om %(criterion)s") % {"criterion": criterion.label.lower()},
                max_length=500,
                required=False,
                initial=row.comment if row else "",
            )

    def other_fields(self):
        """The visible fields that are not scores (the scores have a fieldset of their own)."""
        return [f for f in self.visible_fields() if not f.name.startswith(("score_", "comment_"))]

    def has_score_input(self) -> bool:
        """A score or comment was given (or is stored): the scores are shown opened."""
        return any(
            self[f"{kind}_{c.value}"].value() for c in Criterion for kind in ("score", "comment")
        )

    def score_fields(self):
        """(score field, comment field) per criterion, for the template."""
        return [(self[f"score_{c.value}"], self[f"comment_{c.value}"]) for c in Criterion]

    def scores(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            c.value: (data.get(f"score_{c.value}"), (data.get(f"comment_{c.value}") or "").strip())
            for c in Criterion
        }

    def has_scores(self) -> bool:
        return any(score is not None for score, _comment in self.scores().values())

    def clean_score_comments(self) -> None:
        for c in Criterion:
            if (
                self.cleaned_data.get(f"comment_{c.value}", "").strip()
                and (self.cleaned_data.get(f"score_{c.value}") is None)
                and f"score_{c.value}" not in self.errors
            ):
                self.add_error(
                    f"score_{c.value}", _("Välj en poäng 1–5 till kommentaren, eller ta bort den.")
                )


class FindingForm(ScoresMixin, forms.ModelForm):
    """Report or edit a finding: a point on the map (inside the place), a category, a text, an
    optional photo (cleaned of all metadata) and the organisation with rådighet."""

    point = PointField(
        label=_("Position"),
        help_text=_("Tryck på kartan där fyndet finns, eller välj ”Använd min position”."),
        widget=GeoJSONWidget("Point", center="place-bounds", context="place-boundary", locate=True),
    )
    # Declared with no queryset: the scoped managers cannot be queried at import time.
    responsible_organisation = StakeholdersFirstField(
        label=_("Rådighet (vem kan åtgärda?)"),
        queryset=None,
        required=False,
        empty_label=_("Vet inte än"),
    )
    zone = forms.ModelChoiceField(label=_("Zon"), queryset=None, required=False)
    walk = forms.ModelChoiceField(
        label=_("Trygghetsvandring"), queryset=None, required=False, empty_label=_("Ingen")
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # A walk saved on the phone and not sent yet (its client id, from the form's #vandring-utkast=).
    walk_client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Finding
        fields = [
            "point",
            "category",
            "description",
            "photo",
            "responsible_organisation",
            "source",
            "zone",
            "walk",
        ]
        widgets = {
            "category": CategoryRadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "photo": forms.ClearableFileInput(
                attrs={"accept": "image/*", "capture": "environment", "data-resize": ""}
            ),
        }
        labels = {"description": _("Vad är problemet?"), "photo": _("Foto")}

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.instance.place = place
        self.fields["category"].choices = Finding.Category.choices
        at_place = Exists(Stakeholder.objects.filter(place=place, organisation=OuterRef("pk")))
        self.fields["responsible_organisation"].queryset = (
            Organisation.objects.filter(program_id=place.program_id)
            .annotate(at_place=at_place)
            .order_by("-at_place", "name")
        )
        self.fields["zone"].queryset = place.zones.order_by("name")
        self.fields["walk"].queryset = place.walks.order_by("-date")
        if self.instance.pk:
            del self.fields["client_id"]
            del self.fields["walk_client_id"]
        elif not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())
        if not self.fields["zone"].queryset.exists():
            del self.fields["zone"]
        existing = {}
        if self.instance.pk and self.instance.walk_id:
            existing = {s.criterion: s for s in self.instance.scores.all()}
        self.add_score_fields(existing)

    def clean(self):
        data = super().clean()
        self.clean_score_comments()
        waiting_walk = data.get("walk_client_id")
        if (
            "walk" in self.fields
            and not data.get("walk")
            and not waiting_walk
            and self.has_scores()
        ):
            self.add_error(
                "walk",
                _(
                    "Bedömningar hör till en trygghetsvandring: välj vandringen, eller lämna "
                    "bedömningen tom."
                ),
            )
        return data

    def clean_point(self):
        return geo.validate_point_within(self.cleaned_data.get("point"), self.place.boundary)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            return clean_photo(upload)
        return upload


class FindingStatusForm(forms.Form):
    """Move a finding to one of the statuses its workflow allows; ej åtgärdad needs a reason."""

    status = forms.ChoiceField(label=_("Ny status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs för ”Ej åtgärdad”: varför åtgärdas det inte?"),
    )

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status.value, status.label) for status in finding.next_statuses
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == Finding.Status.NOT_FIXED and not data.get("reason", "").strip():
            self.add_error("reason", _("Ange varför fyndet inte åtgärdas."))
        return data


class SafetyWalkForm(ScoresMixin, forms.ModelForm):
    """A safety walk: when, daylight or dark, the route, who took part (per organisation, by
    gender and by age group) and when to follow up (1–18 months later, by default 6)."""

    route = LineField(
        label=_("Rutt"),
        required=False,
        help_text=_(
            "Välj ”Spela in rutten” och gå, så ritas rutten från telefonens position. Eller "
            "tryck på kartan längs vägen ni gick, punkt för punkt."
        ),
        widget=GeoJSONWidget(
            "LineString", center="place-bounds", context="place-boundary", record=True
        ),
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = SafetyWalk
        fields = [
            "date",
            "light",
            "route",
            *SafetyWalk.GENDER_FIELDS,
            *SafetyWalk.AGE_FIELDS,
            "notes",
            "follow_up_date",
            "followed_up_on",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "light": forms.RadioSelect,
            "follow_up_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "followed_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
            **{
                name: forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
                for name in (*SafetyWalk.GENDER_FIELDS, *SafetyWalk.AGE_FIELDS)
            },
        }
        help_texts = {
            "follow_up_date": _("Lämna tomt för sex månader efter vandringen (1–18 månader)."),
        }

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["follow_up_date"].required = False
        for name in (*SafetyWalk.GENDER_FIELDS, *SafetyWalk.AGE_FIELDS):
            self.fields[name].required = False  # empty means nobody
        if not self.instance.pk:
            del self.fields["followed_up_on"]
        # One count per organisation: the place's stakeholders and whoever already took part.
        current = (
            {p.organisation_id: p.count for p in self.instance.participations.all()}
            if (self.instance.pk)
            else {}
        )
        organisations = (
            Organisation.objects.filter(Q(stakeholdings__place=place) | Q(pk__in=current))
            .distinct()
            .order_by("name")
        )
        self.organisations = list(organisations)
        for org in self.organisations:
            self.fields[f"org_{org.pk}"] = forms.IntegerField(
                label=org.name,
                min_value=0,
                max_value=500,
                required=False,
                initial=current.get(org.pk, 0),
                widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            )
        existing = {}
        if self.instance.pk:
            existing = {s.criterion: s for s in self.instance.scores.filter(finding=None)}
        self.add_score_fields(existing)
        if self.instance.pk:
            del self.fields["client_id"]
        elif not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())

    def organisation_fields(self):
        return [self[f"org_{org.pk}"] for org in self.organisations]

    def gender_fields(self):
        return [self[name] for name in SafetyWalk.GENDER_FIELDS]

    def age_fields(self):
        return [self[name] for name in SafetyWalk.AGE_FIELDS]

    def participants(self) -> dict:
        return {org: self.cleaned_data.get(f"org_{org.pk}") or 0 for org in self.organisations}

    def clean(self):
        data = super().clean()
        for name in (*SafetyWalk.GENDER_FIELDS, *SafetyWalk.AGE_FIELDS):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        day, follow_up = data.get("date"), data.get("follow_up_date")
        if day and not follow_up:
            data["follow_up_date"] = add_months(day, 6)
        elif day and follow_up and not (add_months(day, 1) <= follow_up <= add_months(day, 18)):
            self.add_error(
                "follow_up_date",
                _("Uppföljningen ska ligga 1–18 månader efter vandringen (normalt 6–12)."),
            )
        self.clean_score_comments()
        followed = data.get("followed_up_on")
        if day and followed and followed < day:
            self.add_error("followed_up_on", _("Uppföljningen kan inte vara före vandringen."))
        return data
