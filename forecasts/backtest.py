"""The rolling-origin backtest of every queue: week-ahead windows, and the WAPE per queue and
model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasts.grid import DayGrid, axis_positions
from forecasts.models import (
    Model,
    backtest_matrix,
)
from forecasts.noise import noise_floor
from forecasts.queue_history import (
    MIN_HISTORY_DAYS,
    check_enough_history,
    queue_history,
    resolve_model,
    timezone_of,
)
from wfm.axis import interval_axis
from wfm.config import Config
from wfm.errors import InputError

__all__ = [
    "backtest_scores",
    "cross_validation",
]


def cross_validation(
    history: pd.DataFrame,
    h: int = 7,
    n_windows: int = 4,
    step_size: int = 7,
    *,
    models: Sequence[str | Model] = ("auto",),
    config: Config | None = None,
) -> pd.DataFrame:
    """Rolling-origin backtest of each model on each queue (statsforecast's
    ``cross_validation``, in days).

    Window ``i`` of ``n_windows`` has its cutoff ``h + step_size * (n_windows - 1 - i)`` days
    before the end of the history (so the last window ends with it); the model is fitted on
    every day before the cutoff (holidays left out) and forecasts the ``h`` days from it. A
    window is skipped when the model needs more history than the cutoff leaves.

    Returns
    -------
    DataFrame
        ``queue, model, cutoff`` (local midnight of the first forecast day), ``interval_start,
        offered`` (actual) and ``forecast``, for every interval with an actual value.
    """
    if h < 1 or n_windows < 1 or step_size < 1:
        raise InputError("h, n_windows and step_size must be >= 1")
    tz = config.site.timezone if config is not None else timezone_of(history, config)
    rows = []
    for name, frame in history.groupby("queue", sort=True):
        name = str(name)
        qh = queue_history(frame, name, tz, config, None)
        check_enough_history(qh, None)
        spd = qh.grid.slots_per_day
        for spec in models:
            model = resolve_model(spec)
            for cutoff, actual, predicted in backtest_matrix(
                model,
                qh.Y,
                slots_per_day=spd,
                first_day=qh.grid.first_day,
                h_days=h,
                n_windows=n_windows,
                step_days=step_size,
                min_train_days=MIN_HISTORY_DAYS,
                closed_days=qh.closed,
            ):
                first = qh.grid.first_day + dt.timedelta(days=int(cutoff))
                n_days = actual.shape[0]
                axis = interval_axis(first, n_days, tz, qh.grid.interval_minutes)
                r, s = axis_positions(axis, DayGrid(first, n_days, tz, qh.grid.interval_minutes))
                a = actual[r, s]
                keep = ~np.isnan(a)
                rows.append(
                    pd.DataFrame(
                        {
                            "queue": name,
                            "model": model.name,
                            "cutoff": pd.Timestamp(first).tz_localize(tz),
                            "interval_start": axis[keep],
                            "offered": a[keep],
                            "forecast": predicted[r, s][keep],
                        }
                    )
                )
    columns = ["queue", "model", "cutoff", "interval_start", "offered", "forecast"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


def backtest_scores(cv: pd.DataFrame) -> pd.DataFrame:
    """WAPE, MAPE and bias per queue and model from :func:`cross_validation` output.

    - WAPE :math:`= \\sum |y - \\hat y| / \\sum y`;
    - MAPE :math:`= \\operatorname{mean}_{y > 0} |y - \\hat y| / y` (intervals with no contacts
      are left out: their percentage error is undefined);
    - bias :math:`= \\sum (\\hat y - y) / \\sum y` (positive: over-forecast);
    - noise_floor: the Poisson WAPE floor of the forecasts (:func:`forecasts.noise.noise_floor`:
      what a perfect rate forecast would still miss per interval);
    - daily_wape: the WAPE of the local daily totals.

    Returns ``queue, model, wape, mape, bias, noise_floor, daily_wape, offered, n_windows``.
    """
    out = []
    for (queue, model), g in cv.groupby(["queue", "model"], sort=False):
        y = g["offered"].to_numpy(dtype=float)
        f = g["forecast"].to_numpy(dtype=float)
        total = y.sum()
        nz = y > 0
        out.append(
            {
                "queue": queue,
                "model": model,
                "wape": np.abs(y - f).sum() / total if total > 0 else np.nan,
                "mape": float(np.mean(np.abs(y[nz] - f[nz]) / y[nz])) if nz.any() else np.nan,
                "bias": (f - y).sum() / total if total > 0 else np.nan,
                "noise_floor": noise_floor(f),
                "daily_wape": _daily_wape(g),
                "offered": total,
                "n_windows": g["cutoff"].nunique(),
            }
        )
    columns = ["queue", "model", "wape", "mape", "bias", "noise_floor", "daily_wape"]
    return pd.DataFrame(out, columns=[*columns, "offered", "n_windows"])


def _daily_wape(g: pd.DataFrame) -> float:
    times = g["interval_start"]
    day = times.dt.tz_localize(None) if times.dt.tz is not None else times
    daily = g.groupby(day.dt.normalize())[["offered", "forecast"]].sum()
    total = daily["offered"].sum()
    return (
        float((daily["offered"] - daily["forecast"]).abs().sum() / total) if total > 0 else np.nan
    )
