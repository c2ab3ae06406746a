"""The 80% interval's level mixture: a level shared by the week times per-interval noise."""

from __future__ import annotations

import numpy as np
import pytest
from _forecast_data import synthetic_history

from forecasts import forecast_history
from forecasts.intervals import level_mixture, prediction_interval


def _weeks(rng, n_weeks, s_level, kappa_within, shape=(7, 40)):
    """Backtest-like windows: a forecast, and actuals with one lognormal level per week and
    gamma-Poisson noise per interval."""
    pairs = []
    for w in range(n_weeks):
        forecast = rng.uniform(50, 600, shape)
        level = np.exp(rng.normal(-(s_level**2) / 2, s_level)) if s_level else 1.0
        rate = forecast * level
        if kappa_within:
            rate = rate * rng.gamma(1 / kappa_within, kappa_within, shape)
        pairs.append((w, rng.poisson(rate).astype(float), forecast))
    return pairs


def test_level_mixture_recovers_the_level_spread_and_the_noise():
    rng = np.random.default_rng(3)
    s, kw, kappa = level_mixture(_weeks(rng, 60, 0.05, 0.003))
    assert s == pytest.approx(0.05, rel=0.25)
    assert kw == pytest.approx(0.003, rel=0.35)
    assert kappa == pytest.approx((1 + kw) * np.exp(s**2) - 1)
    assert kappa > kw


def test_no_level_error_gives_no_level_spread_and_poisson_gives_about_zero():
    rng = np.random.default_rng(5)
    s, kw, kappa = level_mixture(_weeks(rng, 12, 0.0, 0.0))
    assert s < 0.01 and kw < 1e-3 and kappa < 1e-3


def test_the_mixture_interval_covers_about_80_percent_of_new_weeks():
    rng = np.random.default_rng(11)
    _, _, kappa = level_mixture(_weeks(rng, 40, 0.05, 0.003))
    hits, n = 0, 0
    for _, actual, forecast in _weeks(rng, 200, 0.05, 0.003):
        lo, hi = prediction_interval(forecast.ravel(), kappa, 0.8)
        a = actual.ravel()
        hits += int(((a >= lo) & (a <= hi)).sum())
        n += a.size
    assert hits / n == pytest.approx(0.8, abs=0.03)


def test_windows_without_data_are_skipped():
    empty = (0, np.full((7, 4), np.nan), np.full((7, 4), 5.0))
    zero = (1, np.zeros((7, 4)), np.full((7, 4), 5.0))
    assert level_mixture([]) == (0.0, 0.0, 0.0)
    assert level_mixture([empty, zero]) == (0.0, 0.0, 0.0)


def test_the_forecast_reports_the_level_spread_behind_its_interval():
    history = synthetic_history(days=70, seed=2)
    choices = forecast_history(history, 7, model="double_seasonal").choices
    assert (choices["level_sd"] >= 0).all() and np.isfinite(choices["level_sd"]).all()
    # the interval's kappa holds at least the level's share: (1 + kappa_w) e^{s^2} - 1
    assert (choices["kappa"] >= np.exp(choices["level_sd"] ** 2) - 1 - 1e-12).all()
