"""A multiplicative regression on weekday x interval with an adaptive level and a turn-of-the-month
effect."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasts.models.base import Model
from forecasts.models.matrix import (
    after_closure,
    category_effects,
    daily_totals,
    month_turn_days,
    trimmed_mean,
    weekday_profiles,
)

__all__ = [
    "DoubleSeasonal",
]


class DoubleSeasonal(Model):
    """Multiplicative regression on weekday x interval with an adaptive level (full history).

    .. math:: \\hat y_{d,s} = \\ell \\; f_{w(d)} \\; m_{c(d)} \\; c_{k(d)} \\; p_{w(d),s}

    - :math:`p_{w,s}`: the intraday profile of weekday ``w`` (volume-weighted shares over the last
      ``profile_weeks`` observed days of that weekday): the intraday *and* weekly seasonality.
    - :math:`f_w`: the weekday factor (mean 1 over the weekdays with data), from the last
      ``factor_weeks`` weeks.
    - :math:`m_c`: a turn-of-the-month factor (last business day of a month, business days 1
      to 4, else 1; business days are the regular weekdays), shrunk towards 1 by empirical
      Bayes (:func:`~forecasts.models.matrix.category_effects`: a busy queue keeps its clear
      effects whole, a small queue's noisy ones shrink; a fixed shrinkage would forecast every
      turn week low and, through the level, the week after it high); payday and
      statement effects of this kind are common in banking and retail centres.
    - :math:`\\ell`: the level, the trimmed mean of the deseasonalised daily totals
      :math:`T_d / (f_{w(d)} m_{c(d)})` over the last 10 regular days (``level_days``; a tuple
      averages several windows): it follows a level shift within two weeks without chasing
      one day.

    ``f``, ``m`` and a centred local level are fitted jointly by backfitting (three rounds) over
    the whole history. The first and second open days after a closed regular weekday (a
    holiday: its callers call the next days instead) are left out of that fit and get their
    own factors :math:`c_1, c_2` against the local level: the mean over the ``n_k`` such days
    seen and the prior ``carry_prior`` (weight 1; +30% and +10%: a closed day's callers mostly
    call the next day); the last open day before a closure gets :math:`c_3` the same way
    (prior 1.05);
    they apply ahead after a closure in the history's last days or one of ``closed_days``
    (``fit``), and a known closed day is forecast zero. The model follows the multiplicative
    "daily volume times intraday proportions" structure that Weinberg, Brown & Stroud (2007,
    *JASA* 102, 1185-1198) and Brown et al. (2005, *JASA* 100, 36-50) found for bank call
    arrivals; compare Taylor (2008, *Management Science* 54, 253-265) on double-seasonal
    exponential smoothing for call-centre arrivals.

    Parameters
    ----------
    level_days
        Regular days averaged (trimmed) for the level; with a tuple, the windows' trimmed
        means are averaged.
    factor_weeks
        Weeks of history for the weekday factors.
    profile_weeks
        Same-weekday days for the intraday profile.
    trim
        Share cut at each end of the level's values.
    month_turn
        Whether to model the turn-of-the-month effect (needs ``first_day``).
    carry_over
        Whether to model the calls a closure carries over to the next two open days.
    carry_prior
        The prior factors of the first and second open day after a closure.
    """

    name = "double_seasonal"
    min_days = 28

    def __init__(
        self,
        level_days: int | tuple[int, ...] = 10,
        factor_weeks: int = 20,
        profile_weeks: int = 20,
        trim: float = 0.1,
        month_turn: bool = True,
        carry_over: bool = True,
        carry_prior: tuple[float, float, float] = (1.3, 1.1, 1.05),
    ) -> None:
        self.level_days = level_days
        self.factor_weeks = factor_weeks
        self.profile_weeks = profile_weeks
        self.trim = trim
        self.month_turn = month_turn
        self.carry_over = carry_over
        self.carry_prior = carry_prior

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        n = Y.shape[0]
        observed = (~np.isnan(Y)).any(axis=1)
        self.profiles_, self.seen_ = weekday_profiles(Y, observed, weekday, self.profile_weeks)
        totals = daily_totals(Y, self.profiles_, weekday)
        # A weekday is "regular" when it has data in most weeks; a missing regular day is closed.
        weeks_spanned = max(n / 7.0, 1.0)
        regular = np.array([observed[weekday == d].sum() / weeks_spanned > 0.5 for d in range(7)])
        use_turn = self.month_turn and self.first_day_ is not None
        if use_turn:
            dates = pd.date_range(pd.Timestamp(self.first_day_), periods=n, freq="D")
            cat = month_turn_days(dates, regular)
        else:
            cat = np.zeros(n, dtype=np.int64)
        self.regular_ = regular
        post = after_closure(observed, weekday, regular)
        normal = observed & (post == 0) & (totals > 0)
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
                turn = category_effects(ratio[inner], c[inner], 6)
        deseason = t / (factor[w] * turn[c])
        # The days after a closure, against the local level of the regular days around them.
        carry = np.ones(4)
        if self.carry_over:
            for k in (1, 2, 3):
                sel = np.flatnonzero(observed & (post == k) & (totals > 0))
                if sel.size:
                    base = np.interp(sel, rows, local) * factor[weekday[sel]] * turn[cat[sel]]
                    mean = float(np.mean(totals[sel] / base))
                    carry[k] = (sel.size * mean + self.carry_prior[k - 1]) / (sel.size + 1.0)
                else:
                    carry[k] = self.carry_prior[k - 1]
        self.carry_ = carry
        self.observed_ = observed
        windows = (self.level_days,) if np.isscalar(self.level_days) else self.level_days
        # Trimmed: one odd day (an outage, a storm) moves the level little.
        self.level_ = float(np.mean([trimmed_mean(deseason[-k:], self.trim) for k in windows]))
        self.factor_ = factor
        self.weekday_ = weekday
        self.turn_ = turn
        self.use_turn_ = use_turn

    def _predict_days(self, n, weekday, dates):
        if self.use_turn_ and dates is not None:
            turn = self.turn_[month_turn_days(dates, self.regular_)]
        else:
            turn = np.ones(n)
        totals = self.level_ * self.factor_[weekday] * turn * self.seen_[weekday]
        if self.carry_over:
            # Open days ahead: not a known closure (nor a weekday never seen).
            closed = np.zeros(n, dtype=bool)
            if dates is not None and self.closed_days_:
                closed = np.isin(np.asarray(dates.date), list(self.closed_days_))
            seen = np.concatenate([self.observed_, ~closed])
            all_weekdays = np.concatenate([self.weekday_, weekday])
            post = after_closure(seen, all_weekdays, self.regular_)[-n:]
            totals = totals * self.carry_[post] * ~closed
        return totals[:, None] * self.profiles_[weekday]
