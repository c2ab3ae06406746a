"""The (local day x clock slot) matrix of one queue and the shared steps of the models on it:
weekday profiles, daily totals, trimmed means, the turn of the month."""

from __future__ import annotations

import datetime as dt
import itertools
import warnings

import numpy as np
import pandas as pd

from wfm.errors import InputError

__all__ = [
    "after_closure",
    "as_matrix",
    "category_effects",
    "daily_totals",
    "fill_cells",
    "month_turn_days",
    "recent_rows",
    "trimmed_mean",
    "weekday_profiles",
    "weekdays",
]


def as_matrix(y: np.ndarray, slots_per_day: int) -> np.ndarray:
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


def weekdays(first_day: dt.date | None, start: int, n: int) -> np.ndarray:
    """Weekday (0 = Monday) of rows ``start .. start + n - 1``; relative when no date is known."""
    w0 = first_day.weekday() if first_day is not None else 0
    return (w0 + start + np.arange(n)) % 7


def fill_cells(rows: np.ndarray) -> np.ndarray:
    """Fill NaN cells of a stack of same-weekday days by the column mean (0 if never seen)."""
    if not np.isnan(rows).any():
        return rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        col = np.nanmean(rows, axis=0)
    col = np.nan_to_num(col)
    return np.where(np.isnan(rows), col, rows)


def recent_rows(observed: np.ndarray, weekday: np.ndarray, day: int, k: int | None) -> np.ndarray:
    """Indices of the last ``k`` observed rows with weekday ``day`` (most recent first)."""
    idx = np.flatnonzero(observed & (weekday == day))[::-1]
    return idx if k is None else idx[:k]


def weekday_profiles(
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
        rows = recent_rows(observed, weekday, day, weeks)
        if rows.size == 0:
            continue
        seen[day] = True
        block = fill_cells(Y[rows])
        total = block.sum()
        if total > 0:
            profiles[day] = block.sum(axis=0) / total
    return profiles, seen


def daily_totals(Y: np.ndarray, profiles: np.ndarray, weekday: np.ndarray) -> np.ndarray:
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


def trimmed_mean(values: np.ndarray, trim: float, axis: int = 0) -> np.ndarray:
    """Mean after cutting ``floor(trim * n)`` values at each end along ``axis``."""
    n = values.shape[axis]
    cut = int(np.floor(trim * n))
    if cut == 0 or n - 2 * cut < 1:
        return values.mean(axis=axis)
    ordered = np.sort(values, axis=axis)
    return np.take(ordered, np.arange(cut, n - cut), axis=axis).mean(axis=axis)


def month_turn_days(dates: pd.DatetimeIndex, regular: np.ndarray | None = None) -> np.ndarray:
    """Turn-of-the-month category of each date: 1 = last business day of the month, 2..5 =
    business days 1..4, 0 = any other day.

    Business days are the dates whose weekday is ``regular`` (default: every day), so for a
    weekday-only centre the last business day of May 2003 is Friday the 30th, not Saturday the
    31st: statements and salaries follow the business calendar.
    """
    cat = np.zeros(len(dates), dtype=np.int64)
    if len(dates) == 0:
        return cat
    regular = np.ones(7, dtype=bool) if regular is None else np.asarray(regular, dtype=bool)
    # Business days of every month the dates touch, counted from each end of the month.
    span = pd.date_range(dates.min().replace(day=1), dates.max() + pd.offsets.MonthEnd(0))
    business = span[regular[np.asarray(span.weekday)]]
    month = business.year * 12 + business.month
    frame = pd.DataFrame({"month": month}, index=business)
    first = frame.groupby("month").cumcount().to_numpy()
    last = frame.iloc[::-1].groupby("month").cumcount().to_numpy()[::-1]
    lookup = np.zeros(len(business), dtype=np.int64)
    lookup[last == 0] = 1
    for k in range(4):
        lookup[(first == k) & (last != 0)] = 2 + k
    pos = business.get_indexer(dates)
    cat[pos >= 0] = lookup[pos[pos >= 0]]
    return cat


def after_closure(observed: np.ndarray, weekday: np.ndarray, regular: np.ndarray) -> np.ndarray:
    """Per day, 1 for the first and 2 for the second open regular day after a closed regular
    weekday (a regular weekday without data: a holiday), 3 for the last open regular day before
    one, else 0.

    ``regular[w]`` says whether weekday ``w`` is normally open; days of other weekdays (the
    weekend of a weekday-only centre) neither close nor count.
    """
    post = np.zeros(observed.size, dtype=np.int64)
    reg_rows = np.flatnonzero(regular[weekday])
    since = 3  # open regular days since the last closed one (3 = long ago)
    for r in reg_rows:
        if not observed[r]:
            since = 0
            continue
        since = min(since + 1, 3)
        if since <= 2:
            post[r] = since
    for prev, nxt in itertools.pairwise(reg_rows):
        if observed[prev] and not observed[nxt] and post[prev] == 0:
            post[prev] = 3
    return post


def category_effects(ratio: np.ndarray, category: np.ndarray, n_categories: int) -> np.ndarray:
    """Multiplicative effects of day categories ``1 .. n_categories-1`` against category 0,
    shrunk towards none by empirical Bayes (James-Stein for normal means).

    With :math:`r_d` the ratios over category 0's mean, :math:`\\hat e_k` the mean of
    :math:`r_d - 1` over the :math:`n_k` days of category :math:`k`, :math:`\\sigma^2` the
    variance of :math:`r_d` on category-0 days (one day's noise) and
    :math:`v_k = \\sigma^2 (1/n_k + 1/n_0)` the noise of :math:`\\hat e_k` and
    :math:`\\hat\\tau^2 = \\max(\\overline{\\hat e_k^2 - v_k}, 0)` the spread of the true
    effects, the effect is :math:`1 + \\hat e_k\\, \\hat\\tau^2 / (\\hat\\tau^2 + v_k)`
    (Efron & Morris 1975, *JASA* 70, 311-319): a busy queue's clear effects are kept whole, a
    small queue's noisy ones shrink. Categories never seen get 1.
    """
    effects = np.ones(n_categories)
    base = category == 0
    if base.sum() < 2 or not np.isfinite(ratio[base]).all():
        return effects
    r = ratio / ratio[base].mean()
    sigma2 = float(r[base].var(ddof=1))
    n = np.array([(category == k).sum() for k in range(n_categories)], dtype=float)
    raw = np.array([r[category == k].mean() - 1.0 if n[k] else 0.0 for k in range(n_categories)])
    seen = n > 0
    seen[0] = False
    if not seen.any():
        return effects
    # An effect's noise: its own days' mean and category 0's mean, both estimated.
    noise = np.where(seen, sigma2 * (1.0 / np.maximum(n, 1.0) + 1.0 / n[0]), 0.0)
    tau2 = max(float(np.mean(raw[seen] ** 2 - noise[seen])), 0.0)
    weight = np.where(seen, tau2 / np.maximum(tau2 + noise, 1e-300), 0.0)
    effects[seen] = 1.0 + raw[seen] * weight[seen]
    return effects
