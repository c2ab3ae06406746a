"""Result types shared by shift plans and rosters.

:class:`SolveStatus` and :class:`SolveOutcome` say how a solve ended; :class:`Violation` and
:class:`Shortfall` say which soft rule was bent and which queue was left short, and why.
:class:`ResultMixin` holds what every schedule result derives from those (status, paid hours,
cost, gap, understaffing, the summary JSON), so each result keeps only its own fields.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "SHORT_RULES",
    "ResultMixin",
    "Shortfall",
    "SolveOutcome",
    "SolveStatus",
    "Violation",
    "shortfalls_of",
    "summary_common",
]


class SolveStatus(enum.Enum):
    """How the solver ended: proven optimal, feasible at a limit, infeasible, or no solution."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    NOT_SOLVED = "not_solved"

    @property
    def has_solution(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


@dataclass(frozen=True)
class SolveOutcome:
    """What the solver said: status, objective, best bound, relative gap, seconds, solver name."""

    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    solve_sec: float
    solver: str


@dataclass(frozen=True)
class Violation:
    """A soft rule bent: ``amount`` (in ``unit``) at a queue/interval/day, costing ``penalty``."""

    rule: str
    amount: float
    unit: str
    penalty: float
    queue: str | None = None
    interval_start: pd.Timestamp | None = None
    day: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Shortfall:
    """A queue short at an interval (or a day, for outbound) and the binding reason."""

    queue: str
    interval_start: pd.Timestamp
    short: float
    unit: str
    reason: str


#: The violations that leave a queue short (a :class:`Shortfall` each).
SHORT_RULES = ("understaff", "deadline", "outbound_hours")


def shortfalls_of(
    problem,
    violations,
    interval_reason: Callable[[int, int, float], str],
    day_reason: Callable[[int, int, int], str],
) -> tuple[Shortfall, ...]:
    """The shortfalls of a schedule's violations, each with its binding reason.

    ``interval_reason(q, t, short)`` explains queue ``q`` short at position ``t``;
    ``day_reason(q, d, start)`` explains outbound hours of queue ``q`` not placed on day ``d``
    (starting at position ``start``). Work past its deadline is said so before its reason.
    """
    q_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    dates = [problem.axis[p].date() for p in problem.day_starts]
    out = []
    for v in violations:
        if v.rule not in SHORT_RULES or v.queue is None:
            continue
        q = q_index[v.queue]
        if v.interval_start is not None:
            reason = interval_reason(q, int(problem.axis.get_loc(v.interval_start)), v.amount)
            if v.rule == "deadline":
                reason = f"work past its deadline; {reason}"
            out.append(Shortfall(v.queue, v.interval_start, v.amount, v.unit, reason))
        else:
            d = dates.index(pd.Timestamp(v.day).date())
            start = problem.day_starts[d]
            reason = "outbound hours not placed: " + day_reason(q, d, start)
            out.append(Shortfall(v.queue, problem.axis[start], v.amount, v.unit, reason))
    return tuple(out)


class ResultMixin:
    """What a schedule result derives from its fields.

    The result class (a frozen dataclass) provides ``problem`` (a ``ScheduleProblem``),
    ``outcome`` (:class:`SolveOutcome`), ``shifts`` (each with a ``variant`` index and, when it
    stands for several agents, a ``count``), ``shortfalls`` and ``objective_terms``.
    """

    @property
    def status(self) -> SolveStatus:
        return self.outcome.status

    @property
    def gap(self) -> float | None:
        """The solver's relative gap (None without a solution or a bound)."""
        return self.outcome.gap

    @property
    def paid_hours(self) -> float:
        variants = self.problem.variants
        return (
            sum(variants[s.variant].paid_minutes * getattr(s, "count", 1) for s in self.shifts) / 60
        )

    @property
    def cost(self) -> float:
        return self.objective_terms.get("paid_cost", 0.0)

    @property
    def understaff_agent_intervals(self) -> float:
        """Agent-intervals short over live queues (plus late and outbound work, in intervals)."""
        hours = self.problem.interval_minutes / 60
        return sum(s.short / hours if s.unit == "agent-hours" else s.short for s in self.shortfalls)

    @property
    def understaffed_intervals(self) -> int:
        """Number of (queue, interval) pairs short by more than 0.01 agents."""
        return sum(1 for s in self.shortfalls if s.unit == "agent-intervals" and s.short > 0.01)


def summary_common(result: ResultMixin, violations, **specific) -> dict:
    """The summary JSON shared by shift plans and rosters.

    ``result`` offers ``status``, ``outcome``, ``paid_hours``, ``cost``, the understaffing
    counts, ``objective_terms`` and ``shortfalls``; ``specific`` are the mode's own keys,
    placed after ``cost``. Violations are summed per rule.
    """
    by_rule: dict[str, dict] = {}
    for v in violations:
        entry = by_rule.setdefault(v.rule, {"amount": 0.0, "penalty": 0.0, "count": 0})
        entry["amount"] = round(entry["amount"] + v.amount, 6)
        entry["penalty"] = round(entry["penalty"] + v.penalty, 6)
        entry["count"] += 1
        entry["unit"] = v.unit
    outcome = result.outcome
    return {
        "status": result.status.value,
        "objective": outcome.objective,
        "bound": outcome.bound,
        "gap": outcome.gap,
        "solver": outcome.solver,
        "solve_sec": round(outcome.solve_sec, 3),
        "paid_hours": round(result.paid_hours, 4),
        "cost": round(result.cost, 4),
        **specific,
        "understaffed_intervals": result.understaffed_intervals,
        "understaff_agent_intervals": round(result.understaff_agent_intervals, 4),
        "objective_terms": {k: round(v, 4) for k, v in result.objective_terms.items()},
        "violations": by_rule,
        "shortfalls": [
            {
                "queue": s.queue,
                "interval_start": s.interval_start.isoformat(),
                "short": round(s.short, 4),
                "unit": s.unit,
                "reason": s.reason,
            }
            for s in result.shortfalls
        ],
    }
