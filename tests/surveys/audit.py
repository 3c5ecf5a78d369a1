"""The differencing audit: every figure a member can see about a survey, written as linear
equations over the linked tables behind them, and the bounds an attacker can derive for every
cell that is not shown.

**The model** (linked tables, as τ-ARGUS and sdcTable audit them). The unknowns are the cells of
every table the product publishes figures from, each a non-negative integer:

- per question q, its answers plus "no answer" (``("z", q, answer)``; a multiple-choice question
  has a "chose option o" count per option and an "answered at all" count);
- per published breakdown of q by a respondent group d (gender, age, zone, place), the 2-D table
  answers of q (plus "no answer") × groups of d (plus "no answer", except for places);
- per map question, one count per 100 m grid cell of the survey's area.

The tables are tied together where they share margins: a breakdown's columns add up to the
question's own counts, its rows to the group question's counts, every question's counts to the
number of responses. A multiple-choice option is chosen at most by everyone who answered, and
everyone who answered chose at least one option. Then every published figure, from whatever
publisher a page, an export, the wave comparison, the dashboard or a report uses, is one more
equation: a shown count, a shown n (its meaning as the page states it: respondents of the
question, or the whole group), a safety index (safe count and n), a map cell, the points in
hidden map cells, the number of responses (per place on the survey page).

**The criterion.** For every cell whose true value is 1–4 (a *sensitive* cell), solve
``min`` and ``max`` of it over all integer tables that satisfy every equation (scipy's ``milp``,
HiGHS). The cell is **exposed** when ``min ≥ 1 and max ≤ 4``: the published figures tell that the
group is small but not empty (an exact value is the case min = max). In τ-ARGUS's terms every
sensitive cell x needs a protection interval that reaches either 0 (a lower protection level of
x: nobody can tell there is anyone) or MIN_CELL = 5 (an upper protection level of 5 − x: nobody
can tell the group has fewer than five). A cell published as a number is a bound of width zero.

Some counts are published on purpose and are not checked: the number of responses (per survey,
and per place on the survey page), and how many respondents left a question unanswered overall
(the page shows n beside the number of responses) and at each place of a survey of several
places (each place's n, as its own survey's). Everything else is: a breakdown's "no answer"
cells too.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from platser import geo
from surveys import results
from surveys.models import Answer, QuestionKind, Response
from surveys.results import exports as exports_results
from surveys.results import tables as result_tables

NA = "NA"
MIN_CELL = 5
SINGLE = (QuestionKind.SCALE, QuestionKind.GENDER, QuestionKind.AGE, QuestionKind.ZONE)
DIMENSION_KIND = {
    "kon": QuestionKind.GENDER,
    "alder": QuestionKind.AGE,
    "zon": QuestionKind.ZONE,
}


@dataclass
class Exposure:
    name: tuple
    truth: int
    low: int
    high: int

    def __str__(self):
        return f"{self.name}: true {self.truth}, derivable range {self.low}–{self.high}"


@dataclass
class Model:
    names: list = field(default_factory=list)
    truth: list = field(default_factory=list)
    index: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)  # (terms {var: coeff}, low, high)
    exempt: set = field(default_factory=set)
    published: int = 0

    def var(self, name, truth: int) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
            self.truth.append(truth)
        return self.index[name]

    def has(self, name) -> bool:
        return name in self.index

    def constrain(self, terms: dict, low: float, high: float) -> None:
        terms = {k: v for k, v in terms.items() if v}
        self.rows.append((terms, low, high))

    def equal(self, names, value: int, *, published: bool = True) -> None:
        """sum of the named cells == value (a published figure, or a structural identity)."""
        terms: dict[int, int] = defaultdict(int)
        for name, coeff in _weighted(names):
            terms[self.index[name]] += coeff
        truth = sum(self.truth[i] * c for i, c in terms.items())
        assert truth == value, f"published {value} but the data say {truth}: {names}"
        self.constrain(terms, value, value)
        self.published += published

    def solve(self) -> list[Exposure]:
        """Bounds of every sensitive, unpublished cell; the exposed ones."""
        n = len(self.names)
        matrix = lil_matrix((len(self.rows), n))
        low = np.empty(len(self.rows))
        high = np.empty(len(self.rows))
        for r, (terms, lo, hi) in enumerate(self.rows):
            for i, c in terms.items():
                matrix[r, i] = c
            low[r], high[r] = lo, hi
        constraint = LinearConstraint(matrix.tocsr(), low, high)
        bounds = Bounds(np.zeros(n), np.full(n, max(self.truth) * 4 + 10))
        exposed = []
        for i, name in enumerate(self.names):
            truth = self.truth[i]
            if not 0 < truth < MIN_CELL or name in self.exempt:
                continue
            objective = np.zeros(n)
            objective[i] = 1
            lo = _optimum(objective, constraint, bounds)
            hi = -_optimum(-objective, constraint, bounds)
            assert lo <= truth <= hi
            if lo >= 1 and hi < MIN_CELL:
                exposed.append(Exposure(name, truth, lo, hi))
        return exposed


def _weighted(names):
    """Names (weight 1) or ``(name, weight)`` pairs; a name is a tuple starting with a str."""
    for item in names:
        if len(item) == 2 and isinstance(item[0], tuple):
            yield item
        else:
            yield item, 1


def _optimum(objective, constraint, bounds) -> int:
    result = milp(
        objective,
        constraints=constraint,
        integrality=np.ones(len(objective)),
        bounds=bounds,
    )
    assert result.status == 0, result.message
    return round(result.fun)


# --- the data ----------------------------------------------------------------------------------


@dataclass
class Record:
    place: int
    single: dict = field(default_factory=dict)  # question id -> option/zone id or NA
    multiple: dict = field(default_factory=dict)  # question id -> set of option ids
    cell: dict = field(default_factory=dict)  # question id -> (col, row)


def _records(survey, items) -> list[Record]:
    responses = {
        pk: Record(place=place)
        for pk, place in Response.objects.filter(survey=survey).values_list("pk", "place_id")
    }
    kinds = {i.question_id: i.question.kind for i in items}
    for response_id, question_id, option_id, zone_id, point in Answer.objects.filter(
        survey=survey
    ).values_list("response_id", "question_id", "option_id", "zone_id", "point"):
        record = responses[response_id]
        kind = kinds.get(question_id)
        if kind in SINGLE:
            record.single[question_id] = option_id if option_id is not None else zone_id
        elif kind == QuestionKind.MULTIPLE:
            record.multiple.setdefault(question_id, set()).add(option_id)
        elif kind == QuestionKind.POINT and point:
            lon, lat = point["coordinates"]
            record.cell[question_id] = (
                math.floor(lon / result_tables.GRID_LON),
                math.floor(lat / result_tables.GRID_LAT),
            )
    return list(responses.values())


def _categories(survey, item) -> list:
    if item.question.kind == QuestionKind.ZONE:
        return [pk for pk, _label in result_tables._zones(survey)]
    return [o.pk for o in item.question.options.all()]


# --- building ----------------------------------------------------------------------------------


class Audit:
    """The model of one survey as ``membership`` sees it (``today`` for open surveys)."""

    def __init__(self, survey, membership, *, today: datetime.date | None = None):
        self.survey = survey
        self.membership = membership
        self.today = today or timezone.localdate()
        self.items = results.survey_items(survey)
        self.by_id = {i.question_id: i for i in self.items}
        self.records = _records(survey, self.items)
        self.places = sorted({r.place for r in self.records} | set(_place_ids(survey)))
        self.multi_place = len(_place_ids(survey)) > 1
        self.model = Model()
        self.tables: set = set()
        self.cats = {
            i.question_id: _categories(survey, i)
            for i in self.items
            if i.question.kind in SINGLE or i.question.kind == QuestionKind.MULTIPLE
        }
        self._margins()

    # structure
    def _margins(self):
        m = self.model
        n = len(self.records)
        for item in self.items:
            q, kind = item.question_id, item.question.kind
            if kind in SINGLE:
                counts = defaultdict(int)
                for r in self.records:
                    counts[r.single.get(q, NA)] += 1
                names = []
                for a in [*self.cats[q], NA]:
                    m.var(("z", q, a), counts[a])
                    names.append(("z", q, a))
                m.exempt.add(("z", q, NA))
                m.equal(names, n, published=False)
            elif kind == QuestionKind.MULTIPLE:
                answered = sum(1 for r in self.records if r.multiple.get(q))
                m.var(("za", q), answered)
                for o in self.cats[q]:
                    chosen = sum(1 for r in self.records if o in r.multiple.get(q, ()))
                    i = m.var(("zc", q, o), chosen)
                    m.constrain({i: 1, m.index[("za", q)]: -1}, -math.inf, 0)
                m.constrain(
                    {
                        **{m.index[("zc", q, o)]: 1 for o in self.cats[q]},
                        m.index[("za", q)]: -1,
                    },
                    0,
                    math.inf,
                )
            elif kind == QuestionKind.POINT:
                self._map(item)
        if self.multi_place:
            counts = defaultdict(int)
            for r in self.records:
                counts[r.place] += 1
            for p in self.places:
                m.var(("zp", p), counts[p])
                m.exempt.add(("zp", p))  # a number of responses, as the survey's own
            m.equal([("zp", p) for p in self.places], n, published=False)

    def _map(self, item):
        m, q = self.model, item.question_id
        counts = defaultdict(int)
        for r in self.records:
            if q in r.cell:
                counts[r.cell[q]] += 1
        domain = set(counts)
        boundaries = list(
            self.survey.places.filter(boundary__isnull=False).values_list("boundary", flat=True)
        )
        if boundaries:
            (south, west), (north, east) = geo.bounds(boundaries)
            for col in range(
                math.floor(west / result_tables.GRID_LON),
                math.floor(east / result_tables.GRID_LON) + 1,
            ):
                for row in range(
                    math.floor(south / result_tables.GRID_LAT),
                    math.floor(north / result_tables.GRID_LAT) + 1,
                ):
                    domain.add((col, row))
        for cell in sorted(domain):
            m.var(("w", q, cell), counts[cell])
        m.var(("wn", q), sum(counts.values()))
        m.equal([("w", q, c) for c in sorted(domain)] + [(("wn", q), -1)], 0, published=False)

    def table(self, q: int, dim: str):
        """The 2-D table q × dim (created once), tied to both margins."""
        m = self.model
        if (q, dim) in self.tables:
            return
        self.tables.add((q, dim))
        rows = self._groups(dim)
        if self.by_id[q].question.kind == QuestionKind.MULTIPLE:
            for g, members in rows:
                answered = sum(1 for r in self.records if members(r) and r.multiple.get(q))
                ya = m.var(("ya", q, dim, g), answered)
                m.constrain({ya: 1, **self._group_size_terms(dim, g, -1)}, -math.inf, 0)
                chosen = []
                for o in self.cats[q]:
                    n = sum(1 for r in self.records if members(r) and o in r.multiple.get(q, ()))
                    yc = m.var(("yc", q, dim, o, g), n)
                    chosen.append(yc)
                    m.constrain({yc: 1, ya: -1}, -math.inf, 0)
                m.constrain({**dict.fromkeys(chosen, 1), ya: -1}, 0, math.inf)
            for o in self.cats[q]:
                m.equal(
                    [("yc", q, dim, o, g) for g, _m in rows] + [(("zc", q, o), -1)],
                    0,
                    published=False,
                )
            m.equal([("ya", q, dim, g) for g, _m in rows] + [(("za", q), -1)], 0, published=False)
            return
        answers = [*self.cats[q], NA]
        for g, members in rows:
            counts = defaultdict(int)
            for r in self.records:
                if members(r):
                    counts[r.single.get(q, NA)] += 1
            for a in answers:
                m.var(("y", q, dim, a, g), counts[a])
            if dim == "plats":
                m.exempt.add(("y", q, dim, NA, g))
            m.equal(
                [("y", q, dim, a, g) for a in answers]
                + [(name, -c) for name, c in self._group_size_names(dim, g)],
                0,
                published=False,
            )
        for a in answers:
            m.equal(
                [("y", q, dim, a, g) for g, _m in rows] + [(("z", q, a), -1)], 0, published=False
            )

    def _dimension_question(self, dim):
        kind = DIMENSION_KIND[dim]
        return next(i.question_id for i in self.items if i.question.kind == kind)

    def _groups(self, dim):
        if dim == "plats":
            return [(p, lambda r, p=p: r.place == p) for p in self.places]
        d = self._dimension_question(dim)
        return [(g, lambda r, g=g, d=d: r.single.get(d, NA) == g) for g in [*self.cats[d], NA]]

    def _group_size_names(self, dim, g):
        if dim == "plats":
            return [(("zp", g), 1)]
        return [(("z", self._dimension_question(dim), g), 1)]

    def _group_size_terms(self, dim, g, sign):
        return {self.model.index[name]: sign * c for name, c in self._group_size_names(dim, g)}

    # cells of a published table, by the figure's meaning
    def _cell_names(self, q, answer, dim=None, members=None):
        """The unknowns whose sum is "answer of q" (in groups ``members`` of ``dim``)."""
        kind = self.by_id[q].question.kind
        if dim is None:
            if kind == QuestionKind.MULTIPLE:
                return [("zc", q, answer)] if answer != NA else None
            return [("z", q, answer)]
        if kind == QuestionKind.MULTIPLE:
            if answer == NA:
                return [
                    n
                    for g in members
                    for n in [*self._group_size_names(dim, g), (("ya", q, dim, g), -1)]
                ]
            return [("yc", q, dim, answer, g) for g in members]
        if dim != "plats" and q == self._dimension_question(dim):  # the diagonal
            return [("z", q, answer)] if answer in members else []
        return [("y", q, dim, answer, g) for g in members]

    def _n_names(self, q, dim=None, members=None, base="answered"):
        kind = self.by_id[q].question.kind
        if dim is None:
            if kind == QuestionKind.MULTIPLE:
                return [("za", q)]
            return [("z", q, a) for a in self.cats[q]]
        if base == "group":
            return [n for g in members for n in self._group_size_names(dim, g)]
        if kind == QuestionKind.MULTIPLE:
            return [("ya", q, dim, g) for g in members]
        if dim != "plats" and q == self._dimension_question(dim):
            return [("z", q, a) for a in members if a != NA]
        return [("y", q, dim, a, g) for g in members for a in self.cats[q]]

    # publishers
    def collect(self) -> Model:
        """Every figure the publishers show this member about the survey."""
        m = self.model
        survey = self.survey
        view = _results_view(survey, self.membership, self.today)
        self._lines(view(None))
        for dim, _label in results.breakdown_dimensions(survey, self.items):
            self._breakdown(view(dim), dim)
        self._indexes()
        self._export()
        self._counts()
        return m

    def _lines(self, rows):
        m = self.model
        for result in rows:
            q = result.item.question_id
            kind = result.question.kind
            if kind == QuestionKind.POINT:
                if result.n is not None:
                    m.equal([("wn", q)], result.n)
                shown = set()
                for cell in result.map_cells:
                    key = (
                        math.floor((cell.west + cell.east) / 2 / result_tables.GRID_LON),
                        math.floor((cell.south + cell.north) / 2 / result_tables.GRID_LAT),
                    )
                    shown.add(key)
                    m.equal([("w", q, key)], cell.count)
                rest = [n for n in m.names if n[0] == "w" and n[1] == q and n[2] not in shown]
                m.equal(rest, result.map_hidden)
                continue
            if q not in self.cats:
                continue
            if result.n is not None:
                m.equal(self._n_names(q), result.n)
            for answer, cell in zip(self.cats[q], result.cells, strict=False):
                if not cell.hidden:
                    m.equal(self._cell_names(q, answer), cell.count)

    def _breakdown(self, rows, dim):
        m = self.model
        for result in rows:
            q = result.item.question_id
            if not result.groups or q not in self.cats:
                continue
            self.table(q, dim)
            base = getattr(result, "group_base", "answered")
            answers = [*self.cats[q], NA]
            for group in result.groups:
                members = getattr(group, "members", None) or (group.key,)
                members = tuple(NA if g is None else g for g in members)
                if group.n is not None:
                    m.equal(self._n_names(q, dim, members, base), group.n)
                for answer, cell in zip(answers, group.cells, strict=False):
                    if cell.hidden:
                        continue
                    names = self._cell_names(q, answer, dim, members)
                    if names is not None:
                        m.equal(names, cell.count)

    def _indexes(self):
        """The safety index per place (``safety_indexes``: wave page, dashboard, reports), the
        wave comparison's index and per-question rows, and the dashboard's own rows."""
        from django.db.models import Q

        from reports.dashboard import dashboard
        from surveys.results import wave_comparison

        points = results.safety_indexes(self.places, surveys=Q(pk=self.survey.pk), today=self.today)
        for place_points in points.values():
            for point in place_points:
                self._index_point(point)
        places = list(self.survey.places.all())
        for place in places:
            comparison = wave_comparison(place, preliminary=True, today=self.today)
            for point in (comparison.index_before, comparison.index_after, comparison.preliminary):
                self._index_point(point)
            for side, survey in ((1, comparison.before), (2, comparison.after)):
                if survey is None or survey.pk != self.survey.pk:
                    continue
                for question in comparison.questions:
                    n = question.before_n if side == 1 else question.after_n
                    cells = [row[side] for row in question.rows]
                    self._place_line(question.question.pk, place.pk, n, cells)
        board = dashboard(
            program=self.survey.program,
            membership=self.membership,
            period_start=datetime.date(2000, 1, 1),
            period_end=self.today,
            today=self.today,
        )
        for row in board.rows:
            for point in (row.index_before, row.index_after):
                self._index_point(point)

    def _place_line(self, q, place_id, n, cells):
        """A place's own line of question q (its row of the breakdown by place)."""
        m = self.model
        if self.multi_place:
            self.table(q, "plats")
            if n is not None:
                m.equal([("y", q, "plats", a, place_id) for a in self.cats[q]], n)
            for answer, cell in zip(self.cats[q], cells, strict=False):
                if not cell.hidden:
                    m.equal([("y", q, "plats", answer, place_id)], cell.count)
        else:
            if n is not None:
                m.equal(self._n_names(q), n)
            for answer, cell in zip(self.cats[q], cells, strict=False):
                if not cell.hidden:
                    m.equal(self._cell_names(q, answer), cell.count)

    def _index_point(self, point):
        m = self.model
        if point is None or point.survey.pk != self.survey.pk or point.share is None:
            return
        q = getattr(point, "question_id", None) or _index_question(self.items)
        positive = [o.pk for o in self.by_id[q].question.options.all() if o.is_positive]
        if self.multi_place:
            self.table(q, "plats")
            m.equal([("y", q, "plats", a, point.place_id) for a in positive], point.share.count)
            m.equal([("y", q, "plats", a, point.place_id) for a in self.cats[q]], point.share.n)
        else:
            m.equal([("z", q, a) for a in positive], point.share.count)
            m.equal([("z", q, a) for a in self.cats[q]], point.share.n)

    def _export(self):
        """The results export (CSV/XLSX rows): counts per question and answer."""
        m = self.model
        by_text = {i.question.text_sv: i for i in self.items}
        for row in list(exports_results.results_rows(self.survey))[1:]:
            item = by_text.get(row[0])
            if item is None or item.question_id not in self.cats or not isinstance(row[2], int):
                continue
            q = item.question_id
            labels = _labels(self.survey, item)
            if row[1] in labels:
                names = self._cell_names(q, labels[row[1]])
                if names is not None:
                    m.equal(names, row[2])
            if isinstance(row[6], int):
                m.equal(self._n_names(q), row[6])

    def _counts(self):
        """The number of responses, and per place on the survey page."""
        m = self.model
        n = len(self.records)
        first = next((i for i in self.items if i.question_id in self.cats), None)
        if first is not None and first.question.kind != QuestionKind.MULTIPLE:
            q = first.question_id
            m.equal([("z", q, a) for a in [*self.cats[q], NA]], n)
        if self.multi_place:
            counts = defaultdict(int)
            for r in self.records:
                counts[r.place] += 1
            for p in self.places:
                m.equal([("zp", p)], counts[p])


def _labels(survey, item) -> dict:
    if item.question.kind == QuestionKind.ZONE:
        return {label: pk for pk, label in result_tables._zones(survey)}
    return {o.label_sv: o.pk for o in item.question.options.all()}


def _place_ids(survey) -> list[int]:
    return list(survey.places.values_list("pk", flat=True))


def _index_question(items):
    return results.index_item(items).question_id


def _results_view(survey, membership, today):
    """``by -> results`` as the results page computes them for ``membership``."""
    publish = getattr(results, "published_results", None)
    if publish is not None:
        return lambda by: publish(survey, membership=membership, by=by, today=today)
    return lambda by: results.survey_results(survey, by=by)


def audit(survey, membership, *, today=None) -> tuple[list[Exposure], Model]:
    """The exposed cells of ``survey`` as ``membership`` sees it, and the model."""
    model = Audit(survey, membership, today=today).collect()
    return model.solve(), model
