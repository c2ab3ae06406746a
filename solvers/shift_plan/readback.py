"""A solved shift plan read back: counts, breaks, queue split, coverage, bent rules, shortfalls."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from solvers.problem import ScheduleProblem
from solvers.result import (
    ResultMixin,
    Shortfall,
    SolveOutcome,
    Violation,
    shortfalls_of,
    summary_common,
)
from solvers.rules import ModelContext
from solvers.shift_plan.model import ShiftPlanModel

__all__ = [
    "ShiftAssignment",
    "ShiftPlanResult",
    "coverage_frame",
    "read_result",
]

_EPS = 1e-6


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
    shortfalls = shortfalls_of(
        problem,
        result.violations,
        lambda q, t, _short: _reason(problem, ctx, q, t, spans),
        lambda q, _d, start: _reason(problem, ctx, q, start, spans),
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
