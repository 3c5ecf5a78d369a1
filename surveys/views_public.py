"""The public answering page (/enkat/<token>/): no login, anonymous, phone first.

The unguessable token is the only key. The survey is looked up across programs (the visitor
has no program), then everything else runs inside that survey's program scope, and the page is
rendered inside it too. Nothing about the visitor is stored: no IP address, user agent, cookie
or session (the page sets no cookie of its own; CSRF is not used because there is no session
to protect and the answer is anonymous), and only the date of the answer.
"""

import functools
import uuid

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django_scopes import scope

from partnerships import audit
from partnerships.tenancy import cross_program
from platser import geo
from platser.models import Place

from . import poster, ratelimit, selectors, services
from .forms import AnswerForm
from .models import TEXT_ANSWER_MAX_LENGTH, Channel, QuestionKind, Survey
from .texts import RTL_LANGUAGES, TEXTS, texts_for


def _survey(token: str) -> Survey:
    # The public link: the token is the key across all programs, so look it up unscoped; the
    # caller enters the survey's own program scope for everything after this.
    with cross_program("public-survey"):
        return get_object_or_404(Survey.objects.select_related("program"), token=token)


def _language(request, survey: Survey) -> str:
    wanted = request.POST.get("lang") or request.GET.get("lang") or "sv"
    return wanted if wanted in survey.languages or wanted == "sv" else "sv"


def _dates(survey: Survey, language: str) -> dict:
    with translation.override("en" if language != "sv" else "sv"):
        return {
            "opens": date_format(survey.opens_on, "j F Y"),
            "closes": date_format(survey.closes_on, "j F Y"),
        }


def _definition(survey: Survey) -> tuple[list, list[Place]]:
    """(survey questions with their options, places by name) for the answering form: one
    index look-up when the survey was read lately in this process, five queries when not.

    A survey being answered is read by every submission and does not change while it is (once
    answered it is locked; a renamed place, or an edit before the first answer, records an
    audit entry, which is in the key). The token keeps surveys apart where a test database
    reuses ids.
    """
    return _read_definition(survey.pk, survey.token, audit.latest(survey.program))


@functools.lru_cache(maxsize=32)  # a national survey's 1,450 places take ~1 MB here
def _read_definition(survey_id: int, token: str, version: str) -> tuple[list, list[Place]]:
    survey = Survey.objects.get(pk=survey_id, token=token)
    return (
        selectors.survey_questions(survey=survey),
        # Without outlines: a national survey has 1,450 places, and an answer only needs the
        # chosen place's outline, for a map question (loaded then by the form).
        list(survey.places.order_by("name").only("id", "name", "program_id")),
    )


@method_decorator(csrf_exempt, name="dispatch")
class AnswerView(View):
    """Show the survey (or say it is closed or not open yet) and store an answer."""

    def get(self, request, token):
        survey = _survey(token)
        with scope(program=survey.program):
            return self.render(request, survey, form=None)

    def post(self, request, token):
        survey = _survey(token)
        with scope(program=survey.program):
            language = _language(request, survey)
            if not survey.is_open_on(timezone.localdate()):
                return self.render(request, survey, form=None)
            thanks = reverse("surveys_public:thanks", kwargs={"token": token}) + f"?lang={language}"
            if request.POST.get("website"):
                # The honeypot was filled in: a script. Answer as if stored, store nothing.
                return redirect(thanks)
            if not ratelimit.allow_submission(request):
                return self.render(request, survey, form=None, limited=True, status=429)
            form = self.make_form(request, survey, language, data=request.POST)
            if not form.is_valid():
                return self.render(request, survey, form=form)
            try:
                services.submit_response(
                    survey=survey,
                    place=form.chosen_place(),
                    answers=form.answers(),
                    submission_id=form.cleaned_data["submission_id"],
                    language=language,
                    channel=Channel.WEB,
                    submitted_on=timezone.localdate(),
                )
            except services.SubmissionConflict:
                # The same submission id with other answers: say so, offer a fresh form.
                return self.render(request, survey, form=None, conflict=True, status=409)
            return redirect(thanks)

    def make_form(self, request, survey, language, data=None):
        items, places = _definition(survey)
        initial = next((p for p in places if str(p.pk) == request.GET.get("plats")), None)
        return AnswerForm(
            data,
            survey=survey,
            items=items,
            places=places,
            language=language,
            initial_place=initial,
            # One id per page load (the page's script keeps it in the history entry), so a
            # second send of the same page, also without JavaScript, counts once.
            initial={"submission_id": str(uuid.uuid4())} if data is None else None,
        )

    def render(self, request, survey, *, form, limited=False, conflict=False, status=200):
        language = _language(request, survey)
        texts = texts_for(language)
        state = survey.state_on(timezone.localdate())
        dates = _dates(survey, language)
        context = {
            "survey": survey,
            "state": state,
            "language": language,
            "dir": "rtl" if language in RTL_LANGUAGES else "ltr",
            "t": texts,
            "dates": dates,
            "languages": [
                (code, TEXTS.get(code, {}).get("lang_name", code)) for code in survey.languages
            ],
            "limited": limited,
            "conflict": conflict,
        }
        if state != "open":
            context.update(
                state_title=texts[f"{state}_title"],
                state_body=texts[f"{state}_body"].format(**dates),
            )
        else:
            form = form or self.make_form(request, survey, language)
            context.update(
                form=form,
                intro=texts["intro"].format(places=" / ".join(p.name for p in form.places)),
                max_text=TEXT_ANSWER_MAX_LENGTH,
                **map_context(form),
            )
        return render(request, "surveys/public/answer.html", context, status=status)


def map_context(form) -> dict:
    """What the map questions of an answering form need: the places' outlines to draw and frame,
    and the map scripts, which the page loads only when someone opens a map."""
    has_map = any(i.question.kind == QuestionKind.POINT for i in form.items)
    boundaries = []
    if has_map:  # read here: the form's places come without their outlines
        boundaries = list(
            Place.objects.filter(pk__in=[p.pk for p in form.places], boundary__isnull=False)
            .order_by("name")
            .values_list("boundary", flat=True)
        )
    return {
        "has_map": has_map,
        "bounds": geo.bounds(boundaries) if has_map else None,
        "boundaries": {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": b, "properties": {}} for b in boundaries],
        },
        "leaflet_css": static("leaflet/leaflet.css"),
        "leaflet_js": static("leaflet/leaflet.js"),
        "map_js": static("js/map.js"),
    }


class ThanksView(View):
    def get(self, request, token):
        survey = _survey(token)
        with scope(program=survey.program):
            language = _language(request, survey)
            return render(
                request,
                "surveys/public/thanks.html",
                {
                    "survey": survey,
                    "language": language,
                    "dir": "rtl" if language in RTL_LANGUAGES else "ltr",
                    "t": texts_for(language),
                },
            )


class QRCodeView(View):
    """The QR code of the public link as SVG (the link is no secret to whoever has the token)."""

    def get(self, request, token):
        survey = _survey(token)
        with scope(program=survey.program):
            svg = poster.qr_svg(poster.public_url(survey))
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Content-Disposition"] = f'inline; filename="enkat-{survey.pk}-qr.svg"'
        return response
