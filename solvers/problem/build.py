"""Building a problem from a requirements frame and a configuration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from solvers.problem.schedule import UNIVERSAL, AgentGroup, QueueDemand, ScheduleProblem
from solvers.problem.variants import generate_variants
from wfm.axis import DAY_NAMES, day_starts, week_axis
from wfm.config import Config, Queue
from wfm.errors import InputError

__all__ = [
    "groups_from_agents",
    "problem_from_requirements",
]

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
