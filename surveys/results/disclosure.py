"""Disclosure control for survey results: the one module every publisher of survey figures
goes through (results page and its breakdowns, map cells, exports, the wave comparison, the
safety index on the dashboard and in the reports).

**The promise.** No published figure, and nothing that can be worked out from all published
figures together, tells that between 1 and 4 respondents gave an answer. The published figures
of a survey are treated as one set of *linked tables* (τ-ARGUS, sdcTable): each question's own
counts, each breakdown of a question by a respondent group, the safety index of each place.

**The method: secondary suppression with a protection check (the hypercube idea of GHMITER,
used by τ-ARGUS), on a coarsened, decoupled set of tables.**

1. *Primary suppression.* A count of 1–4 is hidden (a zero is shown: it describes nobody). A
   question with fewer than 5 answers shows nothing.
2. *One line: complementary suppression.* Where a total is shown, the hidden cells of its line
   must be at least two and hold at least MIN_CELL respondents together; otherwise the smallest
   shown non-zero cell is hidden too (``complete_line``). A multiple-choice option is hidden when
   either those who chose it or those who did not are 1–4.
3. *The safety index is part of its question's table.* The index publishes the sum of the
   "safe" answers and the n: so the safe and the not-safe answers are two sub-lines with known
   totals, each protected as in 2, and the index is not published when either sum is 1–4
   (``protect_line`` with ``groups``).
4. *Breakdowns are coarsened and decoupled.* A breakdown by gender, age group or zone shows
   only groups with at least ``GROUP_MIN`` respondents; the others, and those who did not say,
   form one group "Övriga och inget svar". Every group's n is its size (the same for every
   question), and "no answer to the question" is a column of its own, suppressed like any cell.
   The row totals are therefore published constants, the same in every breakdown by that group,
   so breakdowns of different questions share nothing that is unknown. The columns are the
   question's own counts: an answer hidden there is hidden in every row of every breakdown, so
   that the breakdowns of one question by different groups cannot narrow it down either (its
   share of a row may go to any hidden answer). The respondent-group questions themselves are
   not cross-tabulated with each other (gender by age), and multiple-choice questions are not
   broken down (their options are tied together by the people who chose several).
   A breakdown by place is a stack of each place's own table (n = those who answered at the
   place, as the place's own page shows), with the safety index of each place as sub-lines.
5. *Secondary suppression in a breakdown, checked exactly.* After 1–3 per row and per column,
   every sensitive cell (1–4) and every hidden sensitive index sum is checked: the table's
   published figures (rows, columns, sub-totals) form a network, and two max-flow problems say
   whether the cell can be 0 and whether it can be 5 or more. If neither, the cheapest rectangle
   of cells that lets it move (two rows, two columns: the hypercube of τ-ARGUS in two
   dimensions) is hidden too, and the check runs again. A table that cannot be protected is
   withdrawn.

Because of 4, one table's check is the check of the whole set: what other tables publish
never narrows down a cell of this one.

**The criterion** (checked here at run time, and over all linked tables together by integer
programming in ``tests/surveys/audit.py``): a sensitive cell x (1 ≤ x ≤ 4) is protected when the
published figures allow it to be 0 or to be at least MIN_CELL = 5. In τ-ARGUS's terms its
protection interval reaches a lower protection level of x or an upper protection level of
5 − x. How many respondents left a question unanswered overall, or at one place, is published
on purpose: it is the difference between the number of responses and each question's n.

Published figures also move only in steps: see ``surveys.results.snapshots``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..stats import MIN_CELL

#: The smallest group a breakdown shows on its own (4 × MIN_CELL): a smaller group's cells would
#: nearly all be hidden, and hiding them would hide its neighbours too.
GROUP_MIN = 4 * MIN_CELL

INF = 10**12


def is_small(count: int) -> bool:
    """Primary suppression: 1–4 respondents."""
    return 0 < count < MIN_CELL


def _protected(values: Sequence[int]) -> bool:
    return not values or (len(values) >= 2 and sum(values) >= MIN_CELL)


def complete_line(counts: Sequence[int], hidden: list[bool], members=None) -> bool:
    """Hide more cells of a line with a shown total until its hidden cells are protected.

    ``members`` limits the line to some cells (a sub-line). Mutates ``hidden``; returns True when
    no cell is left to hide (then the line's total must not be shown).
    """
    members = range(len(counts)) if members is None else members
    while not _protected([counts[i] for i in members if hidden[i]]):
        candidates = [i for i in members if not hidden[i]]
        if not candidates:
            return True
        # The smallest non-zero cell: hiding a zero adds nobody to the hidden sum.
        smallest = min(candidates, key=lambda i: (counts[i] == 0, counts[i], i))
        hidden[smallest] = True
    return False


@dataclass
class Line:
    """One protected line: which cells are hidden, whether its total is, and whether its
    sub-line totals (the safety index) may be published."""

    hidden: list[bool]
    total_hidden: bool
    groups_shown: bool = False


def protect_line(
    counts: Sequence[int],
    total: int,
    *,
    additive: bool = True,
    groups: Sequence[Sequence[int]] | None = None,
) -> Line:
    """Suppression of one line (a question's own counts, or a place's).

    ``groups`` are sub-lines whose totals are published as well (the safe and the not-safe
    answers of the safety question); they are published only when every one of them is 0 or at
    least MIN_CELL and each can be protected on its own.
    """
    n = len(counts)
    if total < MIN_CELL:
        return Line([True] * n, True)
    if not additive:
        return Line([is_small(c) or is_small(total - c) for c in counts], False)
    hidden = [is_small(c) for c in counts]
    if groups and not any(is_small(sum(counts[i] for i in g)) for g in groups):
        trial = list(hidden)
        if not any(complete_line(counts, trial, g) for g in groups):
            return Line(trial, False, True)
    total_hidden = complete_line(counts, hidden)
    return Line(hidden, total_hidden, False)


# --- tables ------------------------------------------------------------------------------------


@dataclass
class Table:
    """A breakdown: ``cells[r][c]`` respondents of row r (a group) giving column c's answer.

    - ``row_totals``: each row's n; ``row_known``: published (else it lies in 0..``row_upper``);
    - ``groups``: the columns partitioned into sub-lines (one group when there is no index);
      ``row_groups_known[r]``: row r's sub-line totals are published (a place's safety index);
    - ``column_known``: the column's total is published (the question's own count); a column
      whose total is hidden is hidden in every row;
    - ``group_known``: the sub-line totals over all rows are published.
    """

    cells: list[list[int]]
    row_totals: list[int]
    groups: list[list[int]]
    column_known: list[bool]
    group_known: list[bool]
    row_known: list[bool] = field(default_factory=list)
    row_upper: list[int] = field(default_factory=list)
    row_groups_known: list[bool] = field(default_factory=list)

    def __post_init__(self):
        rows = len(self.cells)
        self.row_known = self.row_known or [True] * rows
        self.row_upper = self.row_upper or list(self.row_totals)
        self.row_groups_known = self.row_groups_known or [False] * rows
        self.group_of = {c: k for k, g in enumerate(self.groups) for c in g}


@dataclass
class Protection:
    hidden: list[list[bool]]
    row_hidden: list[bool]
    row_groups_shown: list[bool]
    withdrawn: bool = False


def protect_table(table: Table, row_lines: Sequence[Line] | None = None) -> Protection:
    """Secondary suppression of a breakdown (see the module docstring, steps 4 and 5).

    ``row_lines`` are the rows' own protected lines where a row is a place's published line.
    """
    cells = table.cells
    rows, columns = len(cells), len(table.column_known)
    hidden = [[is_small(cells[r][c]) for c in range(columns)] for r in range(rows)]
    row_hidden = [not known for known in table.row_known]
    for r in range(rows):
        if row_lines is not None:
            hidden[r] = [a or b for a, b in zip(hidden[r], row_lines[r].hidden, strict=True)]
            row_hidden[r] = row_hidden[r] or row_lines[r].total_hidden
        if row_hidden[r] or table.row_totals[r] < MIN_CELL:
            hidden[r] = [True] * columns
        for c in range(columns):
            if not table.column_known[c]:
                hidden[r][c] = True
    groups_shown = [
        table.row_groups_known[r]
        and not row_hidden[r]
        and bool(row_lines and row_lines[r].groups_shown)
        for r in range(rows)
    ]
    network = _Network(table)
    for _round in range(4 * rows * columns + 4):
        changed = _lines(table, hidden, groups_shown)
        failing = network.first_exposed(hidden, groups_shown)
        if failing is None:
            if not changed:
                return Protection(hidden, row_hidden, groups_shown)
            continue
        kind, r, c = failing
        if kind == "group":
            groups_shown[r] = False  # already not shown: make it movable
            for cc in table.groups[c]:
                hidden[r][cc] = True
        if not _hide_rectangle(table, hidden, groups_shown, r, c if kind == "cell" else None):
            break
    every = [[True] * columns for _r in range(rows)]
    return Protection(every, [True] * rows, [False] * rows, withdrawn=True)


def _lines(table: Table, hidden, groups_shown) -> bool:
    """Rule 2 over every row and every column with a shown total; True if anything changed."""
    cells = table.cells
    rows, columns = len(cells), len(table.column_known)
    changed = False
    for r in range(rows):
        before = list(hidden[r])
        members = table.groups if groups_shown[r] else [list(range(columns))]
        for group in members:
            if complete_line(cells[r], hidden[r], group):
                groups_shown[r] = False
        changed |= before != hidden[r]
    for c in range(columns):
        if not table.column_known[c]:
            continue
        column = [cells[r][c] for r in range(rows)]
        flags = [hidden[r][c] for r in range(rows)]
        complete_line(column, flags)
        for r in range(rows):
            if flags[r] != hidden[r][c]:
                hidden[r][c] = True
                changed = True
    return changed


def _hide_rectangle(table: Table, hidden, groups_shown, r: int, c: int | None) -> bool:
    """Hide the cheapest rectangle through cell (r, c) (or, for c None, through row r's
    smallest hidden cell) so that it can move down to 0; False when there is none."""
    cells = table.cells
    rows, columns = len(cells), len(table.column_known)
    if c is None:
        c = min(
            (cc for cc in range(columns) if hidden[r][cc] and cells[r][cc]),
            key=lambda cc: cells[r][cc],
            default=None,
        )
        if c is None:
            return False
    value = cells[r][c]

    def allowed(row, a, b):
        return not groups_shown[row] or table.group_of[a] == table.group_of[b]

    best = None
    for c2 in range(columns):
        if c2 == c or not allowed(r, c, c2):
            continue
        for r2 in range(rows):
            if r2 == r or not allowed(r2, c, c2):
                continue
            new = [(r, c2), (r2, c), (r2, c2)]
            fresh = [(a, b) for a, b in new if not hidden[a][b]]
            enough = cells[r2][c2] >= value
            up = min(cells[r][c2], cells[r2][c]) + value >= MIN_CELL
            cost = (
                not (enough or up),
                sum(1 for a, b in fresh if cells[a][b]),
                sum(cells[a][b] for a, b in fresh),
                r2,
                c2,
            )
            if fresh and (best is None or cost < best[0]):
                best = (cost, fresh)
    if best is None:
        return False
    for a, b in best[1]:
        hidden[a][b] = True
    return True


# --- the exact check: is a sensitive cell protected? -------------------------------------------


class _Network:
    """The published figures of a table as a flow network with bounds.

    source → row r (its n, or 0..upper) → (row, sub-line) (its total if published) → column
    (the cell: its count if shown) → sub-line (the column total if published) → sink (the
    sub-line's total if published). A table consistent with the published figures is a feasible
    integral flow, so "can this cell be 0?" and "can it be 5 or more?" are two max-flow problems.
    """

    def __init__(self, table: Table):
        self.table = table

    def first_exposed(self, hidden, groups_shown):
        t = self.table
        for r, row in enumerate(t.cells):
            for c, value in enumerate(row):
                if (
                    hidden[r][c]
                    and is_small(value)
                    and not self._movable(hidden, groups_shown, r, c)
                ):
                    return ("cell", r, c)
            if t.row_groups_known[r] and not groups_shown[r]:
                for k, group in enumerate(t.groups):
                    value = sum(row[c] for c in group)
                    if (
                        len(t.groups) > 1
                        and is_small(value)
                        and not self._movable(hidden, groups_shown, r, None, k)
                    ):
                        return ("group", r, k)
        return None

    def _quick(self, hidden, groups_shown, r, c) -> bool:
        """A sufficient test, without a flow: another hidden cell of the row in the same
        sub-line whose column total is not published either (the two can trade freely), or a
        hidden rectangle whose far corner holds at least as much as the cell."""
        t = self.table
        value = t.cells[r][c]
        for c2 in range(len(t.column_known)):
            if c2 == c or not hidden[r][c2]:
                continue
            same = t.group_of[c2] == t.group_of[c]
            if same and not t.column_known[c] and not t.column_known[c2]:
                return True
            if groups_shown[r] and not same:
                continue
            for r2 in range(len(t.cells)):
                if r2 == r or not hidden[r2][c] or not hidden[r2][c2]:
                    continue
                if (same or not groups_shown[r2]) and t.cells[r2][c2] >= value:
                    return True
        return False

    def _movable(self, hidden, groups_shown, r, c, k=None) -> bool:
        if c is not None and self._quick(hidden, groups_shown, r, c):
            return True
        return self._feasible(hidden, groups_shown, r, c, k, 0, 0) or self._feasible(
            hidden, groups_shown, r, c, k, MIN_CELL, INF
        )

    def _feasible(self, hidden, groups_shown, r0, c0, k0, low, high) -> bool:
        t = self.table
        rows, columns, groups = len(t.cells), len(t.column_known), len(t.groups)
        # node numbers
        source, sink = 0, 1
        row_node = [2 + r for r in range(rows)]
        rg_node = [[2 + rows + r * groups + k for k in range(groups)] for r in range(rows)]
        base = 2 + rows + rows * groups
        col_node = [base + c for c in range(columns)]
        grp_node = [base + columns + k for k in range(groups)]
        flow = _BoundedFlow(base + columns + groups)
        for r in range(rows):
            total = t.row_totals[r]
            if t.row_known[r]:
                flow.add(source, row_node[r], total, total)
            else:
                flow.add(source, row_node[r], 0, max(t.row_upper[r], total))
            for k, group in enumerate(t.groups):
                subtotal = sum(t.cells[r][c] for c in group)
                if r == r0 and k == k0:
                    flow.add(row_node[r], rg_node[r][k], low, high)
                elif groups_shown[r]:
                    flow.add(row_node[r], rg_node[r][k], subtotal, subtotal)
                else:
                    flow.add(row_node[r], rg_node[r][k], 0, INF)
                for c in group:
                    value = t.cells[r][c]
                    if r == r0 and c == c0:
                        flow.add(rg_node[r][k], col_node[c], low, high)
                    elif hidden[r][c]:
                        flow.add(rg_node[r][k], col_node[c], 0, INF)
                    else:
                        flow.add(rg_node[r][k], col_node[c], value, value)
        for k, group in enumerate(t.groups):
            for c in group:
                total = sum(t.cells[r][c] for r in range(rows))
                if t.column_known[c]:
                    flow.add(col_node[c], grp_node[k], total, total)
                else:
                    flow.add(col_node[c], grp_node[k], 0, INF)
            total = sum(t.cells[r][c] for r in range(rows) for c in group)
            if t.group_known[k]:
                flow.add(grp_node[k], sink, total, total)
            else:
                flow.add(grp_node[k], sink, 0, INF)
        flow.add(sink, source, 0, INF)
        return flow.feasible()


class _BoundedFlow:
    """A circulation with lower and upper bounds, decided by one max flow (Dinic)."""

    def __init__(self, nodes: int):
        self.n = nodes + 2
        self.graph: list[list[int]] = [[] for _ in range(self.n)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.excess = [0] * self.n

    def _edge(self, u, v, capacity):
        self.graph[u].append(len(self.to))
        self.to.append(v)
        self.cap.append(capacity)
        self.graph[v].append(len(self.to))
        self.to.append(u)
        self.cap.append(0)

    def add(self, u, v, low, high):
        self.excess[v] += low
        self.excess[u] -= low
        if high > low:
            self._edge(u, v, high - low)

    def feasible(self) -> bool:
        s, t = self.n - 2, self.n - 1
        need = 0
        for v in range(self.n - 2):
            if self.excess[v] > 0:
                self._edge(s, v, self.excess[v])
                need += self.excess[v]
            elif self.excess[v] < 0:
                self._edge(v, t, -self.excess[v])
        return self._max_flow(s, t) >= need

    def _max_flow(self, s, t) -> int:
        total = 0
        while True:
            level = [-1] * self.n
            level[s] = 0
            queue = deque([s])
            while queue:
                u = queue.popleft()
                for e in self.graph[u]:
                    if self.cap[e] > 0 and level[self.to[e]] < 0:
                        level[self.to[e]] = level[u] + 1
                        queue.append(self.to[e])
            if level[t] < 0:
                return total
            pointer = [0] * self.n
            while pushed := self._push(s, t, INF, level, pointer):
                total += pushed

    def _push(self, u, t, limit, level, pointer) -> int:
        """One augmenting path in the level graph (its depth is that of the table: ~8)."""
        if u == t:
            return limit
        while pointer[u] < len(self.graph[u]):
            e = self.graph[u][pointer[u]]
            v = self.to[e]
            if self.cap[e] > 0 and level[v] == level[u] + 1:
                pushed = self._push(v, t, min(limit, self.cap[e]), level, pointer)
                if pushed:
                    self.cap[e] -= pushed
                    self.cap[e ^ 1] += pushed
                    return pushed
            pointer[u] += 1
        return 0
