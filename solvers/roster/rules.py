"""The roster model's business rules: each one small named function, listed in ``ROSTER_RULES``.

A roster rule is a :class:`RosterRule` with a name, ``hard`` or ``soft``, and up to two parts:

- ``allows(ctx, agent, variant) -> bool``: a *filter*; the decision variable ``w[a,v]`` is only
  created when every filter allows it (availability, weekly hours, skills);
- ``add(ctx)``: adds named constraints and, for a soft rule, named penalty terms registered with
  :meth:`RosterContext.penalize_agent` (per agent) or :meth:`ModelContext.penalize`.

The coverage side (break placement, multi-skill time split, live coverage, email backlog deadlines,
outbound hours, distinct shifts) is the shift-plan model's own rules from :mod:`solvers.rules`,
applied to pooled variables (see :mod:`solvers.roster`), and listed here too, in the order they
are added, so that the whole model is described in this one tuple.

Notation (agents ``a``, shift variants ``v``, local days ``d``, skill groups ``g``):

- ``w[a,v]`` binary: agent ``a`` works variant ``v``;
- ``y[a,d] = sum_{v starts on d} w[a,v]``: agent ``a`` works on day ``d`` (0 or 1);
- ``x[g,v] = sum_{a in g} w[a,v]``: agents of group ``g`` on ``v`` (the shift-plan count);
- ``s_v, e_v``: unwrapped start and end positions of ``v`` on the axis (``e_v = s_v + length``);
- ``paid_v``: paid hours of ``v`` (length minus unpaid breaks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pulp

from solvers import rules as plan_rules
from solvers.roster.context import AgentInfo, RosterContext
from solvers.roster.day_patterns import day_pairs, day_patterns
from solvers.rules import ModelContext, Penalty
from solvers.week_rules import work_windows

__all__ = ["ROSTER_RULES", "RosterRule", "rule_names"]


@dataclass(frozen=True)
class RosterRule:
    """A roster rule: name, ``hard``/``soft``/``cut`` (a valid inequality, see
    :class:`solvers.rules.Rule`), an optional variable filter and an optional adder."""

    name: str
    kind: str
    add: Callable[[RosterContext], None] | None = None
    allows: Callable[[RosterContext, AgentInfo, int], bool] | None = None
    doc: str = ""


# --------------------------------------------------------------------------- filters


def _skills_allow(ctx: RosterContext, agent: AgentInfo, v: int) -> bool:
    """An agent only works if at least one of their skills is a queue of the problem."""
    group = ctx.problem.groups[agent.group]
    return any(group.serves(q.name) for q in ctx.problem.queues)


def _availability_allows(ctx: RosterContext, agent: AgentInfo, v: int) -> bool:
    """The shift's start day is one of the agent's days and, with a daily window, the shift starts
    and ends inside it on that day (``from <= start`` and ``start + length <= until``)."""
    variant = ctx.variant(v)
    if ctx.day_name(v) not in agent.available_days:
        return False
    if not agent.limited_hours:
        return True
    begin = variant.start_clock_min
    starts = [*ctx.problem.day_starts, ctx.problem.n_intervals]
    if ctx.start[v] >= starts[variant.day + 1]:
        begin += 1440  # the start window crossed midnight: the shift starts the next morning
    return begin >= agent.available_from_min and begin + variant.length_min <= (
        agent.available_until_min
    )


def _hours_allow(ctx: RosterContext, agent: AgentInfo, v: int) -> bool:
    """A shift longer (paid) than the agent's weekly maximum is never possible."""
    return ctx.variant(v).paid_minutes / 60 <= agent.max_hours_week + 1e-9


# --------------------------------------------------------------------------- hard rules


def skills(ctx: RosterContext) -> None:
    """Skills: agents are pooled by skill set; a group's at-work time is split only between the
    queues it is skilled for: ``a[g,q,t]`` exists only for ``q`` in ``skills(g)`` (and only where
    the queue has work: live requirement > 0, outbound on its days, email/back office always).
    A group with a single live queue covers it directly (``a[g,q,t] = W[g,t]``); a group whose
    only queue is deferrable (email, outbound) gets a split variable and idle time, so that an
    agent at work with no email waiting is idle rather than making the backlog negative."""
    problem = ctx.problem
    plan = ctx.plan
    day = problem.day_of()
    for g, group in enumerate(problem.groups):
        served = [q for q, queue in enumerate(problem.queues) if group.serves(queue.name)]
        if len(served) == 1 and problem.queues[served[0]].kind == "live":
            plan.direct.add(g)
            for t in range(problem.n_intervals):
                if (g, t) in plan.at_work:
                    plan.a[g, served[0], t] = plan.at_work[g, t]
            continue
        for q in served:
            queue = problem.queues[q]
            for t in range(problem.n_intervals):
                if (g, t) not in plan.at_work:
                    continue
                if queue.kind == "live" and queue.required[t] <= 0:
                    continue
                if queue.kind == "daily" and not (queue.hours_per_day or ())[day[t]]:
                    continue
                plan.a[g, q, t] = pulp.LpVariable(f"a_{g}_{q}_{t}", lowBound=0)


def one_shift_per_day(ctx: RosterContext) -> None:
    """At most one shift a day: ``y[a,d] = sum_{v on d} w[a,v]``, ``0 <= y[a,d] <= 1``
    (``y`` is a variable so that the day-level rules reference it once)."""
    for a, agent in enumerate(ctx.agents):
        days: dict[int, list[pulp.LpVariable]] = {}
        for v in ctx.by_agent.get(a, []):
            days.setdefault(ctx.variant(v).day, []).append(ctx.w[a, v])
        for d, variables in days.items():
            if len(variables) == 1:
                ctx.worked[a, d] = variables[0]
                continue
            y = pulp.LpVariable(f"y_{a}_{d}", lowBound=0, upBound=1)
            ctx.add_agent(a, y == pulp.lpSum(variables), f"one_shift_{agent.agent_id}_d{d}")
            ctx.worked[a, d] = y


def weekly_hours(ctx: RosterContext) -> None:
    """Minimum and maximum weekly paid hours: ``h[a] = sum_v paid_v w[a,v]`` with
    ``min_hours_week <= h[a] <= max_hours_week`` (bounds of the variable ``h``)."""
    for a, agent in enumerate(ctx.agents):
        variants = ctx.by_agent.get(a, [])
        if not variants:
            continue
        hours = pulp.LpVariable(
            f"hours_{a}", lowBound=agent.min_hours_week, upBound=agent.max_hours_week
        )
        ctx.add_agent(
            a,
            hours == pulp.lpSum(ctx.variant(v).paid_minutes / 60 * ctx.w[a, v] for v in variants),
            f"hours_{agent.agent_id}",
        )


def days_off(ctx: RosterContext) -> None:
    """Days off per week: ``sum_d y[a,d] <= days - days_off_per_week``."""
    limit = ctx.problem.n_days - ctx.problem.rules.days_off_per_week
    for a, agent in enumerate(ctx.agents):
        days = [expr for (aa, _d), expr in ctx.worked.items() if aa == a]
        if len(days) > limit:
            ctx.add_agent(a, pulp.lpSum(days) <= max(limit, 0), f"days_off_{agent.agent_id}")


def _conflict_cliques(
    ctx: RosterContext, first: list[int], second: list[int], shift: int, rest: int
) -> list[list[int]]:
    """Cliques of ``first`` x ``second`` variants that leave less than ``rest`` intervals between
    them (``second`` moved by ``shift`` positions: ``n`` across the end of a cyclic week).

    For each end position ``e`` of ``first``: ``{v in first: e_v >= e}`` and
    ``{u in second: s_u < e + rest}`` pairwise conflict, and any two shifts in one part are on
    one day (excluded by ``one_shift_per_day``), so at most one of the union may be worked.
    """
    cliques = []
    seen = set()
    for e in sorted({ctx.end[v] for v in first}):
        late = [v for v in first if ctx.end[v] >= e]
        early = [u for u in second if ctx.start[u] + shift < e + rest]
        if not early:
            continue
        key = (len(late), len(early))
        if key in seen:
            continue
        seen.add(key)
        cliques.append(late + early)
    return cliques


def min_rest(ctx: RosterContext) -> None:
    """Minimum rest between shifts (``rules.min_rest_hours``), across midnight and across days:
    two shifts ``v`` (earlier) and ``u`` with ``s_u < e_v + rest`` are never both worked. Written as
    clique inequalities ``sum_{v: e_v >= e} w[a,v] + sum_{u on a later day: s_u < e + rest}
    w[a,u] <= 1`` for every end position ``e`` (stronger and fewer than the pairwise ones). In a
    cyclic week the first day follows the last."""
    problem = ctx.problem
    rest = round(problem.rules.min_rest_hours * 60 / problem.interval_minutes)
    n = problem.n_intervals
    for a, agent in enumerate(ctx.agents):
        days: dict[int, list[int]] = {}
        for v in ctx.by_agent.get(a, []):
            days.setdefault(ctx.variant(v).day, []).append(v)
        order = sorted(days)
        pairs = [(d1, d2, 0) for i, d1 in enumerate(order) for d2 in order[i + 1 :]]
        if problem.cyclic:
            pairs += [(d1, d2, n) for d1 in order for d2 in order if d2 <= d1]
        for d1, d2, shift in pairs:
            first, second = days[d1], days[d2]
            if max(ctx.end[v] for v in first) + rest <= min(ctx.start[u] for u in second) + shift:
                continue
            for k, clique in enumerate(_conflict_cliques(ctx, first, second, shift, rest)):
                ctx.add_agent(
                    a,
                    pulp.lpSum(ctx.w[a, v] for v in clique) <= 1,
                    f"rest_{agent.agent_id}_d{d1}_d{d2}_{k}",
                )


def max_consecutive_days(ctx: RosterContext) -> None:
    """Maximum consecutive working days ``m``: every ``m + 1`` consecutive days hold a day off,
    ``sum_{d in window} y[a,d] <= m`` (windows wrap in a cyclic week)."""
    problem = ctx.problem
    m = problem.rules.max_consecutive_days
    windows = work_windows(problem.n_days, m, problem.cyclic)
    for a, agent in enumerate(ctx.agents):
        for window in windows:
            d0 = window[0]
            terms = [ctx.worked[a, d] for d in window if (a, d) in ctx.worked]
            if len(terms) > m:
                ctx.add_agent(a, pulp.lpSum(terms) <= m, f"consecutive_{agent.agent_id}_d{d0}")


def paid_cost(ctx: RosterContext) -> None:
    """Paid cost: ``cost_per_hour[a] * paid_v`` per shift worked (the template's cost when the
    agent has no hourly rate)."""
    for (a, v), var in ctx.w.items():
        ctx.penalize_agent(a, Penalty("paid_cost", var, _shift_cost(ctx, a, v), "money"))


def _shift_cost(ctx: RosterContext, a: int, v: int) -> float:
    agent = ctx.agents[a]
    variant = ctx.variant(v)
    if agent.cost_per_hour > 0:
        return agent.cost_per_hour * variant.paid_minutes / 60
    return variant.cost


# --------------------------------------------------------------------------- soft rules


def consecutive_days_off(ctx: RosterContext) -> None:
    """Days off together (soft, ``rules.consecutive_days_off_penalty`` per agent): with
    ``p[a,d] <= 1 - y[a,d]``, ``p[a,d] <= 1 - y[a,d+1]`` (two days off in a row, continuous in
    [0, 1]) and ``miss[a] >= 1 - sum_d p[a,d]``, an agent with no two consecutive days off is
    charged once. Only when ``days_off_per_week >= 2``."""
    problem = ctx.problem
    weight = problem.rules.consecutive_days_off_penalty
    if weight <= 0 or problem.rules.days_off_per_week < 2 or problem.n_days < 2:
        return
    pairs = day_pairs(problem.n_days, problem.cyclic)
    for a, agent in enumerate(ctx.agents):
        together = []
        for d1, d2 in pairs:
            p = pulp.LpVariable(f"offpair_{a}_{d1}", lowBound=0, upBound=1)
            for d in (d1, d2):
                if (a, d) in ctx.worked:
                    ctx.add_agent(
                        a, p + ctx.worked[a, d] <= 1, f"offpair_{agent.agent_id}_d{d1}_{d}"
                    )
            together.append(p)
        miss = pulp.LpVariable(f"offapart_{a}", lowBound=0)
        ctx.add_agent(a, miss + pulp.lpSum(together) >= 1, f"days_off_together_{agent.agent_id}")
        ctx.apart[a] = miss
        ctx.penalize_agent(a, Penalty("consecutive_days_off", miss, weight, "agents"))


def preferred_shifts(ctx: RosterContext) -> None:
    """Preferred shifts (soft, ``rules.preference_penalty`` per shift): an agent with preferred
    templates is charged for every shift none of them makes
    (:meth:`~solvers.roster.context.RosterContext.off_preference`)."""
    weight = ctx.problem.rules.preference_penalty
    if weight <= 0:
        return
    for (a, v), var in ctx.w.items():
        if ctx.off_preference(ctx.agents[a], v):
            ctx.penalize_agent(a, Penalty("preferred_shifts", var, weight, "shifts"))


def preferred_days_off(ctx: RosterContext) -> None:
    """Preferred days off (soft, ``rules.preference_penalty`` per shift on such a day)."""
    weight = ctx.problem.rules.preference_penalty
    if weight <= 0:
        return
    for (a, v), var in ctx.w.items():
        if ctx.day_name(v) in ctx.agents[a].preferred_days_off:
            ctx.penalize_agent(a, Penalty("preferred_days_off", var, weight, "shifts"))


def weekend_fairness(ctx: RosterContext) -> None:
    """Fair weekend work (soft, ``rules.weekend_fairness_penalty`` per weekend shift of the most
    loaded agent): ``z >= sum_{d in Sat, Sun} y[a,d]`` for every agent, minimise ``z``, the most
    weekend shifts any one agent works (min-max fairness)."""
    weight = ctx.problem.rules.weekend_fairness_penalty
    weekend = ctx.weekend_days()
    if weight <= 0 or not weekend:
        return
    z = pulp.LpVariable("weekend_max", lowBound=0)
    for a, agent in enumerate(ctx.agents):
        terms = [ctx.worked[a, d] for d in weekend if (a, d) in ctx.worked]
        if terms:
            ctx.add(z >= pulp.lpSum(terms), f"weekend_{agent.agent_id}")
    ctx.plan.penalize(Penalty("weekend_fairness", z, weight, "shifts"))


def _plan(rule: Callable[[ModelContext], None]) -> Callable[[RosterContext], None]:
    """A shift-plan rule applied to the pooled counts of the roster."""

    def add(ctx: RosterContext) -> None:
        rule(ctx.plan)

    add.__doc__ = rule.__doc__
    return add


#: Every rule of the roster model, in the order it is applied.
ROSTER_RULES: tuple[RosterRule, ...] = (
    RosterRule("skills", "hard", skills, _skills_allow, "pooled by skill set; split by skill"),
    RosterRule("availability", "hard", None, _availability_allows, "days and daily window"),
    RosterRule("weekly_hours", "hard", weekly_hours, _hours_allow, "min/max paid hours"),
    RosterRule("one_shift_per_day", "hard", one_shift_per_day, None, "at most one shift a day"),
    RosterRule("days_off", "hard", days_off, None, "days_off_per_week"),
    RosterRule("min_rest", "hard", min_rest, None, "min_rest_hours between shifts"),
    RosterRule("max_consecutive_days", "hard", max_consecutive_days, None, "working days"),
    RosterRule("paid_cost", "soft", paid_cost, None, "agent rate x paid hours"),
    RosterRule("consecutive_days_off", "soft", consecutive_days_off, None, "days off together"),
    RosterRule("preferred_shifts", "soft", preferred_shifts, None, "preferred templates"),
    RosterRule("preferred_days_off", "soft", preferred_days_off, None, "preferred days off"),
    RosterRule("weekend_fairness", "soft", weekend_fairness, None, "min-max weekend shifts"),
    RosterRule("break_placement", "hard", _plan(plan_rules.break_placement), None, "breaks"),
    RosterRule("time_split", "hard", _plan(plan_rules.time_split), None, "never > 100%"),
    RosterRule("live_coverage", "soft", _plan(plan_rules.live_coverage), None, "voice/chat"),
    RosterRule("backlog_deadline", "soft", _plan(plan_rules.backlog_deadline), None, "email"),
    RosterRule("outbound_hours", "soft", _plan(plan_rules.outbound_hours), None, "outbound"),
    RosterRule("distinct_shifts", "soft", _plan(plan_rules.distinct_shifts), None, "fewer shifts"),
    RosterRule(
        "coverage_rounding", "cut", _plan(plan_rules.coverage_rounding), None, "valid (MIR)"
    ),
    RosterRule("day_patterns", "cut", day_patterns, None, "hull of each agent's working days"),
)


def rule_names() -> tuple[str, ...]:
    """Names of every roster rule, in order."""
    return tuple(r.name for r in ROSTER_RULES)
