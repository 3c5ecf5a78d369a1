"""Reads for surveys: the questions a program may use, survey lists and live counts.

Results (shares, intervals, charts) are read by ``surveys.results``; this module only serves
the survey builder, the answering page and the coordinator's live counts.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from partnerships.models import Program

from .models import AnswerOption, Question, Response, Survey, SurveyQuestion


def available_questions(*, program: Program) -> QuerySet[Question]:
    """The standard bank and the program's own questions, with their options.

    ``Question.objects`` (scoped) only ever holds the active program's own items and the plain
    ``Question.bank`` only the standard ones; ORing them keeps every other program's questions out.
    """
    own = Question.objects.filter(program=program)
    return (
        (Question.bank.all() | own)
        .prefetch_related(Prefetch("options", queryset=AnswerOption.objects.order_by("position")))
        .order_by("program_id", "position", "pk")
    )


def own_questions(*, program: Program) -> QuerySet[Question]:
    """Only the program's own questions (newest first), with their options."""
    return (
        Question.objects.filter(program=program)
        .prefetch_related("options")
        .order_by("-created_at", "-pk")
    )


def survey_list(*, program: Program, place=None) -> QuerySet[Survey]:
    """The program's surveys (of ``place`` only, when given) with places and response count."""
    surveys = Survey.objects.filter(program=program)
    if place is not None:
        surveys = surveys.filter(places=place)
    return (
        surveys.select_related("program")
        .prefetch_related("places")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-opens_on", "title")
    )


def survey_questions(*, survey: Survey) -> list[SurveyQuestion]:
    """The survey's questions in order, each with its question and options loaded."""
    return list(
        SurveyQuestion.objects.filter(survey=survey)
        .select_related("question")
        .prefetch_related(
            Prefetch("question__options", queryset=AnswerOption.objects.order_by("position"))
        )
        .order_by("position")
    )


def question_in_answered_survey(*, question: Question) -> bool:
    """True once a survey that includes ``question`` has a response: it is locked from then on."""
    return Response.objects.filter(survey__survey_questions__question=question).exists()


def own_questions_locked(*, program: Program) -> set[int]:
    """Ids of the program's own questions that are locked (see ``question_in_answered_survey``)."""
    answered = Response.objects.filter(survey=OuterRef("survey"))
    return set(
        SurveyQuestion.objects.filter(question__program=program)
        .filter(Exists(answered))
        .values_list("question_id", flat=True)
    )


def has_responses(*, survey: Survey) -> bool:
    """True once anyone has answered: the questions are locked from then on."""
    return Response.objects.filter(survey=survey).exists()


def response_counts(*, survey: Survey) -> dict:
    """Live counts for the coordinator: total, per place name, per channel."""
    rows = list(
        Response.objects.filter(survey=survey)
        .values("place__name", "channel")
        .annotate(n=Count("pk"))
        .order_by("place__name", "channel")
    )
    per_place: dict[str, int] = {}
    per_channel: dict[str, int] = {}
    for row in rows:
        name = row["place__name"] or ""
        per_place[name] = per_place.get(name, 0) + row["n"]
        per_channel[row["channel"]] = per_channel.get(row["channel"], 0) + row["n"]
    return {
        "total": sum(per_place.values()),
        "per_place": sorted(per_place.items()),
        "per_channel": per_channel,
    }
