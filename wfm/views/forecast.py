"""The Forecast page: the plan's forecast, the chosen models and their backtest, recent history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from wfm.config import Config
from wfm.views.week import current_version

__all__ = [
    "PlanForecast",
    "backtest_table",
    "chosen_models",
    "day_totals",
    "history_window",
    "plan_forecast",
]


@dataclass(frozen=True)
class PlanForecast:
    """The week's forecast: the version's stored one (``source`` "stored") when nothing it
    depends on changed since, else recomputed with the stored adjustments ("recomputed")."""

    frame: pd.DataFrame
    source: str
    config: Config


def _forecast_is_current(ws, version) -> bool:
    """No configuration change, history import or adjustment since the version was made."""
    import sqlalchemy as sa

    from wfm.store import schema

    if version is None or ws.config_hash != version.config_hash:
        return False
    since = version.created_at
    with ws.connect() as conn:
        imports = conn.execute(
            sa.select(sa.func.count()).where(
                schema.imports.c.kind == "history", schema.imports.c.imported_at >= since
            )
        ).scalar()
        adjusted = conn.execute(
            sa.select(sa.func.count()).where(schema.adjustments.c.created_at >= since)
        ).scalar()
    return not imports and not adjusted


def plan_forecast(ws, week: dt.date) -> PlanForecast | None:
    """The forecast of ``week`` (:class:`PlanForecast`), None when there is nothing to
    forecast from (no version and no history before the week)."""
    from wfm.pipeline import forecast
    from wfm.store import load_history
    from wfm.store.adjustments import list_adjustments, with_adjustments
    from wfm.store.versions import load_version_frame

    config = with_adjustments(ws.config, list_adjustments(ws))
    version = current_version(ws, week)
    if _forecast_is_current(ws, version):
        return PlanForecast(load_version_frame(ws, version, "forecast"), "stored", config)
    history = load_history(ws, end=week)
    if history.empty:
        return None
    return PlanForecast(forecast(history, config, start=week).frame, "recomputed", config)


def chosen_models(forecast_frame: pd.DataFrame) -> dict[str, str]:
    """Per queue, the single model behind the forecast (``auto:`` and ``adj..`` stripped)."""
    label = forecast_frame["model"].astype(str).str.split(" adj").str[0].str.split(":").str[-1]
    return label.groupby(forecast_frame["queue"]).agg(lambda s: s.mode().iat[0]).to_dict()


def backtest_table(
    history: pd.DataFrame, config: Config, forecast_frame: pd.DataFrame
) -> pd.DataFrame:
    """The week-ahead rolling backtest of ``wfm forecast --backtest`` (every single model and
    ``auto``, :func:`forecasts.cross_validation` and :func:`forecasts.backtest_scores`) with
    ``chosen`` True on the model behind ``forecast_frame`` for each queue; ``noise_floor``
    (the Poisson WAPE floor) and ``daily_wape`` (the daily totals' WAPE) beside the WAPE."""
    from forecasts import MODELS, backtest_scores, cross_validation

    models = [name for name in MODELS if name != "auto"] + ["auto"]
    settings = config.forecast
    cv = cross_validation(
        history, 7, settings.n_windows, settings.step_days, models=models, config=config
    )
    scores = backtest_scores(cv)
    chosen = chosen_models(forecast_frame)
    scores["chosen"] = scores["model"] == scores["queue"].map(chosen)
    return scores


def history_window(ws, week: dt.date, weeks: int = 2) -> pd.DataFrame:
    """Offered per interval and queue: ``kind`` "history" for the ``weeks`` weeks before
    ``week``, "actual" for the week itself (when loaded)."""
    from wfm.store import load_actuals, load_history

    hist = load_history(ws, start=week - dt.timedelta(days=7 * weeks), end=week)
    act = load_actuals(ws, start=week, end=week + dt.timedelta(days=7))
    cols = ["interval_start", "queue", "offered"]
    return pd.concat(
        [hist[cols].assign(kind="history"), act[cols].assign(kind="actual")], ignore_index=True
    )


def day_totals(forecast_frame: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Forecast offered per local day and queue (``day, queue, offered``)."""
    day = forecast_frame["interval_start"].dt.tz_convert(tz).dt.date.rename("day")
    return forecast_frame.groupby([day, "queue"])["offered"].sum().reset_index()
