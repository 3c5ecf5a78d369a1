"""Survey results tables: per-question counts, shares and breakdowns, from the database.

See the package docstring (``surveys.results``) for the queries; what is published of the counts
is decided by ``surveys.results.disclosure``, which responses count by ``.snapshots``.
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
    Response,
    Survey,
    SurveyQuestion,
)
from ..stats import MIN_CELL, Share, share
from .disclosure import GROUP_MIN, Line, Table, is_small, protect_line, protect_table
from .safety import SAFETY_CODES, index_item, positive_keys
from .snapshots import Snapshot, snapshot

__all__ = ["SAFETY_CODES"]

#: The fixed map grid: 0.0009° of latitude ≈ 100 m everywhere; 0.0018° of longitude ≈ 100 m at
#: 60° N (≈ 115 m in Skåne, ≈ 75 m in Kiruna). Fixed so cells are the same in every wave.
GRID_LAT = 0.0009
GRID_LON = 0.0018

#: How long aggregated counts are kept; the key changes with every new snapshot anyway.
RESULTS_CACHE_SECONDS = 24 * 3600

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
    """One answer's count and share; ``count`` and ``share`` are ``None`` when hidden.
    ``key`` is the answer (option or zone id; None for "no answer")."""

    label: str
    count: int | None
    share: Share | None
    key: int | None = None

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass
class Group:
    """One row of a breakdown: a group (a zone, a gender …), its n and its cells.

    ``members`` are the answers of the group question the row covers (several for "Övriga
    och inget svar"; None there stands for no answer)."""

    key: int | None
    label: str
    n: int | None
    cells: list[Cell]
    members: tuple = ()


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
    map_hidden: int = 0  # points in cells not shown (0 or at least MIN_CELL)
    index_shown: bool = False  # the safety index of this line may be published
    # "group": a breakdown row's n is the group's size and "Inget svar" a column of its own;
    # "answered": n is those who answered (a place's own line).
    group_base: str = "answered"
    breakdown_withheld: bool = False  # too thin to break down without giving a cell away

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
    """(key, label) of the answers counted for a question: its options."""
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


def _version(survey: Survey, snap: Snapshot) -> str:
    """A cache key part that changes whenever the counted answers can have changed: the
    snapshot's newest response (responses are only ever added). The survey's creation time
    keeps keys apart where ids are reused (a test database rolled back)."""
    return f"{survey.pk}:{survey.created_at.timestamp()}:{snap.key()}"


def _cached(version: str, name: str, compute):
    """``compute()`` through the cache (a day); a cache outage only costs the speed-up."""
    return cache.get_or_compute(f"surveys:results:{version}:{name}", compute, RESULTS_CACHE_SECONDS)


def _answers(survey: Survey, upto: int | None):
    """The answers a snapshot counts (none before the first response)."""
    return Answer.objects.filter(survey=survey, response_id__lte=upto or 0)


def _counts(survey: Survey, items: list[SurveyQuestion], upto: int | None):
    """Answer counts, respondent counts and responses per place for ``survey`` up to ``upto``.

    Returns ``({(question, option or zone): answers}, {question: respondents}, {place:
    responses})``. One GROUP BY over all the survey's answers gives the first two: every kind
    but multiple choice has one answer per respondent, so its respondents are the sum of its
    rows (text and map answers form the row with neither option nor zone). Multiple choice needs
    COUNT(DISTINCT response), asked only of those questions' rows.
    """
    counts: dict[tuple[int, int], int] = {}
    respondents: dict[int, int] = defaultdict(int)
    answers = _answers(survey, upto)
    rows = answers.values_list("question_id", "option_id", "zone_id").annotate(n=Count("id"))
    for question_id, option_id, zone_id, n in rows.order_by():
        key = option_id if option_id is not None else zone_id
        if key is not None:
            counts[(question_id, key)] = n
        respondents[question_id] += n
    multiple = [i.question_id for i in items if i.question.kind == QuestionKind.MULTIPLE]
    if multiple:
        for question_id, n in (
            answers.filter(question_id__in=multiple)
            .values_list("question_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        ):
            respondents[question_id] = n
    per_place = dict(
        Response.objects.filter(survey=survey, id__lte=upto or 0)
        .values_list("place_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return counts, dict(respondents), per_place


def _texts(survey: Survey, question_ids: list[int], upto) -> dict[int, list[str]]:
    if not question_ids:
        return {}
    rows = (
        _answers(survey, upto)
        .filter(question_id__in=question_ids)
        .exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=F("question_id"), order_by=F("id").desc()))
        .filter(rank__lte=TEXTS_SHOWN)
        .values_list("question_id", "text")
    )
    out = defaultdict(list)
    for question_id, text in rows:
        out[question_id].append(text)
    return out


def _map_cells(survey: Survey, question_ids: list[int], upto) -> dict[int, list[tuple]]:
    """{question id: [(column, row, points)]} on the fixed grid, counted in the database."""
    if not question_ids:
        return {}
    rows = (
        _answers(survey, upto)
        .filter(question_id__in=question_ids, point__isnull=False)
        .annotate(
            col=Floor(Cast(KT("point__coordinates__0"), FloatField()) / GRID_LON),
            row=Floor(Cast(KT("point__coordinates__1"), FloatField()) / GRID_LAT),
        )
        .values_list("question_id", "col", "row")
        .annotate(n=Count("id"))
        .order_by("question_id", "col", "row")
    )
    out = defaultdict(list)
    for question_id, col, row, n in rows:
        out[question_id].append((int(col), int(row), n))
    return out


def _breakdown_counts(survey: Survey, items: list[SurveyQuestion], by: str, upto):
    """``({(question, answer, group): answers}, {(question, group): respondents})`` for the
    breakdown ``by``: the group is the response's place, or its answer to the group question
    (None: no answer). Two queries at most."""
    kind, _label = DIMENSIONS[by]
    answers = _answers(survey, upto)
    if kind is None:
        group_field = "response__place_id"
    else:
        item = next((i for i in items if i.question.kind == kind), None)
        if item is None:
            return {}, {}
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
        group_field = "grp__zone_id" if kind == QuestionKind.ZONE else "grp__option_id"
    counts: dict[tuple[int, int, int | None], int] = {}
    sizes: dict[tuple[int, int | None], int] = defaultdict(int)
    for q, o, z, g, n in (
        answers.filter(Q(option__isnull=False) | Q(zone__isnull=False))
        .values_list("question_id", "option_id", "zone_id", group_field)
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[(q, o if o is not None else z, g)] = n
        sizes[(q, g)] += n  # one answer per respondent (multiple choice is not broken down)
    return counts, dict(sizes)


def survey_results(
    survey: Survey,
    *,
    by: str | None = None,
    items: list[SurveyQuestion] | None = None,
    snap: Snapshot | None = None,
    today=None,
) -> list[QuestionResult]:
    """Every question's results as published (``surveys.results.disclosure``); with ``by`` (a
    key of ``DIMENSIONS``) the breakdown too.

    ``items`` are the survey's questions when the caller has them (``survey_items``); ``snap``
    the responses counted (``surveys.results.snapshots``; taken here when not given).
    """
    items = items if items is not None else survey_items(survey)
    snap = snap or snapshot(survey, today=today)
    version = _version(survey, snap)
    counts, respondents, per_place = _cached(
        version, "counts", lambda: _counts(survey, items, snap.upto)
    )
    text_ids, map_ids = [], []
    for item in items:
        n = respondents.get(item.question_id, 0)
        if item.question.kind == QuestionKind.TEXT and n >= MIN_CELL:
            text_ids.append(item.question_id)
        elif item.question.kind == QuestionKind.POINT:
            map_ids.append(item.question_id)
    texts = _cached(version, "texts", lambda: _texts(survey, text_ids, snap.upto))
    cells = _cached(version, "map", lambda: _map_cells(survey, map_ids, snap.upto))
    frame = _Frame(survey, items, counts, respondents, per_place, snap)

    results = []
    for item in items:
        question = item.question
        n = respondents.get(item.question_id, 0)
        result = QuestionResult(item=item, n=n if n >= MIN_CELL else None)
        if item.question_id in frame.lines:
            keys, line = frame.keys[item.question_id], frame.lines[item.question_id]
            result.cells = [
                Cell(label, None, None, key)
                if line.hidden[i] or line.total_hidden
                else Cell(label, v, share(v, n), key)
                for i, ((key, label), v) in enumerate(zip(keys, frame.values(item), strict=True))
            ]
            result.index_shown = line.groups_shown
        elif question.kind == QuestionKind.TEXT and result.n is not None:
            result.texts = texts.get(question.pk, [])
        elif question.kind == QuestionKind.POINT:
            result.map_cells, result.map_hidden = _published_map(cells.get(question.pk, []))
        results.append(result)
    if by in DIMENSIONS:
        tables = _cached(version, f"published-{by}", lambda: frame.breakdowns(by, version))
        for result in results:
            published = tables.get(result.item.question_id)
            if published is None:
                continue
            result.group_base = "answered" if by == "plats" else "group"
            if published == "withdrawn":
                result.breakdown_withheld = True
                continue
            result.groups = [
                Group(
                    key=key,
                    label=label,
                    n=n,
                    cells=[
                        Cell(cl, c, share(c, n) if c is not None and n else None, ck)
                        for (ck, cl), c in zip(_columns(result, by), values, strict=True)
                    ],
                    members=members,
                )
                for key, label, members, n, values in published
            ]
    return results


def _columns(result: QuestionResult, by: str):
    columns = [(c.key, c.label) for c in result.cells]
    return columns if by == "plats" else [*columns, (NO_ANSWER, _("Inget svar"))]


def _published_map(grid: list[tuple[int, int, int]]) -> tuple[list[MapCell], int]:
    """Grid cells with at least MIN_CELL points, and how many points lie in the others. A cell
    not shown is one of the many empty cells of the area to whoever reads the map, so each may
    hold none of the points not shown: no complement is needed."""
    counts = [points for _c, _r, points in grid]
    hidden = [is_small(c) for c in counts]
    cells = [
        MapCell(
            south=round(row * GRID_LAT, 6),
            west=round(col * GRID_LON, 6),
            north=round((row + 1) * GRID_LAT, 6),
            east=round((col + 1) * GRID_LON, 6),
            count=points,
        )
        for (col, row, points), h in zip(grid, hidden, strict=True)
        if not h
    ]
    return cells, sum(c for c, h in zip(counts, hidden, strict=True) if h)


class _Frame:
    """The counts of one snapshot of a survey and its protected lines and tables."""

    def __init__(self, survey, items, counts, respondents, per_place, snap):
        self.survey = survey
        self.items = items
        self.counts = counts
        self.respondents = respondents
        self.per_place = per_place  # {place id: responses}
        self.responses = snap.responses
        self.upto = snap.upto
        self.index = index_item(items)
        self.keys: dict[int, list] = {}
        self.lines: dict[int, Line] = {}
        zones = None
        for item in items:
            question = item.question
            if not (question.kind in CHOICE_KINDS or question.kind == QuestionKind.ZONE):
                continue
            if question.kind == QuestionKind.ZONE:
                zones = zones if zones is not None else _zones(survey)
                keys = zones
            else:
                keys = _choices(question)
            self.keys[item.question_id] = keys
            self.lines[item.question_id] = protect_line(
                self.values(item),
                respondents.get(item.question_id, 0),
                additive=question.kind != QuestionKind.MULTIPLE,
                groups=self.index_groups(item),
            )

    def values(self, item) -> list[int]:
        return [self.counts.get((item.question_id, k), 0) for k, _l in self.keys[item.question_id]]

    def index_groups(self, item) -> list[list[int]] | None:
        """The safe and the not-safe answers of the index question (positions), else None."""
        if self.index is None or item.question_id != self.index.question_id:
            return None
        positive = positive_keys(item)
        keys = [k for k, _l in self.keys[item.question_id]]
        return [
            [i for i, k in enumerate(keys) if k in positive],
            [i for i, k in enumerate(keys) if k not in positive],
        ]

    def breakdowns(self, by: str, version: str) -> dict:
        """``{question id: [(key, label, members, n, [count or None])] or "withdrawn"}``."""
        kind, _label = DIMENSIONS[by]
        counts, sizes = _breakdown_counts(self.survey, self.items, by, self.upto)
        out = {}
        if by == "plats":
            places = list(self.survey.places.order_by("name", "pk").values_list("pk", "name"))
            for item in self.items:
                if item.question.kind != QuestionKind.SCALE or item.question_id not in self.lines:
                    continue
                if self.respondents.get(item.question_id, 0) < MIN_CELL:
                    continue
                out[item.question_id] = self._place_rows(item, places, counts, sizes)
            return out
        dimension = next((i for i in self.items if i.question.kind == kind), None)
        if dimension is None or dimension.question_id not in self.lines:
            return out
        groups = self._groups(dimension)
        if groups is None:
            return out
        for item in self.items:
            if item.question.kind != QuestionKind.SCALE:
                continue  # respondent groups are not crossed, multiple choice not broken down
            if self.respondents.get(item.question_id, 0) < MIN_CELL:
                continue
            out[item.question_id] = self._group_rows(item, groups, counts, sizes)
        return out

    def _groups(self, dimension):
        """Named groups (shown, at least GROUP_MIN) and the rest: [(key, label, members, n)];
        None unless two of them have at least GROUP_MIN respondents."""
        line = self.lines[dimension.question_id]
        named = [
            (key, label, (key,), value)
            for i, ((key, label), value) in enumerate(
                zip(self.keys[dimension.question_id], self.values(dimension), strict=True)
            )
            if not line.hidden[i] and not line.total_hidden and value >= GROUP_MIN
        ]
        rest = self.responses - sum(n for *_x, n in named)
        if len(named) + (rest >= GROUP_MIN) < 2:
            return None
        named_keys = {key for key, *_x in named}
        members = tuple(
            [k for k, _l in self.keys[dimension.question_id] if k not in named_keys] + [NO_ANSWER]
        )
        if rest:
            named.append((NO_ANSWER, _("Övriga och inget svar"), members, rest))
        return named

    def _group_rows(self, item, groups, counts, sizes):
        q = item.question_id
        keys = [k for k, _l in self.keys[q]]
        line = self.lines[q]
        overall = self.values(item)
        n = self.respondents.get(q, 0)
        rows = []
        for key, _label, _members, size in groups:
            if key is NO_ANSWER:
                continue
            row = [counts.get((q, k, key), 0) for k in keys]
            rows.append(row + [size - sizes.get((q, key), 0)])
        if groups[-1][0] is NO_ANSWER:
            rest = [overall[c] - sum(r[c] for r in rows) for c in range(len(keys))]
            rows.append(rest + [(self.responses - n) - sum(r[-1] for r in rows)])
        index = self.index_groups(item) if line.groups_shown else None
        answers = list(range(len(keys)))
        table = Table(
            cells=rows,
            row_totals=[size for *_x, size in groups],
            groups=[*(index or [answers]), [len(keys)]],
            column_known=[not h for h in line.hidden] + [True],
            group_known=[True] * ((len(index) if index else 1) + 1),
        )
        protection = protect_table(table)
        if protection.withdrawn:
            return "withdrawn"
        return [
            (
                key,
                label,
                members,
                size,
                [None if h else v for v, h in zip(rows[r], protection.hidden[r], strict=True)],
            )
            for r, (key, label, members, size) in enumerate(groups)
        ]

    def _place_rows(self, item, places, counts, sizes):
        protection, rows = place_table(
            item,
            self.keys[item.question_id],
            self.lines[item.question_id],
            places,
            {
                (p, k): counts.get((item.question_id, k, p), 0)
                for p, _n in places
                for k, _l in self.keys[item.question_id]
            },
            self.per_place,
            self.index_groups(item),
        )
        if protection.withdrawn:
            return "withdrawn"
        out = []
        for r, (place_id, name) in enumerate(places):
            n = sum(rows[r])
            shown_n = None if protection.row_hidden[r] else n
            values = [
                None if protection.hidden[r][c] or shown_n is None else v
                for c, v in enumerate(rows[r])
            ]
            out.append((place_id, name, (place_id,), shown_n, values))
        return out


def place_table(item, keys, line, places, counts, responses, index_groups):
    """The breakdown of a question by place, protected: each place's own line (with its safety
    index as sub-lines for the index question), then the table. Shared by the results page
    and the safety index, so both publish the same (``(Protection, rows)``)."""
    rows = [[counts.get((p, k), 0) for k, _l in keys] for p, _n in places]
    groups = index_groups if index_groups and line.groups_shown else None
    row_lines = [protect_line(row, sum(row), groups=groups) for row in rows]
    answers = list(range(len(keys)))
    table = Table(
        cells=rows,
        row_totals=[sum(row) for row in rows],
        row_known=[not row_line.total_hidden for row_line in row_lines],
        row_upper=[responses.get(p, 0) for p, _n in places],
        groups=groups or [answers],
        column_known=[not h for h in line.hidden],
        group_known=[line.groups_shown] * len(groups) if groups else [True],
        row_groups_known=[groups is not None] * len(rows),
    )
    return protect_table(table, row_lines), rows


def breakdown_dimensions(survey: Survey, items: list[SurveyQuestion] | None = None) -> list:
    """The breakdowns this survey allows: (key, label) for place (several places), zone, …"""
    items = items if items is not None else survey_items(survey)
    kinds = {i.question.kind for i in items}
    out = []
    for key, (kind, label) in DIMENSIONS.items():
        if kind is None and place_count(survey) > 1 or kind is not None and kind in kinds:
            out.append((key, label))
    return out
