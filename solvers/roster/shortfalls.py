"""Shortfalls of a roster and their reasons."""

from __future__ import annotations

from solvers.result import Shortfall, shortfalls_of
from solvers.roster.context import AgentInfo, RosterContext
from solvers.roster.types import _EPS, RosterResult

# --------------------------------------------------------------------------- shortfalls


def _shortfalls(ctx: RosterContext, result: RosterResult) -> tuple[Shortfall, ...]:
    return shortfalls_of(
        ctx.problem,
        result.violations,
        lambda q, t, short: _reason(ctx, result, q, t, short),
        lambda q, d, _start: _day_reason(ctx, q, d),
    )


def _skilled(ctx: RosterContext, q: int) -> list[AgentInfo]:
    name = ctx.problem.queues[q].name
    return [a for a in ctx.agents if ctx.problem.groups[a.group].serves(name)]


def _reason(ctx: RosterContext, result: RosterResult, q: int, t: int, short: float) -> str:
    """The binding reason an interval is short: no shift covers it, not enough agents with the
    skill, availability, or the skilled agents who could work it are used up."""
    problem = ctx.problem
    if not any(t in variant.cover for variant in problem.variants):
        return "no shift covers it"
    skilled = _skilled(ctx, q)
    if not skilled:
        return "no agent has the skill"
    need = float(problem.queues[q].required[t]) if problem.queues[q].kind == "live" else short
    able = [
        a for a in skilled if any(t in ctx.variant(v).cover for v in ctx.by_agent.get(a.index, []))
    ]
    if len(skilled) + _EPS < need:
        return f"not enough agents with the skill ({len(skilled)} have it, {need:.2f} needed)"
    if len(able) + _EPS < need:
        return (
            f"availability: {len(able)} of the {len(skilled)} agents with the skill can work "
            f"then ({need:.2f} needed)"
        )
    return (
        f"not enough agents with the skill: the {len(able)} who could work then are on other "
        "queues, on break or at their hours, days-off, rest or consecutive-day limits"
    )


def _day_reason(ctx: RosterContext, q: int, d: int) -> str:
    skilled = _skilled(ctx, q)
    if not skilled:
        return "no agent has the skill"
    able = [
        a for a in skilled if any(ctx.variant(v).day == d for v in ctx.by_agent.get(a.index, []))
    ]
    if not able:
        return "availability: no agent with the skill can work that day"
    return f"not enough agents with the skill ({len(able)} could work that day)"
