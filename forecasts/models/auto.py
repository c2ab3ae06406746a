"""Model choice by a rolling-origin backtest on the day matrix (lowest WAPE), and the models by
name."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable

import numpy as np

from forecasts.models.base import Model
from forecasts.models.double_seasonal import DoubleSeasonal
from forecasts.models.holt_winters import TopDown
from forecasts.models.matrix import as_matrix
from forecasts.models.naive import SeasonalNaive, WeeklyProfile
from forecasts.models.pooled import PooledProfile
from wfm.errors import InputError

__all__ = [
    "MODELS",
    "SMALL_QUEUE_CALLS",
    "Auto",
    "backtest_matrix",
    "make_model",
    "wape",
]


#: Mean calls per open slot up to which ``auto`` also tries the pooled profile (the Poisson
#: noise floor of the interval WAPE is above about 25% there).
SMALL_QUEUE_CALLS = 10.0


def backtest_matrix(
    model: Model,
    y: np.ndarray,
    *,
    slots_per_day: int,
    first_day: dt.date | None,
    h_days: int,
    n_windows: int,
    step_days: int,
    min_train_days: int | None = None,
    closed_days: Iterable[dt.date] = (),
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Rolling-origin backtest of one model on one queue's day matrix.

    Window ``i`` (``i = 0 .. n_windows-1``) has its cutoff at day
    ``n_days - h_days - step_days * (n_windows - 1 - i)``: the model is fitted on every day before
    the cutoff and forecasts the ``h_days`` days from it, so the last window ends with the
    history. Windows whose training part has fewer observed days than the model needs (the
    larger of ``min_train_days`` and ``model.min_days``) or whose test part has no data are
    skipped. ``closed_days`` (known closures) go to every fit.

    Returns
    -------
    list of (cutoff, actual, forecast)
        ``actual`` and ``forecast`` are ``(h_days, slots_per_day)`` matrices (actual NaN where
        not observed).
    """
    Y = as_matrix(y, slots_per_day)
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
            closed_days=closed_days,
        ).reshape(h_days, slots_per_day)
        out.append((cutoff, actual[: fc.shape[0]], fc[: actual.shape[0]]))
    return out


def wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Weighted absolute percentage error :math:`\\sum|y - \\hat y| / \\sum y` over observed
    intervals (NaN actuals skipped); NaN when the actuals sum to zero."""
    mask = ~np.isnan(actual)
    denom = actual[mask].sum()
    return float(np.abs(actual[mask] - forecast[mask]).sum() / denom) if denom > 0 else np.nan


def _small(Y: np.ndarray) -> bool:
    """A few calls per open slot on average (at most ``SMALL_QUEUE_CALLS``): noise dominates."""
    seen = (~np.isnan(Y)).sum(axis=0)
    per_slot = np.nansum(Y, axis=0) / np.maximum(seen, 1)
    open_slots = per_slot > 0
    return bool(open_slots.any() and per_slot[open_slots].mean() <= SMALL_QUEUE_CALLS)


class Auto(Model):
    """Per queue, the candidate with the lowest backtest WAPE (of the daily totals for a small
    queue, at most ``SMALL_QUEUE_CALLS`` calls per open slot on average).

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
        Candidate models (default: weekly profile, seasonal naive, top-down, double seasonal;
        and the pooled profile when the queue averages at most ``SMALL_QUEUE_CALLS`` calls per
        open slot).
    n_windows, step_days, h_days
        The backtest: windows, days between cutoffs, days forecast per window.
    """

    name = "auto"
    min_days = 1

    def __init__(
        self,
        models: tuple[Model, ...] | None = None,
        n_windows: int = 4,
        step_days: int = 7,
        h_days: int = 7,
    ) -> None:
        self.models = models
        self.n_windows = n_windows
        self.step_days = step_days
        self.h_days = h_days

    def _candidates(self, Y: np.ndarray) -> list[Model]:
        if self.models is not None:
            return list(self.models)
        models = [WeeklyProfile(), SeasonalNaive(), TopDown(), DoubleSeasonal()]
        # A small queue also tries the pooled profile; on a busy queue it only adds a chance
        # of a lucky backtest.
        if _small(Y):
            models.insert(2, PooledProfile())
        return models

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:
        spd = Y.shape[1]
        observed_days = int((~np.isnan(Y)).any(axis=1).sum())
        candidates = [m for m in self._candidates(Y) if m.min_days <= observed_days]
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
                    closed_days=self.closed_days_,
                )
                for m in pool
            }
            if runs[pool[0].name]:
                break
            pool.pop()
        dropped = [m.name for m in candidates if m not in pool]
        if pool:
            # A small queue is ranked on its daily totals: its interval WAPE is mostly noise.
            daily = _small(Y)
            for m in pool:
                actual = np.concatenate([a for _, a, _ in runs[m.name]])
                fc = np.concatenate([f for _, _, f in runs[m.name]])
                if daily:
                    observed = ~np.isnan(actual)
                    actual = np.where(observed.any(axis=1), np.nansum(actual, axis=1), np.nan)
                    fc = (fc * observed).sum(axis=1)
                scores[m.name] = wape(actual, fc)
            finite = [m for m in candidates if m in pool and np.isfinite(scores[m.name])]
            best = min(finite, key=lambda m: scores[m.name]) if finite else pool[0]
            n_win = len(runs[pool[0].name])
            of = " of the daily totals (a small queue)" if daily else ""
            note = f"chosen by {n_win}-window backtest WAPE{of}"
        else:
            best = candidates[0]
            note = f"history too short for a backtest; {best.name} used"
        if dropped:
            note += f"; too little history for {', '.join(dropped)}"
        self.model_ = copy.deepcopy(best).fit(
            Y, slots_per_day=spd, first_day=self.first_day_, closed_days=self.closed_days_
        )
        self.chosen_ = best.name
        self.scores_ = scores
        self.backtest_ = runs.get(best.name, []) if pool else []
        self.note_ = note

    def _predict_days(self, n, weekday, dates):
        return self.model_.predict(n * self.slots_per_day_).reshape(n, self.slots_per_day_)


#: Models by name, as ``--model NAME`` knows them.
MODELS: dict[str, type[Model]] = {
    cls.name: cls
    for cls in (SeasonalNaive, WeeklyProfile, PooledProfile, TopDown, DoubleSeasonal, Auto)
}


def make_model(name: str) -> Model:
    """A model with default parameters from its name (``auto`` included)."""
    try:
        return MODELS[name]()
    except KeyError:
        raise InputError(
            f"unknown model {name!r}; use one of {', '.join(MODELS)}", column="model"
        ) from None
