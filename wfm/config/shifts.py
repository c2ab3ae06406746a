"""Shift templates, their breaks and the scheduling rules (``[[shifts]]``, ``[rules]``)."""

from __future__ import annotations

from dataclasses import dataclass

from wfm.axis import DAY_NAMES
from wfm.config.common import (
    check,
    check_days,
    clock_to_minutes,
)


@dataclass(frozen=True)
class BreakRule:
    """A break or lunch inside a shift, placed by the scheduler inside its window.

    The window is counted from the shift start: the break starts between ``earliest_after_min``
    and ``latest_after_min`` minutes after it.
    """

    length_min: int
    paid: bool = True
    earliest_after_min: int = 0
    latest_after_min: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        check(self.length_min > 0, "a break needs length_min > 0", "breaks.length_min")
        check(
            0 <= self.earliest_after_min <= self.latest_after_min,
            "a break needs 0 <= earliest_after_min <= latest_after_min",
            "breaks.latest_after_min",
        )

    @property
    def label(self) -> str:
        """``lunch`` for unpaid breaks, ``break`` for paid ones, unless named."""
        return self.name or ("break" if self.paid else "lunch")


@dataclass(frozen=True)
class ShiftTemplate:
    """A family of shifts: a start window, a step, lengths, days and breaks.

    A start window may cross midnight (``latest_start`` earlier than ``earliest_start``), and a
    shift may end after midnight: it then covers the next morning.
    """

    name: str
    earliest_start: str
    latest_start: str
    length_hours: tuple[float, ...]
    start_step_min: int = 15
    days: tuple[str, ...] = DAY_NAMES
    #: Cost of one shift; or, when None, ``cost_per_hour`` times paid hours.
    cost: float | None = None
    cost_per_hour: float | None = None
    breaks: tuple[BreakRule, ...] = ()

    def __post_init__(self) -> None:
        key = f"shift {self.name!r}"
        clock_to_minutes(self.earliest_start, f"{key}.earliest_start")
        clock_to_minutes(self.latest_start, f"{key}.latest_start")
        check(self.start_step_min > 0, "start_step_min must be > 0", f"{key}.start_step_min")
        check(
            len(self.length_hours) > 0,
            "length_hours needs at least one length",
            f"{key}.length_hours",
        )
        for hours in self.length_hours:
            check(
                0 < hours <= 24,
                f"a shift length must be in (0, 24] hours (a shift longer than a day is two "
                f"shifts), got {hours:g}",
                f"{key}.length_hours",
            )
        check_days(self.days, f"{key}.days")
        check(self.cost is None or self.cost >= 0, "cost must be >= 0", f"{key}.cost")
        check(
            self.cost_per_hour is None or self.cost_per_hour >= 0,
            "cost_per_hour must be >= 0",
            f"{key}.cost_per_hour",
        )
        for rule in self.breaks:
            check(
                rule.latest_after_min + rule.length_min <= min(self.length_hours) * 60,
                f"break window ends after the shortest shift ({min(self.length_hours)} h)",
                f"{key}.breaks",
            )

    def start_minutes(self) -> list[int]:
        """Allowed start times, minutes after local midnight of the shift's day (may be >= 1440
        when the window crosses midnight: the shift then starts early on the next calendar day)."""
        first = clock_to_minutes(self.earliest_start, "earliest_start")
        last = clock_to_minutes(self.latest_start, "latest_start")
        if last < first:
            last += 1440
        return list(range(first, last + 1, self.start_step_min))


@dataclass(frozen=True)
class Rules:
    """Roster rules and the weights of the soft ones."""

    min_rest_hours: float = 11.0
    max_consecutive_days: int = 5
    days_off_per_week: int = 2
    hard_coverage: bool = False
    understaff_penalty: float = 1000.0
    overstaff_penalty: float = 1.0
    distinct_shift_penalty: float = 0.0
    #: Agent-intervals short (summed over queues) that a run may leave before it fails (exit 3).
    understaff_tolerance: float = float("inf")
    consecutive_days_off_penalty: float = 20.0
    preference_penalty: float = 10.0
    weekend_fairness_penalty: float = 5.0

    def __post_init__(self) -> None:
        check(self.min_rest_hours >= 0, "min_rest_hours must be >= 0", "rules.min_rest_hours")
        check(
            1 <= self.max_consecutive_days <= 7,
            "max_consecutive_days must be 1..7",
            "rules.max_consecutive_days",
        )
        check(
            0 <= self.days_off_per_week <= 7,
            "days_off_per_week must be 0..7",
            "rules.days_off_per_week",
        )
        for name in (
            "understaff_penalty",
            "overstaff_penalty",
            "distinct_shift_penalty",
            "understaff_tolerance",
            "consecutive_days_off_penalty",
            "preference_penalty",
            "weekend_fairness_penalty",
        ):
            check(getattr(self, name) >= 0, f"{name} must be >= 0", f"rules.{name}")
