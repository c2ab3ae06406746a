"""The schedule problem: one continuous interval axis, queues, shift variants and agent groups.

Everything the shift-plan and roster models need, as frozen dataclasses over the positions
``0 .. T-1`` of one timezone-aware planning axis (:func:`wfm.axis.week_axis`):

- :class:`QueueDemand`: per queue, the gross agents required per interval (live work: voice,
  chat), or the workload arriving per interval with a deadline (email, back office), or the
  agent-hours to place each day (outbound).
- :class:`ShiftVariant`: one concrete shift (template, day, start position, length) with the
  positions it spans and, for each break rule, the allowed break placements.
- :class:`AgentGroup`: agents with the same skills (specialists, blended, universal).
- :class:`ScheduleProblem`: all of it plus the rules and solver options (and, in roster mode,
  the named agents).

Builders: :func:`generate_variants` (shift templates -> variants over the week) and
:func:`problem_from_requirements` (requirements frame + configuration -> problem).

Conventions
-----------
*Positions.* Shift starts are placed by the **local clock time of their day** (a 06:00 start on a
daylight-saving day is at 06:00 local time), and a shift then lasts its length in absolute time:
an 8-hour shift is ``8 * 60 / interval_minutes`` intervals even across a clock change. A shift
that runs past midnight covers the next morning on the same axis.

*Week end.* With ``cyclic`` (``site.cyclic_week``) the positions past the end of the week wrap to
its start: a Sunday-night shift covers Monday morning of the same week, and a Sunday start
window that crosses midnight wraps to Monday 00:xx. Without it, coverage past the end of the
week is simply dropped (the next week's plan covers it), and a start that falls after the end of
the week is not a variant of this week.

*Breaks.* A break starts on the interval grid inside its window (``earliest_after_min`` ..
``latest_after_min`` after the shift start, rounded inwards to whole intervals). A break shorter
than an interval takes a share of that interval: a 15-minute break in a 60-minute interval
removes 0.25 of the agent from it. The windows of the breaks of one template must not overlap
(checked), so the break counts of one shift can be chosen independently (the implicit-break
formulation of Bechtold & Jacobs 1990 and Aykin 1996).

*Requirements.* ``agents_gross`` of the requirements frame is what an interval needs **at
work** (net agents inflated by the shrinkage the schedule does not model). Chat requirements are
already in agents (the staffing step divided the workload by the queue's concurrency), so the
scheduler never applies the concurrency again; it is kept for reporting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES, day_starts, week_axis
from wfm.config import Config, Queue, Rules, ShiftTemplate, SolverOptions
from wfm.errors import InputError

__all__ = [
    "AgentGroup",
    "BreakOption",
    "QueueDemand",
    "ScheduleProblem",
    "ShiftVariant",
    "generate_variants",
    "groups_from_agents",
    "problem_from_requirements",
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
        Positions the shift spans (wrapped or truncated at the week end, see the module notes);
        breaks are not taken out here.
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


# --------------------------------------------------------------------------- variants


def _position_at_clock(axis: pd.DatetimeIndex, day0: dt.date, minutes: int, tz: str) -> int:
    """First axis position at or after local wall-clock ``day0 + minutes`` (may be >= len(axis)).

    A wall-clock time that does not exist (spring forward) maps to the next interval that does;
    an ambiguous one (fall back) to its first occurrence.
    """
    naive = pd.Timestamp(day0) + pd.Timedelta(minutes=minutes)
    try:
        local = naive.tz_localize(tz, ambiguous=True, nonexistent="shift_forward")
    except (ValueError, TypeError):  # pragma: no cover - pandas versions differ
        local = naive.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    interval = axis[1] - axis[0] if len(axis) > 1 else pd.Timedelta(minutes=15)
    offset = (local - axis[0]) / interval
    return math.ceil(offset - 1e-9)


def _grid(minutes: float, interval_minutes: int, up: bool) -> int:
    value = minutes / interval_minutes
    return math.ceil(value - 1e-9) if up else math.floor(value + 1e-9)


def _place(positions: Sequence[int], n: int, cyclic: bool) -> list[int]:
    if cyclic:
        return [p % n for p in positions]
    return [p for p in positions if 0 <= p < n]


def _break_options(
    template: ShiftTemplate,
    start: int,
    length: int,
    n: int,
    cyclic: bool,
    interval_minutes: int,
) -> tuple[BreakOption, ...]:
    options = []
    for rule in template.breaks:
        first = _grid(rule.earliest_after_min, interval_minutes, up=True)
        last = _grid(rule.latest_after_min, interval_minutes, up=False)
        if last < first:  # window narrower than an interval: nearest grid point
            first = last = round(rule.earliest_after_min / interval_minutes)
        n_full, rest = divmod(rule.length_min, interval_minutes)
        shares = [1.0] * n_full + ([rest / interval_minutes] if rest else [])
        starts, offs = [], []
        for k in range(first, last + 1):
            if k + len(shares) > length:
                continue
            raw = start + k
            placement = []
            for i, share in enumerate(shares):
                pos = raw + i
                if cyclic:
                    placement.append((pos % n, share))
                elif 0 <= pos < n:
                    placement.append((pos, share))
            starts.append(raw % n if cyclic else raw)
            offs.append(tuple(placement))
        if not starts:
            raise InputError(
                f"break {rule.label!r} does not fit in a {length * interval_minutes} min shift",
                column=f"shift {template.name!r}.breaks",
            )
        options.append(
            BreakOption(rule.label, rule.paid, rule.length_min, tuple(starts), tuple(offs))
        )
    return tuple(options)


def _check_break_windows(template: ShiftTemplate) -> None:
    rules = sorted(template.breaks, key=lambda r: r.earliest_after_min)
    for a, b in itertools.pairwise(rules):
        if a.latest_after_min + a.length_min > b.earliest_after_min:
            raise InputError(
                f"the windows of breaks {a.label!r} and {b.label!r} overlap; give each break "
                "its own window (latest_after_min + length_min <= the next earliest_after_min)",
                column=f"shift {template.name!r}.breaks",
            )


def generate_variants(
    templates: Sequence[ShiftTemplate],
    axis: pd.DatetimeIndex,
    interval_minutes: int,
    cyclic: bool,
) -> tuple[ShiftVariant, ...]:
    """Every concrete shift the templates allow over the week of ``axis``.

    For each template, each of its days present on the axis, each start time of its window
    (``start_step_min`` apart; a window may cross midnight) and each length, one
    :class:`ShiftVariant`. Start times are wall-clock times of that day (daylight-saving days
    work); starts that are not on the interval grid are rounded up to it, lengths to the nearest
    whole number of intervals. Identical (day, start, length) variants of one template are
    generated once.

    Cost: ``template.cost`` per shift, else ``template.cost_per_hour`` x paid hours, else
    1 per paid hour.
    """
    n = len(axis)
    if n == 0:
        return ()
    tz = str(axis.tz)
    dates = [axis[p].date() for p in day_starts(axis)]
    variants: list[ShiftVariant] = []
    for template in templates:
        _check_break_windows(template)
        seen: set[tuple[int, int, int]] = set()
        for day, date in enumerate(dates):
            if DAY_NAMES[date.weekday()] not in template.days:
                continue
            grid_starts = sorted(
                {
                    _grid(m, interval_minutes, up=True) * interval_minutes
                    for m in template.start_minutes()
                }
            )
            for start_min in grid_starts:
                raw_start = _position_at_clock(axis, date, start_min, tz)
                if not cyclic and raw_start >= n:
                    continue
                for hours in template.length_hours:
                    length = max(1, round(hours * 60 / interval_minutes))
                    length_min = length * interval_minutes
                    key = (day, raw_start, length)
                    if key in seen:
                        continue
                    seen.add(key)
                    cover = _place(range(raw_start, raw_start + length), n, cyclic)
                    if not cover:
                        continue
                    breaks = _break_options(
                        template, raw_start, length, n, cyclic, interval_minutes
                    )
                    unpaid = sum(r.length_min for r in template.breaks if not r.paid)
                    paid_minutes = float(length_min - unpaid)
                    if template.cost is not None:
                        cost = float(template.cost)
                    elif template.cost_per_hour is not None:
                        cost = float(template.cost_per_hour) * paid_minutes / 60
                    else:
                        cost = paid_minutes / 60
                    variants.append(
                        ShiftVariant(
                            template=template.name,
                            day=day,
                            start=raw_start % n if cyclic else raw_start,
                            length=length,
                            start_clock_min=start_min % 1440,
                            length_min=length_min,
                            paid_minutes=paid_minutes,
                            cost=cost,
                            cover=tuple(cover),
                            breaks=breaks,
                        )
                    )
    return tuple(variants)


# --------------------------------------------------------------------------- groups


def groups_from_agents(agents: pd.DataFrame, queue_names: Sequence[str]) -> tuple[AgentGroup, ...]:
    """One :class:`AgentGroup` per distinct skill set in an agents frame.

    ``max_count`` is the head count of the set; ``cost_factor`` its mean ``cost_per_hour``
    relative to the mean over all agents (1.0 when the column is absent or zero).
    """
    if agents is None or len(agents) == 0:
        return ()
    frame = agents.copy()

    def norm(skills: object) -> tuple[str, ...]:
        items = skills if isinstance(skills, tuple | list) else str(skills).split("|")
        items = tuple(sorted({str(s).strip() for s in items if str(s).strip()}))
        if UNIVERSAL in items or set(queue_names) <= set(items):
            return (UNIVERSAL,)
        return items

    frame["_skills"] = frame["skills"].map(norm)
    rate = frame["cost_per_hour"].astype(float) if "cost_per_hour" in frame else None
    mean_rate = float(rate.mean()) if rate is not None and rate.mean() > 0 else None
    groups = []
    for skills, part in frame.groupby("_skills", sort=True):
        name = "universal" if skills == (UNIVERSAL,) else "|".join(skills)
        factor = 1.0
        if mean_rate is not None:
            factor = float(part["cost_per_hour"].astype(float).mean()) / mean_rate
        groups.append(AgentGroup(name, tuple(skills), max_count=len(part), cost_factor=factor))
    return tuple(groups)


# --------------------------------------------------------------------------- builder


def _on_axis(positions: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per-interval totals on the axis; rows whose interval is outside the week are dropped."""
    out = np.zeros(n)
    ok = ~np.isnan(positions)
    np.add.at(out, positions[ok].astype(int), values[ok])
    return out


def _arriving_work(frame: pd.DataFrame, mask: np.ndarray, queue: Queue) -> np.ndarray:
    """Deferrable work arriving per row, in agent-intervals at work (gross):
    ``workload_erl / max_occupancy / (1 - shrinkage)``."""
    workload = pd.to_numeric(frame["workload_erl"], errors="coerce")
    bad = mask & (workload.isna() | (workload < 0)).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 2
        raise InputError("workload_erl must be a number >= 0", row=row, column="workload_erl")
    return workload[mask].to_numpy(dtype=float) / queue.max_occupancy / (1.0 - queue.shrinkage)


def problem_from_requirements(
    requirements: pd.DataFrame,
    config: Config,
    week_start: dt.date | str | pd.Timestamp | None = None,
    agents: pd.DataFrame | None = None,
    groups: Sequence[AgentGroup] | None = None,
) -> ScheduleProblem:
    """Turn a requirements frame and the configuration into a :class:`ScheduleProblem`.

    Parameters
    ----------
    requirements
        Tidy requirements (``interval_start, queue, channel, agents_gross`` at least);
        intervals outside the planning week are ignored, missing ones count as zero.
    config
        The configuration: site (time zone, interval, cyclic week), queues, shift templates,
        rules and solver options.
    week_start
        First local day of the planning week; default: the local date of the earliest interval.
    agents
        Roster mode: the agents frame; groups are then built from its skill sets.
    groups
        Explicit agent groups; default: from ``agents``, else one universal group (every agent
        can work every queue: the plan says how many agents are needed, not of which skill).

    Notes
    -----
    - Live queues (voice, chat): ``required[t] = agents_gross``.
    - Email and back office: ``arrivals[t] = workload_erl / max_occupancy / (1 - shrinkage)``,
      the work *arriving* in the interval in agent-intervals at work, and ``deadline_intervals =
      deadline_hours * 60 / interval``; the model then places it before its deadline. (The
      requirements' ``agents_gross`` of these queues is that work already spread evenly over the
      deadline window, a reference for planners, so it is not used here: placing it again would
      let work finish up to twice the deadline after it arrived.) Without a ``workload_erl``
      column, ``agents_gross`` is taken as the arriving work.
    - Outbound: ``hours_per_day`` from the configuration on the queue's open days (the
      requirements rows of an outbound queue, if any, are not used).
    """
    site = config.site
    iv = site.interval_minutes
    frame = requirements
    needed = {"interval_start", "queue", "agents_gross"}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise InputError(f"requirements lack column {missing[0]!r}", column=missing[0])
    starts = pd.to_datetime(frame["interval_start"])
    if starts.dt.tz is None:
        starts = starts.dt.tz_localize(site.timezone, ambiguous="NaT", nonexistent="NaT")
    else:
        starts = starts.dt.tz_convert(site.timezone)
    if "interval_minutes" in frame.columns:
        lengths = pd.to_numeric(frame["interval_minutes"], errors="coerce").dropna().unique()
        if len(lengths) and any(int(v) != iv for v in lengths):
            raise InputError(
                f"requirements are in {int(lengths[0])}-minute intervals but "
                f"site.interval_minutes is {iv}",
                column="interval_minutes",
            )
    if week_start is None:
        if len(starts.dropna()) == 0:
            raise InputError("requirements are empty: no interval to schedule")
        week_start = starts.min().date()
    axis = week_axis(week_start, site.timezone, iv)
    n = len(axis)
    index = pd.Series(np.arange(n), index=axis)
    known = set(config.queue_names)
    unknown = sorted(set(frame["queue"].astype(str)) - known)
    if unknown:
        raise InputError(
            f"queue {unknown[0]!r} of the requirements is not in the configuration",
            column="queue",
        )
    gross = pd.to_numeric(frame["agents_gross"], errors="coerce")
    bad = gross.isna() | (gross < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError("agents_gross must be a number >= 0", row=row, column="agents_gross")
    n_days = len(day_starts(axis))
    dates = [axis[p].date() for p in day_starts(axis)]
    queues = []
    for queue in config.queues:
        mask = (frame["queue"].astype(str) == queue.name).to_numpy()
        pos = index.reindex(starts[mask]).to_numpy()
        values = _on_axis(pos, gross[mask].to_numpy(dtype=float), n)
        if queue.channel in ("email", "backoffice"):
            if "workload_erl" in frame.columns:
                values = _on_axis(pos, _arriving_work(frame, mask, queue), n)
            deadline = max(1, round(float(queue.deadline_hours) * 60 / iv))
            queues.append(
                QueueDemand(
                    queue.name,
                    queue.channel,
                    np.zeros(n),
                    queue.priority,
                    queue.concurrency,
                    arrivals=values,
                    deadline_intervals=deadline,
                )
            )
        elif queue.channel == "outbound":
            per_day = tuple(
                float(queue.hours_per_day) if DAY_NAMES[d.weekday()] in queue.open_days else 0.0
                for d in dates
            )
            assert len(per_day) == n_days
            queues.append(
                QueueDemand(
                    queue.name,
                    queue.channel,
                    np.zeros(n),
                    queue.priority,
                    queue.concurrency,
                    hours_per_day=per_day,
                )
            )
        else:
            queues.append(
                QueueDemand(queue.name, queue.channel, values, queue.priority, queue.concurrency)
            )
    if groups is None:
        groups = groups_from_agents(agents, config.queue_names) if agents is not None else ()
        if not groups:
            groups = (AgentGroup("universal", (UNIVERSAL,)),)
    variants = generate_variants(config.shifts, axis, iv, site.cyclic_week)
    if not variants:
        raise InputError("no shift template yields a shift in this week", column="shifts")
    return ScheduleProblem(
        axis=axis,
        interval_minutes=iv,
        cyclic=site.cyclic_week,
        queues=tuple(queues),
        variants=variants,
        groups=tuple(groups),
        rules=config.rules,
        solver=config.solver,
        agents=agents,
        name=config.site.name,
    )
