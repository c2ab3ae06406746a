"""Forecasting models and backtests for contact volume and handle time.

Models work on one queue's (local day x clock slot) matrix (:mod:`forecasts.models`); the
orchestrator :func:`forecast_history` runs them over the long history frame, applies the
calendar and adds AHT and an 80% prediction interval; :func:`cross_validation` and
:func:`backtest_scores` are the rolling-origin backtest.
"""

from forecasts.core import (
    FORECAST_FRAME_COLUMNS,
    ForecastResult,
    backtest_scores,
    cross_validation,
    forecast_history,
)
from forecasts.models import (
    MODELS,
    Auto,
    DoubleSeasonal,
    SeasonalNaive,
    TopDown,
    WeeklyProfile,
    make_model,
)

__all__ = [
    "FORECAST_FRAME_COLUMNS",
    "MODELS",
    "Auto",
    "DoubleSeasonal",
    "ForecastResult",
    "SeasonalNaive",
    "TopDown",
    "WeeklyProfile",
    "backtest_scores",
    "cross_validation",
    "forecast_history",
    "make_model",
]
