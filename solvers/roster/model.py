"""The roster integer program: agents and variants from the problem, :func:`build_model`."""

from __future__ import annotations

import dataclasses
import math
import re

import pandas as pd
import pulp

from solvers.problem import UNIVERSAL, ScheduleProblem, groups_from_agents
from solvers.roster.context import AgentInfo, RosterContext
from solvers.roster.rules import ROSTER_RULES
from solvers.roster.types import RosterModel, RosterOptions
from solvers.rules import ModelContext
from wfm.axis import DAY_NAMES
from wfm.errors import InputError

# --------------------------------------------------------------------------- inputs


def _tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(s.strip() for s in str(value).split("|") if s.strip())


def _skill_key(skills: tuple[str, ...], queue_names: tuple[str, ...]) -> tuple[str, ...]:
    """The skill-set key of :func:`solvers.problem.groups_from_agents` (sorted; ``*`` if all)."""
    items = tuple(sorted(set(skills)))
    if UNIVERSAL in items or set(queue_names) <= set(items):
        return (UNIVERSAL,)
    return items


def roster_agents(problem: ScheduleProblem) -> tuple[ScheduleProblem, list[AgentInfo]]:
    """The problem with one group per skill set of its agents, and the agents as
    :class:`AgentInfo` (group index, hours, rate, availability, preferences)."""
    frame = problem.agents
    if frame is None or len(frame) == 0:
        raise InputError("a roster needs agents (the agents file is empty)", column="agent_id")
    queue_names = tuple(q.name for q in problem.queues)
    groups = groups_from_agents(frame, queue_names)
    index = {g.skills: k for k, g in enumerate(groups)}
    agents = []
    for i, row in enumerate(frame.to_dict("records")):
        skills = _tuple(row.get("skills"))
        days = _tuple(row.get("available_days")) or DAY_NAMES
        begin = row.get("available_from_min", 0)
        end = row.get("available_until_min", 1440)
        begin = 0 if begin is None or pd.isna(begin) else int(begin)
        end = 1440 if end is None or pd.isna(end) else int(end)
        agents.append(
            AgentInfo(
                index=i,
                agent_id=str(row["agent_id"]),
                name=str(row.get("name", row["agent_id"])),
                team=str(row.get("team", "") or ""),
                skills=skills,
                group=index[_skill_key(skills, queue_names)],
                min_hours_week=float(row.get("min_hours_week", 0) or 0),
                max_hours_week=float(row.get("max_hours_week", 168) or 0),
                cost_per_hour=float(row.get("cost_per_hour", 0) or 0),
                available_days=days,
                available_from_min=begin,
                available_until_min=end,
                preferred_shifts=_tuple(row.get("preferred_shifts")),
                preferred_days_off=_tuple(row.get("preferred_days_off")),
            )
        )
    return problem.replace(groups=groups), agents


def roster_variants(problem: ScheduleProblem, start_step_min: int | None) -> list[int]:
    """Indices of the variants a roster uses: per template and day, the starts every
    ``start_step_min`` from the earliest (and the latest start), all lengths."""
    if not start_step_min:
        return list(range(len(problem.variants)))
    iv = problem.interval_minutes
    starts: dict[tuple[str, int], list[int]] = {}
    for variant in problem.variants:
        starts.setdefault((variant.template, variant.day), []).append(_raw_start(problem, variant))
    keep_starts: dict[tuple[str, int], set[int]] = {}
    for key, values in starts.items():
        ordered = sorted(set(values))
        first = ordered[0]
        step = max(1, round(start_step_min / iv))
        keep = {p for p in ordered if (p - first) % step == 0}
        keep.add(ordered[-1])
        keep_starts[key] = keep
    return [
        v
        for v, variant in enumerate(problem.variants)
        if _raw_start(problem, variant) in keep_starts[variant.template, variant.day]
    ]


def _raw_start(problem: ScheduleProblem, variant) -> int:
    """The variant's start position, unwrapped (>= the start of its day)."""
    start = variant.start
    if problem.cyclic and start < problem.day_starts[variant.day]:
        start += problem.n_intervals
    return start


# --------------------------------------------------------------------------- model


def build_model(problem: ScheduleProblem, options: RosterOptions | None = None) -> RosterModel:
    """Build the roster integer program of ``problem`` (rules: ``ROSTER_RULES``).

    Raises
    ------
    InputError
        When the problem has no agents, or an agent cannot reach their minimum weekly hours with
        the shifts their availability allows.
    """
    options = options or RosterOptions()
    if options.method is None:
        options = dataclasses.replace(options, method=problem.solver.roster_method)
    problem, agents = roster_agents(problem)
    label = re.sub(r"\W+", "_", problem.name) or "week"
    lp = pulp.LpProblem(f"roster_{label}", pulp.LpMinimize)
    variants = roster_variants(problem, options.start_step_min)
    plan = ModelContext(
        problem=problem, lp=lp, variants=variants, x={}, b={}, at_work={}, spans={}, a={}
    )
    ctx = RosterContext(
        problem=problem,
        plan=plan,
        agents=agents,
        variants=variants,
        day_names=[DAY_NAMES[problem.axis[p].weekday()] for p in problem.day_starts],
    )
    for v in variants:
        variant = problem.variants[v]
        ctx.start[v] = _raw_start(problem, variant)
        ctx.end[v] = ctx.start[v] + variant.length
    filters = [rule.allows for rule in ROSTER_RULES if rule.allows is not None]
    members: dict[tuple[int, int], list[pulp.LpVariable]] = {}
    for a, agent in enumerate(agents):
        best: dict[tuple, tuple[float, int]] = {}
        for v in variants:
            if not all(allows(ctx, agent, v) for allows in filters):
                continue
            variant = problem.variants[v]
            key = (
                variant.day,
                variant.start,
                variant.length,
                variant.paid_minutes,
                tuple((b.paid, b.length_min, b.off) for b in variant.breaks),
            )
            price = _agent_price(ctx, agent, v)
            if key not in best or price < best[key][0]:
                best[key] = (price, v)
        chosen = sorted(v for _, v in best.values())
        _check_min_hours(ctx, agent, chosen)
        ctx.by_agent[a] = chosen
        for v in chosen:
            var = pulp.LpVariable(f"w_{a}_{v}", cat=pulp.LpBinary)
            ctx.w[a, v] = var
            members.setdefault((agent.group, v), []).append(var)
    terms: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
    for (g, v), variables in sorted(members.items(), key=lambda item: (item[0][1], item[0][0])):
        variant = problem.variants[v]
        x = pulp.LpVariable(f"x_{v}_{g}", lowBound=0, upBound=len(variables))
        plan.x[v, g] = x
        plan.upper[v, g] = len(variables)
        lp.addConstraint(x == pulp.lpSum(variables), name=f"pool_{v}_{g}")
        for t in variant.cover:
            terms.setdefault((g, t), []).append((x, 1.0))
        for k, option in enumerate(variant.breaks):
            for i in _break_choices(option, options.break_step_min, problem):
                placement = option.off[i]
                bvar = pulp.LpVariable(
                    f"b_{v}_{g}_{k}_{i}", lowBound=0, upBound=len(variables), cat=pulp.LpInteger
                )
                plan.b[v, g, k, i] = bvar
                for t, share in placement:
                    terms.setdefault((g, t), []).append((bvar, -share))
    plan.at_work = {key: pulp.LpAffineExpression(items) for key, items in terms.items()}
    for rule in ROSTER_RULES:
        if rule.add is not None:
            rule.add(ctx)
    # break starts left out by break_step_min: zero placeholders (in no constraint) so that
    # the shift-plan read-back finds every (variant, group, rule, start)
    for (v, g), _x in list(plan.x.items()):
        for k, option in enumerate(problem.variants[v].breaks):
            for i in range(len(option.starts)):
                if (v, g, k, i) not in plan.b:
                    plan.b[v, g, k, i] = pulp.LpVariable(f"b0_{v}_{g}_{k}_{i}", 0, 0)
    # one coefficient per variable: a shift's cost and its preference penalty add up
    weights: dict[str, list] = {}
    for p in plan.penalties:
        if isinstance(p.var, pulp.LpVariable):
            entry = weights.setdefault(p.var.name, [p.var, 0.0])
            entry[1] += p.weight
    lp += pulp.LpAffineExpression([(var, w) for var, w in weights.values()]) + pulp.lpSum(
        p.weight * p.var for p in plan.penalties if not isinstance(p.var, pulp.LpVariable)
    )
    return RosterModel(ctx=ctx, options=options)


def _break_choices(option, step_min: int | None, problem: ScheduleProblem) -> list[int]:
    """Indices of the break starts a roster uses: every ``step_min`` from the first, the last."""
    count = len(option.starts)
    if not step_min or count <= 2:
        return list(range(count))
    step = max(1, round(step_min / problem.interval_minutes))
    return sorted({*range(0, count, step), count - 1})


def _agent_price(ctx: RosterContext, agent: AgentInfo, v: int) -> float:
    """What one shift costs the objective for this agent alone (rate + preference penalty)."""
    variant = ctx.variant(v)
    price = (
        agent.cost_per_hour * variant.paid_minutes / 60 if agent.cost_per_hour > 0 else variant.cost
    )
    if ctx.off_preference(agent, v):
        price += ctx.problem.rules.preference_penalty
    return price


def _check_min_hours(ctx: RosterContext, agent: AgentInfo, variants: list[int]) -> None:
    """Fail early, naming the agent, when their minimum hours cannot fit their availability."""
    if agent.min_hours_week <= 0:
        return
    best: dict[int, float] = {}
    for v in variants:
        variant = ctx.variant(v)
        best[variant.day] = max(best.get(variant.day, 0.0), variant.paid_minutes / 60)
    n_work = max(0, ctx.problem.n_days - ctx.problem.rules.days_off_per_week)
    most = sum(sorted(best.values(), reverse=True)[:n_work])
    if most + 1e-9 < agent.min_hours_week:
        raise InputError(
            f"agent {agent.agent_id} cannot reach min_hours_week {agent.min_hours_week:g}: "
            f"the shifts their availability allows give at most {most:g} paid hours in this week",
            column="min_hours_week",
        )
