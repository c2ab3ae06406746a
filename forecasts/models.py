"""Volume forecasting models on the (local day x clock slot) grid of one queue.

Every model follows the statsforecast habit: ``__init__`` stores parameters only, ``fit(y, ...)``
learns state (attributes ending in ``_``) and returns ``self``, ``predict(h)`` returns the next
``h`` intervals, and ``forecast(y, h, ...)`` does both at once.

The input ``y`` is the queue's offered volume on the regular grid of local clock slots: whole local
days, ``slots_per_day`` values per day (1-D of length ``n_days * slots_per_day``, or the 2-D
``(n_days, slots_per_day)`` matrix), NaN where nothing was observed (missing days, the skipped
hour of a spring-forward day; see :mod:`forecasts.grid`). The intraday period is
``slots_per_day`` and the weekly period ``7 * slots_per_day``. ``first_day`` (the date of the
first row) gives the weekday and calendar date of each row; without it the weekly cycle is
counted from the first row and calendar effects are off. ``predict(h)`` starts at slot 0 of the
day after the last row. Forecasts are never negative.

Models
------
``SeasonalNaive``
    Same slot, same weekday, last week (the last week in which that weekday was observed).
``WeeklyProfile``
    Trimmed mean of the same slot and weekday over the last ``weeks`` observed weeks.
``TopDown``
    Daily totals by damped multiplicative Holt-Winters (weekly season) times an intraday profile
    per weekday: the classic top-down WFM forecast.
``DoubleSeasonal``
    A multiplicative regression on weekday x interval with an adaptive level and a
    turn-of-the-month effect, fitted on the full history.
``Auto``
    Chooses among candidate models by a rolling-origin backtest (lowest WAPE).
"""

from __future__ import annotations

import copy
import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.errors import InputError

__all__ = [
    "MODELS",
    "Auto",
    "DoubleSeasonal",
    "SeasonalNaive",
    "TopDown",
    "WeeklyProfile",
    "backtest_matrix",
    "make_model",
    "wape",
]


# --------------------------------------------------------------------------- helpers


def _as_matrix(y: np.ndarray, slots_per_day: int) -> np.ndarray:
    """``y`` as a float (n_days, slots_per_day) matrix (a copy)."""
    arr = np.array(y, dtype=float)
    if arr.ndim == 2:
        if arr.shape[1] != slots_per_day:
            raise InputError(f"expected {slots_per_day} slots per day, got {arr.shape[1]}")
        return arr
    if arr.ndim != 1 or arr.size % slots_per_day:
        raise InputError(
            f"the history must cover whole days of {slots_per_day} slots; got {arr.size} values"
        )
    return arr.reshape(-1, slots_per_day)


def _weekdays(first_day: dt.date | None, start: int, n: int) -> np.ndarray:
    """Weekday (0 = Monday) of rows ``start .. start + n - 1``; relative when no date is known."""
    w0 = first_day.weekday() if first_day is not None else 0
    return (w0 + start + np.arange(n)) % 7


def _fill_cells(rows: np.ndarray) -> np.ndarray:
    """Fill NaN cells of a stack of same-weekday days by the column mean (0 if never seen)."""
    if not np.isnan(rows).any():
        return rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        col = np.nanmean(rows, axis=0)
    col = np.nan_to_num(col)
    return np.where(np.isnan(rows), col, rows)


def _recent_rows(observed: np.ndarray, weekday: np.ndarray, day: int, k: int | None) -> np.ndarray:
    """Indices of the last ``k`` observed rows with weekday ``day`` (most recent first)."""
    idx = np.flatnonzero(observed & (weekday == day))[::-1]
    return idx if k is None else idx[:k]


def _weekday_profiles(
    Y: np.ndarray, observed: np.ndarray, weekday: np.ndarray, weeks: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Intraday profile per weekday from the last ``weeks`` observed days of that weekday.

    The profile is volume-weighted, :math:`p_{w,s} = \\sum_d y_{d,s} / \\sum_d \\sum_s y_{d,s}`
    over those days, so busy days count in proportion to their volume. Returns ``(profiles (7,
    slots), seen (7,))``; a weekday never observed has a zero profile and ``seen`` False.
    """
    profiles = np.zeros((7, Y.shape[1]))
    seen = np.zeros(7, dtype=bool)
    for day in range(7):
        rows = _recent_rows(observed, weekday, day, weeks)
        if rows.size == 0:
            continue
        seen[day] = True
        block = _fill_cells(Y[rows])
        total = block.sum()
        if total > 0:
            profiles[day] = block.sum(axis=0) / total
    return profiles, seen


def _daily_totals(Y: np.ndarray, profiles: np.ndarray, weekday: np.ndarray) -> np.ndarray:
    """Daily totals, completed for missing cells by the weekday profile (NaN for missing days).

    A day with some slots missing (a spring-forward day, a partial export) gets
    :math:`T_d = \\sum_{s\\,obs} y_{d,s} / \\sum_{s\\,obs} p_{w(d),s}`.
    """
    observed_cells = ~np.isnan(Y)
    raw = np.where(observed_cells, Y, 0.0).sum(axis=1)
    share = np.where(observed_cells, profiles[weekday], 0.0).sum(axis=1)
    totals = np.where(share > 0.5, raw / np.where(share > 0, share, 1.0), raw)
    totals[~observed_cells.any(axis=1)] = np.nan
    return totals


def _trimmed_mean(values: np.ndarray, trim: float, axis: int = 0) -> np.ndarray:
    """Mean after cutting ``floor(trim * n)`` values at each end along ``axis``."""
    n = values.shape[axis]
    cut = int(np.floor(trim * n))
    if cut == 0 or n - 2 * cut < 1:
        return values.mean(axis=axis)
    ordered = np.sort(values, axis=axis)
    return np.take(ordered, np.arange(cut, n - cut), axis=axis).mean(axis=axis)


def _month_turn(dates: pd.DatetimeIndex) -> np.ndarray:
    """Turn-of-the-month category of each date: 1 = last day of the month, 2..5 = days 1..4,
    0 = any other day."""
    cat = np.zeros(len(dates), dtype=np.int64)
    day = np.asarray(dates.day)
    cat[day == np.asarray(dates.days_in_month)] = 1
    for k in range(1, 5):
        cat[day == k] = 1 + k
    return cat


# --------------------------------------------------------------------------- base class


class _Model:
    """Shared ``fit``/``predict``/``forecast`` plumbing; subclasses do whole days."""

    #: Name used in the forecast file's ``model`` column and on the command line.
    name = "model"
    #: Fewest observed days in the history for the model to be fitted.
    min_days = 7

    def fit(
        self, y: np.ndarray, *, slots_per_day: int = 96, first_day: dt.date | None = None
    ) -> _Model:
        """Learn from ``y`` (whole local days on the clock-slot grid, NaN = not observed)."""
        Y = _as_matrix(y, slots_per_day)
        observed_days = int((~np.isnan(Y)).any(axis=1).sum())
        if observed_days < self.min_days:
            raise InputError(
                f"model {self.name!r} needs at least {self.min_days} days of history with data,"
                f" got {observed_days}"
            )
        if np.nanmin(Y) < 0:
            raise InputError("offered volume must not be negative", column="offered")
        self.slots_per_day_ = slots_per_day
        self.n_days_ = Y.shape[0]
        self.first_day_ = first_day
        self._fit(Y, _weekdays(first_day, 0, Y.shape[0]))
        return self

    def predict(self, h: int) -> np.ndarray:
        """The next ``h`` intervals, from slot 0 of the day after the history (never negative)."""
        if not hasattr(self, "n_days_"):
            raise RuntimeError(f"{type(self).__name__}.predict called before fit")
        n_ahead = -(-int(h) // self.slots_per_day_)
        weekday = _weekdays(self.first_day_, self.n_days_, n_ahead)
        if self.first_day_ is not None:
            dates = pd.date_range(
                pd.Timestamp(self.first_day_) + pd.Timedelta(days=self.n_days_),
                periods=n_ahead,
                freq="D",
            )
        else:
            dates = None
        days = self._predict_days(n_ahead, weekday, dates)
        return np.clip(np.nan_to_num(days), 0.0, None).ravel()[: int(h)]

    def forecast(
        self,
        y: np.ndarray,
        h: int,
        *,
        slots_per_day: int = 96,
        first_day: dt.date | None = None,
    ) -> np.ndarray:
        """``fit(y, ...)`` then ``predict(h)``."""
        return self.fit(y, slots_per_day=slots_per_day, first_day=first_day).predict(h)

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:  # pragma: no cover
        raise NotImplementedError

    def _predict_days(
        self, n: int, weekday: np.ndarray, dates: pd.DatetimeIndex | None
    ) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        params = {k: v for k, v in vars(self).items() if not k.endswith("_")}
        inner = ", ".join(f"{k}={v!r}" for k, v in params.items())
        return f"{type(self).__name__}({inner})"


# --------------------------------------------------------------------------- models


class SeasonalNaive(_Model):
    """Same interval, same weekday, last week: :math:`\\hat y_{d,s} = y_{d',s}` where ``d'`` is
    the most recent observed day with the weekday of ``d``.

    A weekday never observed (the weekend of a weekday-only centre) is forecast as zero; a slot
    missing on that day (the skipped DST hour) is taken from the latest earlier week that has it.
    """

    name = "seasonal_naive"
    min_days = 1

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        observed = (~np.isnan(Y)).any(axis=1)
        self.last_week_ = np.zeros((7, Y.shape[1]))
        for day in range(7):
            rows = np.flatnonzero(observed & (weekday == day))
            if rows.size:
                latest = pd.DataFrame(Y[rows]).ffill().to_numpy()[-1]
                self.last_week_[day] = np.nan_to_num(latest)

    def _predict_days(self, n, weekday, dates):
        return self.last_week_[weekday]


class WeeklyProfile(_Model):
    """Trimmed mean of the same slot and weekday over the last ``weeks`` observed weeks.

    :math:`\\hat y_{d,s} = \\operatorname{trimmean}_{trim}\\{y_{d-7k,s}\\}_{k=1..K}` over the
    last ``K = weeks`` observed days with the weekday of ``d``; ``trim`` is the share cut at each
    end (``weeks=6, trim=0.2`` drops the highest and the lowest and averages four).

    Parameters
    ----------
    weeks
        How many past same-weekday days to average.
    trim
        Share of the values cut at each end before averaging (0 = plain mean).
    """

    name = "weekly_profile"
    min_days = 7

    def __init__(self, weeks: int = 6, trim: float = 0.2) -> None:
        self.weeks = weeks
        self.trim = trim

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        if self.weeks < 1 or not 0 <= self.trim < 0.5:
            raise InputError("weekly_profile needs weeks >= 1 and 0 <= trim < 0.5")
        observed = (~np.isnan(Y)).any(axis=1)
        self.mean_week_ = np.zeros((7, Y.shape[1]))
        for day in range(7):
            rows = _recent_rows(observed, weekday, day, self.weeks)
            if rows.size:
                self.mean_week_[day] = _trimmed_mean(_fill_cells(Y[rows]), self.trim)

    def _predict_days(self, n, weekday, dates):
        return self.mean_week_[weekday]


@dataclass(frozen=True)
class _HoltWintersGrid:
    """The smoothing-parameter grid searched by :class:`TopDown`."""

    alpha: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5)
    beta: tuple[float, ...] = (0.0, 0.01, 0.05)
    phi: tuple[float, ...] = (0.9, 0.98)
    gamma: tuple[float, ...] = (0.02, 0.05, 0.1, 0.2)


def _holt_winters_daily(
    totals: np.ndarray, weekday: np.ndarray, grid: _HoltWintersGrid, horizon_days: int
) -> dict:
    """Damped multiplicative Holt-Winters on daily totals, all grid points at once.

    Recursions (Hyndman, Koehler, Ord & Snyder 2008, *Forecasting with Exponential Smoothing*,
    ETS(A,Ad,M); Gardner & McKenzie 1985 for the damped trend), with the weekly season indexed by
    weekday and one step per calendar day::

        yhat_t = (l_{t-1} + phi b_{t-1}) s_{w(t)}
        l_t = alpha y_t / s_{w(t)} + (1 - alpha)(l_{t-1} + phi b_{t-1})
        b_t = beta (l_t - l_{t-1}) + (1 - beta) phi b_{t-1}
        s_{w(t)} <- gamma y_t / (l_{t-1} + phi b_{t-1}) + (1 - gamma) s_{w(t)}

    A missing day (weekend, holiday, gap) updates nothing: ``l_t = l_{t-1} + phi b_{t-1}``,
    ``b_t = phi b_{t-1}``, as a state-space model treats a missing observation. The smoothing
    parameters are chosen for the planning horizon, not for the next day: the grid point with
    the least sum of squared ``k``-step-ahead errors, ``k = 1 .. horizon_days`` (relative to the
    mean daily total; forecast from ``l_{t-k} + (phi + ... + phi^k) b_{t-k}``), after a two-week
    warm-up wins. One-step fitting picks a nervous level (``alpha`` near 0.5 on bank data) that
    chases short-lived bumps and forecasts the week after badly.
    """
    a, b, phi, g = (arr.ravel() for arr in np.meshgrid(grid.alpha, grid.beta, grid.phi, grid.gamma))
    observed = ~np.isnan(totals)
    idx = np.flatnonzero(observed)
    warm = idx[idx < idx[0] + 14]
    level0 = totals[warm].mean()
    season = np.ones((a.size, 7))
    for day in range(7):
        sel = warm[weekday[warm] == day]
        if sel.size and level0 > 0:
            season[:, day] = max(totals[sel].mean() / level0, 1e-3)
    level = np.full(a.size, max(level0, 1e-6))
    trend = np.zeros(a.size)
    sse = np.zeros(a.size)
    scale = max(np.nanmean(totals), 1e-6)
    start_eval = warm[-1] + 1
    horizon = max(int(horizon_days), 1)
    # damp_sum[k] = phi + phi^2 + ... + phi^k for each grid point.
    damp_sum = np.cumsum(phi[None, :] ** np.arange(1, horizon + 1)[:, None], axis=0)
    past_level = np.tile(level, (horizon, 1))  # ring buffer: state at the end of day t - k
    past_trend = np.zeros((horizon, a.size))
    for t in range(idx[0], totals.size):
        base = np.maximum(level + phi * trend, 1e-6)
        if observed[t]:
            day = weekday[t]
            y = totals[t]
            s = season[:, day]
            if t >= start_eval:
                for k in range(1, horizon + 1):
                    slot = (t - k) % horizon
                    ahead = np.maximum(past_level[slot] + damp_sum[k - 1] * past_trend[slot], 0)
                    sse += ((y - ahead * s) / scale) ** 2
            new_level = a * y / s + (1 - a) * base
            trend = b * (new_level - level) + (1 - b) * phi * trend
            season[:, day] = np.maximum(g * y / base + (1 - g) * s, 1e-3)
            level = new_level
        else:
            level, trend = base, phi * trend
        past_level[t % horizon] = level
        past_trend[t % horizon] = trend
    best = int(np.argmin(sse))
    return {
        "alpha": float(a[best]),
        "beta": float(b[best]),
        "phi": float(phi[best]),
        "gamma": float(g[best]),
        "level": float(level[best]),
        "trend": float(trend[best]),
        "season": season[best].copy(),
    }


class TopDown(_Model):
    """Daily total by damped Holt-Winters times an intraday profile per weekday (top-down).

    The classic WFM method (e.g. Cleveland, *Call Center Management on Fast Forward*, ch. 5;
    Gans, Koole & Mandelbaum 2003, §4.1): forecast the *daily* volume, then spread it over the
    day with the weekday's intraday profile,

    .. math:: \\hat y_{d,s} = \\hat T_d \\; p_{w(d),s},

    with :math:`\\hat T_d` from :func:`_holt_winters_daily` (damped trend, multiplicative weekly
    season; smoothing parameters chosen on a grid by one-step error) and :math:`p_{w,s}` the
    volume-weighted profile of the last ``profile_weeks`` observed days of weekday ``w``.

    Parameters
    ----------
    profile_weeks
        How many past same-weekday days form the intraday profile.
    horizon_days
        The smoothing parameters minimise the 1- to ``horizon_days``-day-ahead errors.
    """

    name = "top_down"
    min_days = 14

    def __init__(self, profile_weeks: int = 20, horizon_days: int = 7) -> None:
        self.profile_weeks = profile_weeks
        self.horizon_days = horizon_days

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        observed = (~np.isnan(Y)).any(axis=1)
        self.profiles_, self.seen_ = _weekday_profiles(Y, observed, weekday, self.profile_weeks)
        totals = _daily_totals(Y, self.profiles_, weekday)
        self.params_ = _holt_winters_daily(totals, weekday, _HoltWintersGrid(), self.horizon_days)

    def _predict_days(self, n, weekday, dates):
        p = self.params_
        steps = np.arange(1, n + 1)
        damp = np.cumsum(p["phi"] ** steps)
        level = np.maximum(p["level"] + damp * p["trend"], 0.0)
        totals = level * p["season"][weekday] * self.seen_[weekday]
        return totals[:, None] * self.profiles_[weekday]


class DoubleSeasonal(_Model):
    """Multiplicative regression on weekday x interval with an adaptive level (full history).

    .. math:: \\hat y_{d,s} = \\ell \\; f_{w(d)} \\; m_{c(d)} \\; p_{w(d),s}

    - :math:`p_{w,s}`: the intraday profile of weekday ``w`` (volume-weighted shares over the last
      ``profile_weeks`` observed days of that weekday): the intraday *and* weekly seasonality.
    - :math:`f_w`: the weekday factor (mean 1 over the weekdays with data), from the last
      ``factor_weeks`` weeks.
    - :math:`m_c`: a turn-of-the-month factor (last day of a month, days 1 to 4, else 1), shrunk
      towards 1 by :math:`n_c / (n_c + 2)` when it has been seen :math:`n_c` times; payday and
      statement effects of this kind are common in banking and retail centres.
    - :math:`\\ell`: the level, a trimmed mean of the deseasonalised daily totals
      :math:`T_d / (f_{w(d)} m_{c(d)})` over the last ``level_days`` regular days; it adapts as
      the history moves on.

    ``f``, ``m`` and a centred local level are fitted jointly by backfitting (three rounds) over
    the whole history. The first open day after a closed weekday (the day after a holiday, which
    carries over its callers) is left out of the fit. The model follows the multiplicative
    "daily volume times intraday proportions" structure that Weinberg, Brown & Stroud (2007,
    *JASA* 102, 1185-1198) and Brown et al. (2005, *JASA* 100, 36-50) found for bank call
    arrivals; compare Taylor (2008, *Management Science* 54, 253-265) on double-seasonal
    exponential smoothing for call-centre arrivals.

    Parameters
    ----------
    level_days
        Regular days averaged (trimmed) for the level.
    factor_weeks
        Weeks of history for the weekday factors.
    profile_weeks
        Same-weekday days for the intraday profile.
    trim
        Share cut at each end of the level's values.
    month_turn
        Whether to model the turn-of-the-month effect (needs ``first_day``).
    """

    name = "double_seasonal"
    min_days = 28

    def __init__(
        self,
        level_days: int = 20,
        factor_weeks: int = 16,
        profile_weeks: int = 20,
        trim: float = 0.1,
        month_turn: bool = True,
    ) -> None:
        self.level_days = level_days
        self.factor_weeks = factor_weeks
        self.profile_weeks = profile_weeks
        self.trim = trim
        self.month_turn = month_turn

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        n = Y.shape[0]
        observed = (~np.isnan(Y)).any(axis=1)
        self.profiles_, self.seen_ = _weekday_profiles(Y, observed, weekday, self.profile_weeks)
        totals = _daily_totals(Y, self.profiles_, weekday)
        use_turn = self.month_turn and self.first_day_ is not None
        if use_turn:
            dates = pd.date_range(pd.Timestamp(self.first_day_), periods=n, freq="D")
            cat = _month_turn(dates)
        else:
            cat = np.zeros(n, dtype=np.int64)
        # A weekday is "regular" when it has data in most weeks; a missing regular day is closed.
        weeks_spanned = max(n / 7.0, 1.0)
        regular = np.array([observed[weekday == d].sum() / weeks_spanned > 0.5 for d in range(7)])
        reg_rows = np.flatnonzero(regular[weekday])
        after_closed = np.zeros(n, dtype=bool)
        prev_open = observed[reg_rows][:-1]
        after_closed[reg_rows[1:]] = ~prev_open & observed[reg_rows[1:]]
        normal = observed & ~after_closed & (totals > 0)
        rows = np.flatnonzero(normal)
        if rows.size < 7:
            rows = np.flatnonzero(observed)
        t = totals[rows]
        w = weekday[rows]
        c = cat[rows]
        recent = rows >= n - 7 * self.factor_weeks
        factor = np.ones(7)
        turn = np.ones(6)
        for _ in range(3):
            deseason = t / (factor[w] * turn[c])
            local = pd.Series(deseason).rolling(21, center=True, min_periods=1).mean().to_numpy()
            ratio = t / (local * turn[c])
            for day in range(7):
                sel = recent & (w == day)
                factor[day] = ratio[sel].mean() if sel.any() else 1.0
            factor /= factor[self.seen_].mean() if self.seen_.any() else 1.0
            if use_turn:
                ratio = t / (local * factor[w])
                # Categories near the ends of the history have a one-sided local level: skip them.
                inner = (np.arange(rows.size) >= 10) & (np.arange(rows.size) < rows.size - 10)
                base = ratio[inner & (c == 0)].mean() if (inner & (c == 0)).any() else 1.0
                for k in range(1, 6):
                    sel = inner & (c == k)
                    n_k = int(sel.sum())
                    if n_k:
                        effect = ratio[sel].mean() / base - 1.0
                        turn[k] = 1.0 + effect * n_k / (n_k + 2.0)
        deseason = t / (factor[w] * turn[c])
        self.level_ = float(_trimmed_mean(deseason[-self.level_days :], self.trim))
        self.factor_ = factor
        self.turn_ = turn
        self.use_turn_ = use_turn

    def _predict_days(self, n, weekday, dates):
        if self.use_turn_ and dates is not None:
            turn = self.turn_[_month_turn(dates)]
        else:
            turn = np.ones(n)
        totals = self.level_ * self.factor_[weekday] * turn * self.seen_[weekday]
        return totals[:, None] * self.profiles_[weekday]


# --------------------------------------------------------------------------- backtest and auto


def backtest_matrix(
    model: _Model,
    y: np.ndarray,
    *,
    slots_per_day: int,
    first_day: dt.date | None,
    h_days: int,
    n_windows: int,
    step_days: int,
    min_train_days: int | None = None,
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Rolling-origin backtest of one model on one queue's day matrix.

    Window ``i`` (``i = 0 .. n_windows-1``) has its cutoff at day
    ``n_days - h_days - step_days * (n_windows - 1 - i)``: the model is fitted on every day before
    the cutoff and forecasts the ``h_days`` days from it, so the last window ends with the
    history. Windows whose training part has fewer observed days than the model needs (the
    larger of ``min_train_days`` and ``model.min_days``) or whose test part has no data are
    skipped.

    Returns
    -------
    list of (cutoff, actual, forecast)
        ``actual`` and ``forecast`` are ``(h_days, slots_per_day)`` matrices (actual NaN where
        not observed).
    """
    Y = _as_matrix(y, slots_per_day)
    n = Y.shape[0]
    need = max(model.min_days, min_train_days or 0)
    observed = (~np.isnan(Y)).any(axis=1)
    seen_before = np.concatenate([[0], np.cumsum(observed)])
    out = []
    for i in range(n_windows):
        cutoff = n - h_days - step_days * (n_windows - 1 - i)
        if cutoff <= 0 or seen_before[cutoff] < need:
            continue
        actual = Y[cutoff : cutoff + h_days]
        if not observed[cutoff : cutoff + h_days].any():
            continue
        fitted = copy.deepcopy(model)
        fc = fitted.forecast(
            Y[:cutoff],
            h_days * slots_per_day,
            slots_per_day=slots_per_day,
            first_day=first_day,
        ).reshape(h_days, slots_per_day)
        out.append((cutoff, actual[: fc.shape[0]], fc[: actual.shape[0]]))
    return out


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Weighted absolute percentage error :math:`\\sum|y - \\hat y| / \\sum y` over observed
    intervals (NaN actuals skipped); NaN when the actuals sum to zero."""
    mask = ~np.isnan(actual)
    denom = actual[mask].sum()
    return float(np.abs(actual[mask] - forecast[mask]).sum() / denom) if denom > 0 else np.nan


class Auto(_Model):
    """Per queue, the candidate with the lowest backtest WAPE.

    ``fit`` runs :func:`backtest_matrix` (``n_windows`` windows of ``h_days``, ``step_days``
    apart) for every candidate that the history is long enough for, on the same windows, picks
    the lowest WAPE (ties go to the earlier candidate) and refits it on the whole history. The
    default candidates start with the weekly profile, the robust choice: with a single week of
    training it equals the seasonal naive forecast, and it should win that tie. Candidates that
    need more history than the windows leave are dropped (longest need first) until at least one
    window remains; with no window at all it falls back to the first candidate that can be
    fitted. ``chosen_``, ``scores_`` (name -> WAPE) and ``note_`` report
    the choice; ``backtest_`` keeps the chosen model's (actual, forecast) pairs for the
    prediction interval.

    Parameters
    ----------
    models
        Candidate models (default: weekly profile, seasonal naive, top-down, double seasonal).
    n_windows, step_days, h_days
        The backtest: windows, days between cutoffs, days forecast per window.
    """

    name = "auto"
    min_days = 1

    def __init__(
        self,
        models: tuple[_Model, ...] | None = None,
        n_windows: int = 4,
        step_days: int = 7,
        h_days: int = 7,
    ) -> None:
        self.models = models
        self.n_windows = n_windows
        self.step_days = step_days
        self.h_days = h_days

    def _candidates(self) -> list[_Model]:
        if self.models is None:
            return [WeeklyProfile(), SeasonalNaive(), TopDown(), DoubleSeasonal()]
        return list(self.models)

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        spd = Y.shape[1]
        observed_days = int((~np.isnan(Y)).any(axis=1).sum())
        candidates = [m for m in self._candidates() if m.min_days <= observed_days]
        if not candidates:
            raise InputError(f"no model can be fitted on {observed_days} days of history with data")
        scores: dict[str, float] = {}
        runs: dict[str, list] = {}
        pool = sorted(candidates, key=lambda m: m.min_days)
        while pool:
            need = max(m.min_days for m in pool)
            runs = {
                m.name: backtest_matrix(
                    m,
                    Y,
                    slots_per_day=spd,
                    first_day=self.first_day_,
                    h_days=self.h_days,
                    n_windows=self.n_windows,
                    step_days=self.step_days,
                    min_train_days=need,
                )
                for m in pool
            }
            if runs[pool[0].name]:
                break
            pool.pop()
        dropped = [m.name for m in candidates if m not in pool]
        if pool:
            for m in pool:
                actual = np.concatenate([a for _, a, _ in runs[m.name]])
                fc = np.concatenate([f for _, _, f in runs[m.name]])
                scores[m.name] = wape(actual, fc)
            finite = [m for m in candidates if m in pool and np.isfinite(scores[m.name])]
            best = min(finite, key=lambda m: scores[m.name]) if finite else pool[0]
            n_win = len(runs[pool[0].name])
            note = f"chosen by {n_win}-window backtest WAPE"
        else:
            best = candidates[0]
            note = f"history too short for a backtest; {best.name} used"
        if dropped:
            note += f"; too little history for {', '.join(dropped)}"
        self.model_ = copy.deepcopy(best).fit(Y, slots_per_day=spd, first_day=self.first_day_)
        self.chosen_ = best.name
        self.scores_ = scores
        self.backtest_ = runs.get(best.name, []) if pool else []
        self.note_ = note

    def _predict_days(self, n, weekday, dates):
        return self.model_.predict(n * self.slots_per_day_).reshape(n, self.slots_per_day_)


#: Models by name, as ``--model NAME`` knows them.
MODELS: dict[str, type[_Model]] = {
    cls.name: cls for cls in (SeasonalNaive, WeeklyProfile, TopDown, DoubleSeasonal, Auto)
}


def make_model(name: str) -> _Model:
    """A model with default parameters from its name (``auto`` included)."""
    try:
        return MODELS[name]()
    except KeyError:
        raise InputError(
            f"unknown model {name!r}; use one of {', '.join(MODELS)}", column="model"
        ) from None
