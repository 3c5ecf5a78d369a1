"""The safety index per place and wave, the choice of a place's baseline and follow-up, and
the comparison of the two.

**One index** (``surveys.results.safety``), published through the same protected lines and
tables as the results page (``surveys.results.disclosure``): a single-place survey's index is
its main question's own line, split into safe and not-safe answers; a survey of several places
publishes each place's index as the sub-lines of its breakdown by place. So the index never
tells more than the answer table beside it.

**One choice of waves** (``headline``), used by the wave comparison, the dashboard and every
report: the *follow-up* is the place's latest closed follow-up (highest wave, then newest); the
*baseline* is the newest closed nollmätning of the same target group that asks the same main
question. A survey still open is never either: it is *preliminär*, shown (to coordinators, from
its daily snapshot) beside the headline, never as it. Without a follow-up the baseline is the
newest closed nollmätning of the first target group that has one (residents, visitors, traders).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, JSONField, Prefetch, Q, Value, When
from django.utils import timezone

from platser.models import Place

from ..models import Answer, AnswerOption, QuestionKind, Survey, SurveyQuestion, TargetGroup
from ..selectors import cached_per_survey
from ..stats import Change, Share, change, share
from .disclosure import protect_line
from .safety import index_item, positive_keys
from .snapshots import snapshots
from .tables import Cell, place_table, survey_results


@dataclass
class IndexPoint:
    """The safety index of a place in one survey: ``share`` is ``None`` when suppressed.

    ``question_id`` is the survey's main safety question; ``preliminary`` says the survey was
    still open when its snapshot was taken."""

    survey: Survey
    place_id: int
    share: Share | None
    question_id: int | None = None
    preliminary: bool = False

    @property
    def wave(self) -> int:
        return self.survey.wave


def safety_indexes(
    places, *, surveys: Q | None = None, today: datetime.date | None = None
) -> dict[int, list[IndexPoint]]:
    """{place id: [IndexPoint per survey, by wave then date]} for ``places``.

    A constant number of queries whatever the number of places: the surveys (1), the places
    they cover (1), their questions with options (2), the snapshots (2, and a write for each
    survey whose snapshot moves), and one GROUP BY over the answers of the surveys whose counts
    are not cached. ``surveys`` narrows the surveys used.
    """
    today = today or timezone.localdate()
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
    # Only the ids and names: a dashboard over 1,450 places must not build a model instance
    # per survey and place just to know which places a survey covers.
    covered: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if surveys:
        through = Survey.places.through.objects.filter(survey__in=[s.pk for s in surveys])
        # In the places' own order (by name), as the results page's breakdown by place has
        # them: the order decides which cell is hidden when two are equally small.
        rows = through.order_by("place__name", "place_id").values_list(
            "survey_id", "place_id", "place__name"
        )
        for survey_id, place_id, name in rows:
            covered[survey_id].append((place_id, name))
    items = {}
    for survey in surveys:
        item = index_item(list(survey.survey_questions.all()))
        if item is not None:
            items[survey.pk] = item
    snaps = snapshots([s for s in surveys if s.pk in items], today=today)
    counts = _safety_counts(items, snaps)
    out: dict[int, list[IndexPoint]] = {pk: [] for pk in place_ids}
    for survey in surveys:
        if survey.pk not in items:
            continue
        item = items[survey.pk]
        per_place, responses = counts.get(survey.pk, ({}, {}))
        shares = _index_shares(item, covered[survey.pk], per_place, responses)
        for place_id, value in shares.items():
            if place_id in out:
                out[place_id].append(
                    IndexPoint(
                        survey=survey,
                        place_id=place_id,
                        share=value,
                        question_id=item.question_id,
                        preliminary=snaps[survey.pk].preliminary,
                    )
                )
    return out


def _index_shares(item, places, per_place, responses) -> dict[int, Share | None]:
    """Each place's published index of one survey: its main question's own line when the
    survey covers one place, else the sub-lines of the protected breakdown by place (the very
    tables the results page shows)."""
    keys = [(o.pk, o.label_sv) for o in item.question.options.all()]
    positive = positive_keys(item)
    groups = [
        [i for i, (k, _l) in enumerate(keys) if k in positive],
        [i for i, (k, _l) in enumerate(keys) if k not in positive],
    ]
    overall = [sum(per_place.get((p, k), 0) for p, _n in places) for k, _l in keys]
    line = protect_line(overall, sum(overall), groups=groups)
    safe = groups[0]
    if len(places) == 1:
        place_id = places[0][0]
        value = share(sum(overall[i] for i in safe), sum(overall)) if line.groups_shown else None
        return {place_id: value}
    protection, rows = place_table(item, keys, line, places, per_place, responses, groups)
    out = {}
    for r, (place_id, _name) in enumerate(places):
        shown = not protection.withdrawn and protection.row_groups_shown[r]
        out[place_id] = share(sum(rows[r][i] for i in safe), sum(rows[r])) if shown else None
    return out


#: Seconds a survey's safety counts stay cached. The key holds the survey's snapshot, so new
#: answers are counted when it moves; the limit only lets go of surveys nobody reads.
SAFETY_COUNTS_SECONDS = 24 * 3600


def _safety_counts(items: dict, snaps: dict) -> dict[int, tuple[dict, dict]]:
    """``{survey id: ({(place id, option id): answers}, {place id: responses})}`` of each
    survey's main question (``items``: {survey id: SurveyQuestion}), up to its snapshot.

    Cached under the snapshot's newest response (one key per survey), and kept in the database
    beside the snapshot (``ResultsSnapshot.safety_counts``), so a closed survey with a million
    answers is counted once, with or without a cache; a moved snapshot counts only the
    responses since the counts kept, in two GROUP BYs over all such surveys together.
    """
    keys = {
        survey_id: f"surveys:safety:{survey_id}:{item.question_id}:{snaps[survey_id].upto}"
        for survey_id, item in items.items()
        if snaps[survey_id].upto  # nobody has answered yet: nothing to count
    }
    if not keys:
        return {}

    def count(missing):
        return _stored_safety_counts(items, snaps, missing)

    return cached_per_survey(keys, count, SAFETY_COUNTS_SECONDS)


def _stored_safety_counts(items: dict, snaps: dict, missing) -> dict[int, tuple[dict, dict]]:
    """The safety counts of the surveys ``missing`` from the cache: as kept beside their
    snapshots, topped up with the responses after the ids they were kept for, and kept again.
    Without a cache: no query when every count is kept, 3 when some have to be topped up."""
    from ..models import Response, ResultsSnapshot

    fresh: dict[int, tuple[dict, dict]] = {}
    since: dict[int, int] = {}  # survey id: count the responses after this id (0: all)
    for survey_id in missing:
        upto, question_id = snaps[survey_id].upto, items[survey_id].question_id
        kept = snaps[survey_id].safety_counts
        usable = kept.get("question") == question_id and (kept.get("upto") or 0) <= upto
        if usable:
            fresh[survey_id] = (
                {(p, o): n for p, o, n in kept.get("answers", [])},
                dict(kept.get("responses", [])),
            )
            since[survey_id] = kept.get("upto") or 0
        else:
            fresh[survey_id] = ({}, {})
            since[survey_id] = 0
    todo = [pk for pk in missing if since[pk] < snaps[pk].upto]
    if todo:
        answers, responses = Q(), Q()
        for survey_id in todo:
            low, upto = since[survey_id], snaps[survey_id].upto
            answers |= Q(
                survey_id=survey_id,
                question_id=items[survey_id].question_id,
                response_id__gt=low,
                response_id__lte=upto,
            )
            responses |= Q(survey_id=survey_id, id__gt=low, id__lte=upto)
        for survey_id, place_id, option_id, n in (
            Answer.objects.filter(answers, option__isnull=False)
            .values_list("survey_id", "response__place_id", "option_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            per_place = fresh[survey_id][0]
            per_place[(place_id, option_id)] = per_place.get((place_id, option_id), 0) + n
        for survey_id, place_id, n in (
            Response.objects.filter(responses)
            .values_list("survey_id", "place_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            per_place = fresh[survey_id][1]
            per_place[place_id] = per_place.get(place_id, 0) + n
        # Kept in one UPDATE for all of them (the snapshot rows exist: snapshots() made them).
        kept = Case(
            *(
                When(
                    survey_id=survey_id,
                    then=Value(
                        {
                            "question": items[survey_id].question_id,
                            "upto": snaps[survey_id].upto,
                            "answers": [[p, o, n] for (p, o), n in fresh[survey_id][0].items()],
                            "responses": [[p, n] for p, n in fresh[survey_id][1].items()],
                        },
                        output_field=JSONField(),
                    ),
                )
                for survey_id in todo
            ),
            default=F("safety_counts"),
        )
        ResultsSnapshot.objects.filter(survey_id__in=todo).update(safety_counts=kept)
    return fresh


def safety_index(place, wave: int) -> IndexPoint | None:
    """The safety index of ``place`` in ``wave`` (the newest survey of that wave), or None."""
    points = [p for p in safety_indexes([place]).get(place.pk, []) if p.wave == wave]
    return points[-1] if points else None


# --- choosing the waves ------------------------------------------------------------------------

_GROUP_ORDER = {value: position for position, value in enumerate(TargetGroup.values)}


@dataclass
class Headline:
    """A place's baseline and follow-up (closed surveys), and a survey still open."""

    baseline: IndexPoint | None = None
    follow_up: IndexPoint | None = None
    preliminary: IndexPoint | None = None


def headline(points: list[IndexPoint], *, today: datetime.date | None = None) -> Headline:
    """The place's baseline and follow-up among its index points (see the module docstring)."""
    today = today or timezone.localdate()
    ordered = sorted(points, key=lambda p: (p.survey.wave, p.survey.opens_on, p.survey.pk))
    closed = [p for p in ordered if p.survey.closes_on < today]
    running = [p for p in ordered if p.survey.opens_on <= today <= p.survey.closes_on]
    out = Headline(preliminary=running[-1] if running else None)
    follow_ups = [p for p in closed if p.wave > 0]
    baselines = [p for p in closed if p.wave == 0]
    if follow_ups:
        out.follow_up = follow_ups[-1]
        like = [
            p
            for p in baselines
            if p.survey.target_group == out.follow_up.survey.target_group
            and p.question_id == out.follow_up.question_id
        ]
        out.baseline = like[-1] if like else None
    elif baselines:

        def rank(point):
            return _GROUP_ORDER.get(point.survey.target_group, len(_GROUP_ORDER))

        first = min(rank(p) for p in baselines)
        out.baseline = [p for p in baselines if rank(p) == first][-1]
    return out


# --- the comparison ----------------------------------------------------------------------------


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
    preliminary: IndexPoint | None = None  # a survey still open (coordinators only)


def wave_surveys(place: Place, *, today=None) -> tuple[Survey | None, Survey | None]:
    """The place's baseline and follow-up surveys (``headline``)."""
    chosen = headline(safety_indexes([place], today=today).get(place.pk, []), today=today)
    return (
        chosen.baseline.survey if chosen.baseline else None,
        chosen.follow_up.survey if chosen.follow_up else None,
    )


def _place_row(survey: Survey, place: Place) -> tuple[dict[int, SurveyQuestion], dict]:
    """The place's row of the place breakdown of every scale question of ``survey`` (its own
    lines when the survey covers only this place)."""
    single = survey.places.count() == 1
    results = survey_results(survey, by=None if single else "plats")
    rows = {}
    items = {}
    for result in results:
        if result.question.kind != QuestionKind.SCALE:
            continue
        items[result.question.pk] = result.item
        if single:
            rows[result.question.pk] = (result.n, result.cells)
            continue
        group = next((g for g in result.groups if g.key == place.pk), None)
        rows[result.question.pk] = (group.n, group.cells) if group else (None, [])
    return items, rows


def wave_comparison(
    place: Place, *, preliminary: bool = False, today: datetime.date | None = None
) -> WaveComparison:
    """Baseline vs follow-up at ``place`` (``headline``): per shared question and the index.

    ``preliminary``: also the index of a survey still open (for coordinators), marked so.
    """
    today = today or timezone.localdate()
    series = safety_indexes([place], today=today).get(place.pk, [])
    chosen = headline(series, today=today)
    comparison = WaveComparison(
        place=place,
        before=chosen.baseline.survey if chosen.baseline else None,
        after=chosen.follow_up.survey if chosen.follow_up else None,
        index_before=chosen.baseline,
        index_after=chosen.follow_up,
        index_series=[p for p in series if p.survey.closes_on < today],
        preliminary=chosen.preliminary if preliminary else None,
    )
    ib, ia = comparison.index_before, comparison.index_after
    if ib and ia and ib.share and ia.share:
        comparison.index_change = change(ib.share, ia.share)
    before, after = comparison.before, comparison.after
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
