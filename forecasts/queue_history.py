"""One queue's history on the day matrix, checked; a model resolved and fitted, falling back to a
simpler one when the history is too short."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.calendar import closed_dates, holiday_dates
from forecasts.grid import DayGrid, to_day_matrix
from forecasts.models import (
    DoubleSeasonal,
    Model,
    SeasonalNaive,
    TopDown,
    WeeklyProfile,
    make_model,
)
from wfm.config import Config
from wfm.errors import InputError

__all__ = [
    "FALLBACK",
    "MIN_HISTORY_DAYS",
    "QueueHistory",
    "check_enough_history",
    "fit_with_fallback",
    "local_times",
    "queue_history",
    "queue_interval_minutes",
    "resolve_model",
    "timezone_of",
]


#: Order in which a model that needs more history falls back.
FALLBACK = (DoubleSeasonal, TopDown, WeeklyProfile, SeasonalNaive)
#: Fewest days with data a queue needs before the start date (one weekly cycle).
MIN_HISTORY_DAYS = 7


@dataclass(frozen=True)
class QueueHistory:
    name: str
    channel: str
    Y: np.ndarray  # offered on the day x slot grid (NaN = missing)
    handle: np.ndarray
    answered: np.ndarray
    grid: DayGrid
    closed: frozenset[dt.date] = frozenset()  # known closures (holidays with factor 0)


def timezone_of(history: pd.DataFrame, config: Config | None) -> str:
    times = history["interval_start"]
    tz = getattr(times.dt, "tz", None)
    if tz is None:
        return config.site.timezone if config is not None else "UTC"
    return str(tz)


def local_times(frame: pd.DataFrame, tz: str) -> pd.DatetimeIndex:
    times = pd.DatetimeIndex(frame["interval_start"])
    if times.tz is None:
        try:
            return times.tz_localize(tz, ambiguous="infer", nonexistent="shift_forward")
        except (ValueError, TypeError) as err:
            raise InputError(
                f"naive interval starts cannot be placed in {tz}: {err}", column="interval_start"
            ) from None
    return times.tz_convert(tz)


def queue_interval_minutes(frame: pd.DataFrame, name: str, config: Config | None) -> int:
    if "interval_minutes" in frame.columns and frame["interval_minutes"].notna().any():
        values = frame["interval_minutes"].dropna().unique()
        if len(values) > 1:
            raise InputError(
                f"queue {name!r} mixes interval lengths {sorted(values.tolist())}",
                column="interval_minutes",
            )
        minutes = int(values[0])
    elif config is not None:
        minutes = config.site.interval_minutes
    else:
        steps = pd.DatetimeIndex(frame["interval_start"]).sort_values().diff().dropna()
        steps = steps[steps > pd.Timedelta(0)]
        if steps.empty:
            raise InputError(
                f"queue {name!r}: cannot tell the interval length", column="interval_minutes"
            )
        minutes = int(steps.min() / pd.Timedelta(minutes=1))
    if minutes <= 0 or 1440 % minutes:
        raise InputError(
            f"queue {name!r}: interval_minutes must divide a day, got {minutes}",
            column="interval_minutes",
        )
    return minutes


def queue_history(
    frame: pd.DataFrame,
    name: str,
    tz: str,
    config: Config | None,
    before: dt.date | None,
) -> QueueHistory:
    """The queue's history before ``before`` on the day x slot grid, holidays left out."""
    minutes = queue_interval_minutes(frame, name, config)
    times = local_times(frame, tz)
    offered = pd.to_numeric(frame["offered"], errors="coerce").to_numpy(dtype=float)
    if (offered < 0).any():
        raise InputError(
            f"queue {name!r}: offered must not be negative (interval "
            f"{times[int(np.flatnonzero(offered < 0)[0])]})",
            column="offered",
        )
    last = None if before is None else before - dt.timedelta(days=1)
    local_days = (times.tz_localize(None) if times.tz is not None else times).normalize()
    first = local_days.min().date()
    if last is not None and first > last:
        raise InputError(
            f"queue {name!r}: no history before the forecast start {before}",
            column="interval_start",
        )
    Y, grid = to_day_matrix(times, offered, minutes, first_day=first, last_day=last)

    def column(col: str) -> np.ndarray:
        if col not in frame.columns:
            return np.full(len(frame), np.nan)
        return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)

    answered = column("answered")
    handle = column("handle_time_total_sec")
    aht = column("aht_sec")
    handle = np.where(np.isnan(handle), aht * answered, handle)
    H, _ = to_day_matrix(times, handle, minutes, first_day=grid.first_day, last_day=last)
    A, _ = to_day_matrix(times, answered, minutes, first_day=grid.first_day, last_day=last)
    calendar = config.calendar if config is not None else None
    for day in holiday_dates(calendar, name):
        row = (day - grid.first_day).days
        if 0 <= row < grid.n_days:
            Y[row] = H[row] = A[row] = np.nan
    channel = "voice"
    if "channel" in frame.columns and frame["channel"].notna().any():
        channel = str(frame["channel"].dropna().iloc[0])
    elif config is not None and name in config.queue_names:
        channel = config.queue(name).channel
    return QueueHistory(name, channel, Y, H, A, grid, closed_dates(calendar, name))


def check_enough_history(qh: QueueHistory, before: dt.date | None) -> int:
    observed = int((~np.isnan(qh.Y)).any(axis=1).sum())
    if observed < MIN_HISTORY_DAYS:
        where = f" before {before}" if before is not None else ""
        raise InputError(
            f"queue {qh.name!r}: the history has {observed} day(s) with data{where}; at least "
            f"{MIN_HISTORY_DAYS} (one week) are needed to forecast",
            column="interval_start",
        )
    return observed


def resolve_model(model: str | Model) -> Model:
    return make_model(model) if isinstance(model, str) else model


def fit_with_fallback(model: Model, qh: QueueHistory, observed: int) -> tuple[Model, str | None]:
    """Fit ``model``, or the first simpler model the history is long enough for."""
    chosen, note = model, None
    if observed < model.min_days:
        simpler = next(cls() for cls in FALLBACK if cls.min_days <= observed)
        note = (
            f"queue {qh.name!r}: {model.name} needs {model.min_days} days of history with data, "
            f"the queue has {observed}; used {simpler.name} instead"
        )
        chosen = simpler
    fitted = chosen.fit(
        qh.Y,
        slots_per_day=qh.grid.slots_per_day,
        first_day=qh.grid.first_day,
        closed_days=qh.closed,
    )
    return fitted, note
