"""The pieces of the Dantzig-Wolfe decomposition: the blocks of a model (:func:`split_blocks`),
a block's pricing MIP (:class:`Pricer`), the restricted master (:class:`Master`), and the
Lagrangian bound (:func:`lagrangian_bound`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from solvers.decompose.matrix import INF, MatrixModel
from solvers.highs import new_highs, pass_model

__all__ = ["Blocks", "Master", "Pricer", "lagrangian_bound", "signed_duals", "split_blocks"]

#: Reduced costs below this (in objective units per unit of a column) are taken as 0 in the
#: Lagrangian bound; the error is at most this times the column's value.
_ZERO_REDUCED_COST = 1e-9


class Pricer:
    """Block ``k``'s pricing MIP, built once; each round only its costs change."""

    def __init__(self, model: MatrixModel, rows: np.ndarray, cols: np.ndarray):
        self.h = new_highs(threads=1)
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 1e-7)
        self.h.setOptionValue("presolve", "on")
        sub = model.matrix[rows][:, cols]
        pass_model(
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
        return None, INF, -INF


class Master:
    """The restricted master: linking rows, one convexity row per block, the master variables
    (those of no block) and one column per block point generated so far."""

    def __init__(self, model: MatrixModel, blocks: Blocks, threads: int | None):
        self.model = model
        self.blocks = blocks
        self.h = new_highs(threads)
        self.h.setOptionValue("solver", "simplex")
        n_blocks = len(blocks.cols)
        cols = blocks.master_cols
        a_master = sparse.vstack(
            [blocks.a_link[:, cols], sparse.csr_matrix((n_blocks, len(cols)))]
        ).tocsr()
        pass_model(
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
        self.h.addCol(cost, 0.0, INF, len(idx), idx, val)
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
class Blocks:
    """Which rows and columns belong to which block, and the linking rows."""

    rows: list[np.ndarray]
    cols: list[np.ndarray]
    link: np.ndarray
    master_cols: np.ndarray
    a_link: sparse.csr_matrix
    link_of: list[sparse.csc_matrix]


def split_blocks(model: MatrixModel, blocks: Sequence[Sequence[str]]) -> Blocks:
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
    return Blocks(
        rows=block_rows,
        cols=block_cols,
        link=link,
        master_cols=np.flatnonzero(owner < 0),
        a_link=a_link,
        link_of=[a_link[:, cols].tocsc() for cols in block_cols],
    )


def signed_duals(model: MatrixModel, parts: Blocks, pi: np.ndarray) -> np.ndarray:
    """Linking duals with the signs a Lagrangian bound needs (minimisation): ``pi > 0`` only on
    rows with a finite lower side, ``pi < 0`` only with a finite upper side (an interior-point
    dual may break that by a rounding error)."""
    pi = pi.copy()
    pi[(pi > 0) & (model.row_lower[parts.link] <= -INF)] = 0.0
    pi[(pi < 0) & (model.row_upper[parts.link] >= INF)] = 0.0
    return pi


def lagrangian_bound(
    model: MatrixModel, parts: Blocks, pi: np.ndarray, block_bounds: Sequence[float]
) -> float:
    """The Lagrangian bound at linking duals ``pi`` (signed by :func:`signed_duals`):

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
    sides = np.where(pi > 0, np.where(lower > -INF, lower, 0.0), 0.0) + np.where(
        pi < 0, np.where(upper < INF, upper, 0.0), 0.0
    )
    cols = parts.master_cols
    d = model.cost[cols] - parts.a_link[:, cols].T @ pi
    # a reduced cost of 1e-16 is the duals' rounding, not a ray: on the make-app week an
    # unbounded email backlog column priced at -1.1e-16 made the bound -inf
    d[np.abs(d) < _ZERO_REDUCED_COST] = 0.0
    low, high = model.lower[cols], model.upper[cols]
    if bool((((d < 0) & (high >= INF)) | ((d > 0) & (low <= -INF))).any()):
        return -INF
    free = np.where(d > 0, d * np.where(low > -INF, low, 0.0), 0.0) + np.where(
        d < 0, d * np.where(high < INF, high, 0.0), 0.0
    )
    return float(pi @ sides + free.sum() + sum(block_bounds) + model.constant)
