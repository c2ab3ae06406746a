"""Dantzig-Wolfe decomposition of a block-angular PuLP model: column generation and diving (HiGHS).

A roster model is block-angular: each agent's rules (one shift a day, weekly hours, days off,
rest, consecutive days) only touch that agent's variables, and a few *linking* rows (the pooled
shift counts, coverage, fairness) tie the agents together. Reformulated over whole agent weeks
(Dantzig 1960; Desaulniers, Desrosiers & Solomon 2005, *Column Generation*, ch. 1), the master is

.. math::

    \\min\\; c_M^\\top x_M + \\sum_k \\sum_{p \\in P_k} (c_k^\\top x^{kp}) \\lambda_{kp}
    \\quad\\text{s.t.}\\quad A_M x_M + \\sum_k \\sum_p (A_k x^{kp}) \\lambda_{kp} \\gtreqless b,
    \\quad \\sum_{p} \\lambda_{kp} = 1\\;\\forall k,

where :math:`x^{kp}` are feasible points of block ``k``'s own rows (weeks an agent may work). Its
LP relaxation is solved by column generation: with linking duals :math:`\\pi` and convexity duals
:math:`\\mu_k`, block ``k``'s pricing problem
:math:`\\min \\{(c_k - A_k^\\top \\pi)^\\top x : x \\in X_k\\}` is solved *exactly* as a
small MIP by HiGHS, and any week of negative reduced cost :math:`r_k = z_k - \\mu_k` joins the
master. At every iteration the Lagrangian bound

.. math:: z_{LB} = z_{RMP} + \\sum_k \\min(0, r_k) \\le z^*

holds (Lasdon 1970, ch. 8; with the pricing MIP's dual bound in place of :math:`z_k` when it
stopped early); at convergence it is at least the LP bound of the compact model, and the bound
kept is the larger of the two. Then blocks are fixed to columns by diving and the rest of the
master is solved as an integer program over the columns generated (a price-and-branch
heuristic), giving a point feasible for the original model; its gap is reported against the
bound, so it is honest.

Only :func:`matrix_of` reads PuLP; the rest works on arrays and ``highspy``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np
import pulp
from scipy import sparse

from wfm.roster_params import RosterParams

__all__ = ["DecomposedSolve", "MatrixModel", "matrix_of", "price_and_branch"]

_INF = highspy.kHighsInf
#: Reduced costs below this (in objective units per unit of a column) are taken as 0 in the
#: Lagrangian bound; the error is at most this times the column's value.
_ZERO_REDUCED_COST = 1e-9


@dataclass(frozen=True, eq=False)
class MatrixModel:
    """A PuLP model as arrays: ``row_lower <= A x <= row_upper``, ``lower <= x <= upper``,
    minimise ``cost @ x + constant``."""

    variables: tuple[pulp.LpVariable, ...]
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    row_names: tuple[str, ...]
    row_lower: np.ndarray
    row_upper: np.ndarray
    matrix: sparse.csr_matrix
    constant: float = 0.0

    @property
    def row_index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.row_names)}


def matrix_of(lp: pulp.LpProblem) -> MatrixModel:
    """The arrays of a minimisation PuLP model (current variable bounds included)."""
    if lp.sense != pulp.LpMinimize:
        raise ValueError("matrix_of expects a minimisation model")
    variables = tuple(lp.variables())
    index = {id(v): j for j, v in enumerate(variables)}
    n = len(variables)
    cost = np.zeros(n)
    for var, coef in lp.objective.items():
        cost[index[id(var)]] += coef
    lower = np.array([-_INF if v.lowBound is None else float(v.lowBound) for v in variables])
    upper = np.array([_INF if v.upBound is None else float(v.upBound) for v in variables])
    integer = np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)
    rows, cols, vals = [], [], []
    names, row_lower, row_upper = [], [], []
    for i, (name, con) in enumerate(lp.constraints.items()):
        names.append(name)
        rhs = -float(con.constant or 0.0)
        row_lower.append(rhs if con.sense in (pulp.LpConstraintGE, pulp.LpConstraintEQ) else -_INF)
        row_upper.append(rhs if con.sense in (pulp.LpConstraintLE, pulp.LpConstraintEQ) else _INF)
        for var, coef in con.items():
            rows.append(i)
            cols.append(index[id(var)])
            vals.append(coef)
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(names), n))
    matrix.sum_duplicates()
    return MatrixModel(
        variables=variables,
        cost=cost,
        lower=lower,
        upper=upper,
        integer=integer,
        row_names=tuple(names),
        row_lower=np.array(row_lower, dtype=float),
        row_upper=np.array(row_upper, dtype=float),
        matrix=matrix,
        constant=float(lp.objective.constant or 0.0),
    )


@dataclass
class DecomposedSolve:
    """What :func:`price_and_branch` found.

    ``x`` is a point of the original model (None when the final MIP found none), ``objective``
    its value, ``bound`` the best Lagrangian bound, ``status`` one of ``optimal`` (gap within the
    target), ``feasible``, ``none``. ``stats`` has timings and counts. ``relaxed`` is the compact
    LP's point (interior point, so in the relative interior of its optimal face: every column
    some optimum uses is positive), None when it did not solve. ``dived`` lists the blocks in
    the order the dive fixed them (the last ones, fixed one at a time, cost the most).
    """

    x: np.ndarray | None
    objective: float | None
    bound: float
    status: str
    stats: dict[str, float] = field(default_factory=dict)
    relaxed: np.ndarray | None = None
    dived: tuple[int, ...] = ()

    @property
    def gap(self) -> float | None:
        if self.objective is None:
            return None
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)


def _highs(threads: int | None = None) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if threads:
        h.setOptionValue("threads", int(threads))
    return h


def _pass(
    h: highspy.Highs,
    cost: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    matrix: sparse.spmatrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    integer: np.ndarray | None = None,
) -> None:
    csc = sparse.csc_matrix(matrix)
    lp = highspy.HighsLp()
    lp.num_col_ = int(csc.shape[1])
    lp.num_row_ = int(csc.shape[0])
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    if integer is not None and integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in integer
        ]
    h.passModel(lp)


class _Pricer:
    """Block ``k``'s pricing MIP, built once; each round only its costs change."""

    def __init__(self, model: MatrixModel, rows: np.ndarray, cols: np.ndarray):
        self.h = _highs(threads=1)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 1e-7)
        self.h.setOptionValue("presolve", "on")
        sub = model.matrix[rows][:, cols]
        _pass(
            self.h,
            model.cost[cols],
            model.lower[cols],
            model.upper[cols],
            sub,
            model.row_lower[rows],
            model.row_upper[rows],
            model.integer[cols],
        )
        self.n = len(cols)
        self.index = np.arange(self.n, dtype=np.int32)

    def solve(self, cost: np.ndarray, limit_sec: float) -> tuple[np.ndarray | None, float, float]:
        """(point, value, dual bound) of ``min cost @ x`` over the block; point None if none."""
        self.h.changeColsCost(self.n, self.index, np.asarray(cost, dtype=float))
        self.h.setOptionValue("time_limit", max(0.05, float(limit_sec)))
        self.h.run()
        status = self.h.getModelStatus()
        info = self.h.getInfo()
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.array(self.h.getSolution().col_value)
            value = float(cost @ x)
            return x, value, value
        if info.primal_solution_status == 2:  # feasible point at the time limit
            x = np.array(self.h.getSolution().col_value)
            return x, float(cost @ x), float(info.mip_dual_bound)
        return None, _INF, -_INF


class _Master:
    """The restricted master: linking rows, one convexity row per block, the master variables
    (those of no block) and one column per block point generated so far."""

    def __init__(self, model: MatrixModel, blocks: _Blocks, threads: int | None):
        self.model = model
        self.blocks = blocks
        self.h = _highs(threads)
        self.h.setOptionValue("solver", "simplex")
        n_blocks = len(blocks.cols)
        cols = blocks.master_cols
        a_master = sparse.vstack(
            [blocks.a_link[:, cols], sparse.csr_matrix((n_blocks, len(cols)))]
        ).tocsr()
        _pass(
            self.h,
            model.cost[cols],
            model.lower[cols],
            model.upper[cols],
            a_master,
            np.concatenate([model.row_lower[blocks.link], np.ones(n_blocks)]),
            np.concatenate([model.row_upper[blocks.link], np.ones(n_blocks)]),
        )
        self.n_master = len(cols)
        self.columns: list[tuple[int, np.ndarray]] = []
        self.by_block: list[list[int]] = [[] for _ in range(n_blocks)]
        self._seen: list[set[bytes]] = [set() for _ in range(n_blocks)]
        self.seconds = 0.0
        self.solved = False

    def add(self, k: int, x: np.ndarray) -> bool:
        """Add block ``k``'s point ``x`` as a column (False if it is already there)."""
        blocks = self.blocks
        x = np.where(np.abs(x) < 1e-9, 0.0, np.asarray(x, dtype=float))
        ints = self.model.integer[blocks.cols[k]]
        x[ints] = np.round(x[ints])
        key = x.tobytes()
        if key in self._seen[k]:
            return False
        self._seen[k].add(key)
        coeffs = blocks.link_of[k] @ x
        nz = np.flatnonzero(np.abs(coeffs) > 1e-12)
        idx = np.concatenate([nz, [len(blocks.link) + k]]).astype(np.int32)
        val = np.concatenate([coeffs[nz], [1.0]])
        cost = float(self.model.cost[blocks.cols[k]] @ x)
        self.h.addCol(cost, 0.0, _INF, len(idx), idx, val)
        self.by_block[k].append(len(self.columns))
        self.columns.append((k, x))
        return True

    def solve(self, after_fixing: bool = False, interior: bool = False) -> bool:
        """Re-solve: by interior point (with crossover, so a basis follows) when ``interior``,
        else from the last basis: new columns keep it primal feasible (primal simplex), fixed
        lambdas keep it dual feasible (dual simplex; on the demo week 0.6-1.7 s a dive step
        where primal simplex took 2-3 s)."""
        if interior:
            self.h.setOptionValue("solver", "ipm")
        else:
            self.h.setOptionValue("solver", "simplex")
        if self.solved:
            self.h.setOptionValue("simplex_strategy", 1 if after_fixing else 4)
        t0 = time.perf_counter()
        self.h.run()
        self.seconds += time.perf_counter() - t0
        self.solved = True
        return self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal

    @property
    def value(self) -> float:
        return float(self.h.getInfo().objective_function_value) + self.model.constant

    def duals(self) -> tuple[np.ndarray, np.ndarray]:
        """(linking row duals, convexity duals)."""
        duals = np.array(self.h.getSolution().row_dual)
        n_link = len(self.blocks.link)
        return duals[:n_link], duals[n_link:]

    def weights(self) -> np.ndarray:
        """The current lambda of every column."""
        return np.array(self.h.getSolution().col_value)[self.n_master :]

    def fix(self, k: int, j: int) -> None:
        """Block ``k`` takes column ``j``: its lambda fixed to 1 (the others to 0)."""
        for other in self.by_block[k]:
            value = 1.0 if other == j else 0.0
            col = self.n_master + other
            self.h.changeColBounds(col, value, value)

    def complete(self, time_limit_sec: float, gap: float) -> np.ndarray | None:
        """The master as a MIP: integrality restored on the master variables, every lambda
        integer (the blocks not fixed choose one of their columns); the point of the original
        model, or None."""
        model = self.model
        ints = np.concatenate(
            [
                np.flatnonzero(model.integer[self.blocks.master_cols]),
                self.n_master + np.arange(len(self.columns)),
            ]
        ).astype(np.int32)
        if len(ints):
            kinds = [highspy.HighsVarType.kInteger] * len(ints)
            self.h.changeColsIntegrality(len(ints), ints, kinds)
        self.h.setOptionValue("time_limit", max(1.0, time_limit_sec))
        self.h.setOptionValue("mip_rel_gap", gap)
        self.h.setOptionValue("simplex_strategy", 1)
        t0 = time.perf_counter()
        self.h.run()
        self.seconds += time.perf_counter() - t0
        if self.h.getInfo().primal_solution_status != 2:
            return None
        values = np.array(self.h.getSolution().col_value)
        x = np.zeros(len(model.cost))
        x[self.blocks.master_cols] = values[: self.n_master]
        for (k, point), lam in zip(self.columns, values[self.n_master :], strict=True):
            if lam > 1e-9:
                x[self.blocks.cols[k]] += lam * point
        return x


@dataclass(frozen=True, eq=False)
class _Blocks:
    """Which rows and columns belong to which block, and the linking rows."""

    rows: list[np.ndarray]
    cols: list[np.ndarray]
    link: np.ndarray
    master_cols: np.ndarray
    a_link: sparse.csr_matrix
    link_of: list[sparse.csc_matrix]


def _blocks(model: MatrixModel, blocks: Sequence[Sequence[str]]) -> _Blocks:
    row_index = model.row_index
    block_rows = [
        np.array(sorted(row_index[name] for name in names), dtype=np.int64) for names in blocks
    ]
    owner = np.full(len(model.cost), -1, dtype=np.int64)
    block_cols = []
    for k, rows in enumerate(block_rows):
        cols = np.unique(model.matrix[rows].indices)
        clash = cols[(owner[cols] >= 0) & (owner[cols] != k)]
        if len(clash):
            raise ValueError(
                f"variable {model.variables[clash[0]].name} is in the rows of two blocks"
            )
        owner[cols] = k
        block_cols.append(cols)
    in_block = np.zeros(len(model.row_names), dtype=bool)
    for rows in block_rows:
        in_block[rows] = True
    link = np.flatnonzero(~in_block)
    a_link = model.matrix[link]
    return _Blocks(
        rows=block_rows,
        cols=block_cols,
        link=link,
        master_cols=np.flatnonzero(owner < 0),
        a_link=a_link,
        link_of=[a_link[:, cols].tocsc() for cols in block_cols],
    )


def _signed(model: MatrixModel, parts: _Blocks, pi: np.ndarray) -> np.ndarray:
    """Linking duals with the signs a Lagrangian bound needs (minimisation): ``pi > 0`` only on
    rows with a finite lower side, ``pi < 0`` only with a finite upper side (an interior-point
    dual may break that by a rounding error)."""
    pi = pi.copy()
    pi[(pi > 0) & (model.row_lower[parts.link] <= -_INF)] = 0.0
    pi[(pi < 0) & (model.row_upper[parts.link] >= _INF)] = 0.0
    return pi


def _lagrangian(
    model: MatrixModel, parts: _Blocks, pi: np.ndarray, block_bounds: Sequence[float]
) -> float:
    """The Lagrangian bound at linking duals ``pi`` (signed by :func:`_signed`):

    .. math:: L(\\pi) = \\sum_i \\pi_i b_i + \\sum_k z_k(\\pi)
              + \\sum_{j \\in M} \\min(d_j l_j, d_j u_j) + c_0 \\le z^*,

    with :math:`b_i` the row side :math:`\\pi_i` prices, :math:`z_k` a lower bound of block
    ``k``'s integer pricing problem (``block_bounds``), :math:`d = c - A^\top \\pi` and ``M`` the
    columns of no block (relaxed to their bounds). At the compact LP's optimal duals
    :math:`L \\ge` the LP value, by the integrality gaps of the blocks (Geoffrion 1974,
    *Math. Programming Study* 2). -inf if a column of no block is unbounded in a direction
    :math:`d` rewards."""
    link = parts.link
    lower, upper = model.row_lower[link], model.row_upper[link]
    sides = np.where(pi > 0, np.where(lower > -_INF, lower, 0.0), 0.0) + np.where(
        pi < 0, np.where(upper < _INF, upper, 0.0), 0.0
    )
    cols = parts.master_cols
    d = model.cost[cols] - parts.a_link[:, cols].T @ pi
    # a reduced cost of 1e-16 is the duals' rounding, not a ray: on the make-app week an
    # unbounded email backlog column priced at -1.1e-16 made the bound -inf
    d[np.abs(d) < _ZERO_REDUCED_COST] = 0.0
    low, high = model.lower[cols], model.upper[cols]
    if bool((((d < 0) & (high >= _INF)) | ((d > 0) & (low <= -_INF))).any()):
        return -_INF
    free = np.where(d > 0, d * np.where(low > -_INF, low, 0.0), 0.0) + np.where(
        d < 0, d * np.where(high < _INF, high, 0.0), 0.0
    )
    return float(pi @ sides + free.sum() + sum(block_bounds) + model.constant)


def price_and_branch(
    model: MatrixModel,
    blocks: Sequence[Sequence[str]],
    *,
    time_limit_sec: float,
    gap: float,
    threads: int | None = None,
    log: list[str] | None = None,
    params: RosterParams | None = None,
) -> DecomposedSolve:
    """Bound by the compact LP and column generation, then a primal point by diving.

    The knobs named below are those of ``params`` (:class:`~wfm.roster_params.RosterParams`).

    1. **Compact LP** (interior point, no crossover, within ``compact_share`` of the budget):
       its value is a
       lower bound; its linking duals price a first column for every block, and the
       Lagrangian bound at those duals (:func:`_lagrangian`: the LP value plus the blocks'
       integrality gaps) may raise it.
    2. **Column generation** until the master LP is within ``master_gap_factor * gap`` of the
       best bound, no
       column prices out, or (``min_rounds`` rounds done) a round as long as the last would
       end past ``lp_share`` of the budget. Blocks are priced at duals smoothed toward the
       compact LP's,
       :math:`\\pi_s = \\alpha \\pi_0 + (1 - \\alpha) \\pi_{RMP}` with ``alpha = smoothing``
       (Wentges 1997, *Int. Trans. Oper. Res.* 4: the stability centre is a good dual point;
       the master's own duals swing between extremes while it has few columns), and the
       Lagrangian bound is taken at :math:`\\pi_s`; when no new column comes, at the master's
       own duals. The bound kept is the largest of the compact LP value and the Lagrangian
       bounds. The master is re-solved each round by interior point with crossover (faster
       than primal simplex from the last basis, which makes thousands of degenerate pivots a
       round).
    3. **Diving**: the blocks whose largest lambda is at least ``dive_sure`` and
       ``dive_share`` of the others with the largest lambda take that column, then the master
       LP is re-solved with ``dive_pricing_rounds`` rounds of pricing for the blocks still free
       (none by default: after column generation the columns suffice until the endgame); the
       last ``endgame`` blocks are fixed one at a time with ``endgame_rounds`` more rounds
       each. Diving stops with ``dive_tail`` blocks free; past ``pricing_stop_share`` of the
       budget it goes on without pricing.
    4. **Completion**: the master as a MIP (integrality restored, the free blocks' lambdas
       integer), which gives a point of the original model.

    Pricing runs on ``pricing_workers`` threads (one HiGHS thread each).

    Parameters
    ----------
    model
        The original model (:func:`matrix_of`).
    blocks
        Per block, the names of its own rows. A variable belongs to block ``k`` when it appears
        in one of its rows; it may appear in linking rows too, never in another block's rows.
    time_limit_sec, gap
        Whole budget and target relative gap.
    log
        Lines saying what each step reached are appended to it.
    params
        The heuristic's knobs; None: the defaults.
    """
    search = _PriceAndBranch(model, blocks, time_limit_sec, gap, threads, log, params)
    try:
        infeasible = search.first_columns()
        if infeasible is not None:
            return DecomposedSolve(None, None, -_INF, "infeasible", {"block": infeasible})
        search.compact()
        if not search.generate() or not search.dive():
            return DecomposedSolve(None, None, search.bound, "none", {"rounds": search.rounds})
    finally:
        if search.pool is not None:
            search.pool.shutdown()
    return search.complete()


class _PriceAndBranch:
    """The state of :func:`price_and_branch`: the master, the blocks' pricing MIPs, the best
    bound, the clock; one method per step."""

    def __init__(
        self,
        model: MatrixModel,
        blocks: Sequence[Sequence[str]],
        time_limit_sec: float,
        gap: float,
        threads: int | None,
        log: list[str] | None,
        params: RosterParams | None,
    ):
        self.started = time.perf_counter()
        self.p = params or RosterParams()
        self.model = model
        self.time_limit_sec = time_limit_sec
        self.gap = gap
        self.threads = threads
        self.log = log if log is not None else []
        self.parts = _blocks(model, blocks)
        self.n_blocks = len(self.parts.cols)
        self.master = _Master(model, self.parts, threads)
        self.pricers = [
            _Pricer(model, self.parts.rows[k], self.parts.cols[k]) for k in range(self.n_blocks)
        ]
        self.bound = -_INF
        self.relaxed: np.ndarray | None = None
        self.pi0: np.ndarray | None = None
        self.pricing_sec = 0.0
        self.compact_sec = self.lp_sec = self.dive_sec = 0.0
        self.rounds = 0
        self.z_lp = _INF
        self.dived: list[int] = []
        workers = self.p.pricing_workers
        self.pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def reduced(self, k: int, pi: np.ndarray) -> np.ndarray:
        """Block ``k``'s costs less its columns' share of the linking duals ``pi``."""
        return self.model.cost[self.parts.cols[k]] - self.parts.link_of[k].T @ pi

    def first_columns(self) -> int | None:
        """A first column per block, at the original costs; the first block with none, or None."""
        for k in range(self.n_blocks):
            cost = self.model.cost[self.parts.cols[k]]
            x, _value, _bound = self.pricers[k].solve(cost, self.p.first_pricing_sec)
            if x is None:
                return k
            self.master.add(k, x)
        return None

    def compact(self) -> None:
        """Step 1: the compact LP's bound, interior point and duals, and a column per block
        priced at those duals (the Lagrangian bound there)."""
        model, parts = self.model, self.parts
        whole = _highs(self.threads)
        _pass(
            whole,
            model.cost,
            model.lower,
            model.upper,
            model.matrix,
            model.row_lower,
            model.row_upper,
        )
        whole.setOptionValue("solver", "ipm")
        whole.setOptionValue("run_crossover", "off")
        # the bound and the dive's guide: without it the rest is worthless, so most of the budget
        whole.setOptionValue("time_limit", max(1.0, self.p.compact_share * self.time_limit_sec))
        whole.run()
        if whole.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            bound = float(whole.getInfo().objective_function_value) + model.constant
            self.relaxed = np.asarray(whole.getSolution().col_value, dtype=float)
            pi0 = _signed(model, parts, np.array(whole.getSolution().row_dual)[parts.link])
            self.pi0 = pi0
            block_bounds = []
            for k in range(self.n_blocks):
                x, _value, dual_bound = self.pricers[k].solve(
                    self.reduced(k, pi0), self.p.pricing_sec
                )
                block_bounds.append(dual_bound)
                if x is not None:
                    self.master.add(k, x)
            self.bound = max(bound, _lagrangian(model, parts, pi0, block_bounds))
            self.log.append(
                f"compact LP {bound:,.2f}, Lagrangian bound at its duals {self.bound:,.2f}"
            )
        self.compact_sec = self.elapsed()
        self.log.append(f"compact LP and first pricing in {self.compact_sec:.1f} s")

    def price(self, free: Sequence[int], pi: np.ndarray, until: float):
        """Price ``free`` blocks at duals ``pi`` (on ``pricing_workers`` threads: HiGHS releases
        the GIL): per block (point or None, value, dual bound), in the order of ``free``."""
        t0 = time.perf_counter()
        # at least ``pricing_min_sec`` a block (one takes milliseconds): a round past its
        # share still prices every block to the end, so the columns, and the dive, do not
        # depend on the clock
        limit = min(self.p.pricing_sec, max(self.p.pricing_min_sec, until - self.elapsed()))

        def one(k: int):
            return self.pricers[k].solve(self.reduced(k, pi), limit)

        pool = self.pool
        found = list(pool.map(one, free)) if pool is not None else [one(k) for k in free]
        self.pricing_sec += time.perf_counter() - t0
        return found

    def add(self, free: Sequence[int], found, pi: np.ndarray | None, mu: np.ndarray) -> int:
        """Columns of ``found`` (priced for ``free``) new to the master; with ``pi`` given, only
        those of negative reduced cost at ``pi``."""
        added = 0
        for k, (x, _value, _bound) in zip(free, found, strict=True):
            if x is None:
                continue
            if pi is not None and float(self.reduced(k, pi) @ x) - mu[k] >= -1e-6:
                continue
            added += self.master.add(k, x)
        return added

    def generate(self) -> bool:
        """Step 2: column generation (see :func:`price_and_branch`); False when the master LP
        does not solve at its end."""
        p, master, model, parts = self.p, self.master, self.model, self.parts
        share_sec = p.lp_share * self.time_limit_sec
        round_started = self.elapsed()
        everyone = list(range(self.n_blocks))
        # Wentges smoothing toward the compact LP's duals, a near-optimal dual point: pricing at
        # the master's own duals swings between extremes (figures in docs/)
        pi0 = self.pi0
        alpha = p.smoothing if pi0 is not None else 0.0
        while master.solve(interior=True):
            self.rounds += 1
            z_lp = self.z_lp = master.value
            pi, mu = master.duals()
            at = _signed(model, parts, alpha * pi0 + (1.0 - alpha) * pi) if alpha > 0 else pi
            found = self.price(everyone, at, share_sec)
            if alpha > 0:
                # any new week helps the master; the Lagrangian bound holds at any duals
                added = self.add(everyone, found, None, mu)
                lagrangian = _lagrangian(model, parts, at, [f[2] for f in found])
                self.bound = max(self.bound, lagrangian)
            else:
                added = self.add(everyone, found, pi, mu)
                total = sum(min(0.0, f[2] - mu[k]) for k, f in zip(everyone, found, strict=True))
                self.bound = max(self.bound, z_lp + total)
            self.log.append(
                f"round {self.rounds}: master LP {z_lp:,.2f}, bound {self.bound:,.2f}, "
                f"{added} columns, {self.elapsed():.1f} s (master {master.seconds:.1f} s, "
                f"pricing {self.pricing_sec:.1f} s)"
            )
            if added == 0 and alpha > 0:  # nothing new at the smoothed duals: the master's own
                alpha = 0.0
                continue
            close = p.master_gap_factor * self.gap * max(abs(z_lp), 1e-9)
            if added == 0 or z_lp - self.bound <= close:
                break
            # stop before a round that would end past the share (not after it): a round
            # that overran cut the dive's endgame pricing short
            last_round = self.elapsed() - round_started
            round_started = self.elapsed()
            if self.rounds >= p.min_rounds and round_started + last_round > share_sec:
                break
        self.lp_sec = self.elapsed()
        return master.solve()

    def dive(self) -> bool:
        """Step 3: fix blocks to their heaviest column, a share at a time, the last
        ``endgame`` one at a time (the master LP stays close to the bound until only a few
        blocks are free; the last ones cost the most); False when the master LP fails."""
        p, master = self.p, self.master
        tail, endgame = p.dive_tail, p.endgame
        stop_pricing = p.pricing_stop_share * self.time_limit_sec
        free = list(range(self.n_blocks))
        while len(free) > tail:
            lam = master.weights()
            best = {}
            for k in free:
                j = max(master.by_block[k], key=lambda j: lam[j])
                best[k] = (lam[j], j)
            sure = [k for k in free if best[k][0] >= p.dive_sure]
            rest = sorted((k for k in free if best[k][0] < p.dive_sure), key=lambda k: -best[k][0])
            share = max(2, math.ceil(p.dive_share * (len(free) - tail)))
            if len(free) <= endgame:
                share = 1
            share = min(share, len(free) - tail)
            take = set(sure) | set(rest[: max(0, share - len(sure))])
            for k in sorted(take, key=lambda k: -best[k][0]):
                master.fix(k, best[k][1])
                self.dived.append(k)
            free = [k for k in free if k not in take]
            if not master.solve(after_fixing=True):
                return False
            if not free:
                self.log.append(f"dive: every block fixed, master LP {master.value:,.2f}")
                break
            # past ``pricing_stop_share`` of the budget the dive goes on without pricing (each
            # step one dual simplex solve): the completion MIP with many blocks free is slower
            # and worse
            rounds = p.dive_pricing_rounds + (p.endgame_rounds if len(free) <= endgame else 0)
            for _ in range(rounds):
                if self.elapsed() > stop_pricing:
                    break
                pi, mu = master.duals()
                if self.add(free, self.price(free, pi, stop_pricing), pi, mu) == 0:
                    break
                if not master.solve():
                    return False
            self.log.append(
                f"dive: {len(free)} blocks free, master LP {master.value:,.2f}, "
                f"{self.elapsed():.1f} s"
            )
        self.dive_sec = self.elapsed() - self.lp_sec
        return True

    def complete(self) -> DecomposedSolve:
        """Step 4: the master as a MIP over the columns, a point of the original model."""
        master, model = self.master, self.model
        x = master.complete(
            self.time_limit_sec - self.elapsed(), self.p.master_gap_factor * self.gap
        )
        self.log.append(f"completion: {master.h.getModelStatus()} after {self.elapsed():.1f} s")
        stats = {
            "compact_sec": round(self.compact_sec, 3),
            "lp_sec": round(self.lp_sec, 3),
            "dive_sec": round(self.dive_sec, 3),
            "complete_sec": round(self.elapsed() - self.lp_sec - self.dive_sec, 3),
            "pricing_sec": round(self.pricing_sec, 3),
            "master_sec": round(master.seconds, 3),
            "rounds": self.rounds,
            "columns": len(master.columns),
            "master_lp": self.z_lp,
        }
        dived = tuple(self.dived)
        if x is None:
            return DecomposedSolve(None, None, self.bound, "none", stats, self.relaxed, dived)
        objective = float(model.cost @ x) + model.constant
        bound = min(self.bound, objective)
        reached = abs(objective - bound) / max(abs(objective), 1e-9)
        status = "optimal" if reached <= self.gap + 1e-9 else "feasible"
        return DecomposedSolve(x, objective, bound, status, stats, self.relaxed, dived)
