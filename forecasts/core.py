"""Forecast and backtest every queue of a history frame: the orchestrator.

:func:`forecast_history` turns the tidy history frame (``interval_start`` timezone-aware,
``queue``, ``channel``, ``interval_minutes``, ``offered``, ``answered``,
``handle_time_total_sec``, ``aht_sec``, ...) into the forecast frame (``interval_start, queue,
channel, interval_minutes, offered, aht_sec, offered_lo, offered_hi, model, adjustment_pct``) for
1 to 8 weeks from a start date. :func:`cross_validation` and :func:`backtest_scores` are the
rolling-origin backtest.

Per queue:

1. The history before the start date goes on the (local day x clock slot) matrix
   (:mod:`forecasts.grid`); holidays of the configuration become missing days.
2. The model (an object, a name, or ``auto``) is fitted. A model that needs more history than
   the queue has falls back to a simpler one (double seasonal -> top-down -> weekly profile ->
   seasonal naive), and the note says so.
3. Its week-ahead rolling backtest (``n_windows`` windows, ``step_days`` apart; for ``auto`` the
   backtest that chose it) gives the overdispersion of the 80% prediction interval
   (:mod:`forecasts.intervals`).
4. The calendar (:mod:`forecasts.calendar`) zeroes closed hours and days, scales holidays and
   applies the planner's adjustments; the prediction interval is computed on the adjusted mean.
5. AHT comes from the volume-weighted profile of handle time (:mod:`forecasts.aht`).

Bad history raises :class:`~wfm.errors.InputError` with the queue named (fewer than 7 days with
data before the start, negative volume, irregular interval length). A queue whose history is
all zeros gets a zero forecast and a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.aht import aht_profile
from forecasts.calendar import adjustment_factor, holiday_dates, holiday_factor, open_mask
from forecasts.grid import DayGrid, axis_positions, to_day_matrix
from forecasts.intervals import overdispersion, prediction_interval
from forecasts.models import (
    Auto,
    DoubleSeasonal,
    SeasonalNaive,
    TopDown,
    WeeklyProfile,
    _Model,
    backtest_matrix,
    make_model,
)
from wfm.axis import interval_axis
from wfm.config import Config, Queue
from wfm.errors import InputError
from wfm.schemas import FORECAST_FRAME_COLUMNS

__all__ = [
    "FORECAST_FRAME_COLUMNS",
    "ForecastResult",
    "backtest_scores",
    "cross_validation",
    "forecast_history",
]

#: Longest horizon: the issue's 1 to 8 weeks.
MAX_HORIZON_DAYS = 56
#: Order in which a model that needs more history falls back.
_FALLBACK = (DoubleSeasonal, TopDown, WeeklyProfile, SeasonalNaive)
#: Fewest days with data a queue needs before the start date (one weekly cycle).
MIN_HISTORY_DAYS = 7


@dataclass(frozen=True)
class ForecastResult:
    """What :func:`forecast_history` returns.

    Attributes
    ----------
    frame
        The forecast frame, one row per queue and interval of the horizon.
    choices
        One row per queue: ``queue, model`` (what produced the numbers), ``requested``,
        ``backtest_wape`` (the chosen model's), ``kappa`` (overdispersion of the interval),
        ``note``.
    scores
        ``auto`` only: ``queue, model, wape`` for every candidate in its backtest.
    notes
        Messages for the user (fallbacks, all-zero queues, missing handle time).
    """

    frame: pd.DataFrame
    choices: pd.DataFrame
    scores: pd.DataFrame
    notes: tuple[str, ...]


# --------------------------------------------------------------------------- per-queue input


@dataclass(frozen=True)
class _QueueHistory:
    name: str
    channel: str
    Y: np.ndarray  # offered on the day x slot grid (NaN = missing)
    handle: np.ndarray
    answered: np.ndarray
    grid: DayGrid


def _tz_of(history: pd.DataFrame, config: Config | None) -> str:
    times = history["interval_start"]
    tz = getattr(times.dt, "tz", None)
    if tz is None:
        return config.site.timezone if config is not None else "UTC"
    return str(tz)


def _times(frame: pd.DataFrame, tz: str) -> pd.DatetimeIndex:
    times = pd.DatetimeIndex(frame["interval_start"])
    if times.tz is None:
        try:
            return times.tz_localize(tz, ambiguous="infer", nonexistent="shift_forward")
        except (ValueError, TypeError) as err:
            raise InputError(
                f"naive interval starts cannot be placed in {tz}: {err}", column="interval_start"
            ) from None
    return times.tz_convert(tz)


def _interval_minutes(frame: pd.DataFrame, name: str, config: Config | None) -> int:
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


def _queue_history(
    frame: pd.DataFrame,
    name: str,
    tz: str,
    config: Config | None,
    before: dt.date | None,
) -> _QueueHistory:
    """The queue's history before ``before`` on the day x slot grid, holidays left out."""
    minutes = _interval_minutes(frame, name, config)
    times = _times(frame, tz)
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
    return _QueueHistory(name, channel, Y, H, A, grid)


def _check_enough(qh: _QueueHistory, before: dt.date | None) -> int:
    observed = int((~np.isnan(qh.Y)).any(axis=1).sum())
    if observed < MIN_HISTORY_DAYS:
        where = f" before {before}" if before is not None else ""
        raise InputError(
            f"queue {qh.name!r}: the history has {observed} day(s) with data{where}; at least "
            f"{MIN_HISTORY_DAYS} (one week) are needed to forecast",
            column="interval_start",
        )
    return observed


def _resolve(model: str | _Model) -> _Model:
    return make_model(model) if isinstance(model, str) else model


def _fit_with_fallback(
    model: _Model, qh: _QueueHistory, observed: int
) -> tuple[_Model, str | None]:
    """Fit ``model``, or the first simpler model the history is long enough for."""
    chosen, note = model, None
    if observed < model.min_days:
        simpler = next(cls() for cls in _FALLBACK if cls.min_days <= observed)
        note = (
            f"queue {qh.name!r}: {model.name} needs {model.min_days} days of history with data, "
            f"the queue has {observed}; used {simpler.name} instead"
        )
        chosen = simpler
    fitted = chosen.fit(qh.Y, slots_per_day=qh.grid.slots_per_day, first_day=qh.grid.first_day)
    return fitted, note


# --------------------------------------------------------------------------- forecast


def _labels(label: str, adjust: np.ndarray) -> np.ndarray:
    """The model name per interval, with the planner's adjustment appended where there is one
    (``double_seasonal adj+10%``), so the adjustment shows in any file that keeps ``model``."""
    out = np.full(adjust.shape, label, dtype=object)
    for factor in np.unique(adjust[adjust != 1.0]):
        out[adjust == factor] = f"{label} adj{(factor - 1.0) * 100.0:+.4g}%"
    return out


def _start_date(history: pd.DataFrame, tz: str, start: dt.date | str | None) -> dt.date:
    if start is not None:
        try:
            return pd.Timestamp(start).date()
        except (ValueError, TypeError):
            raise InputError(f"start {start!r} is not a date", column="start") from None
    local = _times(history, tz).tz_localize(None)
    return (local.max().normalize() + pd.Timedelta(days=1)).date()


def forecast_history(
    history: pd.DataFrame,
    horizon_days: int,
    *,
    start: dt.date | str | None = None,
    model: str | _Model = "auto",
    config: Config | None = None,
    n_windows: int | None = None,
    step_days: int | None = None,
    level: float | None = None,
) -> ForecastResult:
    """Forecast offered volume and AHT per interval for every queue of ``history``.

    Parameters
    ----------
    history
        The tidy history frame (one row per queue and interval; see the module docstring).
        Naive times are taken as the configuration's time zone (else UTC).
    horizon_days
        Days to forecast, 1 to 56 (8 weeks).
    start
        First local day of the forecast (default: the day after the last day of history). Only
        history before it is used.
    model
        A model object, a name (``seasonal_naive``, ``weekly_profile``, ``top_down``,
        ``double_seasonal``) or ``auto`` (per queue, the lowest backtest WAPE).
    config
        Opening hours, holidays, adjustments, the time zone and the forecast settings.
    n_windows, step_days, level
        Backtest windows and spacing (days) for ``auto`` and for the prediction interval, and
        the interval's coverage; default from ``config.forecast`` (4, 7, 0.80).

    Returns
    -------
    ForecastResult
    """
    if not isinstance(horizon_days, int | np.integer) or not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InputError(
            f"the horizon must be 1 to {MAX_HORIZON_DAYS} days (8 weeks), got {horizon_days}",
            column="horizon_days",
        )
    missing = [c for c in ("interval_start", "queue", "offered") if c not in history.columns]
    if missing:
        raise InputError(f"the history lacks column(s) {', '.join(missing)}", column=missing[0])
    if history.empty:
        raise InputError("the history has no rows")
    settings = config.forecast if config is not None else None
    n_windows = n_windows or (settings.n_windows if settings else 4)
    step_days = step_days or (settings.step_days if settings else 7)
    level = level or (settings.interval_level if settings else 0.80)
    tz = config.site.timezone if config is not None else _tz_of(history, config)
    start_day = _start_date(history, tz, start)
    calendar = config.calendar if config is not None else None

    frames, choices, scores, notes = [], [], [], []
    for name, frame in history.groupby("queue", sort=True):
        name = str(name)
        qh = _queue_history(frame, name, tz, config, start_day)
        observed = _check_enough(qh, start_day)
        queue_cfg: Queue | None = None
        if config is not None and config.queues:
            if name in config.queue_names:
                queue_cfg = config.queue(name)
            else:
                notes.append(f"queue {name!r} is not in the configuration: open all hours")
        spd = qh.grid.slots_per_day
        requested = _resolve(model)
        if isinstance(requested, Auto) and model == "auto":
            requested = Auto(n_windows=n_windows, step_days=step_days)
        total = np.nansum(qh.Y)
        if total == 0:
            notes.append(f"queue {name!r}: no contacts in the history; its forecast is zero")
            fitted = SeasonalNaive().fit(qh.Y, slots_per_day=spd, first_day=qh.grid.first_day)
            label, pairs, note = "zero_history", [], "all-zero history"
        else:
            fitted, note = _fit_with_fallback(requested, qh, observed)
            if note:
                notes.append(note)
            if isinstance(fitted, Auto):
                label = f"auto:{fitted.chosen_}"
                pairs = fitted.backtest_
                note = f"{fitted.note_}" + (f"; {note}" if note else "")
                scores.extend(
                    {"queue": name, "model": m, "wape": w} for m, w in fitted.scores_.items()
                )
            else:
                label = fitted.name
                pairs = backtest_matrix(
                    fitted,
                    qh.Y,
                    slots_per_day=spd,
                    first_day=qh.grid.first_day,
                    h_days=7,
                    n_windows=n_windows,
                    step_days=step_days,
                )
        if pairs:
            actual = np.concatenate([a for _, a, _ in pairs])
            predicted = np.concatenate([f for _, _, f in pairs])
            kappa = overdispersion(actual, predicted)
            mask = ~np.isnan(actual)
            bt_wape = (
                float(np.abs(actual[mask] - predicted[mask]).sum() / actual[mask].sum())
                if actual[mask].sum() > 0
                else np.nan
            )
        else:
            kappa, bt_wape = 0.0, np.nan
            if total > 0:
                notes.append(
                    f"queue {name!r}: too little history for a backtest; the prediction interval "
                    "assumes Poisson arrivals and is likely too narrow"
                )
        choices.append(
            {
                "queue": name,
                "model": label,
                "requested": requested.name,
                "backtest_wape": bt_wape,
                "kappa": kappa,
                "note": note or "",
            }
        )

        # Predict from the day after the history to the end of the horizon.
        gap_days = (start_day - qh.grid.first_day).days - qh.grid.n_days
        n_ahead = gap_days + horizon_days
        days = fitted.predict(n_ahead * spd).reshape(n_ahead, spd)[gap_days:]
        axis = interval_axis(start_day, horizon_days, tz, qh.grid.interval_minutes)
        horizon_grid = DayGrid(start_day, horizon_days, tz, qh.grid.interval_minutes)
        row, slot = axis_positions(axis, horizon_grid)
        mean = days[row, slot]

        weekday = (qh.grid.first_day.weekday() + np.arange(qh.grid.n_days)) % 7
        aht = aht_profile(qh.handle, qh.answered, weekday)
        if aht is None:
            aht_sec = np.full(len(axis), np.nan)
            if total > 0:
                notes.append(
                    f"queue {name!r}: no handle time in the history; aht_sec is left empty"
                )
        else:
            aht_sec = aht[np.asarray(axis.tz_localize(None).weekday), slot]

        is_open = open_mask(axis, queue_cfg)
        adjust = adjustment_factor(axis, calendar, name)
        mean = mean * is_open * holiday_factor(axis, calendar, name) * adjust
        lo, hi = prediction_interval(mean, kappa, level)
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": axis,
                    "queue": name,
                    "channel": qh.channel,
                    "interval_minutes": qh.grid.interval_minutes,
                    "offered": mean,
                    "aht_sec": aht_sec,
                    "offered_lo": np.minimum(lo, mean),
                    "offered_hi": np.maximum(hi, mean),
                    "model": _labels(label, adjust),
                    "adjustment_pct": np.round((adjust - 1.0) * 100.0, 6),
                }
            )
        )
    return ForecastResult(
        frame=pd.concat(frames, ignore_index=True)[list(FORECAST_FRAME_COLUMNS)],
        choices=pd.DataFrame(choices),
        scores=pd.DataFrame(scores, columns=["queue", "model", "wape"]),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- backtest


def cross_validation(
    history: pd.DataFrame,
    h: int = 7,
    n_windows: int = 4,
    step_size: int = 7,
    *,
    models: Sequence[str | _Model] = ("auto",),
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
    tz = config.site.timezone if config is not None else _tz_of(history, config)
    rows = []
    for name, frame in history.groupby("queue", sort=True):
        name = str(name)
        qh = _queue_history(frame, name, tz, config, None)
        _check_enough(qh, None)
        spd = qh.grid.slots_per_day
        for spec in models:
            model = _resolve(spec)
            for cutoff, actual, predicted in backtest_matrix(
                model,
                qh.Y,
                slots_per_day=spd,
                first_day=qh.grid.first_day,
                h_days=h,
                n_windows=n_windows,
                step_days=step_size,
                min_train_days=MIN_HISTORY_DAYS,
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
    - bias :math:`= \\sum (\\hat y - y) / \\sum y` (positive: over-forecast).

    Returns ``queue, model, wape, mape, bias, offered, n_windows``.
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
                "offered": total,
                "n_windows": g["cutoff"].nunique(),
            }
        )
    return pd.DataFrame(
        out, columns=["queue", "model", "wape", "mape", "bias", "offered", "n_windows"]
    )
