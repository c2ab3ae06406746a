"""Forecasting models and backtests for contact volume and handle time.

Models work on one queue's (local day x clock slot) matrix (:mod:`forecasts.models`); the
orchestrator :func:`forecast_history` runs them over the long history frame, applies the
calendar and adds AHT and an 80% prediction interval (:mod:`forecasts.orchestrator`, one queue's
input in :mod:`forecasts.queue_history`); :func:`cross_validation` and :func:`backtest_scores`
are the rolling-origin backtest (:mod:`forecasts.backtest`); :mod:`forecasts.noise` gives the
Poisson noise floor of the WAPE and the days that stand out (closures, the days after them,
outliers).
"""

from forecasts.backtest import backtest_scores, cross_validation
from forecasts.models import (
    MODELS,
    Auto,
    DoubleSeasonal,
    Model,
    PooledProfile,
    SeasonalNaive,
    TopDown,
    WeeklyProfile,
    make_model,
)
from forecasts.noise import noise_floor, poisson_mad, special_days
from forecasts.orchestrator import (
    FORECAST_FRAME_COLUMNS,
    MAX_HORIZON_DAYS,
    ForecastResult,
    forecast_history,
)

__all__ = [
    "FORECAST_FRAME_COLUMNS",
    "MAX_HORIZON_DAYS",
    "MODELS",
    "Auto",
    "DoubleSeasonal",
    "ForecastResult",
    "Model",
    "PooledProfile",
    "SeasonalNaive",
    "TopDown",
    "WeeklyProfile",
    "backtest_scores",
    "cross_validation",
    "forecast_history",
    "make_model",
    "noise_floor",
    "poisson_mad",
    "special_days",
]
