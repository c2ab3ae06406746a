"""Forecast and backtest every queue of a history frame: the orchestrator.

:func:`forecast_history` turns the tidy history frame (``interval_start`` timezone-aware,
``queue``, ``channel``, ``interval_minutes``, ``offered``, ``answered``,
``handle_time_total_sec``, ``aht_sec``, ...) into the forecast frame (``interval_start, queue,
channel, interval_minutes, offered, aht_sec, offered_lo, offered_hi, model, adjustment_pct``) for
1 to 8 weeks from a start date. :func:`~forecasts.backtest.cross_validation` and
:func:`~forecasts.backtest.backtest_scores` are the rolling-origin backtest.

Per queue:

1. The history before the start date goes on the (local day x clock slot) matrix
   (:mod:`forecasts.grid`); holidays of the configuration become missing days.
2. The model (an object, a name, or ``auto``) is fitted, told the calendar's closures
   (holidays with factor 0) for the calls they carry over. A model that needs more history than
   the queue has falls back to a simpler one (double seasonal -> top-down -> weekly profile ->
   seasonal naive), and the note says so.
3. Its week-ahead rolling backtest (``n_windows`` windows, ``step_days`` apart; for ``auto`` the
   backtest that chose it) gives the 80% prediction interval: a level error shared by the
   whole week (its spread from the windows' weekly totals) times per-interval noise (its
   dispersion calibrated on the windows with their level corrected), as one negative binomial
   with the mixture's mean and variance (:func:`forecasts.intervals.level_mixture`), and
   the Poisson noise floor and daily-total WAPE reported beside its WAPE
   (:mod:`forecasts.noise`). The notes name a queue where noise dominates (a floor of 20% or
   more) and regular weekdays without data that the calendar does not list.
4. The calendar (:mod:`forecasts.calendar`) zeroes closed hours and days, scales holidays and
   applies the planner's adjustments; the prediction interval is computed on the adjusted mean.
5. AHT comes from the volume-weighted profile of handle time (:mod:`forecasts.aht`).

Bad history raises :class:`~wfm.errors.InputError` with the queue named (fewer than 7 days with
data before the start, negative volume, irregular interval length). A queue whose history is
all zeros gets a zero forecast and a note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.aht import aht_profile
from forecasts.calendar import adjustment_factor, holiday_factor, open_mask
from forecasts.grid import DayGrid, axis_positions
from forecasts.intervals import level_mixture, prediction_interval
from forecasts.models import (
    Auto,
    Model,
    SeasonalNaive,
    backtest_matrix,
    wape,
)
from forecasts.noise import noise_floor, special_days
from forecasts.queue_history import (
    check_enough_history,
    fit_with_fallback,
    local_times,
    queue_history,
    resolve_model,
    timezone_of,
)
from wfm.axis import interval_axis
from wfm.config import Config, Queue
from wfm.errors import InputError
from wfm.schemas import FORECAST_FRAME_COLUMNS

__all__ = [
    "FORECAST_FRAME_COLUMNS",
    "MAX_HORIZON_DAYS",
    "ForecastResult",
    "forecast_history",
]


MAX_HORIZON_DAYS = 56
#: Interval WAPE noise floor from which a queue's note says that noise dominates.
NOISE_FLOOR_NOTE = 0.20


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
        ``level_sd`` (the standard deviation of the week's log level error in it),
        ``noise_floor`` (the Poisson WAPE floor of the same backtest intervals,
        :mod:`forecasts.noise`), ``daily_wape`` (the backtest WAPE of the daily totals),
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
    local = local_times(history, tz).tz_localize(None)
    return (local.max().normalize() + pd.Timedelta(days=1)).date()


def forecast_history(
    history: pd.DataFrame,
    horizon_days: int,
    *,
    start: dt.date | str | None = None,
    model: str | Model = "auto",
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
    tz = config.site.timezone if config is not None else timezone_of(history, config)
    start_day = _start_date(history, tz, start)
    calendar = config.calendar if config is not None else None

    frames, choices, scores, notes = [], [], [], []
    for name, frame in history.groupby("queue", sort=True):
        name = str(name)
        qh = queue_history(frame, name, tz, config, start_day)
        observed = check_enough_history(qh, start_day)
        queue_cfg: Queue | None = None
        if config is not None and config.queues:
            if name in config.queue_names:
                queue_cfg = config.queue(name)
            else:
                notes.append(f"queue {name!r} is not in the configuration: open all hours")
        spd = qh.grid.slots_per_day
        unlisted = [
            d
            for d in special_days(qh.Y, qh.grid.first_day).query("kind == 'closed'")["date"]
            if d not in qh.closed
        ]
        if unlisted:
            shown = ", ".join(str(d) for d in unlisted[:6]) + (" ..." if len(unlisted) > 6 else "")
            notes.append(
                f"queue {name!r}: no data on {len(unlisted)} regular weekday(s) ({shown}); if "
                "closed, list them under [[calendar.holidays]] with factor 0 (and the coming "
                "ones: the days after a closure get its carried-over calls)"
            )
        requested = resolve_model(model)
        if isinstance(requested, Auto) and model == "auto":
            requested = Auto(n_windows=n_windows, step_days=step_days)
        total = np.nansum(qh.Y)
        if total == 0:
            notes.append(f"queue {name!r}: no contacts in the history; its forecast is zero")
            fitted = SeasonalNaive().fit(qh.Y, slots_per_day=spd, first_day=qh.grid.first_day)
            label, pairs, note = "zero_history", [], "all-zero history"
        else:
            fitted, note = fit_with_fallback(requested, qh, observed)
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
                    closed_days=qh.closed,
                )
        if pairs:
            actual = np.concatenate([a for _, a, _ in pairs])
            predicted = np.concatenate([f for _, _, f in pairs])
            level_sd, _, kappa = level_mixture(pairs, level)
            mask = ~np.isnan(actual)
            bt_wape = (
                float(np.abs(actual[mask] - predicted[mask]).sum() / actual[mask].sum())
                if actual[mask].sum() > 0
                else np.nan
            )
            floor = noise_floor(np.where(mask, predicted, np.nan))
            daily = wape(np.nansum(actual, axis=1), np.nansum(predicted * mask, axis=1))
            # Noise dominates when even a perfect rate would miss a fifth of the calls per
            # interval.
            if np.isfinite(bt_wape) and floor >= NOISE_FLOOR_NOTE:
                notes.append(
                    f"queue {name!r}: Poisson noise alone gives {100 * floor:.0f}% interval WAPE "
                    f"(backtest {100 * bt_wape:.0f}%): noise dominates the intervals; the daily "
                    f"total is the figure to plan on (backtest WAPE {100 * daily:.1f}%)"
                )
        else:
            kappa, level_sd, bt_wape, floor, daily = 0.0, 0.0, np.nan, np.nan, np.nan
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
                "level_sd": level_sd,
                "noise_floor": floor,
                "daily_wape": daily,
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
