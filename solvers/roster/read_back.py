"""Reading a solved roster model back: shifts, breaks, per-agent queue time."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pulp

from solvers.problem import ScheduleProblem
from solvers.roster.context import RosterContext
from solvers.roster.shortfalls import _shortfalls
from solvers.roster.types import (
    _AGENT_RULES,
    _EPS,
    AgentShift,
    AgentViolation,
    RosterModel,
    RosterResult,
)
from solvers.shift_plan import (
    ShiftPlanModel,
    ShiftPlanResult,
    SolveOutcome,
    coverage_frame,
)
from solvers.shift_plan import read_result as read_plan

# --------------------------------------------------------------------------- read back


def _value(var) -> float:
    value = var.value() if isinstance(var, pulp.LpVariable) else pulp.value(var)
    return float(value or 0.0)


def read_result(model: RosterModel, outcome: SolveOutcome) -> RosterResult:
    """Per-agent shifts, breaks and queue time of a solve, with coverage, bent rules, shortfalls."""
    ctx = model.ctx
    problem = ctx.problem
    size = model.size()
    agents = tuple(ctx.agents)
    if not outcome.status.has_solution:
        return RosterResult(problem, outcome, agents=agents, model_size=size)
    plan = read_plan(ShiftPlanModel(lp=model.lp, ctx=ctx.plan), outcome)
    shifts = _deal_breaks(ctx, plan)
    at_work, _breaks_at = _at_work(ctx, shifts)
    assignment = _split(ctx, plan, shifts, at_work)
    coverage = coverage_frame(problem, assignment, ctx.plan)
    violations = tuple(v for v in plan.violations if v.rule not in _AGENT_RULES)
    agent_violations = []
    for a, penalty in ctx.agent_penalties:
        if penalty.rule == "paid_cost":
            continue
        amount = _value(penalty.var)
        if amount > _EPS:
            var_name = penalty.var.name if isinstance(penalty.var, pulp.LpVariable) else ""
            match = re.match(r"w_\d+_(\d+)$", var_name)
            day = ctx.day_names[ctx.variant(int(match.group(1))).day] if match else None
            agent_violations.append(
                AgentViolation(
                    penalty.rule,
                    ctx.agents[a].agent_id,
                    amount,
                    penalty.unit,
                    amount * penalty.weight,
                    day,
                )
            )
    result = RosterResult(
        problem=problem,
        outcome=outcome,
        agents=agents,
        shifts=shifts,
        assignment=assignment,
        at_work=at_work,
        coverage=coverage,
        violations=violations,
        agent_violations=tuple(agent_violations),
        objective_terms=dict(plan.objective_terms),
        model_size=size,
    )
    return dataclasses.replace(result, shortfalls=_shortfalls(ctx, result))


def _deal_breaks(ctx: RosterContext, plan: ShiftPlanResult) -> tuple[AgentShift, ...]:
    """Each agent's shift and the break starts dealt out of the pooled break counts."""
    on: dict[tuple[int, int], list[int]] = {}
    for (a, v), var in ctx.w.items():
        if _value(var) > 0.5:
            on.setdefault((ctx.agents[a].group, v), []).append(a)
    counts = {}
    for (v, g), var in ctx.plan.x.items():
        counts[v, g] = round(_value(var))
    shifts = []
    for (g, v), members in sorted(on.items(), key=lambda item: (item[0][1], item[0][0])):
        members.sort()
        variant = ctx.variant(v)
        dealt = []
        for k in range(len(variant.breaks)):
            starts = []
            for i in range(len(variant.breaks[k].starts)):
                if (v, g, k, i) in ctx.plan.b:
                    starts += [i] * round(_value(ctx.plan.b[v, g, k, i]))
            if len(starts) != len(members):
                raise RuntimeError(
                    f"break counts ({len(starts)}) differ from agents ({len(members)}) on {v}"
                )
            dealt.append(starts)
        for j, a in enumerate(members):
            shifts.append(AgentShift(a, ctx.agents[a].agent_id, v, tuple(s[j] for s in dealt)))
    return tuple(sorted(shifts, key=lambda s: (s.agent, ctx.start[s.variant])))


def _break_pieces(
    problem: ScheduleProblem, shift: AgentShift, start: int
) -> list[tuple[int, float, int]]:
    """``(raw position, share, break rule k)`` of the shift's breaks, unwrapped."""
    variant = problem.variants[shift.variant]
    iv = problem.interval_minutes
    n = problem.n_intervals
    out = []
    for k, i in enumerate(shift.breaks):
        option = variant.breaks[k]
        begin = option.starts[i]
        raw = start + (begin - start) % n if problem.cyclic else begin
        n_full, rest = divmod(option.length_min, iv)
        shares = [1.0] * n_full + ([rest / iv] if rest else [])
        out += [(raw + j, share, k) for j, share in enumerate(shares)]
    return out


def _at_work(ctx: RosterContext, shifts: tuple[AgentShift, ...]) -> tuple[np.ndarray, dict]:
    problem = ctx.problem
    n = problem.n_intervals
    at_work = np.zeros((len(ctx.agents), n))
    breaks_at: dict[tuple[int, int], float] = {}
    for s in shifts:
        start = ctx.start[s.variant]
        for p in range(start, ctx.end[s.variant]):
            pos = p % n if problem.cyclic else p
            if pos < n:
                at_work[s.agent, pos] += 1.0
        for p, share, _k in _break_pieces(problem, s, start):
            pos = p % n if problem.cyclic else p
            if pos < n:
                at_work[s.agent, pos] -= share
                breaks_at[s.agent, pos] = breaks_at.get((s.agent, pos), 0.0) + share
    return at_work, breaks_at


def _split(
    ctx: RosterContext, plan: ShiftPlanResult, shifts: tuple[AgentShift, ...], at_work: np.ndarray
) -> np.ndarray:
    """Share each group's queue time ``a[g,q,t]`` out between its agents at work (greedy
    transport: keep last interval's queue, then north-west corner); idle time goes to a queue
    the agent is skilled for (overstaffing there)."""
    problem = ctx.problem
    n, n_queues = problem.n_intervals, len(problem.queues)
    out = np.zeros((len(ctx.agents), n_queues, n))
    by_group: dict[int, list[int]] = {}
    for agent in ctx.agents:
        by_group.setdefault(agent.group, []).append(agent.index)
    pooled = plan.assignment
    for g, members in by_group.items():
        group = problem.groups[g]
        served = [q for q, queue in enumerate(problem.queues) if group.serves(queue.name)]
        if not served:
            continue
        live = [q for q in served if problem.queues[q].kind == "live"]
        previous: dict[int, int] = {}
        for t in range(n):
            working = [a for a in members if at_work[a, t] > _EPS]
            if not working:
                previous.clear()
                continue
            capacity = {a: float(at_work[a, t]) for a in working}
            demand = {q: max(0.0, float(pooled[g, q, t])) for q in served}
            total_d, total_c = sum(demand.values()), sum(capacity.values())
            if total_d > total_c:
                demand = {q: d * total_c / total_d for q, d in demand.items()}
            for a in working:  # keep the queue of the previous interval
                q = previous.get(a)
                if q is not None and demand.get(q, 0.0) > _EPS:
                    take = min(capacity[a], demand[q])
                    out[a, q, t] += take
                    capacity[a] -= take
                    demand[q] -= take
            for q in served:  # north-west corner for the rest
                for a in working:
                    if demand[q] <= _EPS:
                        break
                    take = min(capacity[a], demand[q])
                    if take > 0:
                        out[a, q, t] += take
                        capacity[a] -= take
                        demand[q] -= take
            open_live = [q for q in live if (g, q, t) in ctx.plan.a]
            fallback = (open_live or live or served)[0]
            for a in working:
                if capacity[a] > _EPS:
                    q = previous.get(a, fallback) if previous.get(a) in served else fallback
                    out[a, q, t] += capacity[a]
                    capacity[a] = 0.0
                previous[a] = int(np.argmax(out[a, :, t]))
    return out
