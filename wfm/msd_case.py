"""A Minimum Shift Design instance as the files a user gives ``wfm schedule``.

The instance becomes a ``wfm.toml`` (a UTC site of the instance's slot length, cyclic when the
instance is; one voice queue open all week; one shift template per MSD template, with a start step
of one slot and costless shifts; the MSD weights as penalties) and a requirements table (the
demand per slot as ``agents_gross``). ``wfm schedule --config wfm.toml --requirements
requirements.csv`` then solves exactly the MSD objective, so the benchmark measures what the
command does.

The weights map onto the shift-plan objective per agent-interval (person-minutes):
``understaff_penalty = w_under * slot``, ``overstaff_penalty = w_over * slot`` and
``distinct_shift_penalty = w_shifts`` (Di Gaspero et al., "The Minimum Shift Design Problem",
Annals of OR 155, 2007).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from wfm.axis import DAY_NAMES, week_axis
from wfm.config import Config, SolverOptions, parse_config
from wfm.errors import InputError
from wfm.msd import MsdInstance

if TYPE_CHECKING:
    from solvers.problem import ScheduleProblem

__all__ = [
    "MSD_QUEUE",
    "MSD_WEEK",
    "msd_config",
    "msd_config_text",
    "msd_requirements",
    "problem_from_msd",
]

#: A Monday (UTC has no clock change): the MSD week's day 1.
MSD_WEEK = dt.date(2024, 1, 1)
#: The one queue of an MSD case.
MSD_QUEUE = "demand"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days(text: str) -> tuple[str, ...]:
    """Days of an MSD template: ``*``, a 0/1 mask ``1111100`` or day numbers ``1,2``."""
    text = text.strip()
    if text == "*":
        return DAY_NAMES
    if set(text) <= {"0", "1"} and len(text) == 7:
        return tuple(DAY_NAMES[i] for i, c in enumerate(text) if c == "1")
    try:
        return tuple(DAY_NAMES[int(d) - 1] for d in text.replace(",", " ").split())
    except (ValueError, IndexError):
        raise InputError(f"unknown day set {text!r}", column="shift templates") from None


def _template(k: int, shift, slot: int) -> str:
    lo, hi = shift.earliest_start_min, shift.latest_start_min
    if lo < 0:  # a window that starts the evening before
        lo, hi = lo + 1440, hi + 1440
    lo %= 1440
    latest = hi % 1440 if hi > 1440 else hi
    lengths = [m / 60 for m in range(shift.shortest_min, shift.longest_min + 1, slot) if m > 0]
    days = ", ".join(f'"{d}"' for d in _days(shift.days))
    return "\n".join(
        [
            "[[shifts]]",
            f'name = "{k}_{shift.abbr}"',
            f'earliest_start = "{_clock(lo)}"',
            f'latest_start = "{_clock(latest) if latest != 1440 else "24:00"}"',
            f"start_step_min = {slot}",
            f"length_hours = [{', '.join(repr(h) for h in lengths)}]",
            f"days = [{days}]",
            "cost = 0.0",
        ]
    )


def msd_config_text(
    instance: MsdInstance,
    time_limit_sec: float = 60.0,
    threads: int = 1,
    strategy: str = "auto",
) -> str:
    """The ``wfm.toml`` of an MSD instance (see the module docstring); ``strategy`` is its
    ``[solver] strategy``."""
    slot = instance.slot_minutes
    head = f"""# Minimum Shift Design instance {instance.name or "(unnamed)"} as a wfm site.
[site]
name = "{instance.name or "msd"}"
timezone = "UTC"
interval_minutes = {slot}
cyclic_week = {"true" if instance.cyclic else "false"}

[[queues]]
name = "{MSD_QUEUE}"
channel = "voice"

[rules]
hard_coverage = false
understaff_penalty = {float(instance.w_under * slot)!r}
overstaff_penalty = {float(instance.w_over * slot)!r}
distinct_shift_penalty = {float(instance.w_shifts)!r}

[solver]
time_limit_sec = {float(time_limit_sec)!r}
gap = 0.0
threads = {int(threads)}
strategy = "{strategy}"
"""
    shifts = [_template(k, s, slot) for k, s in enumerate(instance.shift_types)]
    return head + "\n" + "\n\n".join(shifts) + "\n"


def msd_config(instance: MsdInstance, time_limit_sec: float = 60.0, threads: int = 1) -> Config:
    """The validated :class:`Config` of :func:`msd_config_text`."""
    return parse_config(msd_config_text(instance, time_limit_sec, threads), file="wfm.toml")


def msd_requirements(instance: MsdInstance) -> pd.DataFrame:
    """The demand per slot of the MSD week as a requirements table (``agents_gross``)."""
    slot = instance.slot_minutes
    axis = week_axis(MSD_WEEK, "UTC", slot)
    if len(axis) != len(instance.requirements):
        raise InputError(
            f"{len(instance.requirements)} requirements for a {len(axis)}-slot week",
            column="requirements",
        )
    demand = [float(v) for v in instance.requirements]
    # MSD gives staff, not contacts: no offered volume, the demand as net and gross agents
    return pd.DataFrame(
        {
            "interval_start": axis,
            "queue": MSD_QUEUE,
            "channel": "voice",
            "interval_minutes": slot,
            "offered": 0.0,
            "aht_sec": 0.0,
            "workload_erl": demand,
            "agents_net": demand,
            "agents_gross": demand,
            "expected_service_level": float("nan"),
            "expected_asa_sec": float("nan"),
            "occupancy": float("nan"),
        }
    )


def problem_from_msd(instance: MsdInstance, solver: SolverOptions | None = None) -> ScheduleProblem:
    """The instance as the shift-plan problem ``wfm schedule`` builds from its files: one
    universal group, one live queue, a UTC week of the instance's slots (cyclic when the instance
    is), no breaks, costless shifts, the MSD weights as penalties. ``solver`` replaces the
    written ``[solver]`` (60 s, gap 0, 1 thread)."""
    from solvers.problem import problem_from_requirements

    problem = problem_from_requirements(msd_requirements(instance), msd_config(instance), MSD_WEEK)
    return problem if solver is None else problem.replace(solver=solver)
