"""The configuration's calendar applied to a forecast: opening hours, holidays, adjustments.

- **Closed hours and days** (``Queue.open_from``, ``open_until``, ``open_days``; local clock):
  the forecast is zero there.
- **Holidays and special days** (``Calendar.holidays``): their history is left out of training
  (the day becomes missing, not zero), and the forecast on the day is multiplied by the
  holiday's ``factor`` (0 closes the queue). A holiday with an empty ``queues`` applies to all.
- **Manual adjustments** (``Calendar.adjustments``): ``percent`` on every interval from ``start``
  to ``end`` (local dates, inclusive) for one queue or all (empty ``queue``). Overlapping
  adjustments compound: +10% and +5% give +15.5%. The combined percentage is reported per
  interval in the forecast's ``adjustment_pct`` column.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from wfm.config import Calendar, Queue

__all__ = [
    "adjustment_factor",
    "closed_dates",
    "holiday_dates",
    "holiday_factor",
    "open_mask",
]


def _local_dates(axis: pd.DatetimeIndex) -> np.ndarray:
    local = axis.tz_localize(None) if axis.tz is not None else axis
    return np.asarray(local.normalize().date)


def open_mask(axis: pd.DatetimeIndex, queue: Queue | None) -> np.ndarray:
    """True where ``queue`` is open: its weekday is in ``open_days`` and the interval starts at or
    after ``open_from`` and before ``open_until`` (local clock). All True without a queue."""
    if queue is None:
        return np.ones(len(axis), dtype=bool)
    return queue.open_at(axis)


def _applies(queues: tuple[str, ...] | str, name: str) -> bool:
    if isinstance(queues, str):
        return queues in ("", name)
    return not queues or name in queues


def holiday_dates(calendar: Calendar | None, queue: str) -> set[dt.date]:
    """Dates of the holidays and special days that apply to ``queue`` (left out of training)."""
    if calendar is None:
        return set()
    return {h.date for h in calendar.holidays if _applies(h.queues, queue)}


def closed_dates(calendar: Calendar | None, queue: str) -> frozenset[dt.date]:
    """Dates of the holidays with factor 0 for ``queue``: closures, whose callers call on the
    next open days (the models' ``closed_days``)."""
    if calendar is None:
        return frozenset()
    return frozenset(
        h.date for h in calendar.holidays if h.factor == 0 and _applies(h.queues, queue)
    )


def holiday_factor(axis: pd.DatetimeIndex, calendar: Calendar | None, queue: str) -> np.ndarray:
    """Per interval, the product of the factors of the holidays on its local date (1 if none)."""
    factor = np.ones(len(axis))
    if calendar is None:
        return factor
    dates = _local_dates(axis)
    for holiday in calendar.holidays:
        if _applies(holiday.queues, queue):
            factor[dates == holiday.date] *= holiday.factor
    return factor


def adjustment_factor(axis: pd.DatetimeIndex, calendar: Calendar | None, queue: str) -> np.ndarray:
    """Per interval, the compounded manual adjustment :math:`\\prod_j (1 + p_j / 100)`."""
    factor = np.ones(len(axis))
    if calendar is None:
        return factor
    dates = _local_dates(axis)
    for adj in calendar.adjustments:
        if _applies(adj.queue, queue):
            factor[(dates >= adj.start) & (dates <= adj.end)] *= 1.0 + adj.percent / 100.0
    return factor
