"""One contract over every model: fit + predict equals forecast, horizon length, no negative
volume, deterministic, missing days and DST-shaped input handled."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from forecasts import MODELS, Auto, make_model
from wfm.errors import InputError

SLOTS = 48


def _history(days: int = 63, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    hour = (np.arange(SLOTS) + 0.5) / 2
    shape = np.exp(-0.5 * ((hour - 12) / 3.5) ** 2)
    week = np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.5, 0.3])
    trend = 1 + 0.003 * np.arange(days)
    rate = 30 * trend[:, None] * week[np.arange(days) % 7][:, None] * shape[None, :]
    return rng.poisson(rate).astype(float)


FIRST_DAY = dt.date(2026, 3, 2)  # a Monday


def _model_params():
    params = []
    for name in MODELS:
        model = make_model(name)
        if isinstance(model, Auto):
            model = Auto(n_windows=2)
        params.append(pytest.param(model, id=name))
    return params


@pytest.mark.parametrize("model", _model_params())
@pytest.mark.parametrize("h", [1, SLOTS, 7 * SLOTS + 5, 56 * SLOTS])
def test_fit_predict_equals_forecast_and_horizon_length(model, h):
    y = _history()
    a = model.fit(y.ravel(), slots_per_day=SLOTS, first_day=FIRST_DAY).predict(h)
    b = make_model(model.name) if not isinstance(model, Auto) else Auto(n_windows=2)
    b = b.forecast(y.ravel(), h, slots_per_day=SLOTS, first_day=FIRST_DAY)
    assert a.shape == (h,)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.isfinite(a))
    assert a.min() >= 0


@pytest.mark.parametrize("model", _model_params())
def test_deterministic_and_accepts_matrix(model):
    y = _history()
    first = model.forecast(y, 7 * SLOTS, slots_per_day=SLOTS, first_day=FIRST_DAY)
    again = model.forecast(y.ravel(), 7 * SLOTS, slots_per_day=SLOTS, first_day=FIRST_DAY)
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("model", _model_params())
def test_never_negative_on_a_falling_series(model):
    y = _history()
    y *= np.linspace(3.0, 0.0, y.shape[0])[:, None]  # volume collapses to zero
    fc = model.forecast(y, 28 * SLOTS, slots_per_day=SLOTS, first_day=FIRST_DAY)
    assert fc.min() >= 0


@pytest.mark.parametrize("model", _model_params())
def test_missing_days_are_not_zeros(model):
    """Weekends absent (NaN rows), a missing weekday and a DST-like hole: the forecast for the
    weekdays keeps their level and the never-seen weekend is zero."""
    y = _history()
    weekday = (FIRST_DAY.weekday() + np.arange(y.shape[0])) % 7
    y[weekday >= 5] = np.nan
    y[30] = np.nan  # a holiday gap
    y[40, 4:6] = np.nan  # the skipped hour of a spring-forward day
    fc = model.forecast(y, 7 * SLOTS, slots_per_day=SLOTS, first_day=FIRST_DAY)
    days = fc.reshape(7, SLOTS)
    fc_weekday = (FIRST_DAY.weekday() + y.shape[0] + np.arange(7)) % 7
    weekday_mean = np.nanmean(np.nansum(y[-21:], axis=1)[weekday[-21:] < 5])
    for d in range(7):
        if fc_weekday[d] >= 5:
            assert days[d].sum() == 0
        else:
            assert 0.6 * weekday_mean < days[d].sum() < 1.6 * weekday_mean


@pytest.mark.parametrize("model", _model_params())
def test_predict_before_fit_and_ragged_input(model):
    with pytest.raises(RuntimeError):
        type(model)().predict(3)
    with pytest.raises(InputError, match="whole days"):
        model.fit(np.ones(SLOTS * 10 + 1), slots_per_day=SLOTS)


def test_too_short_history_is_a_clear_error():
    y = _history(days=10)
    with pytest.raises(InputError, match=r"double_seasonal.*at least 28 days"):
        make_model("double_seasonal").fit(y, slots_per_day=SLOTS)


def test_unknown_model_name():
    with pytest.raises(InputError, match="unknown model 'arima'"):
        make_model("arima")


def test_forecasts_imports_neither_solvers_nor_streamlit():
    """forecasts/ stays below the solvers and the dashboard: no import of either, nor of PuLP."""
    import ast
    from pathlib import Path

    import forecasts

    banned = ("solvers", "streamlit", "pulp")
    for path in Path(forecasts.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in banned, f"{path.name} imports {name}"
