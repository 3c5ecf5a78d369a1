"""The safety index per place and wave, and the comparison of a place's waves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from platser.models import Place

from ..models import Answer, AnswerOption, QuestionKind, Survey, SurveyQuestion
from ..selectors import cached_per_survey, latest_response_ids
from ..stats import MIN_CELL, Change, Share, change, share, suppress_line, suppress_table
from .tables import SAFETY_CODES, Cell, place_count, survey_results


@dataclass
class IndexPoint:
    """The safety index of a place in one survey: ``share`` is ``None`` when suppressed."""

    survey: Survey
    place_id: int
    share: Share | None

    @property
    def wave(self) -> int:
        return self.survey.wave


def _safety_question_id(items: list[SurveyQuestion]) -> int | None:
    by_code = {i.question.code: i for i in items if i.question.code}
    for code in SAFETY_CODES:
        if code in by_code:
            return by_code[code].question_id
    for item in items:
        if item.question.kind == QuestionKind.SCALE and any(
            o.is_positive for o in item.question.options.all()
        ):
            return item.question_id
    return None


def safety_indexes(places, *, surveys: Q | None = None) -> dict[int, list[IndexPoint]]:
    """{place id: [IndexPoint per survey, by wave then date]} for ``places``.

    A constant number of queries whatever the number of places: the surveys (1), the places
    they cover (1), their questions with options (2), each survey's newest response (1), and
    one GROUP BY over the answers of the surveys whose counts are not cached (``_safety_counts``).
    Each survey's index table (places × safe/not safe) is suppressed as a whole, so one place's
    index cannot be worked out from another's and the survey totals. ``surveys`` narrows the
    surveys used (e.g. only closed ones for partners).
    """
    place_ids = [p.pk if isinstance(p, Place) else p for p in places]
    surveys = list(
        Survey.objects.filter(places__in=place_ids)
        .filter(surveys or Q())
        .distinct()
        .prefetch_related(
            Prefetch(
                "survey_questions",
                queryset=SurveyQuestion.objects.select_related("question")
                .prefetch_related(
                    Prefetch(
                        "question__options", queryset=AnswerOption.objects.order_by("position")
                    )
                )
                .order_by("position"),
            ),
        )
        .order_by("wave", "opens_on", "pk")
    )
    # Only the ids: a dashboard over 1,450 places must not build a model instance per survey
    # and place just to know which places a survey covers.
    covered: dict[int, list[int]] = defaultdict(list)
    if surveys:
        through = Survey.places.through.objects.filter(survey__in=[s.pk for s in surveys])
        # In the places' own order (by name), as ``survey.places.all()`` gives them: the order
        # decides which cell complementary suppression hides when two are equally small.
        rows = through.order_by("place__name", "place_id").values_list("survey_id", "place_id")
        for survey_id, place_id in rows:
            covered[survey_id].append(place_id)
    safety = {}
    for survey in surveys:
        question_id = _safety_question_id(list(survey.survey_questions.all()))
        if question_id is not None:
            safety[survey.pk] = question_id
    positive = {
        option.pk
        for survey in surveys
        if survey.pk in safety
        for item in survey.survey_questions.all()
        if item.question_id == safety[survey.pk]
        for option in item.question.options.all()
        if option.is_positive
    }
    counts = _safety_counts(safety, positive)
    out: dict[int, list[IndexPoint]] = {pk: [] for pk in place_ids}
    for survey in surveys:
        if survey.pk not in safety:
            continue
        table = counts.get(survey.pk, {})
        rows_keys = [*covered[survey.pk], None]
        cells = [table.get(k, [0, 0]) for k in rows_keys]
        sizes = [a + b for a, b in cells]
        totals = [sum(c[0] for c in cells), sum(c[1] for c in cells)]
        overall_hidden, _t = suppress_line(totals, sum(totals))
        hidden, row_hidden = suppress_table(cells, sizes, totals, overall_hidden)
        for r, key in enumerate(rows_keys):
            if key not in out:
                continue
            shown = not row_hidden[r] and not any(hidden[r]) and sizes[r] >= MIN_CELL
            value = share(cells[r][0], sizes[r]) if shown else None
            out[key].append(IndexPoint(survey=survey, place_id=key, share=value))
    return out


#: Seconds a survey's safety counts stay cached. The key holds the survey's newest response, so
#: a new answer is counted on the next request; the limit only lets go of surveys nobody reads.
SAFETY_COUNTS_SECONDS = 24 * 3600


def _safety_counts(
    safety: dict[int, int], positive: set[int]
) -> dict[int, dict[int | None, list[int]]]:
    """``{survey id: {place id: [safe, not safe]}}`` for ``{survey id: safety question id}``;
    ``positive`` holds the ids of the answer options that count as safe.

    Responses are only ever added, never changed or deleted, so a survey's counts are fixed
    until its next response: they are cached under the id of its newest response (one index
    probe per survey, in one query), and only the surveys with new answers are counted again,
    in one GROUP BY. A closed survey with a million answers is counted once. A cache that
    fails only costs the speed-up.
    """
    if not safety:
        return {}
    latest = latest_response_ids(safety)

    def count(missing):
        condition = Q()
        for survey_id in missing:
            condition |= Q(
                survey_id=survey_id,
                question_id=safety[survey_id],
                # Not beyond the response the key names: a later one gets a key of its own.
                response_id__lte=latest[survey_id],
            )
        fresh: dict[int, dict[int | None, list[int]]] = {pk: {} for pk in missing}
        rows = (
            Answer.objects.filter(condition, option__isnull=False)
            .values_list("survey_id", "response__place_id", "option_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for survey_id, place_id, option_id, n in rows:
            cell = fresh[survey_id].setdefault(place_id, [0, 0])
            cell[0 if option_id in positive else 1] += n
        return fresh

    keys = {
        survey_id: f"surveys:safety:{survey_id}:{question_id}:{latest[survey_id]}"
        for survey_id, question_id in safety.items()
        if latest.get(survey_id)  # nobody has answered yet: nothing to count
    }
    counts = cached_per_survey(keys, count, SAFETY_COUNTS_SECONDS)
    return {survey_id: counts.get(survey_id, {}) for survey_id in safety}


def safety_index(place, wave: int) -> IndexPoint | None:
    """The safety index of ``place`` in ``wave`` (the newest survey of that wave), or None."""
    points = [p for p in safety_indexes([place]).get(place.pk, []) if p.wave == wave]
    return points[-1] if points else None


@dataclass
class QuestionChange:
    """One question's answers at a place in two waves, with the change per answer."""

    question: object
    before_n: int | None
    after_n: int | None
    rows: list[tuple[str, Cell, Cell, Change | None]]


@dataclass
class WaveComparison:
    place: Place
    before: Survey | None
    after: Survey | None
    index_before: IndexPoint | None = None
    index_after: IndexPoint | None = None
    index_change: Change | None = None
    index_series: list[IndexPoint] = field(default_factory=list)
    questions: list[QuestionChange] = field(default_factory=list)


def wave_surveys(place: Place, *, surveys: Q | None = None) -> tuple[Survey | None, Survey | None]:
    """The place's newest follow-up (highest wave, then newest) and the newest nollmätning of
    the same target group (any target group when there is none)."""
    surveys = list(
        # By id: filtering on the places join itself would make place_count count only this one.
        Survey.objects.filter(pk__in=Survey.objects.filter(places=place).values("pk"))
        .filter(surveys or Q())
        .annotate(place_count=Count("places", distinct=True))
        .order_by("wave", "opens_on", "pk")
    )
    follow_ups = [s for s in surveys if s.wave > 0]
    after = follow_ups[-1] if follow_ups else None
    baselines = [s for s in surveys if s.wave == 0]
    if after is not None:
        # Like with like: the baseline of the same target group (residents vs traders …).
        baselines = [s for s in baselines if s.target_group == after.target_group] or baselines
    return (baselines[-1] if baselines else None, after)


def _place_row(survey: Survey, place: Place) -> tuple[dict[int, SurveyQuestion], dict]:
    """The place's row of the place breakdown of every choice question of ``survey``."""
    results = survey_results(survey, by="plats")
    rows = {}
    items = {}
    for result in results:
        if result.question.kind not in (QuestionKind.SCALE, QuestionKind.MULTIPLE):
            continue
        items[result.question.pk] = result.item
        if place_count(survey) == 1:
            rows[result.question.pk] = (result.n, result.cells)
            continue
        group = next((g for g in result.groups if g.key == place.pk), None)
        rows[result.question.pk] = (group.n, group.cells) if group else (None, [])
    return items, rows


def wave_comparison(place: Place, *, surveys: Q | None = None) -> WaveComparison:
    """Nollmätning vs the latest uppföljning at ``place``: per shared question and the index.

    ``surveys`` narrows the surveys considered (partners and observers: closed ones only).
    """
    before, after = wave_surveys(place, surveys=surveys)
    comparison = WaveComparison(place=place, before=before, after=after)
    series = safety_indexes([place], surveys=surveys).get(place.pk, [])
    comparison.index_series = series
    by_survey = {p.survey.pk: p for p in series}
    if before:
        comparison.index_before = by_survey.get(before.pk)
    if after:
        comparison.index_after = by_survey.get(after.pk)
    ib, ia = comparison.index_before, comparison.index_after
    if ib and ia and ib.share and ia.share:
        comparison.index_change = change(ib.share, ia.share)
    if not (before and after):
        return comparison
    items_before, rows_before = _place_row(before, place)
    items_after, rows_after = _place_row(after, place)
    for question_id, item in items_after.items():
        if question_id not in rows_before:
            continue
        n_before, cells_before = rows_before[question_id]
        n_after, cells_after = rows_after[question_id]
        rows = []
        for cb, ca in zip(cells_before, cells_after, strict=False):
            delta = change(cb.share, ca.share) if cb.share and ca.share else None
            rows.append((ca.label, cb, ca, delta))
        comparison.questions.append(
            QuestionChange(question=item.question, before_n=n_before, after_n=n_after, rows=rows)
        )
    return comparison
