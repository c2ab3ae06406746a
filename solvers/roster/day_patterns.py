"""Agents' working days: neighbouring days of the week (:func:`day_pairs`), whether days off
fall together (:func:`off_together`), and the working-day patterns cut (:func:`day_patterns`)."""

from __future__ import annotations

from itertools import combinations

import pulp

from solvers.roster.context import RosterContext
from solvers.week_rules import WeekRules

__all__ = ["MAX_PATTERN_DAYS", "day_pairs", "day_patterns", "off_together"]


def day_pairs(n_days: int, cyclic: bool) -> list[tuple[int, int]]:
    """Neighbouring days ``(d, d + 1)``, and the last and first day in a cyclic week."""
    return [(d, d + 1) for d in range(n_days - 1)] + ([(n_days - 1, 0)] if cyclic else [])


def off_together(off: set[int], n_days: int, cyclic: bool) -> bool:
    """Whether two of the days ``off`` are neighbours (what the days-off penalty asks for)."""
    return any(d1 in off and d2 in off for d1, d2 in day_pairs(n_days, cyclic))


#: Beyond this many days the working-day patterns (2^days) are not enumerated.
MAX_PATTERN_DAYS = 10


def _patterns(ctx: RosterContext, a: int, days: list[int]) -> list[tuple[int, ...]]:
    """The sets of working days agent ``a`` may have: at most ``days - days_off_per_week`` of
    ``days``, no ``max_consecutive_days + 1`` in a row, and weekly hours reachable (the longest
    paid shift of each day reaches the minimum, the shortest stays under the maximum)."""
    agent = ctx.agents[a]
    longest: dict[int, float] = {}
    shortest: dict[int, float] = {}
    for v in ctx.by_agent[a]:
        d, paid = ctx.variant(v).day, ctx.variant(v).paid_minutes / 60
        longest[d] = max(longest.get(d, 0.0), paid)
        shortest[d] = min(shortest.get(d, paid), paid)
    rules = WeekRules.from_context(ctx)
    patterns = []
    for k in range(min(len(days), rules.work_limit) + 1):
        for week in combinations(days, k):
            if sum(longest[d] for d in week) < agent.min_hours_week - 1e-9:
                continue
            if sum(shortest[d] for d in week) > agent.max_hours_week + 1e-9:
                continue
            if not rules.days_ok(week):
                continue
            patterns.append(week)
    return patterns


def day_patterns(ctx: RosterContext) -> None:
    """Working-day patterns (a tighter formulation, valid for every roster): each agent's week
    is a convex combination of the sets of days ``P`` it may work, ``sum_P z[a,P] = 1``,
    ``y[a,d] = sum_{P contains d} z[a,P]``, and ``miss[a] >= sum_{P, no two days off together}
    z[a,P]``. With integer ``y`` exactly one ``z`` is 1, so no roster is cut off; the LP can no
    longer spread an agent's days off so that every pair looks half off (the pair formulation
    of ``consecutive_days_off`` charges nothing for ``y = 5/7`` every day, although no such
    mix of weeks with days off together exists). This is the convex hull of each agent's
    day-level rules (days off, maximum consecutive days, the days-off penalty), so it raises
    the LP bound (measured effect: docs/solver.md). Skipped for planning periods over
    ``MAX_PATTERN_DAYS`` days."""
    problem = ctx.problem
    n_days = problem.n_days
    if n_days > MAX_PATTERN_DAYS:
        return
    for a, agent in enumerate(ctx.agents):
        days = sorted(d for d in range(n_days) if (a, d) in ctx.worked)
        if not days:
            continue
        patterns = _patterns(ctx, a, days)
        if not patterns:
            continue  # no week is possible: the hard rules say which (weekly hours, days off)
        z = [pulp.LpVariable(f"pattern_{a}_{i}", lowBound=0) for i in range(len(patterns))]
        ctx.add_agent(a, pulp.lpSum(z) == 1, f"pattern_{agent.agent_id}")
        for d in days:
            working = [zi for zi, week in zip(z, patterns, strict=True) if d in week]
            ctx.add_agent(
                a, ctx.worked[a, d] == pulp.lpSum(working), f"pattern_{agent.agent_id}_d{d}"
            )
        miss = ctx.apart.get(a)
        if miss is None:
            continue
        apart = [
            zi
            for zi, week in zip(z, patterns, strict=True)
            if not off_together(set(range(n_days)) - set(week), n_days, problem.cyclic)
        ]
        if apart:
            ctx.add_agent(a, miss >= pulp.lpSum(apart), f"pattern_apart_{agent.agent_id}")
