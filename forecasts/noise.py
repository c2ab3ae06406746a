"""How much of a forecast's error is noise: the Poisson noise floor of the WAPE, and the days
that stand out (closures, the days after them, outliers).

Even a perfect rate forecast misses Poisson arrivals by their mean absolute deviation, which has
the closed form (Ramasubban 1958, *Biometrika* 45, 549-556)

.. math:: \\operatorname{E}|Y - \\mu| = 2 e^{-\\mu} \\frac{\\mu^{\\lfloor\\mu\\rfloor + 1}}
    {\\lfloor\\mu\\rfloor!}, \\qquad Y \\sim \\operatorname{Poisson}(\\mu),

about :math:`\\sqrt{2\\mu/\\pi}` for large :math:`\\mu`. The WAPE noise floor of a set of
intervals is :math:`\\sum_i \\operatorname{E}|Y_i - \\mu_i| / \\sum_i \\mu_i`: no forecast of the
interval counts can beat it on average. A small queue (a few calls per interval) has a floor
near 100%, while its daily total (the sum of the day's Poisson counts) has a low one.
"""

from __future__ import annotations

import datetime as dt
from math import lgamma

import numpy as np
import pandas as pd

from forecasts.models.matrix import after_closure, weekdays

__all__ = ["noise_floor", "poisson_mad", "special_days"]


def poisson_mad(mean: np.ndarray) -> np.ndarray:
    """The mean absolute deviation :math:`\\operatorname{E}|Y - \\mu|` of Poisson counts."""
    mu = np.clip(np.asarray(mean, dtype=float), 0.0, None)
    k = np.floor(mu)
    log_term = np.log(2.0) - mu + (k + 1.0) * np.log(np.where(mu > 0, mu, 1.0))
    log_term -= np.vectorize(lgamma)(k + 1.0) if mu.size else 0.0
    return np.where(mu > 0, np.exp(log_term), 0.0)


def noise_floor(mean: np.ndarray) -> float:
    """The Poisson WAPE floor :math:`\\sum \\operatorname{E}|Y - \\mu| / \\sum \\mu` of intervals
    with these means (NaN entries skipped; NaN when they sum to zero)."""
    mu = np.asarray(mean, dtype=float).ravel()
    mu = mu[~np.isnan(mu)]
    total = mu.sum()
    return float(poisson_mad(mu).sum() / total) if total > 0 else float("nan")


def special_days(
    Y: np.ndarray, first_day: dt.date, *, threshold: float = 3.0, window: int = 21
) -> pd.DataFrame:
    """The days of one queue's day matrix that stand out.

    - ``closed``: a regular weekday (one with data in most weeks) without data: a holiday or a
      gap in the export;
    - ``after closure``: the first or second open day after one (its callers call then);
    - ``high`` / ``low``: the day's total is more than ``threshold`` robust standard deviations
      (1.4826 MAD of the log ratios) from the median of the same weekday over the ``window``
      days around it.

    Returns ``date, kind, ratio`` (the day's total over that local median; NaN when closed).
    """
    n = Y.shape[0]
    weekday = weekdays(first_day, 0, n)
    observed = (~np.isnan(Y)).any(axis=1)
    totals = np.where(observed, np.nansum(Y, axis=1), np.nan)
    regular = np.array([observed[weekday == d].sum() / max(n / 7.0, 1.0) > 0.5 for d in range(7)])
    post = after_closure(observed, weekday, regular)
    ratio = np.full(n, np.nan)
    for d in np.flatnonzero(observed & (totals > 0)):
        near = np.flatnonzero(
            observed & (weekday == weekday[d]) & (np.abs(np.arange(n) - d) <= window)
        )
        near = near[near != d]
        if near.size >= 2:
            ratio[d] = totals[d] / np.median(totals[near])
    log_ratio = np.log(ratio)
    finite = np.isfinite(log_ratio)
    spread = np.inf
    if finite.sum() >= 2:
        center = np.median(log_ratio[finite])
        spread = 1.4826 * np.median(np.abs(log_ratio[finite] - center)) or np.inf
    rows = []
    first = pd.Timestamp(first_day)
    for d in range(n):
        date = (first + pd.Timedelta(days=d)).date()
        if regular[weekday[d]] and not observed[d] and 0 < d < n - 1:
            rows.append({"date": date, "kind": "closed", "ratio": np.nan})
        elif post[d]:
            rows.append({"date": date, "kind": "after closure", "ratio": ratio[d]})
        elif finite[d] and abs(log_ratio[d]) > threshold * spread:
            kind = "high" if log_ratio[d] > 0 else "low"
            rows.append({"date": date, "kind": kind, "ratio": ratio[d]})
    return pd.DataFrame(rows, columns=["date", "kind", "ratio"])
