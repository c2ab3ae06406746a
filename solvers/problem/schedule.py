"""The problem types: :class:`ScheduleProblem` and its queues, shift variants and agent groups.

See :mod:`solvers.problem` for the conventions (positions, week end, breaks, requirements).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES, day_starts
from wfm.config import Rules, SolverOptions

__all__ = [
    "UNIVERSAL",
    "AgentGroup",
    "BreakOption",
    "QueueDemand",
    "ScheduleProblem",
    "ShiftVariant",
]

#: Skills value of a universal agent (every queue).
UNIVERSAL = "*"


def _frozen_array(values: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.array(values, dtype=float)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class BreakOption:
    """The allowed placements of one break rule inside one shift variant.

    Attributes
    ----------
    name
        The rule's label (``break``, ``lunch`` or its own name).
    paid
        Whether the break is paid time.
    length_min
        Length of the break in minutes.
    starts
        Allowed break start positions on the axis (already wrapped in a cyclic week).
    off
        For each start in ``starts``, the ``(position, share)`` pairs of the intervals the break
        takes away from work: share 1.0 for a whole interval, less for a break shorter than the
        interval (15 minutes of a 60-minute interval = 0.25). Positions past the end of a
        non-cyclic week are dropped.
    """

    name: str
    paid: bool
    length_min: int
    starts: tuple[int, ...]
    off: tuple[tuple[tuple[int, float], ...], ...]

    def __post_init__(self) -> None:
        if not self.starts:
            raise ValueError(f"break {self.name!r} has no allowed start")
        if len(self.off) != len(self.starts):
            raise ValueError("one 'off' entry per break start is needed")


@dataclass(frozen=True)
class ShiftVariant:
    """One concrete shift: a template started on one day at one time with one length.

    Attributes
    ----------
    template
        Name of the :class:`~wfm.config.ShiftTemplate` it comes from.
    day
        Index of the local day it starts on (0 = first day of the week).
    start
        Start position on the axis (wrapped in a cyclic week).
    length
        Length in intervals.
    start_clock_min
        Local clock time of the start, minutes after midnight (0..1439); with ``length_min`` it
        is the "distinct shift" key of the distinct-shift penalty.
    length_min
        Length in minutes (absolute time).
    paid_minutes
        Paid minutes: the length minus the unpaid breaks.
    cost
        Cost of one agent working it (before the group's cost factor).
    cover
        Positions the shift spans (wrapped or truncated at the week end, see
        :mod:`solvers.problem`); breaks are not taken out here.
    breaks
        One :class:`BreakOption` per break rule of the template.
    """

    template: str
    day: int
    start: int
    length: int
    start_clock_min: int
    length_min: int
    paid_minutes: float
    cost: float
    cover: tuple[int, ...]
    breaks: tuple[BreakOption, ...] = ()

    @property
    def shift_key(self) -> tuple[int, int]:
        """``(start clock minute, length minutes)``: shifts with one key count as one shift."""
        return (self.start_clock_min, self.length_min)

    @property
    def label(self) -> str:
        """``early Mon 06:00+8.0h``."""
        hours, minutes = divmod(self.start_clock_min, 60)
        day = DAY_NAMES[self.day % 7]
        return f"{self.template} {day} {hours:02d}:{minutes:02d}+{self.length_min / 60:g}h"

    def core(self) -> tuple[int, ...]:
        """Positions at work whatever the break placement (the span minus every break window)."""
        maybe_off = {p for b in self.breaks for placement in b.off for p, _ in placement}
        return tuple(p for p in self.cover if p not in maybe_off)


@dataclass(frozen=True, eq=False)
class QueueDemand:
    """What one queue needs over the axis.

    Attributes
    ----------
    name, channel
        The queue and its channel (voice, chat, email, backoffice, outbound).
    required
        Live work (voice, chat): gross agents required at work per interval, fractional
        (length T). Zero for deferrable queues.
    priority
        Weight of this queue's understaffing.
    concurrency
        Chats per agent; informative only (requirements are already in agents).
    arrivals
        Email and back office: work arriving per interval, in agent-intervals at work (the gross
        agents it would need if it were done in the interval it arrives). None otherwise.
    deadline_intervals
        Email and back office: every item must be done within this many intervals of arrival.
    hours_per_day
        Outbound: agent-hours at work to place on each day of the axis (length = number of days).
    """

    name: str
    channel: str
    required: np.ndarray
    priority: float = 1.0
    concurrency: int = 1
    arrivals: np.ndarray | None = None
    deadline_intervals: int | None = None
    hours_per_day: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "required", _frozen_array(self.required))
        if self.arrivals is not None:
            object.__setattr__(self, "arrivals", _frozen_array(self.arrivals))
            if self.deadline_intervals is None or self.deadline_intervals < 1:
                raise ValueError(f"queue {self.name!r}: arrivals need deadline_intervals >= 1")
        if np.any(self.required < 0) or not np.all(np.isfinite(self.required)):
            raise ValueError(f"queue {self.name!r}: requirements must be finite and >= 0")

    @property
    def kind(self) -> str:
        """``live`` (per-interval requirement), ``backlog`` (deadline) or ``daily`` (outbound)."""
        if self.arrivals is not None:
            return "backlog"
        if self.hours_per_day is not None:
            return "daily"
        return "live"


@dataclass(frozen=True)
class AgentGroup:
    """Agents that share a skill set.

    Attributes
    ----------
    name
        Group name (e.g. ``service``, ``service|outbound``, ``universal``).
    skills
        Queue names the group works; ``("*",)`` = every queue (universal).
    max_count
        Head count of the group: at most this many of its agents start a shift on any one day
        (None: unlimited).
    cost_factor
        Multiplies the variant cost (e.g. a universal agent's higher hourly rate).
    """

    name: str
    skills: tuple[str, ...]
    max_count: int | None = None
    cost_factor: float = 1.0

    def serves(self, queue: str) -> bool:
        """Whether the group has the skill for ``queue``."""
        return UNIVERSAL in self.skills or queue in self.skills

    @property
    def kind(self) -> str:
        """``universal``, ``blended`` (several queues) or ``specialist`` (one queue)."""
        if UNIVERSAL in self.skills:
            return "universal"
        return "blended" if len(self.skills) > 1 else "specialist"


@dataclass(frozen=True, eq=False)
class ScheduleProblem:
    """A planning week to schedule.

    Attributes
    ----------
    axis
        Interval starts (tz-aware), positions ``0 .. T-1``.
    interval_minutes
        Interval length.
    cyclic
        Whether the week wraps (Sunday night covers Monday morning).
    queues, variants, groups
        Demand, shift variants and agent groups.
    rules, solver
        Business-rule weights and solver options from the configuration.
    agents
        Roster mode: the agents frame (``wfm.io.tables.read_agents``); None in shift-plan mode.
    name
        Free label (instance name) for reports.
    """

    axis: pd.DatetimeIndex
    interval_minutes: int
    cyclic: bool
    queues: tuple[QueueDemand, ...]
    variants: tuple[ShiftVariant, ...]
    groups: tuple[AgentGroup, ...]
    rules: Rules = field(default_factory=Rules)
    solver: SolverOptions = field(default_factory=SolverOptions)
    agents: pd.DataFrame | None = None
    name: str = ""

    def __post_init__(self) -> None:
        n = len(self.axis)
        for queue in self.queues:
            if len(queue.required) != n:
                raise ValueError(f"queue {queue.name!r}: {len(queue.required)} values, axis {n}")
            if queue.arrivals is not None and len(queue.arrivals) != n:
                raise ValueError(f"queue {queue.name!r}: arrivals length != axis length")
        names = [q.name for q in self.queues]
        if len(set(names)) != len(names):
            raise ValueError("queue names must be unique")
        groups = [g.name for g in self.groups]
        if len(set(groups)) != len(groups):
            raise ValueError("group names must be unique")

    @property
    def n_intervals(self) -> int:
        return len(self.axis)

    @property
    def day_starts(self) -> tuple[int, ...]:
        """Positions where each local day starts."""
        return tuple(day_starts(self.axis))

    @property
    def n_days(self) -> int:
        return len(self.day_starts)

    def day_of(self) -> np.ndarray:
        """Day index of every position."""
        out = np.zeros(self.n_intervals, dtype=int)
        for d, start in enumerate(self.day_starts):
            out[start:] = d
        return out

    def queue(self, name: str) -> QueueDemand:
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(name)

    def replace(self, **changes: object) -> ScheduleProblem:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **changes)
