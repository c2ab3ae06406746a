"""A model for small queues: weekday totals and intraday profiles shrunk towards the pooled
ones, so a few calls per interval do not become a jagged forecast."""

from __future__ import annotations

import numpy as np

from forecasts.models.base import Model
from forecasts.models.matrix import fill_cells, recent_rows
from wfm.errors import InputError

__all__ = [
    "PooledProfile",
]


class PooledProfile(Model):
    """Weekday totals and profiles shrunk towards the pooled ones (empirical Bayes).

    .. math:: \\hat y_{d,s} = T_{w(d)} \\; p_{w(d),s}

    over the last ``weeks`` observed days of each weekday:

    - :math:`T_w = (n_w \\bar T_w + k \\bar T) / (n_w + k)`: the weekday's mean daily total
      :math:`\\bar T_w` (from :math:`n_w` days) shrunk towards the mean of the regular
      weekdays :math:`\\bar T`, with :math:`k = \\bar T / \\hat\\tau^2`, the Poisson variance of
      a day over the between-weekday variance
      :math:`\\hat\\tau^2 = \\max(\\operatorname{var}_w \\bar T_w - \\bar T / \\bar n, \\epsilon)`
      (the James-Stein / Efron-Morris estimator for Poisson means): weekdays that differ
      clearly keep their own total, weekdays that differ by noise share one.
    - :math:`p_{w,s} = (V_w \\tilde p_{w,s} + c\\, q_{w,s}) / (V_w + c)`: the weekday's
      volume-weighted profile :math:`\\tilde p_w` (``V_w`` calls) shrunk towards the profile
      of all weekdays :math:`q_w` (restricted to the slots where weekday ``w`` had calls, and
      renormalised) with the weight of ``profile_prior`` calls. On a busy queue (thousands of
      calls per weekday) this is the weekday's own profile.

    - The level of the last ``level_days`` observed days: the totals are scaled by
      :math:`(R + a) / (E + a)`, the calls seen :math:`R` over the calls the totals expect
      :math:`E` on those days, with a gamma prior of ``a = level_prior`` calls (the posterior
      mean of a Poisson rate ratio): a small queue whose volume halves is followed within a
      week, and a few calls of noise move it little.

    Parameters
    ----------
    weeks
        Same-weekday days in the window.
    profile_prior
        Calls' worth of weight of the pooled profile.
    level_days, level_prior
        Days of the recent level and the prior's weight in calls.
    """

    name = "pooled_profile"
    min_days = 7

    def __init__(
        self,
        weeks: int = 8,
        profile_prior: float = 300.0,
        level_days: int = 7,
        level_prior: float = 20.0,
    ) -> None:
        self.weeks = weeks
        self.profile_prior = profile_prior
        self.level_days = level_days
        self.level_prior = level_prior

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        if self.weeks < 1 or self.profile_prior < 0:
            raise InputError("pooled_profile needs weeks >= 1 and profile_prior >= 0")
        observed = (~np.isnan(Y)).any(axis=1)
        spd = Y.shape[1]
        sums = np.zeros((7, spd))
        mean_total = np.zeros(7)
        n = np.zeros(7)
        for day in range(7):
            rows = recent_rows(observed, weekday, day, self.weeks)
            if rows.size:
                block = fill_cells(Y[rows])
                sums[day] = block.sum(axis=0)
                mean_total[day] = block.sum() / rows.size
                n[day] = rows.size
        weeks_spanned = max(Y.shape[0] / 7.0, 1.0)
        regular = np.array([observed[weekday == d].sum() / weeks_spanned > 0.5 for d in range(7)])
        pool = regular & (n > 0)
        if not pool.any():
            pool = n > 0
        grand = float(mean_total[pool].mean())
        between = float(mean_total[pool].var()) - grand / float(n[pool].mean())
        k = grand / max(between, 1e-9 * max(grand, 1.0) ** 2)
        totals = np.where(n > 0, (n * mean_total + k * grand) / (n + k), 0.0)
        pooled = sums[pool].sum(axis=0)
        profiles = np.zeros((7, spd))
        for day in np.flatnonzero(n > 0):
            volume = sums[day].sum()
            support = sums[day] > 0
            q = np.where(support, pooled, 0.0)
            q = q / q.sum() if q.sum() > 0 else q
            own = sums[day] / volume if volume > 0 else q
            weight = volume + self.profile_prior
            profiles[day] = (volume * own + self.profile_prior * q) / weight if weight > 0 else q
        # The level of the last days against the window, a Poisson-gamma posterior ratio:
        # (recent calls + a) / (expected calls + a) with a = level_prior calls.
        recent = np.flatnonzero(observed)[-self.level_days :]
        seen = fill_cells(Y[recent]).sum()
        expected = totals[weekday[recent]].sum()
        ratio = (seen + self.level_prior) / (expected + self.level_prior)
        self.level_ratio_ = float(ratio)
        self.totals_ = totals * ratio
        self.profiles_ = profiles

    def _predict_days(self, n, weekday, dates):
        return self.totals_[weekday][:, None] * self.profiles_[weekday]
