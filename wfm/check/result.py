"""What the hard-rule check of a schedule found: :class:`Violation` and :class:`CheckResult`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ROSTER_RULES", "SHIFT_PLAN_RULES", "CheckResult", "Violation"]

#: Rules of every schedule (a shift plan's positions and a roster's agents).
SHIFT_PLAN_RULES = ("shift_template", "breaks", "activities", "skills", "one_shift_a_day")
#: Rules of a roster of named agents, in addition.
ROSTER_RULES = (
    *SHIFT_PLAN_RULES,
    "known_agent",
    "availability",
    "weekly_hours",
    "days_off",
    "max_consecutive_days",
    "min_rest",
)


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: which rule, whose schedule, which day, what exactly."""

    rule: str
    agent_id: str
    date: str
    message: str

    def __str__(self) -> str:
        day = f" on {self.date}" if self.date else ""
        return f"agent {self.agent_id}{day}: {self.rule}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "agent_id": self.agent_id,
            "date": self.date,
            "message": self.message,
        }


@dataclass(frozen=True)
class CheckResult:
    """The rules checked and the violations found (none: the schedule keeps every hard rule)."""

    rules_checked: tuple[str, ...]
    violations: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict:
        """The ``check`` object of the summary JSON."""
        return {
            "ok": self.ok,
            "rules_checked": list(self.rules_checked),
            "violations": [v.as_dict() for v in self.violations],
        }

    def describe(self, limit: int = 5) -> str:
        """The first ``limit`` violations in one line, then how many more."""
        if self.ok:
            return f"every hard rule kept ({', '.join(self.rules_checked)})"
        shown = "; ".join(str(v) for v in self.violations[:limit])
        more = len(self.violations) - limit
        return f"{len(self.violations)} hard-rule violation(s): {shown}" + (
            f"; and {more} more" if more > 0 else ""
        )
