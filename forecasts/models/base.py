"""The model base class: ``fit(y) -> self``, ``predict(h)`` and the one-shot ``forecast(y, h)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from forecasts.models.matrix import as_matrix, weekdays
from wfm.errors import InputError

__all__ = [
    "Model",
]


class Model:
    """Shared ``fit``/``predict``/``forecast`` plumbing; subclasses do whole days."""

    #: Name used in the forecast file's ``model`` column and on the command line.
    name = "model"
    #: Fewest observed days in the history for the model to be fitted.
    min_days = 7

    def fit(
        self,
        y: np.ndarray,
        *,
        slots_per_day: int = 96,
        first_day: dt.date | None = None,
        closed_days: Iterable[dt.date] = (),
    ) -> Model:
        """Learn from ``y`` (whole local days on the clock-slot grid, NaN = not observed).

        ``closed_days`` are dates known to be closed (the configuration's holidays with factor
        0), in the history or ahead; a model may use them for the calls a closure carries over
        to the next open days. Models that do not use them ignore them."""
        Y = as_matrix(y, slots_per_day)
        observed_days = int((~np.isnan(Y)).any(axis=1).sum())
        if observed_days < self.min_days:
            raise InputError(
                f"model {self.name!r} needs at least {self.min_days} days of history with data,"
                f" got {observed_days}"
            )
        if np.nanmin(Y) < 0:
            raise InputError("offered volume must not be negative", column="offered")
        self.slots_per_day_ = slots_per_day
        self.n_days_ = Y.shape[0]
        self.first_day_ = first_day
        self.closed_days_ = frozenset(closed_days)
        self._fit(Y, weekdays(first_day, 0, Y.shape[0]))
        return self

    def predict(self, h: int) -> np.ndarray:
        """The next ``h`` intervals, from slot 0 of the day after the history (never negative)."""
        if not hasattr(self, "n_days_"):
            raise RuntimeError(f"{type(self).__name__}.predict called before fit")
        n_ahead = -(-int(h) // self.slots_per_day_)
        weekday = weekdays(self.first_day_, self.n_days_, n_ahead)
        if self.first_day_ is not None:
            dates = pd.date_range(
                pd.Timestamp(self.first_day_) + pd.Timedelta(days=self.n_days_),
                periods=n_ahead,
                freq="D",
            )
        else:
            dates = None
        days = self._predict_days(n_ahead, weekday, dates)
        return np.clip(np.nan_to_num(days), 0.0, None).ravel()[: int(h)]

    def forecast(
        self,
        y: np.ndarray,
        h: int,
        *,
        slots_per_day: int = 96,
        first_day: dt.date | None = None,
        closed_days: Iterable[dt.date] = (),
    ) -> np.ndarray:
        """``fit(y, ...)`` then ``predict(h)``."""
        return self.fit(
            y, slots_per_day=slots_per_day, first_day=first_day, closed_days=closed_days
        ).predict(h)

    def _fit(self, Y: np.ndarray, weekday: np.ndarray) -> None:  # pragma: no cover
        raise NotImplementedError

    def _predict_days(
        self, n: int, weekday: np.ndarray, dates: pd.DatetimeIndex | None
    ) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        params = {k: v for k, v in vars(self).items() if not k.endswith("_")}
        inner = ", ".join(f"{k}={v!r}" for k, v in params.items())
        return f"{type(self).__name__}({inner})"
