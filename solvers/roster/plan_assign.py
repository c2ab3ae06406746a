"""Plan, then assign: a pooled shift plan, then agents assigned to its shifts."""

from __future__ import annotations

import dataclasses
import math
import time

import pulp

from solvers.highs import solve_lp_relaxation
from solvers.problem import UNIVERSAL
from solvers.roster.context import RosterContext
from solvers.roster.greedy import greedy_roster
from solvers.roster.model import _break_choices
from solvers.roster.rules import ROSTER_RULES
from solvers.roster.types import RosterModel
from solvers.rules import ModelContext
from solvers.shift_plan import (
    ShiftPlanModel,
)
from solvers.shift_plan import solve as solve_plan
from wfm.config import SolverOptions

# --------------------------------------------------------------------------- plan, then assign

#: Roster rules that only concern one agent's week (applied in the assignment model).
_WEEK_RULES = (
    "weekly_hours",
    "one_shift_per_day",
    "days_off",
    "min_rest",
    "max_consecutive_days",
    "paid_cost",
    "consecutive_days_off",
    "preferred_shifts",
    "preferred_days_off",
    "weekend_fairness",
)


def _shape(variant) -> tuple:
    """What coverage and pay see of a variant: day, start, length, paid minutes, breaks."""
    return (
        variant.day,
        variant.start,
        variant.length,
        variant.paid_minutes,
        tuple((b.paid, b.length_min, b.off) for b in variant.breaks),
    )


def _serves_all(outer, inner) -> bool:
    """Whether every queue of group ``inner`` is a skill of group ``outer``."""
    return UNIVERSAL in outer.skills or (
        UNIVERSAL not in inner.skills and set(inner.skills) <= set(outer.skills)
    )


def _plan_agent_caps(model: RosterModel, plan: ShiftPlanModel) -> None:
    """Per-group caps the agents' weeks put on a shift plan (valid for every roster):

    - paid hours: :math:`\\sum_v paid_v x_{v,g} \\le \\sum_{a \\in g} H^{max}_a`;
    - shifts: :math:`\\sum_v x_{v,g} \\le \\sum_{a \\in g} \\min(n_{work}, \\lfloor H^{max}_a /
      p^{min}_a \\rfloor)` with :math:`p^{min}_a` the agent's shortest paid shift;
    - per day ``d``: :math:`\\sum_{v \\text{ on } d} x_{v,g} \\le` the agents of ``g`` who may
      work on ``d``.
    """
    ctx = model.ctx
    problem = ctx.problem
    n_work = max(0, problem.n_days - problem.rules.days_off_per_week)
    hours: dict[int, float] = {}
    shifts: dict[int, int] = {}
    per_day: dict[tuple[int, int], int] = {}
    for a, agent in enumerate(ctx.agents):
        variants = ctx.by_agent.get(a, [])
        if not variants:
            continue
        g = agent.group
        hours[g] = hours.get(g, 0.0) + agent.max_hours_week
        shortest = min(ctx.variant(v).paid_minutes for v in variants) / 60
        most = n_work if shortest <= 0 else min(n_work, int(agent.max_hours_week / shortest + 1e-9))
        shifts[g] = shifts.get(g, 0) + most
        for d in {ctx.variant(v).day for v in variants}:
            per_day[g, d] = per_day.get((g, d), 0) + 1
    by_group: dict[int, list] = {}
    for (v, g), var in plan.ctx.x.items():
        by_group.setdefault(g, []).append((v, var))
    for g, items in by_group.items():
        name = problem.groups[g].name
        plan.lp.addConstraint(
            pulp.lpSum(problem.variants[v].paid_minutes / 60 * var for v, var in items)
            <= hours.get(g, 0.0),
            name=f"agent_hours_{name}",
        )
        plan.lp.addConstraint(
            pulp.lpSum(var for _v, var in items) <= shifts.get(g, 0), name=f"agent_shifts_{name}"
        )
        days: dict[int, list] = {}
        for v, var in items:
            days.setdefault(problem.variants[v].day, []).append(var)
        for d, variables in days.items():
            plan.lp.addConstraint(
                pulp.lpSum(variables) <= per_day.get((g, d), 0), name=f"agent_day_{name}_{d}"
            )


def _plan_demand(
    model: RosterModel,
    options: SolverOptions,
    budget_sec: float,
    stages: dict[str, float],
    able: dict[tuple[int, tuple], int],
    allowed: set[tuple],
) -> dict[tuple[int, tuple], float] | None:
    """Stage A of :func:`plan_then_assign`: the plan's shift counts per (group, shape)."""
    from solvers.shift_plan import build_model as build_plan

    problem = model.ctx.problem
    started = time.perf_counter()
    plan = build_plan(problem)
    for (v, g), var in plan.ctx.x.items():
        key = _shape(problem.variants[v])
        cap = able.get((g, key), 0) if key in allowed else 0
        var.upBound = cap if var.upBound is None else min(var.upBound, cap)
    for (v, _g, k, i), var in plan.ctx.b.items():
        if i not in _break_choices(
            problem.variants[v].breaks[k], model.options.break_step_min, problem
        ):
            var.upBound = 0
    _plan_agent_caps(model, plan)
    plan_lp = solve_lp_relaxation(plan.lp, max(1.0, 0.3 * budget_sec), options.threads)
    if plan_lp is not None:
        stages["plan_lp"] = plan_lp
        for var in plan.ctx.x.values():
            value = float(var.varValue or 0.0)
            var.lowBound = max(0, math.floor(value + 1e-6))
            var.upBound = max(var.lowBound, math.ceil(value - 1e-6))
    left = budget_sec - (time.perf_counter() - started)
    plan_options = dataclasses.replace(
        options, time_limit_sec=max(1.0, 0.5 * left), gap=min(options.gap, 0.002)
    )
    outcome = solve_plan(plan, plan_options)
    stages["plan_sec"] = round(time.perf_counter() - started, 3)
    if not outcome.status.has_solution:
        return None
    stages["plan_objective"] = float(outcome.objective or 0.0)
    demand: dict[tuple[int, tuple], int] = {}
    for (v, g), var in plan.ctx.x.items():
        count = round(float(var.varValue or 0.0))
        if count > 0:
            key = (g, _shape(problem.variants[v]))
            demand[key] = demand.get(key, 0) + count
    return demand


def plan_then_assign(
    model: RosterModel,
    options: SolverOptions,
    budget_sec: float,
    lp_values: dict[tuple[int, int], float] | None = None,
) -> tuple[set[tuple[int, int]] | None, dict[str, float]]:
    """A roster from the pooled shift plan (the primal heuristic of the two-stage solve).

    **Stage A, plan**: the shift-plan model (:func:`solvers.shift_plan.build_model`) of the same
    problem, restricted to the roster's variants and break starts, with ``x[v,g]`` at most the
    agents of group ``g`` whose rules allow ``v``, and the group head counts per interval and
    week; its optimum gives the counts :math:`c_{h,K}` of plan group ``h`` on shift shape ``K``
    (day, start, length, breaks).

    **Stage B, assign**: a transportation-like integer program over the agents: binaries
    ``w[a,v]`` only for the shapes the plan uses in a group the agent can stand in for (skills
    :math:`\\supseteq`), their starts one start step earlier or later, and the agent's greedy week
    (so that a week keeping every hard rule always exists); every agent rule of
    :mod:`solvers.roster.rules` (hours, one shift a day, days off, rest, consecutive days, paid
    cost, preferences, weekend fairness) is added unchanged. Continuous flows
    :math:`u_{g,K',h,K} \\ge 0` let agents of ``g`` on ``K'`` fill plan shifts ``(h, K)``:

    .. math::

        \\sum_{h,K} u_{g,K',h,K} \\le \\sum_{a \\in g} w_{a,K'}, \\qquad
        \\sum_{g,K'} u_{g,K',h,K} + m_{h,K} \\ge c_{h,K},

    with cost :math:`P |cover(K) \\setminus cover(K')|` per unit of flow and :math:`P |cover(K)|`
    per missed plan shift :math:`m_{h,K}` (``P`` the understaffing penalty per agent-interval).

    Returns the chosen ``(agent, variant)`` pairs (None when a stage finds nothing) and timings;
    the caller completes them (breaks, queue split) with the whole model, shifts fixed.
    """
    ctx = model.ctx
    problem = ctx.problem
    started = time.perf_counter()
    stages: dict[str, float] = {}
    allowed = {_shape(ctx.variant(v)) for v in ctx.variants}
    able: dict[tuple[int, tuple], int] = {}
    agent_shape: dict[tuple[int, tuple], int] = {}
    for a, agent in enumerate(ctx.agents):
        for v in ctx.by_agent.get(a, []):
            key = _shape(ctx.variant(v))
            agent_shape[a, key] = v
            able[agent.group, key] = able.get((agent.group, key), 0) + 1
    if lp_values is None:
        demand = _plan_demand(model, options, budget_sec, stages, able, allowed)
        if demand is None:
            return None, stages
    else:  # the LP relaxation's pooled counts as the plan
        demand = {}
        for (a, v), value in lp_values.items():
            if value > 1e-6:
                key = (ctx.agents[a].group, _shape(ctx.variant(v)))
                demand[key] = demand.get(key, 0.0) + value
        demand = {key: value for key, value in demand.items() if value > 0.05}
    stages["plan_paid_hours"] = sum(c * key[3] / 60 for (_g, key), c in demand.items())
    # stage B: candidate variants per agent
    step = max(
        1,
        round(
            (model.options.start_step_min or problem.interval_minutes) / problem.interval_minutes
        ),
    )
    by_place: dict[tuple, list[tuple]] = {}

    def place(key: tuple) -> tuple:  # day, length, paid, break kinds (not their positions)
        return (key[0], key[2], key[3], tuple(b[:2] for b in key[4]))

    for key in allowed:
        by_place.setdefault(place(key), []).append(key)
    near: dict[tuple, list[tuple]] = {}
    for _g, key in demand:
        if key not in near:
            near[key] = [k2 for k2 in by_place[place(key)] if abs(k2[1] - key[1]) <= step]
    greedy = greedy_roster(ctx)
    groups = problem.groups
    sub_by_agent: dict[int, list[int]] = {}
    for a, agent in enumerate(ctx.agents):
        keys = set()
        for h, key in demand:
            if _serves_all(groups[agent.group], groups[h]):
                keys.update(near[key])
        chosen = {agent_shape[a, k] for k in keys if (a, k) in agent_shape}
        chosen.update(v for aa, v in greedy if aa == a)
        sub_by_agent[a] = sorted(chosen)
    lp = pulp.LpProblem("roster_assign", pulp.LpMinimize)
    sub_plan = ModelContext(
        problem=problem, lp=lp, variants=ctx.variants, x={}, b={}, at_work={}, spans={}, a={}
    )
    sub = RosterContext(
        problem=problem,
        plan=sub_plan,
        agents=ctx.agents,
        variants=ctx.variants,
        day_names=ctx.day_names,
        start=ctx.start,
        end=ctx.end,
    )
    sub.by_agent = sub_by_agent
    supply: dict[tuple[int, tuple], list] = {}
    for a, variants in sub_by_agent.items():
        for v in variants:
            var = pulp.LpVariable(f"w_{a}_{v}", cat=pulp.LpBinary)
            sub.w[a, v] = var
            supply.setdefault((ctx.agents[a].group, _shape(ctx.variant(v))), []).append(var)
    for rule in ROSTER_RULES:
        if rule.name in _WEEK_RULES and rule.add is not None:
            rule.add(sub)
    weight = problem.rules.understaff_penalty
    covers = {key: set(problem.variants[agent_shape[a, key]].cover) for (a, key) in agent_shape}
    flows_out: dict[tuple[int, tuple], list] = {}
    extra = []
    for (h, key), count in demand.items():
        into = []
        for (g, k2), _vars in supply.items():
            if k2 not in near[key] or not _serves_all(groups[g], groups[h]):
                continue
            u = pulp.LpVariable(f"u_{len(extra)}", lowBound=0)
            extra.append((u, weight * len(covers[key] - covers[k2])))
            into.append(u)
            flows_out.setdefault((g, k2), []).append(u)
        miss = pulp.LpVariable(f"miss_{h}_{key[0]}_{key[1]}_{len(extra)}", lowBound=0)
        extra.append((miss, weight * len(covers[key])))
        lp.addConstraint(pulp.lpSum(into) + miss >= count)
    for key, flows in flows_out.items():
        lp.addConstraint(pulp.lpSum(flows) <= pulp.lpSum(supply[key]))
    lp += pulp.LpAffineExpression(
        [(p.var, p.weight) for p in sub_plan.penalties if isinstance(p.var, pulp.LpVariable)]
        + extra
    ) + pulp.lpSum(
        p.weight * p.var for p in sub_plan.penalties if not isinstance(p.var, pulp.LpVariable)
    )
    left = budget_sec - (time.perf_counter() - started)
    assign_options = dataclasses.replace(
        options, time_limit_sec=max(1.0, 0.5 * left), gap=min(options.gap, 0.002)
    )
    assigned = time.perf_counter()
    sub_model = ShiftPlanModel(lp=lp, ctx=sub_plan)
    # a complete start: the greedy weeks fixed, the rest (flows, misses, soft terms) solved
    for key, var in sub.w.items():
        var.lowBound = var.upBound = 1.0 if key in greedy else 0.0
    first = solve_plan(
        sub_model, dataclasses.replace(assign_options, time_limit_sec=max(1.0, 0.2 * left))
    )
    start = None
    if first.status.has_solution:
        start = {var.name: float(var.varValue or 0.0) for var in lp.variables()}
    for var in sub.w.values():
        var.lowBound, var.upBound = 0, 1
    result = solve_plan(sub_model, assign_options, start=start)
    stages["assign_sec"] = round(time.perf_counter() - assigned, 3)
    stages["assign_variables"] = len(sub.w)
    if not result.status.has_solution:
        return None, stages
    picked = {key for key, var in sub.w.items() if (var.varValue or 0.0) > 0.5}
    stages["assign_objective"] = float(result.objective or 0.0)
    stages["assign_bound"] = float(result.bound or 0.0)
    stages["assign_missed"] = sum(
        float(var.varValue or 0.0) for var, _ in extra if var.name.startswith("miss")
    )
    stages["missed_plan_shifts"] = stages.pop("assign_missed")
    return picked, stages
