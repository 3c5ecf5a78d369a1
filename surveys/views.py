"""Survey pages inside a program: the list, the builder, the program's own questions, the poster
and paper entry. The public answering page is in ``surveys.views_public``."""

import io

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from partnerships.models import Role
from partnerships.permissions import ProgramPermissionMixin
from partnerships.rules import has_perm, membership_place_ids

from . import poster, selectors, services
from .forms import AnswerForm, QuestionForm, SurveyForm
from .models import Channel, Question, Survey, SurveyQuestion
from .views_public import map_context


def _manageable_places(program, membership):
    """Places a member may run surveys at: all active ones, or a place lead's own."""
    places = program.places.filter(archived_at__isnull=True).order_by("name")
    if membership.role != Role.COORDINATOR:
        places = places.filter(pk__in=membership_place_ids(membership))
    return places


def results_url(survey: Survey) -> str | None:
    """The results page, once the results module provides it."""
    try:
        return reverse("surveys:results", kwargs={"program": survey.program.slug, "pk": survey.pk})
    except NoReverseMatch:
        return None


class SurveyObjectMixin:
    """Fetch the survey in the URL through the program (404 outside it)."""

    survey_kwarg = "pk"

    def get_survey(self) -> Survey:
        if not hasattr(self, "_survey"):
            self._survey = get_object_or_404(
                Survey.objects.filter(program=self.program).prefetch_related("places"),
                pk=self.kwargs[self.survey_kwarg],
            )
        return self._survey

    def get_permission_object(self):
        return self.get_survey()


class SurveyListView(ProgramPermissionMixin, TemplateView):
    permission = "can_view_surveys"
    template_name = "surveys/survey_list.html"

    def get_context_data(self, **kwargs):
        place_id = self.request.GET.get("plats", "")
        place = get_object_or_404(self.program.places, pk=place_id) if place_id.isdigit() else None
        return super().get_context_data(
            surveys=selectors.survey_list(program=self.program, place=place),
            place=place,
            today=timezone.localdate(),
            **kwargs,
        )


class SurveyCreateView(ProgramPermissionMixin, CreateView):
    """Start a survey: settings, places and the first questions from the bank."""

    permission = "can_create_surveys"
    form_class = SurveyForm
    template_name = "surveys/survey_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            program=self.program, places=_manageable_places(self.program, self.membership)
        )
        place = self.request.GET.get("plats")
        if place and place.isdigit():
            kwargs.setdefault("initial", {})["places"] = [int(place)]
        return kwargs

    def form_valid(self, form):
        survey = services.create_survey(
            actor=self.request.user,
            program=self.program,
            survey=form.save(commit=False),
            places=form.cleaned_data["places"],
            questions=form.ordered_questions(),
        )
        messages.success(self.request, _("Enkäten %(title)s är skapad.") % {"title": survey})
        return redirect("surveys:questions", program=self.program.slug, pk=survey.pk)


class SurveyUpdateView(SurveyObjectMixin, ProgramPermissionMixin, UpdateView):
    permission = "can_manage_surveys"
    form_class = SurveyForm
    template_name = "surveys/survey_form.html"

    def get_object(self, queryset=None):
        return self.get_survey()

    def get_form_kwargs(self):
        # The survey's current places stay selectable even for a place lead who lost one.
        current = [p.pk for p in self.get_survey().places.all()]
        manageable = _manageable_places(self.program, self.membership).values("pk")
        places = self.program.places.filter(Q(pk__in=manageable) | Q(pk__in=current))
        return {**super().get_form_kwargs(), "program": self.program, "places": places}

    def form_valid(self, form):
        try:
            survey = services.update_survey(
                actor=self.request.user,
                survey=form.save(commit=False),
                places=form.cleaned_data["places"],
                fields=[f for f in form.fields if f != "places"],
            )
        except services.SurveyError as error:
            messages.error(self.request, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Enkäten %(title)s är sparad.") % {"title": survey})
        return HttpResponseRedirect(survey.get_absolute_url())


class SurveyDetailView(SurveyObjectMixin, ProgramPermissionMixin, TemplateView):
    """The survey: settings, questions, public link and QR code, and live counts for managers."""

    permission = "can_view_surveys"
    template_name = "surveys/survey_detail.html"

    def get_context_data(self, **kwargs):
        survey = self.get_survey()
        can_manage = has_perm(self.membership, "can_manage_surveys", survey)
        url = poster.public_url(survey)
        return super().get_context_data(
            survey=survey,
            places=list(survey.places.all()),
            items=selectors.survey_questions(survey=survey),
            public_url=url,
            qr=poster.qr_svg(url),
            today=timezone.localdate(),
            can_manage=can_manage,
            can_enter_paper=has_perm(self.membership, "can_enter_paper_responses", survey),
            counts=selectors.response_counts(survey=survey) if can_manage else None,
            # Only offer the link to someone who may open it (partners: after the survey closes).
            results_url=results_url(survey)
            if has_perm(self.membership, "can_view_survey_results", survey)
            else None,
            **kwargs,
        )


class SurveyQuestionsView(SurveyObjectMixin, ProgramPermissionMixin, TemplateView):
    """Choose and order the questions: add from the bank or the program's own, move, remove.

    Every control is a plain POST form; once the survey has responses the page only lists.
    """

    permission = "can_manage_surveys"
    template_name = "surveys/survey_questions.html"

    def get_context_data(self, **kwargs):
        survey = self.get_survey()
        items = selectors.survey_questions(survey=survey)
        used = {item.question_id for item in items}
        available = [
            q for q in selectors.available_questions(program=self.program) if q.pk not in used
        ]
        return super().get_context_data(
            survey=survey,
            items=items,
            bank=[q for q in available if q.is_bank_item],
            own=[q for q in available if not q.is_bank_item],
            locked=selectors.has_responses(survey=survey),
            **kwargs,
        )

    def post(self, request, pk):
        survey = self.get_survey()
        action = request.POST.get("action")
        try:
            if action == "add":
                question = get_object_or_404(
                    selectors.available_questions(program=self.program),
                    pk=_int(request.POST.get("question")),
                )
                services.add_question(actor=request.user, survey=survey, question=question)
            elif action in ("up", "down", "remove"):
                item = get_object_or_404(
                    SurveyQuestion.objects.filter(survey=survey).select_related("question"),
                    pk=_int(request.POST.get("item")),
                )
                if action == "remove":
                    services.remove_question(actor=request.user, survey=survey, item=item)
                else:
                    services.move_question(
                        actor=request.user, survey=survey, item=item, up=action == "up"
                    )
            else:
                messages.error(request, _("Okänd åtgärd."))
        except services.SurveyError as error:
            messages.error(request, str(error))
        return redirect(
            reverse("surveys:questions", kwargs={"program": self.program.slug, "pk": survey.pk})
            + "#fragor"
        )


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


class PosterView(SurveyObjectMixin, ProgramPermissionMixin, View):
    """An A4 poster (PDF) with the QR code for one of the survey's places."""

    permission = "can_view_surveys"

    def get(self, request, pk):
        survey = self.get_survey()
        places = list(survey.places.all())
        if not places:
            raise Http404
        place = next((p for p in places if str(p.pk) == request.GET.get("plats")), places[0])
        pdf = poster.poster_pdf(survey=survey, place=place)
        return FileResponse(
            io.BytesIO(pdf),
            content_type="application/pdf",
            filename=f"affisch-{slugify(place.name)}-{slugify(survey.wave_label)}.pdf",
        )


class PaperResponseView(SurveyObjectMixin, ProgramPermissionMixin, FormView):
    """Key in a paper questionnaire: the answering form, stored with channel "papper"."""

    permission = "can_enter_paper_responses"
    template_name = "surveys/paper_form.html"

    def get_form(self, form_class=None):
        survey = self.get_survey()
        self.items = selectors.survey_questions(survey=survey)
        return AnswerForm(
            self.request.POST if self.request.method == "POST" else None,
            survey=survey,
            items=self.items,
            places=list(survey.places.order_by("name")),
            language="sv",
            paper=True,
        )

    def get_context_data(self, **kwargs):
        survey = self.get_survey()
        paper = survey.responses.filter(channel=Channel.PAPER).count()
        context = super().get_context_data(survey=survey, paper_count=paper, **kwargs)
        # A respondent marks a map question on the printed map; the coordinator marks the same
        # spot on the place's map here (the pin is also placed with the keyboard).
        return {**context, **map_context(context["form"])}

    def form_valid(self, form):
        survey = self.get_survey()
        _response, created = services.submit_response(
            survey=survey,
            place=form.chosen_place(),
            answers=form.answers(),
            submission_id=form.cleaned_data["submission_id"],
            language="sv",
            channel=Channel.PAPER,
            submitted_on=form.cleaned_data["submitted_on"],
            actor=self.request.user,
        )
        if created:
            messages.success(self.request, _("Pappersenkäten är sparad. Fyll i nästa."))
        else:
            messages.info(self.request, _("Den här pappersenkäten var redan sparad."))
        return redirect("surveys:paper", program=self.program.slug, pk=survey.pk)


class QuestionListView(ProgramPermissionMixin, TemplateView):
    """The standard bank and the program's own questions."""

    permission = "can_view_surveys"
    template_name = "surveys/question_list.html"

    def get_context_data(self, **kwargs):
        questions = list(selectors.available_questions(program=self.program))
        locked = selectors.own_questions_locked(program=self.program)
        own = [q for q in questions if not q.is_bank_item]
        for question in own:
            question.locked = question.pk in locked
        return super().get_context_data(
            bank=[q for q in questions if q.is_bank_item],
            own=own,
            **kwargs,
        )


class OwnQuestionMixin:
    """One of the program's own questions by ``pk`` (bank items and other programs': 404)."""

    def get_object(self, queryset=None):
        own = Question.objects.filter(program=self.program)
        return get_object_or_404(own, pk=self.kwargs["pk"])

    def locked_redirect(self, question):
        """Back to the list with the reason when the question can no longer change."""
        if selectors.question_in_answered_survey(question=question):
            messages.error(
                self.request,
                _(
                    "Frågan ”%(q)s” ingår i en enkät som har fått svar, så den kan inte längre "
                    "ändras eller tas bort. Skapa en ny fråga i stället."
                )
                % {"q": question},
            )
            return redirect("surveys:question_list", program=self.program.slug)
        return None


class QuestionUpdateView(OwnQuestionMixin, ProgramPermissionMixin, UpdateView):
    permission = "can_manage_questions"
    form_class = QuestionForm
    template_name = "surveys/question_form.html"

    def get(self, request, *args, **kwargs):
        return self.locked_redirect(self.get_object()) or super().get(request, *args, **kwargs)

    def get_initial(self):
        options = self.object.options.order_by("position")
        lines = [
            ("+" if o.is_positive else "") + o.label_sv + (f" | {o.label_en}" if o.label_en else "")
            for o in options
        ]
        return {**super().get_initial(), "options": "\n".join(lines)}

    def form_valid(self, form):
        try:
            question = services.update_question(
                actor=self.request.user,
                question=form.save(commit=False),
                options=form.cleaned_data["options"],
                fields=list(QuestionForm.Meta.fields),
            )
        except services.SurveyError as error:
            messages.error(self.request, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Frågan är sparad: %(q)s") % {"q": question})
        return redirect("surveys:question_list", program=self.program.slug)


class QuestionDeleteView(OwnQuestionMixin, ProgramPermissionMixin, TemplateView):
    """Confirm, then delete one of the program's own questions (not once answered)."""

    permission = "can_manage_questions"
    template_name = "surveys/question_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        question = self.get_object()
        return self.locked_redirect(question) or self.render_to_response(
            self.get_context_data(
                question=question,
                surveys=Survey.objects.filter(survey_questions__question=question).order_by(
                    "title"
                ),
            )
        )

    def post(self, request, *args, **kwargs):
        question = self.get_object()
        try:
            services.delete_question(actor=request.user, question=question)
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Frågan är borttagen: %(q)s") % {"q": question})
        return redirect("surveys:question_list", program=self.program.slug)


class QuestionCreateView(ProgramPermissionMixin, CreateView):
    permission = "can_manage_questions"
    form_class = QuestionForm
    template_name = "surveys/question_form.html"

    def form_valid(self, form):
        question = services.create_question(
            actor=self.request.user,
            program=self.program,
            question=form.save(commit=False),
            options=form.cleaned_data["options"],
        )
        messages.success(self.request, _("Frågan är tillagd: %(q)s") % {"q": question})
        return redirect("surveys:question_list", program=self.program.slug)
