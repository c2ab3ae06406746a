"""The ``two_stage`` method: LP bound, LP diving, the integer program on the LP support; and
completing a fixed roster."""

from __future__ import annotations

import dataclasses
import math
import time

import pulp

from solvers.highs import solve_lp_relaxation
from solvers.roster.greedy import _greedy_weeks, _rounded_weeks, greedy_roster
from solvers.roster.plan_assign import plan_then_assign
from solvers.roster.types import RosterModel
from solvers.shift_plan import (
    ShiftPlanModel,
    SolveOutcome,
    SolveStatus,
)
from solvers.shift_plan import solve as solve_plan
from wfm.config import SolverOptions


def solve_two_stage(model: RosterModel, options: SolverOptions) -> SolveOutcome | None:
    """Bound, round, improve (HiGHS). Returns None (the caller falls back to the one-stage
    solve) when the LP relaxation does not finish or no roster is found.

    1. **Bound**: the LP relaxation of the whole model (every agent-shift binary of the reduced
       variant set, break counts continuous) by the interior-point method without crossover,
       within half the time limit: :math:`z_{LP} \\le z^*`.
    2. **Round** (:func:`lp_rounded_roster`): each agent independently takes the week that keeps
       every hard agent rule and has the largest sum of LP values :math:`\\bar w_{a,v}` (the
       greedy roster's week is always among the candidates, so a week exists whenever the greedy
       finds one); the model solved with those shifts fixed completes it (breaks, queue split).
    3. **Improve**: the integer program on the binaries with :math:`\\bar w_{a,v} \\ge`
       ``lp_support`` plus the rounded roster's, the others fixed to 0, started from step 2.

    Every roster of step 3 is feasible for the whole model, so ``gap = (z - z_LP) / z`` bounds
    its true relative gap from above; the status is optimal only when that gap is within
    ``options.gap``.
    """
    lp = model.lp
    ctx = model.ctx
    started = time.perf_counter()
    bound = solve_lp_relaxation(
        lp,
        max(1.0, options.roster.two_stage_lp_share * options.time_limit_sec),
        options.threads,
        options.msg,
    )
    if bound is None:
        return None
    lp_values = {key: float(var.varValue or 0.0) for key, var in ctx.w.items()}
    lp_sec = time.perf_counter() - started
    chosen = None
    pta_stages: dict[str, float] = {}
    if model.options.plan_assign:
        params = options.roster
        budget = params.plan_assign_share * options.time_limit_sec - lp_sec
        guide = lp_values if model.options.plan_assign == "lp" else None
        chosen, pta_stages = plan_then_assign(
            model, options, max(params.plan_assign_min_sec, budget), guide
        )
    if chosen is None:
        chosen = _dive(model, options, lp_values, started, model.options.dive_rounds)
    remaining = options.time_limit_sec - (time.perf_counter() - started)
    start, _spent = complete_roster(model, options, chosen, remaining)
    rounded = None
    if start is not None:
        rounded = pulp.value(lp.objective)
    rounded_sec = time.perf_counter() - started - lp_sec
    cut = float(model.options.lp_support)
    fixed = []
    for key, var in ctx.w.items():
        if lp_values[key] < cut and key not in chosen:
            fixed.append((var, var.upBound))
            var.upBound = 0
    remaining = max(1.0, options.time_limit_sec - (time.perf_counter() - started))
    stage2 = dataclasses.replace(
        options, time_limit_sec=remaining, gap=options.gap * options.roster.stage2_gap_factor
    )
    try:
        outcome = solve_plan(ShiftPlanModel(lp=lp, ctx=ctx.plan), stage2, start=start)
    finally:
        for var, up in fixed:
            var.upBound = up
    if not outcome.status.has_solution or outcome.objective is None:
        return None
    bound = min(bound, outcome.objective)
    gap = rel_gap(outcome.objective, bound)
    status = SolveStatus.OPTIMAL if gap <= options.gap + 1e-9 else SolveStatus.FEASIBLE
    model.stages = {
        "lp_sec": round(lp_sec, 3),
        "lp_bound": bound,
        "rounded_objective": rounded,
        "rounded_sec": round(rounded_sec, 3),
        "total_sec": round(time.perf_counter() - started, 3),
        **pta_stages,
    }
    return dataclasses.replace(
        outcome,
        status=status,
        bound=bound,
        gap=gap,
        solve_sec=time.perf_counter() - started,
    )


def _dive(
    model: RosterModel,
    options: SolverOptions,
    lp_values: dict[tuple[int, int], float],
    started: float,
    rounds: int,
) -> set[tuple[int, int]]:
    """LP diving: round the agents whose LP week is the most integral (``1 / rounds`` of them
    per round), fix their weeks, re-solve the LP relaxation for the others, and so on; the last
    round rounds every agent left. The LP re-solves let the agents not yet fixed cover what the
    fixed ones leave. A re-solve that does not finish keeps the previous LP values; once
    ``RosterParams.dive_late_share`` of the time limit is spent, every agent left is rounded at
    once."""
    ctx = model.ctx
    greedy = _greedy_weeks(ctx)
    left = list(range(len(ctx.agents)))
    chosen: set[tuple[int, int]] = set()
    saved = {key: (var.lowBound, var.upBound) for key, var in ctx.w.items()}
    per_round = max(1, math.ceil(len(left) / rounds))
    late_sec = options.roster.dive_late_share * options.time_limit_sec
    try:
        while left:
            weeks = _rounded_weeks(ctx, lp_values, left, greedy)
            late = time.perf_counter() - started > late_sec
            if late or len(left) <= per_round:
                take = left
            else:
                take = sorted(left, key=lambda a: -weeks[a][0])[:per_round]
            for a in take:
                week = set(weeks[a][1])
                chosen.update((a, v) for v in week)
                for v in ctx.by_agent.get(a, []):
                    var = ctx.w[a, v]
                    var.lowBound = var.upBound = 1.0 if v in week else 0.0
            taken = set(take)
            left = [a for a in left if a not in taken]
            if not left:
                break
            budget = late_sec - (time.perf_counter() - started)
            if budget < 1.0:
                continue
            if solve_lp_relaxation(model.lp, budget, options.threads) is not None:
                lp_values = {key: float(var.varValue or 0.0) for key, var in ctx.w.items()}
    finally:
        for key, var in ctx.w.items():
            var.lowBound, var.upBound = saved[key]
    return chosen


def rel_gap(objective: float, bound: float) -> float:
    return abs(objective - bound) / max(abs(objective), 1e-9) if objective else 0.0


def _warm_start(model: RosterModel, options: SolverOptions) -> tuple[dict | None, float]:
    """A complete starting solution: the greedy shifts fixed, everything else solved."""
    return complete_roster(model, options, greedy_roster(model.ctx), options.time_limit_sec)


def complete_roster(
    model: RosterModel, options: SolverOptions, chosen: set[tuple[int, int]], budget_sec: float
) -> tuple[dict | None, float]:
    """The model solved with the agent shifts ``chosen`` fixed to 1 and the others to 0 (breaks,
    queue split, soft terms free): a complete start (variable name -> value), or None."""
    ctx = model.ctx
    fixed = []
    for key, var in ctx.w.items():
        fixed.append((var, var.lowBound, var.upBound))
        value = 1.0 if key in chosen else 0.0
        var.lowBound = var.upBound = value
    params = options.roster
    quick = dataclasses.replace(
        options,
        time_limit_sec=max(1.0, min(params.complete_sec, params.complete_share * budget_sec)),
        gap=max(options.gap * params.complete_gap_factor, params.complete_min_gap),
    )
    try:
        outcome = solve_plan(ShiftPlanModel(lp=model.lp, ctx=ctx.plan), quick)
    finally:
        for var, low, up in fixed:
            var.lowBound, var.upBound = low, up
    if not outcome.status.has_solution:
        return None, outcome.solve_sec
    start = {var.name: float(var.value() or 0.0) for var in model.lp.variables()}
    return start, outcome.solve_sec
