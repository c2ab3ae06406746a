"""The Intraday page: one day of one queue, the intervals below target and why."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wfm.views.common import wall_clock

__all__ = [
    "below_target",
    "intraday",
    "shortfall_reasons",
]


def intraday(frame: pd.DataFrame, day: dt.date, queue: str, tz: str) -> pd.DataFrame:
    """The comparison rows of ``queue`` on the local ``day`` where anything is required,
    scheduled, forecast or offered, with ``time`` (naive local) and ``below`` (the measured SL,
    else the expected one with the schedule, under the target)."""
    local = frame["interval_start"].dt.tz_convert(tz)
    used = frame[["agents_required_gross", "agents_scheduled", "offered_forecast", "offered"]]
    active = used.fillna(0.0).gt(0).any(axis=1)
    out = frame[(local.dt.date == day) & (frame["queue"] == queue) & active].copy()
    out["time"] = wall_clock(out["interval_start"], tz)
    measured = out["sl_actual"] if out["offered"].notna().any() else out["sl_expected_scheduled"]
    out["below"] = (measured < out["sl_target"] - 1e-9).fillna(False).astype(bool)
    return out.reset_index(drop=True)


def below_target(day_frame: pd.DataFrame) -> pd.DataFrame:
    """The :func:`intraday` intervals below target, as a table."""
    rows = day_frame[day_frame["below"]]
    return pd.DataFrame(
        {
            "time": rows["time"].dt.strftime("%H:%M"),
            "offered": rows["offered"],
            "actual SL": rows["sl_actual"],
            "expected SL (schedule)": rows["sl_expected_scheduled"],
            "target": rows["sl_target"],
            "required net": rows["agents_required_net"],
            "scheduled net": rows["agents_scheduled_net"],
            "actual staffed": rows["agents_actual"],
        }
    ).reset_index(drop=True)


def shortfall_reasons(summary: dict, day: dt.date, queue: str, tz: str) -> pd.DataFrame:
    """The solver summary's ``shortfalls`` of ``queue`` on the local ``day``:
    ``time, short, reason``."""
    rows = [s for s in summary.get("shortfalls") or [] if s.get("queue") == queue]
    frame = pd.DataFrame(rows, columns=["interval_start", "short", "reason"])
    start = pd.to_datetime(frame["interval_start"], utc=True).dt.tz_convert(tz)
    frame = frame[start.dt.date == day].assign(time=start.dt.strftime("%H:%M"))
    return frame[["time", "short", "reason"]].reset_index(drop=True)
