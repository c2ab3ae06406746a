"""Agent weeks without a solver: the greedy roster and the LP-rounded roster."""

from __future__ import annotations

import math

import numpy as np

from solvers.roster.context import AgentInfo, RosterContext
from solvers.week_rules import WeekRules


def lp_rounded_roster(
    ctx: RosterContext, lp_values: dict[tuple[int, int], float], per_day: int = 3
) -> set[tuple[int, int]]:
    """Round an LP roster agent by agent: each agent's week of largest :math:`\\sum_v \\bar
    w_{a,v}` that keeps their hard rules (see :func:`_rounded_weeks`)."""
    weeks = _rounded_weeks(ctx, lp_values, range(len(ctx.agents)), _greedy_weeks(ctx), per_day)
    return {(a, v) for a, (_score, week) in weeks.items() for v in week}


def _greedy_weeks(ctx: RosterContext) -> dict[int, dict[int, int]]:
    """The greedy roster (:func:`greedy_roster`) as agent -> day -> variant."""
    out: dict[int, dict[int, int]] = {}
    for a, v in greedy_roster(ctx):
        out.setdefault(a, {})[ctx.variant(v).day] = v
    return out


def _rounded_weeks(
    ctx: RosterContext,
    lp_values: dict[tuple[int, int], float],
    agents,
    greedy: dict[int, dict[int, int]],
    per_day: int = 3,
) -> dict[int, tuple[float, list[int]]]:
    """Per agent, in order of fewest shift options first: the week of largest value that keeps
    every hard agent rule (one shift a day, weekly hours, days off, maximum consecutive days,
    minimum rest, cyclic wrap included), and its score (mean LP value of its shifts, 1 for a
    week of integral ones).

    Value of a shift ``v`` for agent ``a`` of group ``g``: :math:`\\min(1, \\max(0, R_{g,v})) +
    0.1 \\bar w_{a,v}` where :math:`R_{g,v}` is the LP's pooled count :math:`\\sum_{a' \\in g}
    \\bar w_{a',v}` over the agents being rounded, less the agents of ``g`` already given ``v``:
    agents of one group are interchangeable for coverage, so this deals the LP's shift plan out
    to them (symmetric agents get identical, spread LP values from an interior point; rounding
    each alone would give them all the same shift).

    Candidates per day: the ``per_day`` variants of largest value and the greedy week's shift
    of that day, so the greedy week is always a candidate. An agent with no such week keeps the
    greedy week (score 0).
    """
    problem = ctx.problem
    rest = round(problem.rules.min_rest_hours * 60 / problem.interval_minutes)
    agents = sorted(agents, key=lambda a: len(ctx.by_agent.get(a, [])))
    pooled: dict[tuple[int, int], float] = {}
    for a in agents:
        g = ctx.agents[a].group
        for v in ctx.by_agent.get(a, []):
            pooled[g, v] = pooled.get((g, v), 0.0) + lp_values.get((a, v), 0.0)
    out: dict[int, tuple[float, list[int]]] = {}
    for a in agents:
        agent = ctx.agents[a]
        g = agent.group
        options: list[list[tuple[float, int]]] = [[] for _ in range(problem.n_days)]
        for v in ctx.by_agent.get(a, []):
            value = min(1.0, max(0.0, pooled[g, v])) + 0.1 * lp_values.get((a, v), 0.0)
            options[ctx.variant(v).day].append((value, v))
        for d in range(problem.n_days):
            keep = sorted(options[d], reverse=True)[:per_day]
            fallback = greedy.get(a, {}).get(d)
            if fallback is not None and all(v != fallback for _, v in keep):
                keep.append((0.0, fallback))
            options[d] = keep
        week = _best_week(ctx, agent, options, rest)
        if week is None:
            out[a] = (0.0, list(greedy.get(a, {}).values()))
        else:
            value = sum(lp_values.get((a, v), 0.0) for v in week)
            out[a] = (value / len(week) if week else 1.0, week)
        for v in out[a][1]:
            pooled[g, v] = pooled.get((g, v), 0.0) - 1.0
    return out


def _best_week(
    ctx: RosterContext,
    agent: AgentInfo,
    options: list[list[tuple[float, int]]],
    rest: int,
) -> list[int] | None:
    """The agent's week (one of ``options[d]`` or off each day) of largest value that keeps
    weekly hours, days off, consecutive days and ``rest`` intervals between shifts (the
    rules of :mod:`solvers.roster.rules`, cyclic wrap included); None when none does."""
    problem = ctx.problem
    n_days = problem.n_days
    best_after = [0.0] * (n_days + 1)
    for d in range(n_days - 1, -1, -1):
        top = max((val for val, _ in options[d]), default=0.0)
        best_after[d] = best_after[d + 1] + max(0.0, top)
    rules = WeekRules.from_context(ctx)
    best: list = [None]
    picked: list[int | None] = []

    def week_ok() -> bool:
        week = {d: v for d, v in enumerate(picked) if v is not None}
        return rules.ok(week, agent.min_hours_week, agent.max_hours_week)

    def search(d: int, hours: float, value: float, last: int | None) -> None:
        if hours > agent.max_hours_week + 1e-9:
            return
        if best[0] is not None and value + best_after[d] <= best[0][0] + 1e-12:
            return
        if d == n_days:
            if hours >= agent.min_hours_week - 1e-9 and week_ok():
                best[0] = (value, [v for v in picked if v is not None])
            return
        for val, v in options[d]:
            if last is not None and ctx.start[v] < ctx.end[last] + rest:
                continue
            picked.append(v)
            search(d + 1, hours + ctx.variant(v).paid_minutes / 60, value + val, v)
            picked.pop()
        picked.append(None)
        search(d + 1, hours, value, last)
        picked.pop()

    search(0, 0.0, 0.0, None)
    return None if best[0] is None else best[0][1]


def greedy_roster(ctx: RosterContext) -> set[tuple[int, int]]:
    """A roster that keeps every hard agent rule, built agent by agent (fewest options first).

    Each agent takes one shift (template, start clock, length) on a set of days: the shift and
    days that cover the most remaining live requirement (weighted by queue priority) with the
    agent's skills, keeping the weekly hours, days off, consecutive days and (same start every
    day, so at least ``24 h - length``) the rest between shifts. Used as the solver's start.
    """
    problem = ctx.problem
    n = problem.n_intervals
    rest_needed = problem.rules.min_rest_hours * 60
    residual = {
        q: np.array(queue.required, dtype=float) * queue.priority
        for q, queue in enumerate(problem.queues)
        if queue.kind == "live"
    }
    n_work = max(0, problem.n_days - problem.rules.days_off_per_week)
    m = problem.rules.max_consecutive_days
    chosen: set[tuple[int, int]] = set()
    order = sorted(range(len(ctx.agents)), key=lambda a: len(ctx.by_agent.get(a, [])))
    for a in order:
        agent = ctx.agents[a]
        group = problem.groups[agent.group]
        skills = [q for q in residual if group.serves(problem.queues[q].name)]
        families: dict[tuple, dict[int, int]] = {}
        for v in ctx.by_agent.get(a, []):
            variant = ctx.variant(v)
            if 1440 - variant.length_min < rest_needed:
                continue
            key = (variant.template, variant.start_clock_min, variant.length_min)
            families.setdefault(key, {})[variant.day] = v
        best = None
        for per_day in families.values():
            paid = ctx.variant(next(iter(per_day.values()))).paid_minutes / 60
            most = min(n_work, int((agent.max_hours_week + 1e-9) // paid)) if paid else 0
            least = math.ceil(agent.min_hours_week / paid - 1e-9) if paid else 0
            if most < max(least, 1):
                continue
            values = {}
            for d, v in per_day.items():
                cover = list(ctx.variant(v).core() or ctx.variant(v).cover)
                if skills:
                    stack = np.vstack([np.minimum(residual[q][cover], 1.0) for q in skills])
                    values[d] = float(stack.max(axis=0).sum())
                else:
                    values[d] = 0.0
            days = _pick_days(values, most, least, m, problem.n_days, problem.cyclic)
            if days is None:
                continue
            score = sum(values[d] for d in days) - 1e-3 * paid * len(days)
            if best is None or score > best[0]:
                best = (score, [per_day[d] for d in days])
        if best is None:
            best = _mixed_week(ctx, a, skills, residual, n_work, m)
        if best is None:
            continue
        for v in best[1]:
            chosen.add((a, v))
            variant = ctx.variant(v)
            for t in variant.core() or variant.cover:
                if skills and t < n:
                    q = max(skills, key=lambda q: residual[q][t])
                    residual[q][t] -= problem.queues[q].priority
    return chosen


def _mixed_week(
    ctx: RosterContext, a: int, skills: list[int], residual: dict, n_work: int, m: int
) -> tuple[float, list[int]] | None:
    """Fallback of :func:`greedy_roster` for an agent no single repeated shift fits (e.g. 24 h
    as 4 + 5 + 5 + 5 + 5): a depth-first search over the days, each off or one of the day's best
    shift per paid length, keeping hours, days, consecutive days and rest (:class:`WeekRules`,
    the cyclic week's wrap included)."""
    problem = ctx.problem
    agent = ctx.agents[a]
    rest = round(problem.rules.min_rest_hours * 60 / problem.interval_minutes)
    options: dict[int, list[tuple[float, int]]] = {}
    for v in ctx.by_agent.get(a, []):
        variant = ctx.variant(v)
        cover = list(variant.core() or variant.cover)
        value = (
            float(
                np.vstack([np.minimum(residual[q][cover], 1.0) for q in skills]).max(axis=0).sum()
            )
            if skills
            else 0.0
        )
        options.setdefault(variant.day, []).append((value, v))
    per_day = []
    for d in range(problem.n_days):
        by_length: dict[float, tuple[float, int]] = {}
        for value, v in options.get(d, []):
            paid = ctx.variant(v).paid_minutes
            if paid not in by_length or value > by_length[paid][0]:
                by_length[paid] = (value, v)
        per_day.append(sorted(by_length.values(), reverse=True))
    best: list = [None]
    rules = WeekRules.from_context(ctx)

    def search(d: int, hours: float, days: int, run: int, last_end: int | None, picked, value):
        if hours > agent.max_hours_week + 1e-9 or days > n_work or run > m:
            return
        if d == problem.n_days:
            better = best[0] is None or value > best[0][0]
            if better and rules.ok(
                {ctx.variant(v).day: v for v in picked},
                agent.min_hours_week,
                agent.max_hours_week,
            ):
                best[0] = (value, list(picked))
            return
        search(d + 1, hours, days, 0, last_end, picked, value)
        for val, v in per_day[d]:
            if last_end is not None and ctx.start[v] < last_end + rest:
                continue
            picked.append(v)
            search(
                d + 1,
                hours + ctx.variant(v).paid_minutes / 60,
                days + 1,
                run + 1,
                ctx.end[v],
                picked,
                value + val,
            )
            picked.pop()

    search(0, 0.0, 0, 0, None, [], 0.0)
    return best[0]


def _pick_days(
    values: dict[int, float], most: int, least: int, m: int, n_days: int, cyclic: bool
) -> list[int] | None:
    """The best-valued days (as many as worth it, between ``least`` and ``most``) with no more
    than ``m`` in a row; None when no such set exists."""
    ranked = sorted(values, key=lambda d: -values[d])
    days: list[int] = []
    for d in ranked:
        if len(days) >= most:
            break
        if len(days) >= least and values[d] <= 0:
            break
        trial = sorted([*days, d])
        if _longest_run(trial, n_days, cyclic) <= m:
            days = trial
    return days if len(days) >= least else None


def _longest_run(days: list[int], n_days: int, cyclic: bool) -> int:
    worked = [d in days for d in range(n_days)]
    seq = worked + worked if cyclic else worked
    best = run = 0
    for w in seq:
        run = run + 1 if w else 0
        best = max(best, run)
    return min(best, n_days)
