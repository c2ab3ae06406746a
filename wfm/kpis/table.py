"""KPIs per interval, day, week, queue or in total: numerators and denominators summed per
group, then divided (ratios are never averaged)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wfm.config import DEFERRABLE_CHANNELS
from wfm.errors import InputError
from wfm.kpis.formulas import (
    SlDefinition,
    abandonment_rate,
    aht_wape,
    asa_sec,
    cost_per_contact,
    occupancy,
    response_within_deadline,
    schedule_adherence,
    service_level,
    staff_hours_ratio,
    volume_wape,
)

__all__ = ["ADDITIVE_COLUMNS", "KPI_COLUMNS", "additive_components", "kpi_table"]

#: Additive columns that :func:`kpi_table` sums per group before dividing.
ADDITIVE_COLUMNS = (
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "abandoned_within_threshold",
    "handle_time_total_sec",
    "wait_time_answered_total_sec",
    "staffed_time_sec",
    "capacity_time_sec",
    "actual_hours",
    "scheduled_hours",
    "volume_abs_error",
    "volume_actual_with_forecast",
    "handle_time_abs_error_sec",
    "handle_time_with_forecast_sec",
    "email_due",
    "email_within_deadline",
    "cost",
    "adherent_sec",
    "adherence_scheduled_sec",
)

#: The KPI columns of :func:`kpi_table`, in order.
KPI_COLUMNS = (
    "service_level",
    "asa_sec",
    "abandonment_rate",
    "occupancy",
    "volume_wape",
    "aht_wape",
    "response_within_deadline",
    "cost_per_contact",
    "scheduled_hours",
    "actual_hours",
    "staff_hours_ratio",
    "schedule_adherence",
)


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def additive_components(frame: pd.DataFrame) -> pd.DataFrame:
    """The additive quantities of :data:`ADDITIVE_COLUMNS` for each row of ``frame``.

    The service level uses ``sl_offered``, ``sl_answered``, ``sl_within``, ``sl_short``: the
    counts of the live channels only when the frame has a ``channel`` column (email, back-office
    and outbound rows have no service level; their timeliness is
    :func:`response_within_deadline`).

    Derived ones: ``staffed_time_sec = agents_actual * interval_minutes * 60`` and
    ``capacity_time_sec = staffed_time_sec * concurrency`` (1 where the frame has none);
    ``actual_hours`` and ``scheduled_hours`` are agents times interval hours; forecast errors
    only where both the forecast and the actual exist (so WAPE compares like with like):
    ``volume_abs_error = |offered - offered_forecast|``, ``handle_time_abs_error_sec =
    answered * |aht_sec - aht_forecast_sec|``.
    """
    out = pd.DataFrame(index=frame.index)
    for name in ADDITIVE_COLUMNS:
        out[name] = _col(frame, name)
    out["sl_offered"], out["sl_answered"], out["sl_within"], out["sl_short"] = (
        out["offered"],
        out["answered"],
        out["answered_within_threshold"],
        out["abandoned_within_threshold"],
    )
    if "channel" in frame.columns:
        # deferrable work (email, back office, outbound) has no live service level
        live = ~frame["channel"].isin(DEFERRABLE_CHANNELS)
        for name in ("sl_offered", "sl_answered", "sl_within", "sl_short"):
            out[name] = out[name].where(live)
    minutes = _col(frame, "interval_minutes")
    # the comparison frame's agents_actual, or an actuals frame's staffed_agents
    actual = _col(frame, "agents_actual").fillna(_col(frame, "staffed_agents"))
    scheduled = _col(frame, "agents_scheduled")
    out["staffed_time_sec"] = actual * minutes * 60.0
    concurrency = _col(frame, "concurrency").fillna(1.0)
    out["capacity_time_sec"] = out["staffed_time_sec"] * concurrency
    out["actual_hours"] = actual * minutes / 60.0
    out["scheduled_hours"] = scheduled * minutes / 60.0
    offered, forecast = out["offered"], _col(frame, "offered_forecast")
    both = offered.notna() & forecast.notna()
    out["volume_abs_error"] = (offered - forecast).abs().where(both)
    out["volume_actual_with_forecast"] = offered.where(both)
    answered = out["answered"]
    aht = _col(frame, "aht_sec")
    if aht.isna().all():
        aht = out["handle_time_total_sec"] / answered.where(answered > 0)
    aht_fc = _col(frame, "aht_forecast_sec")
    ok = (answered > 0) & aht.notna() & aht_fc.notna()
    out["handle_time_abs_error_sec"] = (answered * (aht - aht_fc).abs()).where(ok)
    out["handle_time_with_forecast_sec"] = (answered * aht).where(ok)
    return out


_GROUPINGS = ("interval", "day", "week", "queue", "total")


def _group_keys(frame: pd.DataFrame, by: Sequence[str]) -> list[pd.Series]:
    keys = []
    for level in by:
        if level not in _GROUPINGS:
            raise InputError(f"unknown KPI grouping {level!r}; use {', '.join(_GROUPINGS)}")
        if level == "total":
            continue
        if level == "queue":
            keys.append(frame["queue"].astype(str).rename("queue"))
            continue
        start = frame["interval_start"]
        if level == "interval":
            keys.append(start.rename("interval_start"))
            continue
        local = start.dt.tz_localize(None) if start.dt.tz is not None else start
        day = local.dt.normalize()
        if level == "day":
            keys.append(day.dt.date.rename("day"))
        else:  # ISO week, named by its Monday
            monday = day - pd.to_timedelta(day.dt.dayofweek, unit="D")
            keys.append(monday.dt.date.rename("week"))
    return keys


def kpi_table(
    frame: pd.DataFrame,
    by: str | Sequence[str] = "total",
    *,
    sl_definition: SlDefinition = "offered",
) -> pd.DataFrame:
    """The KPIs of :data:`KPI_COLUMNS` per group, weighted correctly.

    Parameters
    ----------
    frame
        One row per interval and queue (see the module docstring for the columns).
    by
        ``"total"``, or one or more of ``"interval"``, ``"day"``, ``"week"``, ``"queue"``
        (days and weeks on the site's local clock; weeks start on Monday).
    sl_definition
        How abandoned contacts count in the service level (:func:`service_level`).

    Returns
    -------
    One row per group: the group keys, the summed additive quantities and the KPIs. Every KPI is
    computed from the group's sums (numerators and denominators summed first), never as an
    average of per-interval ratios.
    """
    levels = [by] if isinstance(by, str) else list(by)
    comps = additive_components(frame)
    keys = _group_keys(frame, levels)
    if keys:
        sums = comps.groupby(keys, sort=True, dropna=False).sum(min_count=1).reset_index()
    else:
        sums = comps.sum(min_count=1).to_frame().T
        sums.insert(0, "group", "total")
    out = sums
    out["service_level"] = service_level(
        out["sl_within"],
        out["sl_offered"],
        answered=out["sl_answered"],
        abandoned_within_threshold=out["sl_short"],
        definition=sl_definition,
    )
    out["asa_sec"] = asa_sec(out["wait_time_answered_total_sec"], out["answered"])
    out["abandonment_rate"] = abandonment_rate(out["abandoned"], out["offered"])
    out["occupancy"] = occupancy(out["handle_time_total_sec"], out["capacity_time_sec"])
    out["volume_wape"] = volume_wape(out["volume_abs_error"], out["volume_actual_with_forecast"])
    out["aht_wape"] = aht_wape(
        out["handle_time_abs_error_sec"], out["handle_time_with_forecast_sec"]
    )
    out["response_within_deadline"] = response_within_deadline(
        out["email_within_deadline"], out["email_due"]
    )
    out["cost_per_contact"] = cost_per_contact(out["cost"], out["answered"])
    out["staff_hours_ratio"] = staff_hours_ratio(out["actual_hours"], out["scheduled_hours"])
    out["schedule_adherence"] = schedule_adherence(
        out["adherent_sec"], out["adherence_scheduled_sec"]
    )
    return out
