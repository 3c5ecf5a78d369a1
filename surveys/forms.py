"""Forms for the survey builder, the program's own questions and the answering page."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from platser import geo
from platser.models import Place, Zone

from . import selectors
from .models import (
    LANGUAGES,
    TEXT_ANSWER_MAX_LENGTH,
    Question,
    QuestionKind,
    Survey,
)
from .services import AnswerData
from .texts import texts_for


def _follow_up(n: int):
    # Formatted when shown, in the language of that request (not once at import).
    return lazy(lambda: _("Uppföljning %(n)s") % {"n": n}, str)()


WAVE_CHOICES = [(0, _("Nollmätning"))] + [(n, _follow_up(n)) for n in range(1, 7)]
DEFAULT_BANK_CODES = [
    "plats-trygg-kvall",
    "fohm-avstar-ga-ut",
    "ntu-oro-brottslighet",
    "kon",
    "alder",
]
MAX_OPTIONS = 20


class SurveyForm(forms.ModelForm):
    """A survey's settings; on creation also its first questions (chosen from the bank)."""

    wave = forms.TypedChoiceField(label=_("Mätomgång"), choices=WAVE_CHOICES, coerce=int)
    languages = forms.MultipleChoiceField(
        label=_("Språk"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["sv", "en"],
        help_text=_(
            "Svenska ingår alltid. Frågor utan översättning visas på engelska eller svenska."
        ),
        required=False,
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Platser"), queryset=Place.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Frågor"),
        queryset=Question.bank.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Ordningen och fler frågor väljer du på nästa sida."),
    )

    class Meta:
        model = Survey
        # ``places`` is declared above, not a model field here: its queryset is the program's
        # (scoped) places, which only exist inside a request.
        fields = ["title", "wave", "target_group", "opens_on", "closes_on", "languages"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, program, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places
        self.order_fields(["title", "places"])
        if self.instance.pk:
            del self.fields["questions"]
            if not self.is_bound:
                self.initial["places"] = [p.pk for p in self.instance.places.all()]
        else:
            questions = selectors.available_questions(program=program)
            self.fields["questions"].queryset = questions
            self.fields["questions"].label_from_instance = lambda q: q.text_sv
            if not self.is_bound:
                self.initial["questions"] = [
                    q.pk for q in questions if q.code in DEFAULT_BANK_CODES
                ]
                today = timezone.localdate()
                self.initial.setdefault("opens_on", today)
                self.initial.setdefault("closes_on", today + datetime.timedelta(days=28))

    def clean_languages(self):
        chosen = self.cleaned_data["languages"]
        return ["sv"] + [code for code, _name in LANGUAGES if code in chosen and code != "sv"]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Enkäten kan inte stänga innan den öppnar."))
        return cleaned

    def ordered_questions(self) -> list[Question]:
        chosen = {q.pk for q in self.cleaned_data.get("questions") or []}
        return [q for q in self.fields["questions"].queryset if q.pk in chosen]


class QuestionForm(forms.ModelForm):
    """One of the program's own questions; options one per line ("svenska | English")."""

    options = forms.CharField(
        label=_("Svarsalternativ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ett alternativ per rad i skalordning: ”svenska | English”. Börja raden med + för "
            "svar som räknas som trygga i trygghetsindexet. Bara för skala, flerval, kön och ålder."
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "text_sv", "text_en", "source"]

    def clean_options(self):
        options = []
        for line in self.cleaned_data["options"].splitlines():
            line = line.strip()
            if not line:
                continue
            positive = line.startswith("+")
            sv, _sep, en = line.lstrip("+").partition("|")
            sv, en = sv.strip(), en.strip()
            if not sv:
                raise ValidationError(_("Varje rad behöver en svensk text."))
            if len(sv) > 200 or len(en) > 200:
                raise ValidationError(_("Ett svarsalternativ får vara högst 200 tecken."))
            if sv.lower() in (o[0].lower() for o in options):
                raise ValidationError(_("Alternativet %(label)s står två gånger.") % {"label": sv})
            options.append((sv, en, positive))
        if len(options) > MAX_OPTIONS:
            raise ValidationError(_("Högst %(n)s svarsalternativ.") % {"n": MAX_OPTIONS})
        return options

    def clean(self):
        cleaned = super().clean()
        kind, options = cleaned.get("kind"), cleaned.get("options")
        if kind is None or options is None:
            return cleaned
        needs_options = kind in (
            QuestionKind.SCALE,
            QuestionKind.MULTIPLE,
            QuestionKind.GENDER,
            QuestionKind.AGE,
        )
        if needs_options and len(options) < 2:
            self.add_error("options", _("Frågetypen behöver minst två svarsalternativ."))
        if not needs_options and options:
            self.add_error("options", _("Frågetypen har inga svarsalternativ; lämna rutan tom."))
        return cleaned


class AnswerForm(forms.Form):
    """The answering page: one field per survey question, in the respondent's language.

    Every question may be skipped, but at least one must be answered. Bad input (an unknown
    option id, a point outside the place, an over-long text) is an error on that question with a
    plain message, and the other answers are kept for the next try.
    """

    submission_id = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and from screen readers by aria-hidden; scripts fill it.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args,
        survey: Survey,
        items,
        places: list[Place],
        language: str,
        paper: bool = False,
        initial_place: Place | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.items = items
        self.places = places
        self.language = language
        self.texts = texts_for(language)
        self.fields["website"].label = self.texts["honeypot"]
        self.zones = (
            {z.pk: z for z in Zone.objects.filter(place__in=places).select_related("place")}
            if any(i.question.kind == QuestionKind.ZONE for i in items)
            else {}
        )
        if len(places) > 1:
            self.fields["place"] = forms.TypedChoiceField(
                label=self.texts["place"],
                choices=[(p.pk, p.name) for p in places],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": self.texts["invalid_place"],
                    "required": self.texts["invalid_place"],
                },
                initial=initial_place.pk if initial_place else None,
            )
        if paper:
            self.fields["submitted_on"] = forms.DateField(
                label=_("Datum på pappersenkäten"),
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        for item in items:
            self.fields[self.field_name(item.question)] = self._field_for(item.question)

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def _field_for(self, question: Question) -> forms.Field:
        label = question.text_for(self.language)
        invalid = {"invalid_choice": self.texts["invalid_option"]}
        if question.kind in (QuestionKind.SCALE, QuestionKind.GENDER, QuestionKind.AGE):
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[(str(o.pk), o.label_for(self.language)) for o in question.options.all()],
                widget=forms.RadioSelect,
                error_messages=invalid,
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=[(str(o.pk), o.label_for(self.language)) for o in question.options.all()],
                widget=forms.CheckboxSelectMultiple,
                error_messages={**invalid, "invalid_list": self.texts["invalid_option"]},
            )
        if question.kind == QuestionKind.ZONE:
            many = len(self.places) > 1
            return forms.ChoiceField(
                label=label,
                required=False,
                choices=[
                    (str(z.pk), f"{z.place.name}: {z.name}" if many else z.name)
                    for z in self.zones.values()
                ],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": self.texts["invalid_zone"]},
            )
        if question.kind == QuestionKind.POINT:
            return forms.CharField(label=label, required=False, widget=forms.HiddenInput)
        return forms.CharField(
            label=label,
            required=False,
            strip=True,
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_ANSWER_MAX_LENGTH}),
        )

    def chosen_place(self) -> Place | None:
        if len(self.places) == 1:
            return self.places[0]
        pk = self.cleaned_data.get("place")
        return next((p for p in self.places if p.pk == pk), None)

    def clean(self):
        cleaned = super().clean()
        place = self.chosen_place()
        answered = False
        for item in self.items:
            question = item.question
            name = self.field_name(question)
            if name not in cleaned:
                continue  # already has an error
            value = cleaned[name]
            if question.kind == QuestionKind.TEXT and len(value) > TEXT_ANSWER_MAX_LENGTH:
                self.add_error(
                    name,
                    self.texts["text_too_long"].format(max=TEXT_ANSWER_MAX_LENGTH, n=len(value)),
                )
                continue
            if question.kind == QuestionKind.POINT and value:
                cleaned[name] = self._clean_point(name, value, place)
            if question.kind == QuestionKind.ZONE and value and place is not None:
                zone = self.zones.get(int(value))
                if zone is None or zone.place_id != place.pk:
                    self.add_error(name, self.texts["invalid_zone"])
                    continue
            if cleaned.get(name):
                answered = True
        if not answered and not self.errors:
            raise ValidationError(self.texts["at_least_one"], "empty")
        return cleaned

    def _clean_point(self, name, value, place):
        try:
            point = geo.validate_point(value)
        except ValidationError:
            self.add_error(name, self.texts["point_invalid"])
            return None
        inside = place is None or not place.boundary
        if not inside and not geo.point_in_polygon(tuple(point["coordinates"]), place.boundary):
            self.add_error(name, self.texts["point_outside"].format(place=place.name))
            return None
        return point

    def clean_submission_id(self):
        try:
            return uuid.UUID(self.cleaned_data["submission_id"])
        except ValueError:
            return None  # the service makes one: no de-duplication, but the answers count

    def answers(self) -> list[AnswerData]:
        """The validated answers, one per chosen option for multiple choice."""
        result = []
        for item in self.items:
            question = item.question
            value = self.cleaned_data.get(self.field_name(question))
            if not value:
                continue
            options = {str(o.pk): o for o in question.options.all()}
            if question.kind == QuestionKind.MULTIPLE:
                result += [AnswerData(question=question, option=options[v]) for v in value]
            elif question.kind in (QuestionKind.SCALE, QuestionKind.GENDER, QuestionKind.AGE):
                result.append(AnswerData(question=question, option=options[value]))
            elif question.kind == QuestionKind.ZONE:
                result.append(AnswerData(question=question, zone_id=int(value)))
            elif question.kind == QuestionKind.POINT:
                result.append(AnswerData(question=question, point=value))
            else:
                result.append(AnswerData(question=question, text=value))
        return result

    def question_fields(self):
        """``(item, bound field)`` pairs in survey order, for the template."""
        return [(item, self[self.field_name(item.question)]) for item in self.items]
