"""Volume forecasting models on the (local day x clock slot) grid of one queue.

Every model follows the statsforecast habit: ``__init__`` stores parameters only, ``fit(y, ...)``
learns state (attributes ending in ``_``) and returns ``self``, ``predict(h)`` returns the next
``h`` intervals, and ``forecast(y, h, ...)`` does both at once.

The input ``y`` is the queue's offered volume on the regular grid of local clock slots: whole local
days, ``slots_per_day`` values per day (1-D of length ``n_days * slots_per_day``, or the 2-D
``(n_days, slots_per_day)`` matrix), NaN where nothing was observed (missing days, the skipped
hour of a spring-forward day; see :mod:`forecasts.grid`). The intraday period is
``slots_per_day`` and the weekly period ``7 * slots_per_day``. ``first_day`` (the date of the
first row) gives the weekday and calendar date of each row; without it the weekly cycle is
counted from the first row and calendar effects are off. ``predict(h)`` starts at slot 0 of the
day after the last row. Forecasts are never negative.

Models
------
``SeasonalNaive``
    Same slot, same weekday, last week (the last week in which that weekday was observed).
``WeeklyProfile``
    Trimmed mean of the same slot and weekday over the last ``weeks`` observed weeks.
``PooledProfile``
    Weekday totals and profiles shrunk towards the pooled ones, with a level from the last
    week: for small queues, where a few calls per interval are mostly noise.
``TopDown``
    Daily totals by damped multiplicative Holt-Winters (weekly season) times an intraday profile
    per weekday: the classic top-down WFM forecast.
``DoubleSeasonal``
    A multiplicative regression on weekday x interval with an adaptive level and a
    turn-of-the-month effect, fitted on the full history.
``Auto``
    Chooses among candidate models by a rolling-origin backtest (lowest WAPE).

Modules: :mod:`forecasts.models.base`, :mod:`forecasts.models.naive`,
:mod:`forecasts.models.pooled`, :mod:`forecasts.models.holt_winters`,
:mod:`forecasts.models.double_seasonal`, :mod:`forecasts.models.auto` and the shared
:mod:`forecasts.models.matrix`.
"""

from forecasts.models.auto import MODELS, Auto, backtest_matrix, make_model, wape
from forecasts.models.base import Model
from forecasts.models.double_seasonal import DoubleSeasonal
from forecasts.models.holt_winters import TopDown
from forecasts.models.naive import SeasonalNaive, WeeklyProfile
from forecasts.models.pooled import PooledProfile

__all__ = [
    "MODELS",
    "Auto",
    "DoubleSeasonal",
    "Model",
    "PooledProfile",
    "SeasonalNaive",
    "TopDown",
    "WeeklyProfile",
    "backtest_matrix",
    "make_model",
    "wape",
]
