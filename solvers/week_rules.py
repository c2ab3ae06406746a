"""The hard rules of one agent's week, in one place.

:class:`WeekRules` decides whether a week (one shift variant per worked day) keeps the roster's
hard agent rules: at most one shift a day, at most ``n_days - days_off_per_week`` worked days,
weekly paid hours within the agent's minimum and maximum, no ``max_consecutive_days + 1``
worked days in a row (wrapping in a cyclic week), and ``min_rest_hours`` between the end of a
shift and the start of the next (also from the last shift of a cyclic week to the first). An
agent's availability and skills are the variants it has (``allowed``). The greedy roster, the
local search and the day patterns of the roster model all ask it, so they agree with each other
and with the integer program of :mod:`solvers.roster.rules`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from solvers.roster.context import RosterContext

__all__ = ["WeekRules", "work_windows"]

_TOL = 1e-9


def work_windows(n_days: int, max_consecutive: int, cyclic: bool) -> list[list[int]]:
    """Every ``max_consecutive + 1`` days in a row (wrapping in a cyclic week): each must hold
    a day off. None when the limit is the whole period or more."""
    m = max_consecutive
    if m >= n_days:
        return []
    starts = range(n_days) if cyclic else range(n_days - m)
    return [[(d0 + k) % n_days for k in range(m + 1)] for d0 in starts]


@dataclass(frozen=True)
class WeekRules:
    """The week rules of a roster problem; positions are intervals of the week's axis.

    Attributes
    ----------
    n_days, n_intervals
        Days and intervals of the planning week.
    work_limit
        Most worked days (``n_days - days_off_per_week``).
    max_consecutive
        Most worked days in a row.
    rest
        Least intervals between a shift's end and the next shift's start.
    cyclic
        The week wraps: Sunday is followed by Monday of the same week.
    day, start, end, paid_h
        Per variant: its day, first and end position, paid hours.
    """

    n_days: int
    work_limit: int
    max_consecutive: int
    rest: int
    n_intervals: int
    cyclic: bool
    day: Mapping[int, int]
    start: Mapping[int, int]
    end: Mapping[int, int]
    paid_h: Mapping[int, float]

    @classmethod
    def from_context(cls, ctx: RosterContext) -> WeekRules:
        """The rules of the roster context's problem, over its variants."""
        problem = ctx.problem
        rules = problem.rules
        return cls(
            n_days=problem.n_days,
            work_limit=max(0, problem.n_days - rules.days_off_per_week),
            max_consecutive=rules.max_consecutive_days,
            rest=round(rules.min_rest_hours * 60 / problem.interval_minutes),
            n_intervals=problem.n_intervals,
            cyclic=problem.cyclic,
            day={v: problem.variants[v].day for v in ctx.variants},
            start=dict(ctx.start),
            end=dict(ctx.end),
            paid_h={v: problem.variants[v].paid_minutes / 60 for v in ctx.variants},
        )

    def days_ok(self, days: Collection[int]) -> bool:
        """Whether working on ``days`` keeps the days-off and consecutive-days rules."""
        if len(days) > self.work_limit:
            return False
        windows = work_windows(self.n_days, self.max_consecutive, self.cyclic)
        return not any(all(d in days for d in window) for window in windows)

    def rest_ok(self, week: Mapping[int, int]) -> bool:
        """Whether every shift of ``week`` (day -> variant) starts at least ``rest`` after the
        end of every earlier one (and, in a cyclic week, of every later one, a week on)."""
        days = sorted(week)
        for i, d1 in enumerate(days):
            v = week[d1]
            for d2 in days[i + 1 :]:
                if self.start[week[d2]] < self.end[v] + self.rest:
                    return False
            if self.cyclic:
                for d2 in days[:i]:
                    if self.start[week[d2]] + self.n_intervals < self.end[v] + self.rest:
                        return False
        return True

    def ok(
        self,
        week: Mapping[int, int],
        min_h: float,
        max_h: float,
        allowed: Collection[int] | None = None,
    ) -> bool:
        """Whether ``week`` (day -> variant) keeps every hard rule for an agent with weekly
        paid hours ``min_h``..``max_h`` and, when given, the variants ``allowed`` to it."""
        if any(self.day[v] != d for d, v in week.items()):
            return False
        if allowed is not None and any(v not in allowed for v in week.values()):
            return False
        hours = sum(self.paid_h[v] for v in week.values())
        if hours < min_h - _TOL or hours > max_h + _TOL:
            return False
        return self.days_ok(week.keys()) and self.rest_ok(week)
