"""Survey results tables: per-question counts, shares and breakdowns, from the database.

See the package docstring (``surveys.results``) for the query and suppression rules.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, FloatField, Prefetch, Q, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Floor, RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships import cache
from platser.models import Zone

from ..models import (
    CHOICE_KINDS,
    Answer,
    AnswerOption,
    QuestionKind,
    Survey,
    SurveyQuestion,
)
from ..selectors import latest_response_ids
from ..stats import MIN_CELL, Share, share, suppress_line, suppress_table

#: Bank codes of the main safety question, in order of preference.
SAFETY_CODES = ("plats-trygg-kvall", "ntu-otrygg-kvall", "boverket-trygg-kvall")

#: The fixed map grid: 0.0009° of latitude ≈ 100 m everywhere; 0.0018° of longitude ≈ 100 m at
#: 60° N (≈ 115 m in Skåne, ≈ 75 m in Kiruna). Fixed so cells are the same in every wave.
GRID_LAT = 0.0009
GRID_LON = 0.0018

#: How long aggregated counts are kept; the key changes with every new response anyway.
RESULTS_CACHE_SECONDS = 3600

#: Free-text answers shown per question (the newest), once at least MIN_CELL exist.
TEXTS_SHOWN = 50

DIMENSIONS = {
    "plats": (None, gettext_lazy("plats")),
    "zon": (QuestionKind.ZONE, gettext_lazy("zon")),
    "kon": (QuestionKind.GENDER, gettext_lazy("kön")),
    "alder": (QuestionKind.AGE, gettext_lazy("åldersgrupp")),
}

NO_ANSWER = None


@dataclass
class Cell:
    """One answer's count and share; ``count`` and ``share`` are ``None`` when hidden."""

    label: str
    count: int | None
    share: Share | None

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass
class Group:
    """One row of a breakdown: a group (a zone, a gender …), its n and its cells."""

    key: int | None
    label: str
    n: int | None
    cells: list[Cell]


@dataclass
class MapCell:
    """A grid cell with at least MIN_CELL points: its bounds [[s, w], [n, e]] and count."""

    south: float
    west: float
    north: float
    east: float
    count: int

    @property
    def label(self) -> str:
        """South-west and north-east corners as "lat, lon – lat, lon" (4 decimals, ~10 m)."""
        return f"{self.south:.4f}, {self.west:.4f} – {self.north:.4f}, {self.east:.4f}"


@dataclass
class QuestionResult:
    item: SurveyQuestion
    n: int | None  # None when fewer than MIN_CELL answered
    cells: list[Cell] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    map_cells: list[MapCell] = field(default_factory=list)
    map_hidden: int = 0  # points in cells too small to show

    @property
    def question(self):
        return self.item.question

    @property
    def has_hidden(self) -> bool:
        return any(c.hidden for c in self.cells) or any(
            c.hidden for g in self.groups for c in g.cells
        )


# --- counting ----------------------------------------------------------------------------------


def _choices(question) -> list[tuple[int, str]]:
    """(key, label) of the answers counted for a question: its options, or its place's zones."""
    return [(o.pk, o.label_sv) for o in question.options.all()]


def survey_items(survey: Survey) -> list[SurveyQuestion]:
    """The survey's questions in order, each with its question and options (two queries)."""
    return list(
        SurveyQuestion.objects.filter(survey=survey)
        .select_related("question")
        .prefetch_related(
            Prefetch("question__options", queryset=AnswerOption.objects.order_by("position"))
        )
        .order_by("position")
    )


def place_count(survey: Survey) -> int:
    """How many places the survey covers (annotated by the caller, prefetched, or counted):
    never by loading a national survey's 1,450 places with their outlines."""
    if hasattr(survey, "place_count"):
        return survey.place_count
    cached = getattr(survey, "_prefetched_objects_cache", {}).get("places")
    return len(cached) if cached is not None else survey.places.count()


def _zones(survey: Survey) -> list[tuple[int, str]]:
    zones = Zone.objects.filter(place__in=survey.places.all()).select_related("place")
    several = len({z.place_id for z in zones}) > 1
    return [(z.pk, f"{z.place.name}: {z.name}" if several else z.name) for z in zones]


def _version(survey: Survey) -> str:
    """A cache key part that changes whenever the survey's answers can have changed.

    Answers are only ever written together with their response, and responses are only ever
    added, so the newest response (one index probe, whatever the survey's size) dates the
    answers. The survey's creation time keeps keys apart where ids are reused (a test database
    rolled back).
    """
    last = latest_response_ids([survey.pk]).get(survey.pk)
    return f"{survey.pk}:{survey.created_at.timestamp()}:{last}"


def _cached(version: str, name: str, compute):
    """``compute()`` through the cache (an hour); a cache outage only costs the speed-up."""
    key = f"surveys:results:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, RESULTS_CACHE_SECONDS)
    return value


def _counts(survey: Survey, items: list[SurveyQuestion]):
    """Answer counts and respondent counts for every question of ``survey``.

    Returns ``({(question, option or zone): answers}, {question: respondents})``. One GROUP BY
    over all the survey's answers gives both: every kind but multiple choice has one answer per
    respondent, so its respondents are the sum of its rows (text and map answers form the row
    with neither option nor zone). Multiple choice needs COUNT(DISTINCT response), asked only
    of those questions' rows (through the ``answer_results`` index).
    """
    counts: dict[tuple[int, int], int] = {}
    respondents: dict[int, int] = defaultdict(int)
    rows = (
        Answer.objects.filter(survey=survey)
        .values_list("question_id", "option_id", "zone_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, option_id, zone_id, n in rows:
        key = option_id if option_id is not None else zone_id
        if key is not None:
            counts[(question_id, key)] = n
        respondents[question_id] += n
    multiple = [i.question_id for i in items if i.question.kind == QuestionKind.MULTIPLE]
    if multiple:
        for question_id, n in (
            Answer.objects.filter(survey=survey, question_id__in=multiple)
            .values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        ):
            respondents[question_id] = n
    return counts, respondents


def _line(keys_labels, counts: dict, question_id: int, n: int, additive: bool) -> list[Cell]:
    values = [counts.get((question_id, key), 0) for key, _label in keys_labels]
    hidden, total_hidden = suppress_line(values, n, additive=additive)
    return [
        Cell(label, None, None) if h or total_hidden else Cell(label, v, share(v, n))
        for (_key, label), v, h in zip(keys_labels, values, hidden, strict=True)
    ]


def _texts(survey: Survey, question_ids: list[int]) -> dict[int, list[str]]:
    if not question_ids:
        return {}
    rows = (
        Answer.objects.filter(survey=survey, question_id__in=question_ids)
        .exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=F("question_id"), order_by=F("id").desc()))
        .filter(rank__lte=TEXTS_SHOWN)
        .values_list("question_id", "text")
    )
    out = defaultdict(list)
    for question_id, text in rows:
        out[question_id].append(text)
    return out


def _map_cells(survey: Survey, question_ids: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    """{question id: [(column, row, points)]} on the fixed grid, counted in the database."""
    if not question_ids:
        return {}
    rows = (
        Answer.objects.filter(survey=survey, question_id__in=question_ids, point__isnull=False)
        .annotate(
            col=Floor(Cast(KT("point__coordinates__0"), FloatField()) / GRID_LON),
            row=Floor(Cast(KT("point__coordinates__1"), FloatField()) / GRID_LAT),
        )
        .values_list("question_id", "col", "row")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = defaultdict(list)
    for question_id, col, row, n in rows:
        out[question_id].append((int(col), int(row), n))
    return out


def survey_results(
    survey: Survey, *, by: str | None = None, items: list[SurveyQuestion] | None = None
) -> list[QuestionResult]:
    """Every question's results, suppressed; with ``by`` (a key of ``DIMENSIONS``) a breakdown.

    ``items`` are the survey's questions when the caller has them (``survey_items``).
    """
    items = items if items is not None else survey_items(survey)
    version = _version(survey)
    counts, respondents = _cached(version, "counts", lambda: _counts(survey, items))
    zones = None
    text_ids, map_ids = [], []
    for item in items:
        n = respondents.get(item.question_id, 0)
        if item.question.kind == QuestionKind.TEXT and n >= MIN_CELL:
            text_ids.append(item.question_id)
        elif item.question.kind == QuestionKind.POINT:
            map_ids.append(item.question_id)
    texts = _cached(version, "texts", lambda: _texts(survey, text_ids))
    cells = _cached(version, "map", lambda: _map_cells(survey, map_ids))
    breakdown = _breakdown(survey, items, by, version) if by in DIMENSIONS else None

    results = []
    for item in items:
        question = item.question
        n = respondents.get(item.question_id, 0)
        result = QuestionResult(item=item, n=n if n >= MIN_CELL else None)
        if question.kind in CHOICE_KINDS or question.kind == QuestionKind.ZONE:
            if question.kind == QuestionKind.ZONE:
                zones = zones if zones is not None else _zones(survey)
                keys = zones
            else:
                keys = _choices(question)
            additive = question.kind != QuestionKind.MULTIPLE
            result.cells = _line(keys, counts, question.pk, n, additive)
            if breakdown is not None and result.n is not None:
                result.groups = breakdown.table(
                    question.pk, keys, counts, result.cells, n, additive
                )
        elif question.kind == QuestionKind.TEXT and result.n is not None:
            result.texts = texts.get(question.pk, [])
        elif question.kind == QuestionKind.POINT:
            for col, row, points in cells.get(question.pk, []):
                if points >= MIN_CELL:
                    result.map_cells.append(
                        MapCell(
                            south=round(row * GRID_LAT, 6),
                            west=round(col * GRID_LON, 6),
                            north=round((row + 1) * GRID_LAT, 6),
                            east=round((col + 1) * GRID_LON, 6),
                            count=points,
                        )
                    )
                else:
                    result.map_hidden += points
        results.append(result)
    return results


# --- breakdowns --------------------------------------------------------------------------------


@dataclass
class _Breakdown:
    groups: list[tuple[int | None, str]]
    counts: dict[tuple[int, int, int | None], int]  # (question, answer, group) → answers
    sizes: dict[tuple[int, int | None], int]  # (question, group) → respondents

    def table(self, question_id, keys, counts, overall: list[Cell], n, additive) -> list[Group]:
        groups = self.groups
        cells = [[self.counts.get((question_id, k, g), 0) for k, _l in keys] for g, _gl in groups]
        sizes = [self.sizes.get((question_id, g), 0) for g, _gl in groups]
        column_totals = [counts.get((question_id, k), 0) for k, _l in keys]
        hidden, row_hidden = suppress_table(
            cells,
            sizes,
            column_totals,
            [c.hidden for c in overall],
            rows_additive=additive,
        )
        out = []
        for r, (key, label) in enumerate(groups):
            if sizes[r] == 0:
                continue  # an empty group says nothing and is left out
            size = None if row_hidden[r] else sizes[r]
            row = [
                Cell(kl, None, None)
                if hidden[r][c] or size is None
                else Cell(kl, cells[r][c], share(cells[r][c], size))
                for c, (_k, kl) in enumerate(keys)
            ]
            out.append(Group(key=key, label=label, n=size, cells=row))
        return out


def _breakdown(
    survey: Survey, items: list[SurveyQuestion], by: str, version: str
) -> _Breakdown | None:
    kind, _label = DIMENSIONS[by]
    answers = Answer.objects.filter(survey=survey)
    if kind is None:
        group_field = "response__place_id"
        groups = list(survey.places.order_by("name").values_list("pk", "name"))
    else:
        item = next((i for i in items if i.question.kind == kind), None)
        if item is None:
            return None
        answers = answers.annotate(
            # The survey in the condition lets the group answers come from the same index.
            grp=FilteredRelation(
                "response__answers",
                condition=Q(
                    response__answers__survey=survey,
                    response__answers__question_id=item.question_id,
                ),
            )
        )
        if kind == QuestionKind.ZONE:
            group_field = "grp__zone_id"
            groups = _zones(survey)
        else:
            group_field = "grp__option_id"
            groups = _choices(item.question)
    groups = groups + [(NO_ANSWER, _("Inget svar"))]

    def compute():
        counts: dict[tuple[int, int, int | None], int] = {}
        sizes: dict[tuple[int, int | None], int] = defaultdict(int)
        for q, o, z, g, n in (
            answers.filter(Q(option__isnull=False) | Q(zone__isnull=False))
            .values_list("question_id", "option_id", "zone_id", group_field)
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[(q, o if o is not None else z, g)] = n
            sizes[(q, g)] += n  # one answer per respondent, except multiple choice (below)
        multiple = [i.question_id for i in items if i.question.kind == QuestionKind.MULTIPLE]
        if multiple:
            for q, g, n in (
                answers.filter(question_id__in=multiple)
                .values_list("question_id", group_field)
                .annotate(n=Count("response_id", distinct=True))
                .order_by()
            ):
                sizes[(q, g)] = n
        return counts, dict(sizes)

    counts, sizes = _cached(version, f"by-{by}", compute)
    return _Breakdown(groups=groups, counts=counts, sizes=sizes)


def breakdown_dimensions(survey: Survey, items: list[SurveyQuestion] | None = None) -> list:
    """The breakdowns this survey allows: (key, label) for place (several places), zone, …"""
    items = items if items is not None else survey_items(survey)
    kinds = {i.question.kind for i in items}
    out = []
    for key, (kind, label) in DIMENSIONS.items():
        if kind is None and place_count(survey) > 1 or kind is not None and kind in kinds:
            out.append((key, label))
    return out
