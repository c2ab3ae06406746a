"""Top-down: daily totals by damped multiplicative Holt-Winters (weekly season) times an intraday
profile per weekday."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasts.models.base import Model
from forecasts.models.matrix import daily_totals, weekday_profiles

__all__ = [
    "TopDown",
]


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


class TopDown(Model):
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
        self.profiles_, self.seen_ = weekday_profiles(Y, observed, weekday, self.profile_weeks)
        totals = daily_totals(Y, self.profiles_, weekday)
        self.params_ = _holt_winters_daily(totals, weekday, _HoltWintersGrid(), self.horizon_days)

    def _predict_days(self, n, weekday, dates):
        p = self.params_
        steps = np.arange(1, n + 1)
        damp = np.cumsum(p["phi"] ** steps)
        level = np.maximum(p["level"] + damp * p["trend"], 0.0)
        totals = level * p["season"][weekday] * self.seen_[weekday]
        return totals[:, None] * self.profiles_[weekday]
