"""The ``price_dive`` method: the decomposition's bound and dive, then the declared search
stages."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solvers.decompose import DecomposedSolve, MatrixModel, matrix_of, price_and_branch
from solvers.roster.context import RosterContext
from solvers.roster.search import (
    SearchResult,
    improve,
    improve_agent_weeks,
    improve_by_day,
    improve_by_group_days,
    improve_by_groups,
    improve_by_queue_days,
)
from solvers.roster.two_stage import rel_gap
from solvers.roster.types import RosterModel
from solvers.shift_plan import (
    SolveOutcome,
    SolveStatus,
)
from wfm.config import SolverOptions
from wfm.roster_params import RosterParams


@dataclass
class _Incumbent:
    """What the search stages of ``price_dive`` share: the model's matrix, the decomposition's
    result, the knobs, and the best roster so far (``point``, ``objective``) with the counts."""

    ctx: RosterContext
    matrix: MatrixModel
    found: DecomposedSolve
    agents: list[int]
    params: RosterParams
    threads: int | None
    target: float
    point: np.ndarray
    objective: float
    stats: dict[str, float]

    def search_kw(self) -> dict:
        return {"params": self.params, "threads": self.threads}

    def hood_kw(self) -> dict:
        """Keywords of the neighbourhood searches: stop at the target, rank by the
        understaffing the compact LP does not have."""
        return {**self.search_kw(), "target": self.target, "reference": self.found.relaxed}


@dataclass(frozen=True)
class SearchStage:
    """One step of the ``price_dive`` search: ``run(incumbent, budget_sec)`` returns a
    :class:`~solvers.roster.search.SearchResult` from the incumbent, or None when it has nothing
    to do. Its budget is ``share`` (a :class:`RosterParams` field) of the time left, less
    ``RosterParams.reserve_sec`` with ``reserve``, at most the ``cap`` field's seconds; a share
    of 0 skips it. ``name`` keys the objective it reached in the model's stages."""

    name: str
    share: str
    run: Callable[[_Incumbent, float], SearchResult | None]
    cap: str | None = None
    reserve: bool = False


@dataclass(frozen=True)
class SearchCycle:
    """Stages run in turn while a turn improves the incumbent."""

    stages: tuple[SearchStage, ...]


def _moves(state: _Incumbent, budget_sec: float):
    return improve(state.ctx, state.matrix, state.point, budget_sec, **state.search_kw())


def _agent_weeks(state: _Incumbent, budget_sec: float):
    # the agents the dive fixed last, one at a time to the few weeks priced for them, leave
    # the holes its master could no longer fill
    count = state.params.repaired_agents
    if count <= 0:
        return None
    chosen = [state.agents[k] for k in state.found.dived[-count:]]
    return improve_agent_weeks(
        state.ctx, state.matrix, state.point, chosen, budget_sec, **state.search_kw()
    )


def _urgent_days(state: _Incumbent, budget_sec: float):
    return improve_by_day(
        state.ctx, state.matrix, state.point, budget_sec, whole_if_urgent=True, **state.hood_kw()
    )


def _queue_days(state: _Incumbent, budget_sec: float):
    return improve_by_queue_days(
        state.ctx, state.matrix, state.point, budget_sec, **state.hood_kw()
    )


def _group_days(state: _Incumbent, budget_sec: float):
    return improve_by_group_days(
        state.ctx, state.matrix, state.point, budget_sec, **state.hood_kw()
    )


def _whole_days(state: _Incumbent, budget_sec: float):
    return improve_by_day(state.ctx, state.matrix, state.point, budget_sec, **state.hood_kw())


def _groups(state: _Incumbent, budget_sec: float):
    support = state.found.relaxed
    if support is None:
        return None
    return improve_by_groups(
        state.ctx,
        state.matrix,
        state.point,
        support,
        budget_sec,
        target=state.target,
        **state.search_kw(),
    )


#: The ``price_dive`` search, in order. From a dived roster the single-agent moves come first;
#: then the weeks of the agents the dive fixed last; the day MIPs (RINS-restricted, a day still
#: short beyond the compact LP solved whole); one queue on two days (several groups trade days
#: off for it) and one group on two days in turn, each moving the roster out of the other's
#: local optimum; whole day MIPs; the skill groups over the week on the LP's support; and the
#: single-agent moves again, as the neighbourhood MIPs move the duals.
PRICE_DIVE_STAGES: tuple[SearchStage | SearchCycle, ...] = (
    SearchStage("search_objective", "moves_share", _moves),
    SearchStage("agent_week_objective", "agent_week_share", _agent_weeks, cap="agent_week_sec"),
    SearchStage("day_objective", "day_share", _urgent_days),
    SearchCycle(
        (
            SearchStage("queue_day_objective", "queue_day_share", _queue_days),
            SearchStage("group_day_objective", "group_day_share", _group_days),
        )
    ),
    SearchStage("whole_day_objective", "whole_day_share", _whole_days, reserve=True),
    SearchStage("groups_objective", "groups_share", _groups, reserve=True),
    SearchStage("final_moves_objective", "final_moves_share", _moves),
)


def _run_stages(
    state: _Incumbent,
    stages: tuple[SearchStage | SearchCycle, ...],
    left: Callable[[], float],
    more: Callable[[], bool],
) -> None:
    """Run ``stages`` from ``state``'s incumbent while ``more()`` (outside the gap, with time
    left); a stage's better roster becomes the incumbent and its counts add up."""
    params = state.params

    def run(stage: SearchStage) -> None:
        share = getattr(params, stage.share)
        if share <= 0 or not more():
            return
        budget = share * (left() - params.reserve_sec if stage.reserve else left())
        if stage.cap is not None:
            budget = min(getattr(params, stage.cap), budget)
        searched = stage.run(state, budget)
        if searched is None:
            return
        if searched.objective < state.objective:
            state.point, state.objective = searched.x, searched.objective
        for key, value in searched.stats.items():
            state.stats[key] = state.stats.get(key, 0) + value
        state.stats[stage.name] = state.objective

    for item in stages:
        if isinstance(item, SearchStage):
            run(item)
            continue
        while more():
            before = state.objective
            for stage in item.stages:
                run(stage)
            if state.objective >= before - 1e-6:
                break


def solve_price_dive(model: RosterModel, options: SolverOptions) -> SolveOutcome | None:
    """The ``price_dive`` method: :func:`solvers.decompose.price_and_branch` (bound and a first
    roster) within ``1 - search_share`` of the time limit (at least
    ``RosterParams.price_floor_sec``), then, in what is left, the roster improved by the
    stages of :data:`PRICE_DIVE_STAGES` (:mod:`solvers.roster.search`: single-agent moves,
    LP-checked; the weeks of the agents the dive fixed last; fix-and-optimise by day, by queue
    and by skill group on two days, by whole days, by skill groups over the week; the moves
    again), each within its share of the time left (:class:`RosterParams`), until the roster
    is within the gap asked for. The values found are written into the PuLP variables, as a
    solve would. None when no roster is found (the caller falls back to the other methods)."""
    started = time.perf_counter()
    ctx = model.ctx
    params = options.roster
    matrix = matrix_of(model.lp)
    agents = [a for a in range(len(ctx.agents)) if ctx.local.get(a)]
    blocks = [ctx.local[a] for a in agents]
    log: list[str] = []
    share = model.options.search_share
    # the compact LP, column generation and the dive are worth little when cut short, so they
    # keep a floor of the limit whatever the searches' share (figures in docs/)
    budget = options.time_limit_sec * (1.0 - share) if share > 0 else options.time_limit_sec
    budget = max(
        budget, min(params.price_floor_sec, params.price_floor_share * options.time_limit_sec)
    )
    found = price_and_branch(
        matrix,
        blocks,
        time_limit_sec=budget,
        gap=options.gap,
        threads=options.threads,
        log=log,
        params=params,
    )
    if found.x is None:
        return None
    stats = {k: float(v) for k, v in found.stats.items()}
    stats["dive_objective"] = float(found.objective)
    # the searches stop at a roster within the gap asked for: objective <= bound / (1 - gap)
    target = found.bound / (1.0 - options.gap) if found.bound > 0 and options.gap < 1 else -np.inf
    state = _Incumbent(
        ctx=ctx,
        matrix=matrix,
        found=found,
        agents=agents,
        params=params,
        threads=options.threads,
        target=target,
        point=found.x,
        objective=float(found.objective),
        stats=stats,
    )

    def left() -> float:
        return options.time_limit_sec - (time.perf_counter() - started)

    def more() -> bool:
        """Whether a search is still worth starting: outside the gap, with time left."""
        return (
            share > 0
            and rel_gap(state.objective, found.bound) > options.gap
            and left() > params.min_search_sec
        )

    _run_stages(state, PRICE_DIVE_STAGES, left, more)
    point, objective = state.point, state.objective
    for var, value in zip(matrix.variables, point, strict=True):
        var.varValue = float(value)
    bound = min(found.bound, objective)  # a point at the bound (up to rounding) is optimal
    gap = rel_gap(objective, bound)
    model.stages = {
        **stats,
        "lp_bound": bound,
        "total_sec": round(time.perf_counter() - started, 3),
    }
    status = SolveStatus.OPTIMAL if gap <= options.gap + 1e-9 else SolveStatus.FEASIBLE
    return SolveOutcome(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        solve_sec=time.perf_counter() - started,
        solver="highs",
    )
