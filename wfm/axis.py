"""The continuous, timezone-aware interval axis of a planning period.

One axis for the whole week: a 22:00-06:00 shift covers the next morning, and a daylight-saving
day has 92 or 100 quarter-hours instead of 96. Positions on the axis are integers; the solvers work
on positions, everything user-facing on timezone-aware timestamps.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = ["DAY_NAMES", "day_starts", "interval_axis", "local_midnight", "week_axis"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def local_midnight(day: dt.date | str | pd.Timestamp, tz: str) -> pd.Timestamp:
    """Midnight at the start of ``day`` in ``tz`` (timezone-aware)."""
    return pd.Timestamp(pd.Timestamp(day).date()).tz_localize(tz)


def interval_axis(
    start_day: dt.date | str | pd.Timestamp, n_days: int, tz: str, interval_minutes: int = 15
) -> pd.DatetimeIndex:
    """Interval starts from local midnight of ``start_day`` for ``n_days`` local days.

    The axis is built in absolute time between the two local midnights, so a spring-forward day
    has 23 h (92 quarter-hours) and a fall-back day 25 h (100 quarter-hours).
    """
    if 1440 % interval_minutes:
        raise ValueError(f"interval_minutes must divide a day, got {interval_minutes}")
    first = local_midnight(start_day, tz)
    last = local_midnight(first.date() + dt.timedelta(days=n_days), tz)
    utc = pd.date_range(
        first.tz_convert("UTC"),
        last.tz_convert("UTC"),
        freq=f"{interval_minutes}min",
        inclusive="left",
    )
    return utc.tz_convert(tz)


def week_axis(
    week_start: dt.date | str | pd.Timestamp, tz: str, interval_minutes: int = 15
) -> pd.DatetimeIndex:
    """The 7-day axis of the planning week starting at local midnight of ``week_start``."""
    return interval_axis(week_start, 7, tz, interval_minutes)


def day_starts(axis: pd.DatetimeIndex) -> list[int]:
    """Positions on ``axis`` where a new local day starts (the first position is always 0)."""
    dates = axis.date
    return [0] + [i for i in range(1, len(axis)) if dates[i] != dates[i - 1]]
