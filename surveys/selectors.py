"""Reads for surveys: the questions a program may use, survey lists and live counts.

Results (shares, intervals, charts) are read by ``surveys.results``; this module only serves
the survey builder, the answering page and the coordinator's live counts.
"""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from partnerships import cache
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


#: How many place names the survey list shows before "and N more".
LIST_PLACES = 3

#: Seconds a survey's response count stays cached (the key holds its newest response).
COUNT_CACHE_SECONDS = 24 * 3600


def survey_list(*, program: Program, place=None) -> list[Survey]:
    """The program's surveys (of ``place`` only, when given), each with ``response_count``,
    ``place_count`` and the first ``LIST_PLACES`` of its places by name (``first_places``).

    A constant number of queries: a national survey covers 1,450 places and a million
    responses, so the places come as names and the counts through ``response_totals``.
    """
    surveys = Survey.objects.filter(program=program)
    if place is not None:
        # By id: filtering on the places join itself would make place_count count only this one.
        surveys = surveys.filter(pk__in=Survey.objects.filter(places=place).values("pk"))
    surveys = list(
        surveys.select_related("program")
        .annotate(place_count=Count("places", distinct=True))
        .order_by("-opens_on", "title")
    )
    ids = [s.pk for s in surveys]
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    ranked = (
        Survey.places.through.objects.filter(survey__in=ids)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("survey_id")], order_by=[F("place__name"), F("pk")]
            )
        )
        .values_list("survey_id", "place__name", "rank")
    )
    for survey_id, name, rank in ranked:
        if rank <= LIST_PLACES:
            names[survey_id].append(name)
    totals = response_totals(ids)
    for survey in surveys:
        survey.first_places = sorted(names[survey.pk])
        survey.response_count = totals.get(survey.pk, 0)
    return surveys


def latest_response_ids(survey_ids) -> dict[int, int | None]:
    """``{survey id: id of its newest response}`` (one index probe per survey, one query).

    Responses are only ever added, never changed or deleted: a survey's newest response dates
    everything counted from its answers, so it makes a cache key for them."""
    newest = Response.objects.filter(survey=OuterRef("pk")).order_by("-id").values("id")[:1]
    return dict(
        Survey.objects.filter(pk__in=list(survey_ids))
        .annotate(last=Subquery(newest))
        .values_list("pk", "last")
        .order_by()
    )


def response_totals(survey_ids) -> dict[int, int]:
    """``{survey id: number of responses}``, cached per survey under its newest response."""
    latest = latest_response_ids(survey_ids)

    def count(missing):
        counted = dict(
            Response.objects.filter(survey__in=missing)
            .values("survey")
            .annotate(n=Count("pk"))
            .values_list("survey", "n")
            .order_by()
        )
        return {pk: counted.get(pk, 0) for pk in missing}

    keys = {pk: f"surveys:total:{pk}:{last}" for pk, last in latest.items() if last}
    return cached_per_survey(keys, count, COUNT_CACHE_SECONDS)


def cached_per_survey(keys: dict[int, str], compute, timeout: int) -> dict:
    """``{survey id: value}`` for the surveys in ``keys`` (``{survey id: cache key}``, each key
    naming the survey's newest response): what the cache holds, and ``compute(missing ids)``
    (one query for all of them) for the rest, which is then kept."""
    found = cache.get_many(list(keys.values()))
    values = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in values]
    if missing:
        fresh = compute(missing)
        values.update(fresh)
        cache.set_many({keys[pk]: fresh[pk] for pk in missing}, timeout)
    return values


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
