"""The business rules of the shift-plan model: each one small named function, listed in ``RULES``.

A rule receives the :class:`ModelContext` (the PuLP problem, the decision variables and the
at-work expressions) and adds named constraints and, for a soft rule, named penalty variables
registered with :meth:`ModelContext.penalize` so that the result can say which rule was bent,
where and by how much. The objective is the sum of every registered term.

Notation (positions ``t`` on the axis, variants ``v``, groups ``g``, queues ``q``):

- ``x[v,g]`` integer: agents of group ``g`` working variant ``v``;
- ``b[v,g,k,i]`` integer: of them, those taking break rule ``k`` at its ``i``-th allowed start;
- ``W[g,t] = sum_{v spans t} x[v,g] - sum_{v,k,i} share(t) b[v,g,k,i]``: agents of ``g`` at work
  (an agent on a break covers nothing; a break shorter than the interval removes its share);
- ``a[g,q,t] >= 0`` continuous: agent-intervals of ``g`` spent on ``q`` at ``t``; for a group
  with one skill ``a[g,q,t] = W[g,t]`` (no variable).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pulp

from solvers.problem import ScheduleProblem

__all__ = ["RULES", "ModelContext", "Penalty", "Rule"]


@dataclass(frozen=True)
class Penalty:
    """One penalty term: ``weight * var`` charged by ``rule`` at ``queue``/``position``/``day``.

    ``unit`` says what one unit of ``var`` is (``agent-intervals``, ``agent-hours``, ``shifts``,
    ``money``).
    """

    rule: str
    var: pulp.LpVariable | pulp.LpAffineExpression
    weight: float
    unit: str
    queue: str | None = None
    position: int | None = None
    day: int | None = None
    group: str | None = None


@dataclass
class ModelContext:
    """What the rules share while the model is built (and what ``read_result`` reads back)."""

    problem: ScheduleProblem
    lp: pulp.LpProblem
    variants: list[int]
    x: dict[tuple[int, int], pulp.LpVariable]
    b: dict[tuple[int, int, int, int], pulp.LpVariable]
    at_work: dict[tuple[int, int], pulp.LpAffineExpression]
    spans: dict[tuple[int, int], pulp.LpAffineExpression]
    a: dict[tuple[int, int, int], pulp.LpVariable | pulp.LpAffineExpression]
    penalties: list[Penalty] = field(default_factory=list)
    upper: dict[tuple[int, int], int | None] = field(default_factory=dict)
    y: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    #: Groups that serve exactly one queue of the problem (no split variables).
    direct: set[int] = field(default_factory=set)
    backlog: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)

    def penalize(self, penalty: Penalty) -> None:
        """Register a soft term of the objective."""
        self.penalties.append(penalty)

    def add(self, constraint: pulp.LpConstraint, name: str) -> None:
        """Add a named constraint (the name says rule, queue and local time)."""
        self.lp.addConstraint(constraint, name=name)

    def stamp(self, t: int) -> str:
        """``2026-11-30T09:15+0000``: the local clock of position ``t`` with its UTC offset, for
        constraint names (the offset tells apart the hour repeated when the clocks go back)."""
        return self.problem.axis[t].strftime("%Y-%m-%dT%H:%M%z")

    def serving(self, q: int) -> list[int]:
        """Indices of the groups that can work queue ``q``."""
        name = self.problem.queues[q].name
        return [g for g, group in enumerate(self.problem.groups) if group.serves(name)]

    def done(self, q: int, t: int) -> pulp.LpAffineExpression:
        """Agent-intervals spent on queue ``q`` at ``t`` (all groups)."""
        return pulp.lpSum(self.a[g, q, t] for g in self.serving(q) if (g, q, t) in self.a)


@dataclass(frozen=True)
class Rule:
    """A business rule: its name, ``hard`` or ``soft`` (or ``cut``: a valid inequality that only
    tightens the LP relaxation), and the function that adds it."""

    name: str
    kind: str
    add: Callable[[ModelContext], None]
    doc: str = ""


def _understaff_weight(ctx: ModelContext, q: int) -> float:
    return ctx.problem.rules.understaff_penalty * ctx.problem.queues[q].priority


def paid_cost(ctx: ModelContext) -> None:
    """Cost of the shifts: ``sum_{v,g} cost_v * cost_factor_g * x[v,g]``."""
    groups = ctx.problem.groups
    for (v, g), var in ctx.x.items():
        cost = ctx.problem.variants[v].cost * groups[g].cost_factor
        if cost:
            ctx.penalize(Penalty("paid_cost", var, cost, "money", group=groups[g].name))


def break_placement(ctx: ModelContext) -> None:
    """Every agent on a shift takes each of its breaks once: ``sum_i b[v,g,k,i] = x[v,g]``."""
    by_shift: dict[tuple[int, int, int], list[pulp.LpVariable]] = {}
    for (v, g, k, _i), var in ctx.b.items():
        by_shift.setdefault((v, g, k), []).append(var)
    for (v, g, k), variables in by_shift.items():
        name = f"break_{v}_{ctx.problem.groups[g].name}_{k}"
        ctx.add(pulp.lpSum(variables) == ctx.x[v, g], name)


def time_split(ctx: ModelContext) -> None:
    """A multi-skilled agent's time is split between queues, never counted twice:
    ``sum_q a[g,q,t] + idle[g,t] = W[g,t]``; idle time is overstaffing (soft, overstaff weight).
    """
    problem = ctx.problem
    weight = problem.rules.overstaff_penalty
    for (g, t), work in ctx.at_work.items():
        parts = [ctx.a[g, q, t] for q in range(len(problem.queues)) if (g, q, t) in ctx.a]
        if g in ctx.direct:
            continue  # a single queue: a[g,q,t] is W[g,t] itself
        idle = pulp.LpVariable(f"idle_{problem.groups[g].name}_{t}", lowBound=0)
        ctx.add(pulp.lpSum(parts) + idle == work, f"split_{problem.groups[g].name}_{ctx.stamp(t)}")
        ctx.penalize(
            Penalty(
                "overstaff",
                idle,
                weight,
                "agent-intervals",
                position=t,
                group=problem.groups[g].name,
            )
        )


def live_coverage(ctx: ModelContext) -> None:
    """Voice and chat: ``sum_g a[g,q,t] + under[q,t] - over[q,t] = required[q,t]``.

    ``under`` is charged ``understaff_penalty * priority`` per agent-interval (absent, i.e. a hard
    constraint, with ``hard_coverage``), ``over`` ``overstaff_penalty``.
    """
    problem = ctx.problem
    hard = problem.rules.hard_coverage
    for q, queue in enumerate(problem.queues):
        if queue.kind != "live":
            continue
        w_under = _understaff_weight(ctx, q)
        for t in range(problem.n_intervals):
            required = float(queue.required[t])
            done = ctx.done(q, t)
            over = pulp.LpVariable(f"over_{queue.name}_{t}", lowBound=0)
            expr = done - over
            if not hard:
                under = pulp.LpVariable(f"under_{queue.name}_{t}", lowBound=0)
                expr = expr + under
                ctx.penalize(
                    Penalty("understaff", under, w_under, "agent-intervals", queue.name, t)
                )
            ctx.penalize(
                Penalty(
                    "overstaff",
                    over,
                    problem.rules.overstaff_penalty,
                    "agent-intervals",
                    queue.name,
                    t,
                )
            )
            ctx.add(expr == required, f"cover_{queue.name}_{ctx.stamp(t)}")


def backlog_deadline(ctx: ModelContext) -> None:
    """Email and back office: ``B[t] = B[t-1] + arrivals[t] - done[t]``, ``B >= 0``, and the backlog
    never holds work older than the deadline: ``B[t] <= sum_{s=t-D+1..t} arrivals[s] + late[t]``
    (FIFO): work arriving during interval ``s`` is done by the end of interval ``s + D``.
    ``B[-1] = B[T-1]`` in a cyclic week, else 0 (work arriving in the last ``D`` intervals
    may be left for next week). ``late`` (agent-intervals overdue at ``t``) is charged like
    understaffing; absent with ``hard_coverage``.
    """
    problem = ctx.problem
    n = problem.n_intervals
    hard = problem.rules.hard_coverage
    for q, queue in enumerate(problem.queues):
        if queue.kind != "backlog":
            continue
        arrivals = np.asarray(queue.arrivals, dtype=float)
        deadline = int(queue.deadline_intervals or 1)
        ext = np.concatenate([arrivals, arrivals]) if problem.cyclic else arrivals
        backlog = [pulp.LpVariable(f"backlog_{queue.name}_{t}", lowBound=0) for t in range(n)]
        for t in range(n):
            ctx.backlog[q, t] = backlog[t]
            previous = backlog[t - 1] if t > 0 else backlog[n - 1] if problem.cyclic else 0
            ctx.add(
                backlog[t] == previous + float(arrivals[t]) - ctx.done(q, t),
                f"backlog_{queue.name}_{ctx.stamp(t)}",
            )
            if problem.cyclic:
                lo = t - deadline + 1
                window = (
                    float(ext[lo + n : t + n + 1].sum())
                    if lo < 0
                    else float(arrivals[lo : t + 1].sum())
                )
            else:
                window = float(arrivals[max(0, t - deadline + 1) : t + 1].sum())
            if hard:
                ctx.add(backlog[t] <= window, f"deadline_{queue.name}_{ctx.stamp(t)}")
            else:
                late = pulp.LpVariable(f"late_{queue.name}_{t}", lowBound=0)
                ctx.add(backlog[t] - late <= window, f"deadline_{queue.name}_{ctx.stamp(t)}")
                ctx.penalize(
                    Penalty(
                        "deadline",
                        late,
                        _understaff_weight(ctx, q),
                        "agent-intervals",
                        queue.name,
                        t,
                    )
                )


def outbound_hours(ctx: ModelContext) -> None:
    """Outbound: each day ``sum_{t in day} done[t] * interval_h + short[d] = hours_per_day[d]``;
    ``short`` (agent-hours) is charged like understaffing per agent-interval; hard with
    ``hard_coverage``. Work beyond the day's target is idle time (overstaffing)."""
    problem = ctx.problem
    hours = problem.interval_minutes / 60
    starts = [*problem.day_starts, problem.n_intervals]
    for q, queue in enumerate(problem.queues):
        if queue.kind != "daily":
            continue
        for d, target in enumerate(queue.hours_per_day or ()):
            if d >= problem.n_days:
                break
            done = pulp.lpSum(ctx.done(q, t) for t in range(starts[d], starts[d + 1])) * hours
            name = f"outbound_{queue.name}_{problem.axis[starts[d]].date()}"
            if problem.rules.hard_coverage:
                ctx.add(done == target, name)
                continue
            short = pulp.LpVariable(f"short_{queue.name}_{d}", lowBound=0)
            ctx.add(done + short == target, name)
            ctx.penalize(
                Penalty(
                    "outbound_hours",
                    short,
                    _understaff_weight(ctx, q) / hours,
                    "agent-hours",
                    queue.name,
                    day=d,
                )
            )


def group_head_count(ctx: ModelContext) -> None:
    """A group with a head count ``N``: at most ``N`` of its agents on shift at any interval, and
    at most ``N * (days - days_off_per_week)`` shifts in the week (hard)."""
    problem = ctx.problem
    working_days = max(0, problem.n_days - problem.rules.days_off_per_week)
    for g, group in enumerate(problem.groups):
        if group.max_count is None:
            continue
        for t in range(problem.n_intervals):
            span = ctx.spans.get((g, t))
            if span is not None:
                ctx.add(span <= group.max_count, f"headcount_{group.name}_{ctx.stamp(t)}")
        shifts = [var for (v, gg), var in ctx.x.items() if gg == g]
        ctx.add(
            pulp.lpSum(shifts) <= group.max_count * working_days, f"headcount_week_{group.name}"
        )


def distinct_shifts(ctx: ModelContext) -> None:
    """Optional penalty per distinct (start clock, length) shift used: ``y_s`` binary with
    ``sum_g x[v,g] <= M_v y_s`` for every variant ``v`` of shift ``s`` (``M_v`` the variant's upper
    bound, see :func:`solvers.shift_plan.variant_upper_bounds`)."""
    problem = ctx.problem
    weight = problem.rules.distinct_shift_penalty
    if weight <= 0:
        return
    by_variant: dict[int, list[pulp.LpVariable]] = {}
    for (v, _g), var in ctx.x.items():
        by_variant.setdefault(v, []).append(var)
    keys = sorted({problem.variants[v].shift_key for v in by_variant})
    for key in keys:
        start, length = key
        y = pulp.LpVariable(f"use_{start}_{length}", cat=pulp.LpBinary)
        ctx.y[key] = y
        ctx.penalize(Penalty("distinct_shifts", y, weight, "shifts"))
    for v, variables in by_variant.items():
        key = problem.variants[v].shift_key
        bound = sum(ctx.upper.get((v, g)) or 0 for (vv, g) in ctx.x if vv == v)
        if any(ctx.upper.get((v, g)) is None for (vv, g) in ctx.x if vv == v):
            bound = _fallback_bound(problem)
        ctx.add(pulp.lpSum(variables) <= bound * ctx.y[key], f"use_{v}")


#: Smallest fractional part of a requirement that gets a rounding cut (the cut's coefficient on
#: understaffing is ``1 / f``; below this it gains little and scales badly).
_MIN_FRACTION = 0.02


def coverage_rounding(ctx: ModelContext) -> None:
    """Valid inequalities, not a business rule: whole agents cover a fractional requirement.

    For a set ``Q`` of live queues and an interval ``t``, every agent-interval spent on ``Q``
    comes from a group serving ``Q``, so with ``R = sum_{q in Q} required[q,t]``

    .. math:: N + s \\ge R, \\quad N = \\sum_{g \\in G(Q)} W[g,t], \\quad
              s = \\sum_{q \\in Q} under[q,t] \\ge 0,

    and ``N`` is a whole number in every integer solution (``x`` and ``b`` are whole, the break
    shares are 1 at this interval length). The mixed-integer rounding of that row (Nemhauser &
    Wolsey 1990; Marchand & Wolsey 2001), with ``f = R - floor(R) > 0``,

    .. math:: N + s / f \\ge \\lceil R \\rceil,

    cuts off the LP's fractional coverage (5.71 agents at work for 5.71 required) and makes the
    LP bound pay for the whole agent or the shortage. ``Q``: each live queue, each pair, all of
    them. The integer optimum is unchanged; with ``hard_coverage`` ``s`` is absent.
    """
    problem = ctx.problem
    live = [q for q, queue in enumerate(problem.queues) if queue.kind == "live"]
    sets = {(q,) for q in live} | set(_pairs(live)) | {tuple(live)}
    under = {
        (p.queue, p.position): p.var
        for p in ctx.penalties
        if p.rule == "understaff" and p.position is not None
    }
    whole = {key: _whole(expr) for key, expr in ctx.at_work.items()}
    for queues in sorted(s for s in sets if s):
        groups = sorted({g for q in queues for g in ctx.serving(q)})
        names = "_".join(problem.queues[q].name for q in queues)
        for t in range(problem.n_intervals):
            required = [float(problem.queues[q].required[t]) for q in queues]
            if min(required) <= 0:
                continue  # the subset without that queue gives a stronger cut
            total = sum(required)
            fraction = total - math.floor(total)
            if fraction < _MIN_FRACTION or fraction > 1 - 1e-6:
                continue
            keys = [(g, t) for g in groups if (g, t) in ctx.at_work]
            if not keys or not all(whole[key] for key in keys):
                continue
            short = [under[key] for q in queues if (key := (problem.queues[q].name, t)) in under]
            ctx.add(
                pulp.lpSum(ctx.at_work[key] for key in keys) + pulp.lpSum(short) * (1 / fraction)
                >= math.ceil(total),
                f"round_{names}_{ctx.stamp(t)}",
            )


def _pairs(items: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]


def _whole(expr: pulp.LpAffineExpression) -> bool:
    """Whether ``expr`` has only whole coefficients (of whole-valued counts) and no constant."""
    return expr.constant == 0 and all(float(c).is_integer() for c in expr.values())


def _fallback_bound(problem: ScheduleProblem) -> int:
    total = 0.0
    for queue in problem.queues:
        if queue.kind == "live":
            total += float(np.max(queue.required, initial=0))
        elif queue.kind == "backlog":
            total += float(np.sum(queue.arrivals))
        else:
            total += max(queue.hours_per_day or (0.0,)) * 60 / problem.interval_minutes
    return max(1, math.ceil(total))


#: Every rule of the shift-plan model, in the order it is added.
RULES: tuple[Rule, ...] = (
    Rule("paid_cost", "soft", paid_cost, "cost of the shifts (weight: the cost itself)"),
    Rule("break_placement", "hard", break_placement, "each agent takes each break once"),
    Rule("time_split", "hard", time_split, "multi-skilled time split; idle = overstaff"),
    Rule("live_coverage", "soft", live_coverage, "voice/chat coverage (hard: hard_coverage)"),
    Rule("backlog_deadline", "soft", backlog_deadline, "email/back office by the deadline"),
    Rule("outbound_hours", "soft", outbound_hours, "outbound agent-hours per day"),
    Rule("group_head_count", "hard", group_head_count, "agents of a group available"),
    Rule("distinct_shifts", "soft", distinct_shifts, "penalty per distinct shift used"),
    Rule("coverage_rounding", "cut", coverage_rounding, "valid: whole agents at work (MIR)"),
)
