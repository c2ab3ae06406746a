"""The shared state of the roster searches: where the roster's quantities live in the
model's matrix (:class:`Layout`), the LP of a fixed roster with warm re-solves
(:class:`Evaluator`), what a search returns (:class:`SearchResult`), and the understaffing
cost the searches rank their neighbourhoods by."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
import pulp

from solvers.decompose import MatrixModel
from solvers.highs import new_highs, pass_model
from solvers.roster.context import RosterContext

__all__ = ["Evaluator", "Layout", "SearchResult", "layout_of", "rounded", "understaffing"]


@dataclass
class SearchResult:
    """What :func:`~solvers.roster.search.local_search.improve` reached: the point (over
    ``matrix.variables``), its objective, and counts (``moves`` kept, ``tries`` evaluated,
    ``move_lp_sec``)."""

    x: np.ndarray
    objective: float
    start_objective: float
    stats: dict[str, float] = field(default_factory=dict)


@dataclass
class Layout:
    """Where the roster's quantities live in the matrix, and what each shift covers."""

    n_groups: int
    n_intervals: int
    group_of: list[int]  # agent -> group
    w: dict[tuple[int, int], int]  # (agent, variant) -> column
    x: dict[tuple[int, int], int]  # (variant, group) -> column
    b: dict[tuple[int, int, int], list[tuple[int, int]]]  # (v, g, k) -> [(start index, column)]
    row: np.ndarray  # (group, t) -> row where the group's time at t enters, -1 if none
    coef: np.ndarray  # its coefficient of x there
    cover: dict[int, np.ndarray]  # variant -> positions spanned
    off: dict[tuple[int, int, int], np.ndarray]  # (v, k, i) -> dense (T,) shares taken by a break
    price: dict[tuple[int, int], float]  # (agent, variant) -> objective coefficient of w
    idle: np.ndarray  # (group, t) -> column of the group's idle time, -1 if none
    over: np.ndarray  # (queue, t) -> column of overstaffing, -1 if none
    under_w: np.ndarray  # (queue, t) -> understaffing weight (0: no live requirement there)
    under: np.ndarray  # (queue, t) -> column of understaffing, -1 if none
    share: np.ndarray  # (group, queue, t) -> column of a[g,q,t] on a live queue, -2 direct, -1 none
    overstaff_w: float
    day_of: np.ndarray  # column -> day of its variant for w, x and b columns, -1 for the rest
    group_of_col: np.ndarray  # column -> group of w, x and b columns, -1 for the rest


def layout_of(ctx: RosterContext, matrix: MatrixModel) -> Layout:
    column = {id(var): j for j, var in enumerate(matrix.variables)}
    problem = ctx.problem
    n_t = problem.n_intervals
    plan = ctx.plan
    w = {key: column[id(var)] for key, var in ctx.w.items()}
    x = {key: column[id(var)] for key, var in plan.x.items()}
    b: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for (v, g, k, i), var in plan.b.items():
        j = column.get(id(var))
        if j is None or matrix.upper[j] <= 0:
            continue  # a placeholder of a break start the model leaves out
        b.setdefault((v, g, k), []).append((i, j))
    for options in b.values():
        options.sort()
    cover = {v: np.asarray(problem.variants[v].cover, dtype=np.int64) for v in ctx.variants}
    rows = matrix.row_index
    clean = str.maketrans("-+[] ->/", "________")  # PuLP's name sanitising

    def find(name: str) -> int:
        return rows.get(name, rows.get(name.translate(clean), -1))

    n_g, n_q = len(problem.groups), len(problem.queues)
    row = np.full((n_g, n_t), -1, dtype=np.int64)
    coef = np.zeros((n_g, n_t))
    live = [q for q, queue in enumerate(problem.queues) if queue.kind == "live"]
    for g, group in enumerate(problem.groups):
        served = [q for q in range(n_q) if group.serves(problem.queues[q].name)]
        for t in range(n_t):
            if g in plan.direct:
                name = f"cover_{problem.queues[served[0]].name}_{plan.stamp(t)}"
            else:
                name = f"split_{group.name}_{plan.stamp(t)}"
            row[g, t] = find(name)
    # the coefficient of x[v,g] in the row of (g, t): read from the matrix
    csr = matrix.matrix.tocsr()
    for (v, g), j in x.items():
        for t in problem.variants[v].cover:
            if row[g, t] >= 0 and coef[g, t] == 0.0:
                coef[g, t] = csr[row[g, t], j]
    # primal slack: idle time, over- and understaffing per queue and interval
    idle = np.full((n_g, n_t), -1, dtype=np.int64)
    over = np.full((n_q, n_t), -1, dtype=np.int64)
    under_w = np.zeros((n_q, n_t))
    under = np.full((n_q, n_t), -1, dtype=np.int64)
    queue_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    group_index = {group.name: g for g, group in enumerate(problem.groups)}
    for p in plan.penalties:
        if not isinstance(p.var, pulp.LpVariable) or p.position is None:
            continue
        j = column.get(id(p.var))
        if j is None:
            continue
        if p.rule == "overstaff" and p.group is not None:
            idle[group_index[p.group], p.position] = j
        elif p.rule == "overstaff" and p.queue is not None:
            over[queue_index[p.queue], p.position] = j
        elif p.rule == "understaff" and p.queue is not None:
            under_w[queue_index[p.queue], p.position] = p.weight
            under[queue_index[p.queue], p.position] = j
    share = np.full((n_g, n_q, n_t), -1, dtype=np.int64)  # a[g,q,t] columns (-2: direct)
    for (g, q, t), var in plan.a.items():
        if q not in live:
            continue
        share[g, q, t] = -2 if g in plan.direct else column.get(id(var), -1)
    off = {}
    for v in ctx.variants:
        for k, option in enumerate(problem.variants[v].breaks):
            for i, placement in enumerate(option.off):
                dense = np.zeros(n_t)
                for t, part in placement:
                    dense[t] += part
                off[v, k, i] = dense
    price = {key: float(matrix.cost[j]) for key, j in w.items()}
    day_of = np.full(len(matrix.variables), -1, dtype=np.int64)
    group_of_col = np.full(len(matrix.variables), -1, dtype=np.int64)
    group_of = [agent.group for agent in ctx.agents]
    for (a, v), j in w.items():
        day_of[j], group_of_col[j] = problem.variants[v].day, group_of[a]
    for (v, g), j in x.items():
        day_of[j], group_of_col[j] = problem.variants[v].day, g
    for (v, g, _k), options in b.items():
        for _i, j in options:
            day_of[j], group_of_col[j] = problem.variants[v].day, g
    return Layout(
        idle=idle,
        over=over,
        under_w=under_w,
        under=under,
        share=share,
        overstaff_w=float(problem.rules.overstaff_penalty),
        day_of=day_of,
        group_of_col=group_of_col,
        n_groups=len(problem.groups),
        n_intervals=n_t,
        group_of=group_of,
        w=w,
        x=x,
        b=b,
        row=row,
        coef=coef,
        cover=cover,
        off=off,
        price=price,
    )


class Evaluator:
    """The LP of a state: the model with ``w``, ``x`` and ``b`` fixed; warm-started re-solves."""

    def __init__(self, matrix: MatrixModel, fixed: np.ndarray, point: np.ndarray, threads):
        self.h = new_highs(threads)
        lower = matrix.lower.copy()
        upper = matrix.upper.copy()
        lower[fixed] = upper[fixed] = np.round(point[fixed])
        pass_model(
            self.h, matrix.cost, lower, upper, matrix.matrix, matrix.row_lower, matrix.row_upper
        )
        self.h.setOptionValue("solver", "simplex")
        self.constant = matrix.constant
        self.lp_sec = 0.0
        self.solves = 0

    def set(self, cols: list[int], values: list[float]) -> None:
        arr = np.asarray(values, dtype=float)
        self.h.changeColsBounds(len(cols), np.asarray(cols, dtype=np.int32), arr, arr)

    def solve(self) -> float | None:
        started = time.perf_counter()
        self.h.run()
        self.lp_sec += time.perf_counter() - started
        self.solves += 1
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(self.h.getInfo().objective_function_value) + self.constant

    def duals(self) -> np.ndarray:
        return np.asarray(self.h.getSolution().row_dual, dtype=float)

    def point(self) -> np.ndarray:
        return np.asarray(self.h.getSolution().col_value, dtype=float)


def understaffing(
    layout: Layout,
    x: np.ndarray,
    queues: Sequence[int] | slice,
    span: slice = slice(None),
    reference: np.ndarray | None = None,
) -> float:
    """The understaffing cost of the roster ``x`` on ``queues`` in the intervals ``span``: what
    the fix-and-optimise searches take first. With ``reference`` (a relaxed point) only the
    understaffing beyond the reference's counts: what the LP leaves short no roster covers
    either, as far as it can see (on the demo week four sales intervals are short in the LP
    and in every roster; ranked by them, the searches spent their time on Monday and
    Thursday while Sunday's service shortage, which a whole Sunday MIP removes, waited)."""
    cols = layout.under[queues, span]
    safe = np.maximum(cols, 0)
    taken = np.where(cols >= 0, x[safe], 0.0)
    if reference is not None:
        taken = np.maximum(taken - np.where(cols >= 0, reference[safe], 0.0), 0.0)
    return float((taken * layout.under_w[queues, span]).sum())


def rounded(matrix: MatrixModel, point: np.ndarray) -> np.ndarray:
    """A copy of ``point`` with its integer columns rounded."""
    x = np.asarray(point, dtype=float).copy()
    x[matrix.integer] = np.round(x[matrix.integer])
    return x
