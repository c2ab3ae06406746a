"""Roster: named agents get at most one shift a day (or a day off), breaks, and queue time.

Three steps, each usable alone, as in :mod:`solvers.shift_plan`:

- :func:`build_model` ``(problem, options) -> RosterModel``: the PuLP integer program;
- :func:`solve` ``(model, solver_options) -> SolveOutcome``: the shift-plan solve (HiGHS by
  default, CBC by name; time limit, relative gap, threads), same status enum;
- :func:`read_result` ``(model, outcome) -> RosterResult``: per-agent shifts with their breaks,
  the per-agent, per-interval queue assignment, coverage, bent soft rules, shortfalls with reasons.

:func:`solve_roster` runs the three (and explains an infeasible hard-coverage model);
:func:`roster_segments` is the schedule export frame (one row per agent activity segment);
:func:`check_roster` recomputes coverage from that export and compares it with the model's.

Formulation (compact; rules in :mod:`solvers.roster_rules`)
-----------------------------------------------------------
- Binary ``w[a,v]`` per agent and shift variant, on a **reduced variant set**: the start times of
  each template and day taken every ``start_step_min`` (default 60 min) from the earliest start,
  plus the latest start; variants the agent's rules forbid (availability, hours, skills) are not
  created, and of variants identical but for their template an agent gets the cheapest one.
- Pooled counts ``x[g,v] = sum_{a in g} w[a,v]`` per skill group ``g`` (agents with identical
  skills). Breaks are implicit (Bechtold & Jacobs 1990; Aykin 1996) on the pooled counts:
  integer ``b[g,v,k,i]`` agents of ``g`` on ``v`` taking break ``k`` at its ``i``-th start,
  ``sum_i b[g,v,k,i] = x[g,v]``. This is the shift-plan model of :mod:`solvers.shift_plan` over
  ``x``, and its coverage rules (multi-skill time split, live coverage, email deadlines, outbound
  hours, distinct shifts) are reused unchanged.
- Read-back (disaggregation), exact: the break starts of the ``x[g,v]`` agents on ``v`` are dealt
  to them in order (any order is valid: coverage only depends on the counts), and the group's
  queue time ``a[g,q,t]`` is shared out between its agents at work with a greedy transport
  (an agent keeps the queue of the previous interval when it can, then north-west corner), so
  that no agent works more than its at-work share of an interval (1, or 1 minus a break's share).
  A multi-skilled group's idle time (``W - sum_q a``, charged as overstaffing) is reported as
  work on one of its queues (overstaffing there, the same weight).

The gap reported is relative to a lower bound of this model (the reduced variant set included):
the solver's own bound in a one-stage solve; the LP relaxation's value in the two-stage solve
(``RosterOptions.lp_support``, see :func:`_two_stage`: LP bound, LP diving with the pooled LP plan
dealt out to the agents, then the integer program on the LP support from that roster).
"""

from __future__ import annotations

import dataclasses
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import pulp

from solvers.decompose import DecomposedSolve, MatrixModel, matrix_of, price_and_branch
from solvers.problem import UNIVERSAL, ScheduleProblem, groups_from_agents
from solvers.roster_rules import ROSTER_RULES, AgentInfo, RosterContext
from solvers.roster_search import (
    SearchResult,
    improve,
    improve_agent_weeks,
    improve_by_day,
    improve_by_group_days,
    improve_by_groups,
    improve_by_queue_days,
)
from solvers.rules import ModelContext
from solvers.shift_plan import (
    ShiftPlanModel,
    ShiftPlanResult,
    Shortfall,
    SolveOutcome,
    SolveStatus,
    Violation,
    coverage_frame,
    summary_common,
)
from solvers.shift_plan import read_result as read_plan
from solvers.shift_plan import solve as solve_plan
from wfm.axis import DAY_NAMES
from wfm.config import SolverOptions
from wfm.errors import InputError
from wfm.roster_params import RosterParams
from wfm.schemas import SCHEDULE_COLUMNS

__all__ = [
    "AgentShift",
    "AgentViolation",
    "RosterModel",
    "RosterOptions",
    "RosterParams",
    "RosterResult",
    "build_model",
    "check_roster",
    "read_result",
    "roster_agents",
    "roster_segments",
    "roster_variants",
    "schedule_frame",
    "solve",
    "solve_problem",
    "solve_roster",
]

_EPS = 1e-6
_AGENT_RULES = (
    "paid_cost",
    "consecutive_days_off",
    "preferred_shifts",
    "preferred_days_off",
)


@dataclass(frozen=True)
class RosterOptions:
    """How the roster is built and solved.

    Attributes
    ----------
    start_step_min
        Step between the shift starts a roster may use, minutes from each template's earliest
        start (the latest start is always kept); a template whose own step is coarser keeps its
        own. None: every start the template allows.
    break_step_min
        Step between the break starts a roster may use inside each break window, minutes from
        the window's first start (its last start is always kept). None: every interval.
    solver
        Solver options; None: the problem's (``[solver]`` of the configuration).
    warm_start
        Start the solver from a greedy roster (HiGHS and CBC).
    check
        Recompute coverage from the per-agent export and raise if it differs from the model's.
    lp_support
        Two-stage solve (HiGHS): stage 1 solves the LP relaxation of the whole model with the
        interior-point method; stage 2 solves the integer program with the agent-shift binaries
        whose LP value is below ``lp_support`` fixed to 0. The reported bound is the stage-1 LP
        value, a valid lower bound of the whole model (so the gap is honest; stage 2's own bound
        is not, it is that of a restriction). None: one solve of the whole model.
    dive_rounds
        Two-stage solve: rounds of LP diving before stage 2 (1: round the first LP at once).
    method
        ``"price_dive"`` (HiGHS): the Dantzig-Wolfe decomposition of :mod:`solvers.decompose`,
        each agent a block (the rows of :attr:`RosterContext.local`): bound = the larger of the
        compact LP and the Lagrangian bound of column generation over agent weeks; roster by
        diving on the agents' week columns and a final MIP over the last agents and the break
        counts, then improved by local search. ``"two_stage"``: see ``lp_support``. None (the
        default): the problem's ``[solver] roster_method`` (``price_dive`` unless configured).
    search_share
        ``price_dive``: share of the time limit kept for improving the dived roster by local
        search and fix-and-optimise by skill groups and by day (:mod:`solvers.roster_search`);
        0: none.
    plan_assign
        Two-stage solve: the primal roster comes from :func:`plan_then_assign` instead of LP
        diving: ``"plan"`` assigns the agents to the shifts of a pooled shift plan, ``"lp"`` to
        the pooled counts of the roster's LP relaxation; the diving roster stays the fallback
        when that finds nothing. None: LP diving.
    """

    method: str | None = None
    start_step_min: int | None = 60
    break_step_min: int | None = 30
    solver: SolverOptions | None = None
    check: bool = True
    warm_start: bool = True
    lp_support: float | None = 0.05
    dive_rounds: int = 8
    plan_assign: str | None = None
    search_share: float = 0.25


@dataclass
class RosterModel:
    """The PuLP problem and the handles the rules registered."""

    ctx: RosterContext
    options: RosterOptions
    #: Timings and values of the two-stage solve (``lp_sec``, ``lp_bound``, ``rounded_objective``).
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def lp(self) -> pulp.LpProblem:
        return self.ctx.lp

    @property
    def problem(self) -> ScheduleProblem:
        return self.ctx.problem

    def size(self) -> dict[str, int]:
        """Variables (all, integer), constraints, agent-shift binaries of the model."""
        variables = self.lp.variables()
        return {
            "variables": len(variables),
            "integer_variables": sum(1 for v in variables if v.cat == pulp.LpInteger),
            "constraints": len(self.lp.constraints),
            "agent_shift_variables": len(self.ctx.w),
            "variants": len(self.ctx.variants),
        }


@dataclass(frozen=True)
class AgentShift:
    """Agent ``agent`` (index) works variant ``variant``; ``breaks[k]`` is the index of the
    allowed start its break rule ``k`` takes (into ``variant.breaks[k].starts``)."""

    agent: int
    agent_id: str
    variant: int
    breaks: tuple[int, ...] = ()


@dataclass(frozen=True)
class AgentViolation:
    """A soft rule bent for one agent: ``amount`` (in ``unit``) costing ``penalty``."""

    rule: str
    agent_id: str
    amount: float
    unit: str
    penalty: float
    day: str | None = None


@dataclass(frozen=True, eq=False)
class RosterResult:
    """A solved (or not) roster.

    ``assignment[a, q, t]`` is the share of agent ``a``'s interval ``t`` spent on queue ``q`` and
    ``at_work[a, t]`` the share at work (1, less a break's share, 0 off shift): ``sum_q
    assignment[a, q, t] == at_work[a, t] <= 1``. ``coverage`` is the tidy coverage frame
    (``interval_start, queue, required, scheduled, gap``; email also ``backlog``).
    """

    problem: ScheduleProblem
    outcome: SolveOutcome
    agents: tuple[AgentInfo, ...] = ()
    shifts: tuple[AgentShift, ...] = ()
    assignment: np.ndarray | None = None
    at_work: np.ndarray | None = None
    coverage: pd.DataFrame | None = None
    violations: tuple[Violation, ...] = ()
    agent_violations: tuple[AgentViolation, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    objective_terms: dict[str, float] = field(default_factory=dict)
    model_size: dict[str, int] = field(default_factory=dict)

    @property
    def status(self) -> SolveStatus:
        return self.outcome.status

    @property
    def paid_hours(self) -> float:
        variants = self.problem.variants
        return sum(variants[s.variant].paid_minutes for s in self.shifts) / 60

    @property
    def cost(self) -> float:
        return self.objective_terms.get("paid_cost", 0.0)

    @property
    def understaffed_intervals(self) -> int:
        """Number of (queue, interval) pairs short by more than 0.01 agents."""
        return sum(1 for s in self.shortfalls if s.unit == "agent-intervals" and s.short > 0.01)

    @property
    def understaff_agent_intervals(self) -> float:
        hours = self.problem.interval_minutes / 60
        return sum(s.short / hours if s.unit == "agent-hours" else s.short for s in self.shortfalls)

    def hours_by_agent(self) -> dict[str, float]:
        """Paid hours per agent id (0 for agents without a shift)."""
        out = {agent.agent_id: 0.0 for agent in self.agents}
        for s in self.shifts:
            out[s.agent_id] += self.problem.variants[s.variant].paid_minutes / 60
        return out

    def summary(self) -> dict:
        """The summary JSON of the contract (+ model size, bent rules, shortfalls)."""
        summary = summary_common(
            self,
            (*self.violations, *self.agent_violations),
            agents=len(self.agents),
            agents_rostered=len({s.agent for s in self.shifts}),
            shifts=len(self.shifts),
        )
        summary["model"] = dict(self.model_size)
        return {"mode": "roster", **summary}

    def segments(self) -> pd.DataFrame:
        """The schedule export frame (see :func:`roster_segments`)."""
        return roster_segments(self)


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
    if agent.preferred_shifts and variant.template not in agent.preferred_shifts:
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


# --------------------------------------------------------------------------- solve


def solve(model: RosterModel, options: SolverOptions | None = None) -> SolveOutcome:
    """Solve with the solver named in ``options`` (default: the model's, then the problem's).

    With ``RosterOptions.warm_start`` the solver starts from a greedy roster (see
    :func:`greedy_roster`) completed by solving the model with those shifts fixed; the time
    spent on that is part of ``solve_sec`` and of the time limit.
    """
    options = options or model.options.solver or model.problem.solver
    plan_model = ShiftPlanModel(lp=model.lp, ctx=model.ctx.plan)
    if model.options.method not in ("two_stage", "price_dive"):
        raise ValueError(f"unknown roster method {model.options.method!r}")
    if model.options.method == "price_dive" and options.name == "highs":
        outcome = _price_dive(model, options)
        if outcome is not None:
            return outcome
    if model.options.lp_support is not None and options.name == "highs":
        outcome = _two_stage(model, options)
        if outcome is not None:
            return outcome
    start = None
    spent = 0.0
    if model.options.warm_start:
        start, spent = _warm_start(model, options)
    if start is not None:
        options = dataclasses.replace(
            options, time_limit_sec=max(1.0, options.time_limit_sec - spent)
        )
    outcome = solve_plan(plan_model, options, start=start)
    return dataclasses.replace(outcome, solve_sec=outcome.solve_sec + spent)


def _two_stage(model: RosterModel, options: SolverOptions) -> SolveOutcome | None:
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
    relaxation = pulp.HiGHS(
        mip=False,
        msg=options.msg,
        timeLimit=max(1.0, options.roster.two_stage_lp_share * options.time_limit_sec),
        threads=options.threads,
        solver="ipm",
        run_crossover="off",
    )
    lp.solve(relaxation)
    if lp.solverModel.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    bound = float(lp.solverModel.getInfo().objective_function_value) + float(
        lp.objective.constant or 0
    )
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
    start, _spent = _complete(model, options, chosen, remaining)
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
    gap = _rel_gap_of(outcome.objective, bound)
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
    :class:`~solvers.roster_search.SearchResult` from the incumbent, or None when it has nothing
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


def _price_dive(model: RosterModel, options: SolverOptions) -> SolveOutcome | None:
    """The ``price_dive`` method: :func:`solvers.decompose.price_and_branch` (bound and a first
    roster) within ``1 - search_share`` of the time limit (at least
    ``RosterParams.price_floor_sec``), then, in what is left, the roster improved by the
    stages of :data:`PRICE_DIVE_STAGES` (:mod:`solvers.roster_search`: single-agent moves,
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
            and _rel_gap_of(state.objective, found.bound) > options.gap
            and left() > params.min_search_sec
        )

    _run_stages(state, PRICE_DIVE_STAGES, left, more)
    point, objective = state.point, state.objective
    for var, value in zip(matrix.variables, point, strict=True):
        var.varValue = float(value)
    bound = min(found.bound, objective)  # a point at the bound (up to rounding) is optimal
    gap = _rel_gap_of(objective, bound)
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
            model.lp.solve(
                pulp.HiGHS(
                    mip=False,
                    msg=False,
                    timeLimit=budget,
                    threads=options.threads,
                    solver="ipm",
                    run_crossover="off",
                )
            )
            if model.lp.solverModel.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                lp_values = {key: float(var.varValue or 0.0) for key, var in ctx.w.items()}
    finally:
        for key, var in ctx.w.items():
            var.lowBound, var.upBound = saved[key]
    return chosen


def _rel_gap_of(objective: float, bound: float) -> float:
    return abs(objective - bound) / max(abs(objective), 1e-9) if objective else 0.0


def _warm_start(model: RosterModel, options: SolverOptions) -> tuple[dict | None, float]:
    """A complete starting solution: the greedy shifts fixed, everything else solved."""
    return _complete(model, options, greedy_roster(model.ctx), options.time_limit_sec)


def _complete(
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
    n_work = max(0, problem.n_days - problem.rules.days_off_per_week)
    m = problem.rules.max_consecutive_days
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
        week = _best_week(ctx, agent, options, rest, n_work, m)
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
    n_work: int,
    m: int,
) -> list[int] | None:
    """The agent's week (one of ``options[d]`` or off each day) of largest value that keeps
    weekly hours, days off, ``m`` consecutive days and ``rest`` intervals between shifts (the
    rules of :mod:`solvers.roster_rules`, cyclic wrap included); None when none does."""
    problem = ctx.problem
    n_days, n = problem.n_days, problem.n_intervals
    best_after = [0.0] * (n_days + 1)
    for d in range(n_days - 1, -1, -1):
        top = max((val for val, _ in options[d]), default=0.0)
        best_after[d] = best_after[d + 1] + max(0.0, top)
    windows = range(n_days) if problem.cyclic else range(max(0, n_days - m))
    best: list = [None]
    picked: list[int | None] = []

    def week_ok() -> bool:
        worked = [v is not None for v in picked]
        if sum(worked) > n_work:
            return False
        if m < n_days and any(
            sum(worked[(d0 + k) % n_days] for k in range(m + 1)) > m for d0 in windows
        ):
            return False
        shifts = [v for v in picked if v is not None]
        return not (
            problem.cyclic
            and len(shifts) >= 2
            and ctx.start[shifts[0]] + n < ctx.end[shifts[-1]] + rest
        )

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
    shift per paid length, keeping hours, days, consecutive days and rest."""
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

    def search(d: int, hours: float, days: int, run: int, last_end: int | None, picked, value):
        if hours > agent.max_hours_week + 1e-9 or days > n_work or run > m:
            return
        if d == problem.n_days:
            if hours >= agent.min_hours_week - 1e-9 and (best[0] is None or value > best[0][0]):
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


def solve_roster(problem: ScheduleProblem, options: RosterOptions | None = None) -> RosterResult:
    """Build, solve and read a roster (the entry point of ``wfm schedule --agents``).

    When ``hard_coverage`` makes the model infeasible, the same roster is solved once more with
    soft coverage to find out what cannot be covered; the result keeps the infeasible status and
    carries those shortfalls (queue, interval, agents short, reason).
    """
    options = options or RosterOptions()
    model = build_model(problem, options)
    outcome = solve(model)
    result = read_result(model, outcome)
    if options.check and result.status.has_solution:
        problems = check_roster(result)
        if problems:
            raise RuntimeError("roster read-back does not match the model: " + problems[0])
    if outcome.status == SolveStatus.INFEASIBLE and problem.rules.hard_coverage:
        soft = problem.replace(rules=dataclasses.replace(problem.rules, hard_coverage=False))
        diagnosis_model = build_model(soft, options)
        diagnosis = read_result(diagnosis_model, solve(diagnosis_model))
        shortfalls = diagnosis.shortfalls
        if not diagnosis.status.has_solution:
            shortfalls = (
                Shortfall(
                    queue="",
                    interval_start=problem.axis[0],
                    short=0.0,
                    unit="agents",
                    reason="the roster rules cannot all hold together (minimum hours, "
                    "availability, days off, rest, consecutive days)",
                ),
            )
        result = dataclasses.replace(result, shortfalls=shortfalls)
    return result


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
    relaxation = pulp.HiGHS(
        mip=False,
        msg=False,
        timeLimit=max(1.0, 0.3 * budget_sec),
        threads=options.threads,
        solver="ipm",
        run_crossover="off",
    )
    plan.lp.solve(relaxation)
    if plan.lp.solverModel.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        stages["plan_lp"] = float(pulp.value(plan.lp.objective) or 0.0)
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
    :mod:`solvers.roster_rules` (hours, one shift a day, days off, rest, consecutive days, paid
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


# --------------------------------------------------------------------------- shortfalls


def _shortfalls(ctx: RosterContext, result: RosterResult) -> tuple[Shortfall, ...]:
    problem = ctx.problem
    q_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    out = []
    for v in result.violations:
        if v.rule not in ("understaff", "deadline", "outbound_hours") or v.queue is None:
            continue
        q = q_index[v.queue]
        if v.interval_start is not None:
            t = int(problem.axis.get_loc(v.interval_start))
            reason = _reason(ctx, result, q, t, v.amount)
            if v.rule == "deadline":
                reason = f"work past its deadline; {reason}"
            out.append(Shortfall(v.queue, v.interval_start, v.amount, v.unit, reason))
        else:
            dates = [problem.axis[p].date() for p in problem.day_starts]
            d = dates.index(pd.Timestamp(v.day).date())
            start = problem.day_starts[d]
            out.append(
                Shortfall(
                    v.queue,
                    problem.axis[start],
                    v.amount,
                    v.unit,
                    "outbound hours not placed: " + _day_reason(ctx, q, d),
                )
            )
    return tuple(out)


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


# --------------------------------------------------------------------------- export


def _activity(name: str, paid: bool) -> str:
    return name if name in ("break", "lunch") else ("break" if paid else "lunch")


def roster_segments(result: RosterResult) -> pd.DataFrame:
    """The schedule export: one row per agent activity segment (``wfm.schemas.SCHEDULE_COLUMNS``).

    Each shift is cut into ``work`` (with its queue), ``break`` and ``lunch`` segments; each day
    without a shift is one ``off`` row (local midnight to midnight). Within an interval, a break
    shorter than the interval comes first, then the agent's queue shares in order, each lasting
    its share of the interval (to the second); consecutive pieces with the same activity and
    queue are merged. A shift running past the end of a non-cyclic week is exported whole (the
    part beyond the week counts towards no coverage of this week).
    """
    problem = result.problem
    if result.assignment is None:
        return pd.DataFrame(columns=list(SCHEDULE_COLUMNS))
    n, iv = problem.n_intervals, problem.interval_minutes
    origin = problem.axis[0]
    step = pd.Timedelta(minutes=iv)
    queues = [queue.name for queue in problem.queues]

    def clock(raw: int, frac: float) -> pd.Timestamp:
        return (origin + step * raw + pd.Timedelta(seconds=round(frac * iv * 60))).tz_convert(
            problem.axis.tz
        )

    rows = []
    worked_days: dict[int, set[int]] = {}
    for s in result.shifts:
        agent = result.agents[s.agent]
        variant = problem.variants[s.variant]
        worked_days.setdefault(s.agent, set()).add(variant.day)
        start = variant.start
        if problem.cyclic and start < problem.day_starts[variant.day]:
            start += n
        end = start + variant.length
        breaks = {}
        for p, share, k in _break_pieces(problem, s, start):
            breaks[p] = (share, k)
        shift_start, shift_end = clock(start, 0.0), clock(end, 0.0)
        pieces: list[list] = []  # [activity, queue, paid, begin raw+frac, end raw+frac]
        skills = [q for q, name in enumerate(queues) if problem.groups[agent.group].serves(name)]
        last_q = skills[0] if skills else None
        for p in range(start, end):
            pos = p % n if problem.cyclic else p
            cursor = 0.0
            parts = []
            if p in breaks:
                share, k = breaks[p]
                option = variant.breaks[k]
                parts.append((_activity(option.name, option.paid), None, option.paid, share))
            if pos < n:
                shares = result.assignment[s.agent, :, pos]
                order = sorted(np.flatnonzero(shares > 1e-9), key=lambda q: q != last_q)
                for q in order:
                    parts.append(("work", queues[q], True, float(shares[q])))
                if order:
                    last_q = order[-1]
            else:
                rest = 1.0 - sum(part[3] for part in parts)
                if rest > 1e-9 and last_q is not None:
                    parts.append(("work", queues[last_q], True, rest))
            for activity, queue, paid, share in parts:
                begin, finish = cursor, min(1.0, cursor + share)
                cursor = finish
                if (
                    pieces
                    and pieces[-1][:3] == [activity, queue, paid]
                    and pieces[-1][4]
                    == (
                        p,
                        begin,
                    )
                ):
                    pieces[-1][4] = (p, finish)
                else:
                    pieces.append([activity, queue, paid, (p, begin), (p, finish)])
                if finish >= 1.0 - 1e-12:
                    pieces[-1][4] = (p + 1, 0.0)
        for activity, queue, paid, begin, finish in pieces:
            a_start, a_end = clock(*begin), clock(*finish)
            if a_end <= a_start:
                continue
            rows.append(
                {
                    "agent_id": agent.agent_id,
                    "agent_name": agent.name,
                    "team": agent.team,
                    "date": problem.axis[problem.day_starts[variant.day]].date().isoformat(),
                    "shift_start": shift_start,
                    "shift_end": shift_end,
                    "activity": activity,
                    "activity_start": a_start,
                    "activity_end": a_end,
                    "paid": bool(paid),
                    "queue": queue,
                }
            )
    starts = [*problem.day_starts, n]
    for agent in result.agents:
        for d in range(problem.n_days):
            if d in worked_days.get(agent.index, set()):
                continue
            rows.append(
                {
                    "agent_id": agent.agent_id,
                    "agent_name": agent.name,
                    "team": agent.team,
                    "date": problem.axis[starts[d]].date().isoformat(),
                    "shift_start": pd.NaT,
                    "shift_end": pd.NaT,
                    "activity": "off",
                    "activity_start": clock(starts[d], 0.0),
                    "activity_end": clock(starts[d + 1], 0.0),
                    "paid": False,
                    "queue": None,
                }
            )
    frame = pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS))
    # share of the agent's time in the segment on ``queue`` (the shift-plan export's column):
    # a roster segment is wholly on its queue
    frame["share"] = (frame["activity"] == "work").astype(float)
    for column in ("shift_start", "shift_end", "activity_start", "activity_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(problem.axis.tz)
    return frame.sort_values(["agent_id", "activity_start"], kind="stable").reset_index(drop=True)


def export_coverage(segments: pd.DataFrame, problem: ScheduleProblem) -> np.ndarray:
    """Agents at work per queue and interval recomputed from an export: ``[q, t]`` = the seconds
    of ``work`` segments on queue ``q`` inside interval ``t`` / interval seconds (a cyclic week
    folds times past its end back onto its start)."""
    n, iv = problem.n_intervals, problem.interval_minutes
    origin = problem.axis[0]
    seconds = iv * 60.0
    q_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    out = np.zeros((len(problem.queues), n))
    work = segments[segments["activity"] == "work"]
    begins = ((work["activity_start"] - origin).dt.total_seconds() / seconds).to_numpy()
    ends = ((work["activity_end"] - origin).dt.total_seconds() / seconds).to_numpy()
    for queue, begin, end in zip(work["queue"], begins, ends, strict=True):
        q = q_index[queue]
        p = math.floor(begin + 1e-9)
        while p < end - 1e-9:
            overlap = min(end, p + 1) - max(begin, p)
            pos = p % n if problem.cyclic else p
            if 0 <= pos < n and overlap > 0:
                out[q, pos] += overlap
            p += 1
    return out


def check_roster(result: RosterResult, tolerance: float = 1e-3) -> list[str]:
    """Recompute coverage from the export and compare with the model; check every agent's time.

    Returns a list of problems (empty when the roster is consistent): an agent over 100% of an
    interval, per-agent time not adding up to the group's at-work agents of the model, or export
    coverage differing from ``result.coverage`` by more than ``tolerance`` (plus the rounding of
    segment times to whole seconds).
    """
    problems = []
    if result.assignment is None:
        return problems
    problem = result.problem
    total = result.assignment.sum(axis=1)
    if np.any(total > 1 + 1e-9) or np.any(result.assignment < -1e-9):
        a, t = np.unravel_index(int(np.argmax(total)), total.shape)
        problems.append(f"agent {result.agents[a].agent_id} works {total[a, t]:.3f} at {t}")
    if np.any(np.abs(total - result.at_work) > 1e-6):
        problems.append("queue shares do not add up to the time at work")
    segments = roster_segments(result)
    recomputed = export_coverage(segments, problem)
    scheduled = (
        result.coverage["scheduled"].to_numpy().reshape(len(problem.queues), problem.n_intervals)
    )
    worst = float(np.max(np.abs(recomputed - scheduled), initial=0.0))
    pieces = max(1, len(result.problem.queues) + 2)
    allowed = tolerance + len(result.agents) * pieces / (problem.interval_minutes * 60)
    if worst > allowed:
        problems.append(f"export coverage differs from the model's by {worst:.4f} agents")
    return problems


def solve_problem(problem: ScheduleProblem, options: RosterOptions | None = None) -> RosterResult:
    """``wfm schedule --agents`` entry point (:func:`solve_roster`; without ``options``, the
    method is ``[solver] roster_method`` of the configuration)."""
    return solve_roster(problem, options or RosterOptions(method=problem.solver.roster_method))


def schedule_frame(result: RosterResult) -> pd.DataFrame:
    """``wfm schedule --agents`` export frame (same as :func:`roster_segments`)."""
    return roster_segments(result)
