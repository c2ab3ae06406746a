"""The (day x slot-of-day) matrix on the local clock: how the models see a queue's history.

A queue's history is a sequence of intervals on a timezone-aware axis. The models work on a matrix
with one row per *local calendar day* (from the first to the last day of the history, every day
included) and one column per *local clock slot* (``00:00, 00:15, ...``: ``1440 / interval_minutes``
columns). This choice handles the awkward calendar cases without special code in the models:

- **Missing days** (weekends of a weekday-only centre, holidays, gaps in an export) are rows of
  NaN, not zeros: a day without data is *unknown*, and the models skip it.
- **Daylight-saving days**: on the spring-forward day (92 quarter-hours) the skipped local slots
  are NaN; on the fall-back day (100 quarter-hours) the repeated local hour has two intervals on
  the same clock slot, and the matrix keeps their mean (a per-interval rate). A forecast on such a
  day maps each interval of the real axis back to its clock slot, so both repeated intervals get
  the slot's forecast and the skipped hour gets none.

The weekly cycle is the row index modulo 7 (with the weekday of the first row known), so the
seasonal periods are ``slots_per_day`` (intraday) and ``7 * slots_per_day`` (weekly) as on a
regular grid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.errors import InputError

__all__ = ["DayGrid", "axis_positions", "to_day_matrix"]


@dataclass(frozen=True)
class DayGrid:
    """Where a day matrix sits in time: its first local day, its zone and its slot length."""

    first_day: dt.date
    n_days: int
    tz: str
    interval_minutes: int

    @property
    def slots_per_day(self) -> int:
        return 1440 // self.interval_minutes

    @property
    def days(self) -> pd.DatetimeIndex:
        """The local calendar days of the rows (naive dates at midnight)."""
        return pd.date_range(pd.Timestamp(self.first_day), periods=self.n_days, freq="D")


def _day_slot(times: pd.DatetimeIndex, interval_minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """Local calendar day (as days since 1970-01-01) and local clock slot of each time."""
    local = times.tz_localize(None) if times.tz is not None else times
    day = local.normalize()
    minutes = (local - day) / pd.Timedelta(minutes=1)
    slot = np.asarray(minutes, dtype=float) / interval_minutes
    if np.any(slot != np.floor(slot)):
        bad = int(np.flatnonzero(slot != np.floor(slot))[0])
        raise InputError(
            f"interval start {times[bad]} is not on the {interval_minutes}-minute grid",
            column="interval_start",
        )
    epoch_day = (day - pd.Timestamp("1970-01-01")) // pd.Timedelta(days=1)
    return np.asarray(epoch_day, dtype=np.int64), slot.astype(np.int64)


def to_day_matrix(
    times: pd.DatetimeIndex,
    values: np.ndarray,
    interval_minutes: int,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
) -> tuple[np.ndarray, DayGrid]:
    """Put interval values on the (local day x local clock slot) matrix.

    Parameters
    ----------
    times
        Interval starts, timezone-aware (local clock of their zone) or naive local times.
    values
        One value per interval; NaN means not observed.
    interval_minutes
        Length of an interval; ``1440 / interval_minutes`` columns.
    first_day, last_day
        Span of the rows (default: the first and last day in ``times``).

    Returns
    -------
    matrix, grid
        ``matrix[d, s]`` is the mean of the values that fall on local day ``d`` and clock slot
        ``s`` (two on the repeated hour of a fall-back day), NaN where there is none.
    """
    times = pd.DatetimeIndex(times)
    values = np.asarray(values, dtype=float)
    spd = 1440 // interval_minutes
    tz = str(times.tz) if times.tz is not None else "UTC"
    day, slot = _day_slot(times, interval_minutes)
    epoch = pd.Timestamp("1970-01-01")
    lo = int(day.min()) if first_day is None else (pd.Timestamp(first_day) - epoch).days
    hi = int(day.max()) if last_day is None else (pd.Timestamp(last_day) - epoch).days
    n_days = max(hi - lo + 1, 0)
    keep = (day >= lo) & (day <= hi) & ~np.isnan(values)
    total = np.zeros((n_days, spd))
    count = np.zeros((n_days, spd))
    np.add.at(total, (day[keep] - lo, slot[keep]), values[keep])
    np.add.at(count, (day[keep] - lo, slot[keep]), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix = np.where(count > 0, total / np.where(count > 0, count, 1.0), np.nan)
    grid = DayGrid(
        first_day=(epoch + pd.Timedelta(days=lo)).date(),
        n_days=n_days,
        tz=tz,
        interval_minutes=interval_minutes,
    )
    return matrix, grid


def axis_positions(axis: pd.DatetimeIndex, grid: DayGrid) -> tuple[np.ndarray, np.ndarray]:
    """Row (day relative to ``grid.first_day``) and column (clock slot) of each axis interval."""
    day, slot = _day_slot(axis, grid.interval_minutes)
    first = (pd.Timestamp(grid.first_day) - pd.Timestamp("1970-01-01")).days
    return day - first, slot
