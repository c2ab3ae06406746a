"""Shift plan: how many agents of each group start each shift variant, at minimum cost.

Three steps, each usable alone (a model can be inspected with ``model.lp.writeLP(path)``):

- :func:`build_model` ``(problem) -> ShiftPlanModel``: the PuLP integer program;
- :func:`solve` ``(model, options) -> SolveOutcome``: HiGHS (default, ``pulp.HiGHS`` on highspy)
  or CBC (``pulp.PULP_CBC_CMD``) with time limit, relative gap, threads;
- :func:`read_result` ``(model, outcome) -> ShiftPlanResult``: counts, break placements, queue
  assignment, coverage, violated soft rules and the shortfalls with their reasons.

:func:`solve_problem` runs the three (and explains an infeasible hard-coverage model).

Formulation
-----------
Implicit breaks (Bechtold & Jacobs 1990; Aykin 1996): integer shift counts ``x[v,g]`` per variant
and agent group, and integer break-start counts ``b[v,g,k,i]`` per break rule ``k`` with
``sum_i b[v,g,k,i] = x[v,g]``. Agents at work
``W[g,t] = sum_{v spans t} x[v,g] - sum share_t(v,k,i) b[v,g,k,i]``. Multi-skilled groups split
``W`` between queues with continuous ``a[g,q,t]`` (``sum_q a <= W``); see :mod:`solvers.rules`
for every constraint and penalty. Objective: paid cost + ``understaff_penalty * priority`` per
agent-interval short + ``overstaff_penalty`` per agent-interval over or idle + optional
``distinct_shift_penalty`` per distinct (start clock, length) shift used.

Tightening: each ``x[v,g]`` of a variant without breaks gets the upper bound ``M[v,g] =
ceil(max_{t in span(v)} sum_{q in skills(g)} required[q,t])``, valid when the group only works
live queues, overstaffing costs > 0 and shifts cost >= 0: with more agents than that, every
interval of the shift is overstaffed for that group and dropping one agent strictly improves the
objective. (With breaks the argument fails, as the extra agent may cover a colleague's break.)
Variants with ``M = 0`` are left out, and
``M`` is the big-M of the distinct-shift link ``sum_g x[v,g] <= M_v y_s`` (per day, not one
global maximum).
"""

from __future__ import annotations

import dataclasses
import math
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pulp

from solvers.highs import HighsWithStart, read_status
from solvers.problem import ScheduleProblem
from solvers.result import (
    ResultMixin,
    Shortfall,
    SolveOutcome,
    SolveStatus,
    Violation,
    summary_common,
)
from solvers.rules import RULES, ModelContext
from wfm.config import SolverOptions
from wfm.schemas import SCHEDULE_COLUMNS, SCHEDULE_OPTIONAL

__all__ = [
    "SCHEDULE_EXPORT_COLUMNS",
    "ShiftPlanModel",
    "ShiftPlanResult",
    "Shortfall",
    "SolveOutcome",
    "SolveStatus",
    "Violation",
    "build_model",
    "coverage_frame",
    "read_result",
    "schedule_frame",
    "solve",
    "solve_problem",
    "summary_common",
    "variant_upper_bounds",
]

_EPS = 1e-6


@dataclass
class ShiftPlanModel:
    """The PuLP problem and the handles the rules registered (variables, penalties)."""

    lp: pulp.LpProblem
    ctx: ModelContext

    @property
    def problem(self) -> ScheduleProblem:
        return self.ctx.problem


@dataclass(frozen=True)
class ShiftAssignment:
    """``count`` agents of ``group`` on variant ``variant`` (index), with their break starts."""

    variant: int
    group: str
    count: int
    #: Per break rule of the variant: ``((start position, agents), ...)``.
    breaks: tuple[tuple[tuple[int, int], ...], ...] = ()


@dataclass(frozen=True, eq=False)
class ShiftPlanResult(ResultMixin):
    """A solved (or not) shift plan.

    ``assignment[g, q, t]`` is the agent-time of group ``g`` on queue ``q`` at ``t`` and
    ``at_work[g, t]`` the agents of ``g`` at work; ``coverage`` the tidy coverage frame
    (``interval_start, queue, required, scheduled, gap`` with ``gap = scheduled - required``;
    for email/back office ``required`` is the work arriving and ``backlog`` the work waiting;
    for outbound ``required`` is empty: its target is per day, see the ``outbound_hours`` rule).
    """

    problem: ScheduleProblem
    outcome: SolveOutcome
    shifts: tuple[ShiftAssignment, ...] = ()
    assignment: np.ndarray | None = None
    at_work: np.ndarray | None = None
    coverage: pd.DataFrame | None = None
    violations: tuple[Violation, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    objective_terms: dict[str, float] = field(default_factory=dict)

    @property
    def distinct_shifts(self) -> int:
        variants = self.problem.variants
        return len({variants[s.variant].shift_key for s in self.shifts if s.count > 0})

    def summary(self) -> dict:
        """The summary JSON of the contract (+ rule violations, shortfalls and terms)."""
        return summary_common(
            self,
            self.violations,
            shifts=int(sum(s.count for s in self.shifts)),
            distinct_shifts=self.distinct_shifts,
        )

    def positions(self) -> list[tuple[int, str, int, tuple[int, ...]]]:
        """One row per agent position: ``(position number, group, variant, break starts)``.

        The break starts of a shift's ``count`` agents are handed out in order of start, so
        position ``i`` takes the ``i``-th placement of every break rule (windows never overlap).
        """
        rows = []
        number = 0
        for shift in self.shifts:
            per_rule = []
            for placements in shift.breaks:
                starts = [p for p, c in sorted(placements) for _ in range(c)]
                per_rule.append(starts)
            for i in range(shift.count):
                number += 1
                rows.append(
                    (number, shift.group, shift.variant, tuple(starts[i] for starts in per_rule))
                )
        return rows


# --------------------------------------------------------------------------- model


def variant_upper_bounds(
    problem: ScheduleProblem, zero_deviation: bool = False
) -> dict[tuple[int, int], int | None]:
    """``M[v,g]``: the most agents of group ``g`` that variant ``v`` can use (None: unbounded).

    See the module notes for why the bound is valid. With ``zero_deviation`` (coverage of live
    queues exact), a group that alone serves one live queue gets the much smaller
    ``floor(min_{t in core(v)} required[t])``: coverage never exceeds the requirement.
    """
    rules = problem.rules
    cost_ok = all(v.cost >= 0 for v in problem.variants) and all(
        g.cost_factor >= 0 for g in problem.groups
    )
    bounds: dict[tuple[int, int], int | None] = {}
    for g, group in enumerate(problem.groups):
        served = [q for q in problem.queues if group.serves(q.name)]
        live_only = all(q.kind == "live" for q in served)
        total = np.zeros(problem.n_intervals)
        for q in served:
            total = total + q.required
        for v, variant in enumerate(problem.variants):
            bound: int | None = group.max_count
            if live_only and rules.overstaff_penalty > 0 and cost_ok and not variant.breaks:
                peak = float(np.max(total[list(variant.cover)]))
                tight = max(0, math.ceil(peak - _EPS))
                bound = tight if bound is None else min(bound, tight)
            if zero_deviation and len(served) == 1 and served[0].kind == "live":
                others = [h for h in problem.groups if h is not group and h.serves(served[0].name)]
                core = variant.core() or variant.cover
                if not others and core:
                    low = math.floor(float(np.min(served[0].required[list(core)])) + _EPS)
                    bound = low if bound is None else min(bound, low)
            if not served:
                bound = 0
            bounds[v, g] = bound
    return bounds


def _unique_variants(problem: ScheduleProblem) -> list[int]:
    seen: set = set()
    keep = []
    for v, variant in enumerate(problem.variants):
        key = (
            variant.start,
            variant.length,
            variant.cover,
            variant.cost,
            variant.paid_minutes,
            variant.shift_key,
            tuple((b.paid, b.length_min, b.off) for b in variant.breaks),
        )
        if key not in seen:
            seen.add(key)
            keep.append(v)
    return keep


def build_model(problem: ScheduleProblem, *, zero_deviation: bool = False) -> ShiftPlanModel:
    """Build the shift-plan integer program of ``problem`` (rules: ``solvers.rules.RULES``).

    ``zero_deviation=True`` builds the restriction in which every live queue is covered exactly
    (its under- and overstaffing variables fixed at 0), the first step of
    :func:`solve_problem`'s ``zero_deviation_first`` strategy.
    """
    label = re.sub(r"\W+", "_", problem.name) or "week"
    lp = pulp.LpProblem(f"shift_plan_{label}", pulp.LpMinimize)
    n = problem.n_intervals
    upper = variant_upper_bounds(problem, zero_deviation)
    variants = _unique_variants(problem)
    x: dict[tuple[int, int], pulp.LpVariable] = {}
    b: dict[tuple[int, int, int, int], pulp.LpVariable] = {}
    terms: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
    span_terms: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
    for g, group in enumerate(problem.groups):
        for v in variants:
            bound = upper.get((v, g))
            if bound == 0:
                continue
            variant = problem.variants[v]
            var = pulp.LpVariable(f"x_{v}_{g}", lowBound=0, upBound=bound, cat=pulp.LpInteger)
            x[v, g] = var
            for t in variant.cover:
                terms.setdefault((g, t), []).append((var, 1.0))
                if group.max_count is not None:
                    span_terms.setdefault((g, t), []).append((var, 1.0))
            for k, option in enumerate(variant.breaks):
                for i, placement in enumerate(option.off):
                    bvar = pulp.LpVariable(
                        f"b_{v}_{g}_{k}_{i}", lowBound=0, upBound=bound, cat=pulp.LpInteger
                    )
                    b[v, g, k, i] = bvar
                    for t, share in placement:
                        terms.setdefault((g, t), []).append((bvar, -share))
    at_work = {key: pulp.LpAffineExpression(items) for key, items in terms.items()}
    spans = {key: pulp.LpAffineExpression(items) for key, items in span_terms.items()}
    ctx = ModelContext(
        problem=problem, lp=lp, variants=variants, x=x, b=b, at_work=at_work, spans=spans, a={}
    )
    ctx.upper = {key: upper.get(key) for key in x}
    for g, group in enumerate(problem.groups):
        served = [q for q, queue in enumerate(problem.queues) if group.serves(queue.name)]
        if len(served) == 1:
            ctx.direct.add(g)
            q = served[0]
            for t in range(n):
                if (g, t) in at_work:
                    ctx.a[g, q, t] = at_work[g, t]
            continue
        day = problem.day_of()
        for q in served:
            queue = problem.queues[q]
            for t in range(n):
                if (g, t) not in at_work:
                    continue
                if queue.kind == "live" and queue.required[t] <= 0:
                    continue
                if queue.kind == "daily" and not (queue.hours_per_day or ())[day[t]]:
                    continue
                ctx.a[g, q, t] = pulp.LpVariable(f"a_{g}_{q}_{t}", lowBound=0)
    for rule in RULES:
        rule.add(ctx)
    if zero_deviation:
        for penalty in ctx.penalties:
            if penalty.rule in ("understaff", "overstaff") and penalty.queue is not None:
                penalty.var.upBound = 0
        _start_end_cuts(ctx)
    lp += pulp.LpAffineExpression(
        [(p.var, p.weight) for p in ctx.penalties if isinstance(p.var, pulp.LpVariable)]
    ) + pulp.lpSum(
        p.weight * p.var for p in ctx.penalties if not isinstance(p.var, pulp.LpVariable)
    )
    return ShiftPlanModel(lp=lp, ctx=ctx)


def _start_end_cuts(ctx: ModelContext) -> None:
    """Valid inequalities of the exact-coverage restriction (distinct-shift links).

    When one group alone serves a live queue and its variants have no breaks, exact coverage
    means ``W[t] - W[t-1] = required[t] - required[t-1]``: where the requirement rises at ``t``,
    some shift starts at ``t``, and where it falls, some shift ends. So at least one distinct
    shift with that start clock (end clock) is used: ``sum_{s starts at clock(t)} y_s >= 1``.
    The integer program implies it; its LP relaxation does not (``y`` may be fractional).
    """
    problem = ctx.problem
    if not ctx.y:
        return
    n = problem.n_intervals
    for g in ctx.direct:
        group = problem.groups[g]
        queues = [q for q in problem.queues if group.serves(q.name)]
        if len(queues) != 1 or queues[0].kind != "live":
            continue
        if any(h is not group and h.serves(queues[0].name) for h in problem.groups):
            return
        if any(problem.variants[v].breaks for (v, gg) in ctx.x if gg == g):
            return
        required = np.asarray(queues[0].required, dtype=float)
        if np.any(np.abs(required - np.round(required)) > _EPS):
            return  # fractional requirements are never covered exactly
        starts: dict[int, set] = {}
        ends: dict[int, set] = {}
        for v, gg in ctx.x:
            if gg != g:
                continue
            variant = problem.variants[v]
            starts.setdefault(variant.start, set()).add(variant.shift_key)
            end = variant.start + variant.length
            ends.setdefault(end % n if problem.cyclic else end, set()).add(variant.shift_key)
        for t in range(n):
            if t == 0 and not problem.cyclic:
                continue
            delta = required[t] - required[t - 1]
            if delta > 0:
                keys = starts.get(t, set())
                kind = "start"
            elif delta < 0:
                keys = ends.get(t, set())
                kind = "end"
            else:
                continue
            if keys:
                ctx.add(pulp.lpSum(ctx.y[k] for k in sorted(keys)) >= 1, f"cut_{kind}_{t}")


# --------------------------------------------------------------------------- solve


def _solver(
    options: SolverOptions, log_path: str | None, start: dict[str, float] | None = None
) -> pulp.LpSolver:
    if options.name == "highs":
        return HighsWithStart(
            start=start,
            msg=options.msg,
            timeLimit=options.time_limit_sec,
            gapRel=options.gap,
            threads=options.threads,
        )
    return pulp.PULP_CBC_CMD(
        warmStart=bool(start),
        msg=options.msg,
        timeLimit=options.time_limit_sec,
        gapRel=options.gap,
        threads=options.threads,
        logPath=log_path,
    )


def _rel_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9) if objective else 0.0


def solve(
    model: ShiftPlanModel,
    options: SolverOptions | None = None,
    start: dict[str, float] | None = None,
) -> SolveOutcome:
    """Solve ``model`` with the solver named in ``options`` (default: the problem's options).

    Returns the status on two axes: proven optimal (within the relative gap ``options.gap``) or
    feasible at the time limit (with the gap reached), infeasible, or no solution found.
    ``start`` (variable name -> value) is handed to the solver as a starting solution.
    """
    options = options or model.problem.solver
    lp = model.lp
    if start and options.name == "cbc":
        for var in lp.variables():
            if var.name in start:
                var.setInitialValue(start[var.name])
    with tempfile.TemporaryDirectory() as tmp:
        log_path = str(Path(tmp) / "cbc.log") if options.name == "cbc" else None
        solver = _solver(options, log_path, start)
        started = time.perf_counter()
        lp.solve(solver)
        elapsed = time.perf_counter() - started
        log = (
            Path(log_path).read_text(errors="replace")
            if log_path and Path(log_path).exists()
            else ""
        )
    objective = pulp.value(lp.objective)
    objective = float(objective) if objective is not None else None
    bound = None
    if options.name == "highs":
        status, objective, bound = read_status(lp, objective)
    else:
        if lp.status == pulp.LpStatusInfeasible:
            status = SolveStatus.INFEASIBLE
        elif lp.sol_status == pulp.LpSolutionOptimal:
            status = SolveStatus.OPTIMAL
        elif lp.sol_status == pulp.LpSolutionIntegerFeasible:
            status = SolveStatus.FEASIBLE
        else:
            status = SolveStatus.NOT_SOLVED
        match = re.findall(r"(?:Lower bound|best possible)[:\s]+(-?[\d.eE+-]+)", log)
        bound = (
            float(match[-1]) if match else (objective if status == SolveStatus.OPTIMAL else None)
        )
    if not status.has_solution:
        objective = None
    gap = _rel_gap(objective, bound) if status.has_solution else None
    if status == SolveStatus.OPTIMAL and gap is not None and gap > options.gap + 1e-9:
        status = SolveStatus.FEASIBLE  # stopped on a limit that the interface reports as optimal
    return SolveOutcome(status, objective, bound, gap, elapsed, options.name)


# --------------------------------------------------------------------------- result


def _value(var: pulp.LpVariable | pulp.LpAffineExpression) -> float:
    value = var.value() if isinstance(var, pulp.LpVariable) else pulp.value(var)
    return float(value or 0.0)


def read_result(model: ShiftPlanModel, outcome: SolveOutcome) -> ShiftPlanResult:
    """Read the counts, breaks, queue split, coverage, bent rules and shortfalls of a solve."""
    problem = model.problem
    ctx = model.ctx
    if not outcome.status.has_solution:
        return ShiftPlanResult(problem=problem, outcome=outcome)
    n, n_groups, n_queues = problem.n_intervals, len(problem.groups), len(problem.queues)
    shifts = []
    for (v, g), var in ctx.x.items():
        count = round(_value(var))
        if count <= 0:
            continue
        per_rule = []
        for k in range(len(problem.variants[v].breaks)):
            option = problem.variants[v].breaks[k]
            placed = []
            for i, start in enumerate(option.starts):
                c = round(_value(ctx.b[v, g, k, i]))
                if c > 0:
                    placed.append((start, c))
            per_rule.append(tuple(placed))
        shifts.append(ShiftAssignment(v, problem.groups[g].name, count, tuple(per_rule)))
    at_work = np.zeros((n_groups, n))
    for (g, t), expr in ctx.at_work.items():
        at_work[g, t] = _value(expr)
    assignment = np.zeros((n_groups, n_queues, n))
    for (g, q, t), var in ctx.a.items():
        assignment[g, q, t] = _value(var)
    assignment[np.abs(assignment) < 1e-9] = 0.0
    terms: dict[str, float] = {}
    violations = []
    for p in ctx.penalties:
        amount = _value(p.var)
        terms[p.rule] = terms.get(p.rule, 0.0) + amount * p.weight
        if p.rule == "paid_cost" or amount <= _EPS:
            continue
        violations.append(
            Violation(
                rule=p.rule,
                amount=amount,
                unit=p.unit,
                penalty=amount * p.weight,
                queue=p.queue,
                interval_start=problem.axis[p.position] if p.position is not None else None,
                day=str(problem.axis[problem.day_starts[p.day]].date())
                if p.day is not None
                else None,
                group=p.group,
            )
        )
    coverage = coverage_frame(problem, assignment, ctx)
    result = ShiftPlanResult(
        problem=problem,
        outcome=outcome,
        shifts=tuple(shifts),
        assignment=assignment,
        at_work=at_work,
        coverage=coverage,
        violations=tuple(violations),
        objective_terms=terms,
    )
    return _with_shortfalls(result, ctx)


def coverage_frame(
    problem: ScheduleProblem, assignment: np.ndarray, ctx: ModelContext
) -> pd.DataFrame:
    """The coverage CSV's frame: per queue and interval ``required``, ``scheduled`` (agents at
    work on the queue, from ``assignment[group, queue, t]``) and ``gap`` (+ ``backlog`` for
    email and back office; outbound has no per-interval requirement)."""
    frames = []
    for q, queue in enumerate(problem.queues):
        scheduled = assignment[:, q, :].sum(axis=0)
        if queue.kind == "backlog":
            required = np.asarray(queue.arrivals, dtype=float)
        elif queue.kind == "daily":
            required = np.full(problem.n_intervals, np.nan)
        else:
            required = np.asarray(queue.required, dtype=float)
        frame = pd.DataFrame(
            {
                "interval_start": problem.axis,
                "queue": queue.name,
                "required": required,
                "scheduled": scheduled,
                "gap": scheduled - required,
            }
        )
        if queue.kind == "backlog":
            frame["backlog"] = [_value(ctx.backlog[q, t]) for t in range(problem.n_intervals)]
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["interval_start", "queue", "required", "scheduled", "gap"])
    return pd.concat(frames, ignore_index=True)


def _reason(problem: ScheduleProblem, ctx: ModelContext, q: int, t: int, values: dict) -> str:
    name = problem.queues[q].name
    serving = [g for g, group in enumerate(problem.groups) if group.serves(name)]
    if not serving:
        return "no agent group has the skill"
    if not any((g, t) in ctx.at_work for g in serving):  # no variant of a serving group spans t
        return "no shift covers it"
    limited = [problem.groups[g] for g in serving if problem.groups[g].max_count is not None]
    if len(limited) == len(serving):
        busy = all(
            values.get((g, t), 0.0) >= problem.groups[g].max_count - _EPS
            for g in serving
            if (g, t) in ctx.spans
        )
        week = all(
            values.get(("week", g), 0.0)
            >= problem.groups[g].max_count
            * max(0, problem.n_days - problem.rules.days_off_per_week)
            - _EPS
            for g in serving
        )
        if busy or week:
            return "not enough agents with the skill"
    if problem.agents is not None:
        return "availability"
    return "cheaper to leave short (understaff penalty below the cost of another shift)"


def _with_shortfalls(result: ShiftPlanResult, ctx: ModelContext) -> ShiftPlanResult:
    problem = result.problem
    spans: dict = {key: _value(expr) for key, expr in ctx.spans.items()}
    for (_v, g), var in ctx.x.items():
        spans["week", g] = spans.get(("week", g), 0.0) + _value(var)
    shortfalls = []
    q_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    for v in result.violations:
        if v.rule not in ("understaff", "deadline", "outbound_hours") or v.queue is None:
            continue
        q = q_index[v.queue]
        if v.interval_start is not None:
            t = int(problem.axis.get_loc(v.interval_start))
            reason = _reason(problem, ctx, q, t, spans)
            if v.rule == "deadline":
                reason = f"work past its deadline; {reason}"
            shortfalls.append(Shortfall(v.queue, v.interval_start, v.amount, v.unit, reason))
        else:
            day = pd.Timestamp(v.day).date()
            start = problem.day_starts[
                [d.date() for d in problem.axis[list(problem.day_starts)]].index(day)
            ]
            shortfalls.append(
                Shortfall(
                    v.queue,
                    problem.axis[start],
                    v.amount,
                    v.unit,
                    "outbound hours not placed: " + _reason(problem, ctx, q, start, spans),
                )
            )
    return ShiftPlanResult(
        problem=result.problem,
        outcome=result.outcome,
        shifts=result.shifts,
        assignment=result.assignment,
        at_work=result.at_work,
        coverage=result.coverage,
        violations=result.violations,
        shortfalls=tuple(shortfalls),
        objective_terms=result.objective_terms,
    )


def _zero_deviation_start(
    problem: ScheduleProblem, options: SolverOptions, started: float, share: float
) -> dict[str, float] | None:
    """A starting plan that covers every live queue exactly, with few distinct shifts.

    Step 1 minimises the distinct shifts of the exact-coverage restriction for a third of its
    budget. If that is not proven optimal and the objective is the distinct-shift count alone
    (shifts cost nothing), the number of distinct shifts is then explored upwards from the
    proven lower bound ``S = ceil(bound / w)``: the restriction with ``sum_s y_s <= S`` is solved
    (a feasibility question that the solver settles much faster), and ``S`` grows by one while
    it is proven infeasible, until a plan better than step 1's is found or the budget is spent.
    """
    budget = options.time_limit_sec * share
    weight = problem.rules.distinct_shift_penalty
    pure_count = weight > 0 and all(
        v.cost * g.cost_factor == 0 for v in problem.variants for g in problem.groups
    )
    first = build_model(problem, zero_deviation=True)
    step_sec = budget / 3 if pure_count else budget
    outcome = solve(first, dataclasses.replace(options, time_limit_sec=max(1.0, step_sec)))
    start = None
    if outcome.status.has_solution:
        start = {var.name: float(var.value() or 0.0) for var in first.lp.variables()}
    if outcome.status != SolveStatus.FEASIBLE or not pure_count or outcome.bound is None:
        return start
    count = math.ceil(outcome.bound / weight - 1e-6)
    best = outcome.objective if outcome.objective is not None else math.inf
    while count * weight < best - 1e-6:
        left = budget - (time.perf_counter() - started)
        if left < 1.0:
            break
        capped = build_model(problem, zero_deviation=True)
        capped.lp += pulp.lpSum(capped.ctx.y.values()) <= count, "distinct_shift_cap"
        trial = solve(capped, dataclasses.replace(options, time_limit_sec=left))
        if trial.status.has_solution:
            return {var.name: float(var.value() or 0.0) for var in capped.lp.variables()}
        if trial.status != SolveStatus.INFEASIBLE:
            break  # out of time without an answer
        count += 1
    return start


def solve_problem(
    problem: ScheduleProblem,
    options: SolverOptions | None = None,
    *,
    zero_deviation_first: bool = False,
    first_share: float = 0.8,
) -> ShiftPlanResult:
    """Build, solve and read a shift plan.

    With ``zero_deviation_first`` the search is lexicographic in two steps: first the
    restriction where every live queue is covered exactly (:func:`build_model` with
    ``zero_deviation=True``: much smaller bounds, so it solves fast when such a plan exists;
    see :func:`_zero_deviation_start`), for at most ``first_share`` of the time limit; then the
    full model, started from that plan, for the rest of the time. The full model's optimum is
    never worse than the first step's.

    When ``hard_coverage`` makes the model infeasible, the same problem is solved once more with
    soft coverage to find out what cannot be covered; the result keeps the infeasible status and
    carries those shortfalls (queue, interval, agents short, reason).
    """
    options = options or problem.solver
    start = None
    started = time.perf_counter()
    if zero_deviation_first:
        start = _zero_deviation_start(problem, options, started, first_share)
    model = build_model(problem)
    remaining = options.time_limit_sec - (time.perf_counter() - started)
    outcome = solve(model, dataclasses.replace(options, time_limit_sec=max(1.0, remaining)), start)
    if zero_deviation_first:
        outcome = dataclasses.replace(outcome, solve_sec=time.perf_counter() - started)
    result = read_result(model, outcome)
    if outcome.status == SolveStatus.INFEASIBLE and problem.rules.hard_coverage:
        soft = problem.replace(rules=dataclasses.replace(problem.rules, hard_coverage=False))
        diagnosis_model = build_model(soft)
        diagnosis = read_result(diagnosis_model, solve(diagnosis_model, options))
        result = ShiftPlanResult(problem=problem, outcome=outcome, shortfalls=diagnosis.shortfalls)
    return result


# --------------------------------------------------------------------------- export


def schedule_frame(result: ShiftPlanResult) -> pd.DataFrame:
    """The schedule export (one row per activity segment) of a shift plan.

    Columns: ``agent_id`` (position number), ``agent_name``, ``team`` (the agent group), ``date``
    (local date the shift starts), ``shift_start``, ``shift_end``, ``activity`` (``work`` or the
    break's label), ``activity_start``, ``activity_end``, ``paid``, ``queue`` and ``share``: the
    share of the agent's time in that segment spent on ``queue`` (1.0 for a single-skilled agent;
    a multi-skilled agent's shares in one segment add up to at most 1, the rest is idle time).
    Work segments are split at breaks and wherever the queue split changes.
    """
    problem = result.problem
    columns = [*SCHEDULE_EXPORT_COLUMNS]
    if not result.shifts:
        return pd.DataFrame(columns=columns)
    n = problem.n_intervals
    step = pd.Timedelta(minutes=problem.interval_minutes)
    group_index = {g.name: i for i, g in enumerate(problem.groups)}
    queue_names = [q.name for q in problem.queues]
    assert result.assignment is not None and result.at_work is not None
    rows = []
    for number, group_name, v, break_starts in result.positions():
        g = group_index[group_name]
        variant = problem.variants[v]
        start = problem.axis[variant.start]
        end = start + step * variant.length
        breaks = []
        for option, position in zip(variant.breaks, break_starts, strict=True):
            offset = (position - variant.start) % n if problem.cyclic else position - variant.start
            b_start = start + step * offset
            breaks.append((b_start, b_start + pd.Timedelta(minutes=option.length_min), option))
        base = {
            "agent_id": number,
            "agent_name": f"{group_name} position {number}",
            "team": group_name,
            "date": start.date().isoformat(),
            "shift_start": start,
            "shift_end": end,
        }
        pieces: list[list] = []  # [piece start, piece end, shares]
        for i in range(variant.length):
            t0, t1 = start + step * i, start + step * (i + 1)
            raw = variant.start + i
            pos = None if raw >= n and not problem.cyclic else raw % n
            shares = _shares(result, g, pos, queue_names)
            cuts = [(t0, t1)]
            for b0, b1, _ in breaks:
                cuts = [
                    piece
                    for c0, c1 in cuts
                    for piece in ((c0, min(c1, b0)), (max(c0, b1), c1))
                    if piece[1] > piece[0]
                ]
            for c0, c1 in cuts:
                if pieces and pieces[-1][1] == c0 and pieces[-1][2] == shares:
                    pieces[-1][1] = c1
                else:
                    pieces.append([c0, c1, shares])
        for c0, c1, shares in pieces:
            for queue, share in shares:
                rows.append(
                    {
                        **base,
                        "activity": "work",
                        "activity_start": c0,
                        "activity_end": c1,
                        "paid": True,
                        "queue": queue,
                        "share": share,
                    }
                )
        for b0, b1, option in breaks:
            rows.append(
                {
                    **base,
                    "activity": option.name,
                    "activity_start": b0,
                    "activity_end": b1,
                    "paid": option.paid,
                    "queue": "",
                    "share": 0.0,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["agent_id", "activity_start", "queue"], kind="stable").reset_index(
        drop=True
    )


#: Columns of the schedule export (the contract's columns + ``share``).
SCHEDULE_EXPORT_COLUMNS = (*SCHEDULE_COLUMNS, *SCHEDULE_OPTIONAL)


def _shares(
    result: ShiftPlanResult, g: int, pos: int | None, queue_names: list[str]
) -> tuple[tuple[str, float], ...]:
    """``((queue, share), ...)`` of one agent of group ``g`` at position ``pos``: every agent of
    the group at work there gets the same split ``a[g,q,t] / W[g,t]``."""
    if pos is None:
        return ()
    work = float(result.at_work[g, pos])
    if work <= _EPS:
        return ()
    shares = []
    for q, name in enumerate(queue_names):
        value = float(result.assignment[g, q, pos])
        if value > _EPS:
            shares.append((name, round(min(1.0, value / work), 6)))
    return tuple(shares)
