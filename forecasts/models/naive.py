"""The simple benchmarks: same slot last week, and the trimmed weekly profile."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasts.models.base import Model
from forecasts.models.matrix import fill_cells, recent_rows, trimmed_mean
from wfm.errors import InputError

__all__ = [
    "SeasonalNaive",
    "WeeklyProfile",
]


class SeasonalNaive(Model):
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


class WeeklyProfile(Model):
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
            rows = recent_rows(observed, weekday, day, self.weeks)
            if rows.size:
                self.mean_week_[day] = trimmed_mean(fill_cells(Y[rows]), self.trim)

    def _predict_days(self, n, weekday, dates):
        return self.mean_week_[weekday]
