"""The Staffing page: what-if requirements, required hours and FTE per queue."""

from __future__ import annotations

import dataclasses

import pandas as pd

from wfm.config import Config

__all__ = [
    "FTE_HOURS",
    "fte_by_queue",
    "required_fte",
    "required_hours",
    "what_if_requirements",
]

#: Contracted hours of one full-time equivalent per week.
FTE_HOURS = 37.5


def what_if_requirements(
    forecast_frame: pd.DataFrame,
    config: Config,
    queue: str,
    *,
    aht_change_pct: float = 0.0,
    **changes,
) -> pd.DataFrame:
    """Requirements (:func:`wfm.pipeline.requirements`) with ``queue`` changed.

    Parameters
    ----------
    forecast_frame, config
        The forecast and configuration of the plan.
    queue
        The queue the what-if changes.
    aht_change_pct
        Percent added to the queue's forecast AHT.
    **changes
        :class:`wfm.config.Queue` fields to replace (``service_level``, ``threshold_sec``,
        ``shrinkage``, ``concurrency``, ``patience_sec``: None for Erlang C).
    """
    from wfm.pipeline import requirements

    new = dataclasses.replace(config.queue(queue), **changes)
    config = dataclasses.replace(
        config, queues=tuple(new if q.name == queue else q for q in config.queues)
    )
    fc = forecast_frame.copy()
    rows = fc["queue"] == queue
    fc.loc[rows, "aht_sec"] = fc.loc[rows, "aht_sec"] * (1.0 + aht_change_pct / 100.0)
    return requirements(fc, config)


def required_hours(req: pd.DataFrame, column: str = "agents_gross") -> float:
    """Agent-hours over the requirements: ``sum(agents x interval_minutes) / 60``."""
    return float((req[column] * req["interval_minutes"]).sum() / 60.0)


def required_fte(req: pd.DataFrame, column: str = "agents_gross") -> float:
    """Required FTE: :func:`required_hours` over :data:`FTE_HOURS`."""
    return required_hours(req, column) / FTE_HOURS


def fte_by_queue(req: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Per queue: net and gross FTE of ``req``, the plan's gross FTE and the change."""
    rows = []
    for (queue, channel), g in req.groupby(["queue", "channel"], sort=False):
        gross, base = required_fte(g), required_fte(plan[plan["queue"] == queue])
        rows.append(
            {
                "queue": queue,
                "channel": channel,
                "net FTE": required_fte(g, "agents_net"),
                "gross FTE": gross,
                "plan gross FTE": base,
                "change": gross - base,
            }
        )
    return pd.DataFrame(rows)
