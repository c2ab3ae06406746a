"""Column generation and diving over a block-angular model (:func:`price_and_branch`)."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import highspy
import numpy as np

from solvers.decompose.master import Master, Pricer, lagrangian_bound, signed_duals, split_blocks
from solvers.decompose.matrix import INF, MatrixModel
from solvers.highs import new_highs, pass_model
from wfm.roster_params import RosterParams

__all__ = ["DecomposedSolve", "price_and_branch"]


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
       Lagrangian bound at those duals (:func:`lagrangian_bound`: the LP value plus the blocks'
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
            return DecomposedSolve(None, None, -INF, "infeasible", {"block": infeasible})
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
        self.parts = split_blocks(model, blocks)
        self.n_blocks = len(self.parts.cols)
        self.master = Master(model, self.parts, threads)
        self.pricers = [
            Pricer(model, self.parts.rows[k], self.parts.cols[k]) for k in range(self.n_blocks)
        ]
        self.bound = -INF
        self.relaxed: np.ndarray | None = None
        self.pi0: np.ndarray | None = None
        self.pricing_sec = 0.0
        self.compact_sec = self.lp_sec = self.dive_sec = 0.0
        self.rounds = 0
        self.z_lp = INF
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
        whole = new_highs(self.threads)
        pass_model(
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
            pi0 = signed_duals(model, parts, np.array(whole.getSolution().row_dual)[parts.link])
            self.pi0 = pi0
            block_bounds = []
            for k in range(self.n_blocks):
                x, _value, dual_bound = self.pricers[k].solve(
                    self.reduced(k, pi0), self.p.pricing_sec
                )
                block_bounds.append(dual_bound)
                if x is not None:
                    self.master.add(k, x)
            self.bound = max(bound, lagrangian_bound(model, parts, pi0, block_bounds))
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
            at = signed_duals(model, parts, alpha * pi0 + (1.0 - alpha) * pi) if alpha > 0 else pi
            found = self.price(everyone, at, share_sec)
            if alpha > 0:
                # any new week helps the master; the Lagrangian bound holds at any duals
                added = self.add(everyone, found, None, mu)
                lagrangian = lagrangian_bound(model, parts, at, [f[2] for f in found])
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
