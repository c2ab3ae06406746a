"""The Overview page: the week's comparison, its KPI tiles against the targets and the
previous week, and the worst intervals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm import kpis
from wfm.config import Config

__all__ = [
    "KPI_TILES",
    "Overview",
    "current_version",
    "kpi_tiles",
    "overview",
    "week_comparison",
    "week_kpis",
    "worst_table",
]

#: The Overview's tiles: KPI key, label, format kind, which way is better (+1 up, -1 down, 0).
KPI_TILES = (
    ("service_level", "Service level", "pct", 1),
    ("asa_sec", "ASA (s)", "sec", -1),
    ("abandonment_rate", "Abandonment", "pct", -1),
    ("occupancy", "Occupancy", "pct", 0),
    ("response_within_deadline", "Email within deadline", "pct", 1),
    ("cost_per_contact", "Cost per contact", "money", -1),
    ("staff_hours_ratio", "Actual / scheduled hours", "pct", 1),
)


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna() & np.isfinite(values) & weights.notna() & (weights > 0)
    total = weights[ok].sum()
    return float((values[ok] * weights[ok]).sum() / total) if total > 0 else np.nan


def current_version(ws, week: dt.date):
    """The week's current version (:func:`wfm.store.versions.select_version`), or None."""
    from wfm.errors import InputError
    from wfm.store.versions import select_version

    try:
        return select_version(ws, week)
    except InputError:
        return None


def week_comparison(ws, week: dt.date, version=None):
    """The :class:`wfm.compare.Comparison` of ``version`` (default: the current one) against
    the week's actuals, priced with the agents' ``cost_per_hour``; None without a version."""
    from wfm.compare import compare
    from wfm.store import load_actuals, load_agents
    from wfm.store.versions import load_version_frame

    version = version or current_version(ws, week)
    if version is None:
        return None
    agents = load_agents(ws)
    rates = dict(
        zip(agents["agent_id"].astype(str), agents["cost_per_hour"].astype(float), strict=True)
    )
    actuals = load_actuals(ws, start=week, end=week + dt.timedelta(days=7))
    return compare(
        load_version_frame(ws, version, "requirements"),
        actuals,
        ws.config,
        schedule=load_version_frame(ws, version, "schedule"),
        forecast=load_version_frame(ws, version, "forecast"),
        cost_per_hour=rates or None,
    )


def _actuals_only(ws, week: dt.date) -> pd.DataFrame | None:
    """A week with data but no plan: its actuals (else history) with the email deadline counts."""
    from wfm.store import load_actuals, load_history

    end = week + dt.timedelta(days=7)
    frame = load_actuals(ws, start=week, end=end)
    if frame.empty:
        frame = load_history(ws, start=week, end=end)
    if frame.empty:
        return None
    frame = frame.sort_values(["queue", "interval_start"]).reset_index(drop=True)
    frame["email_due"] = frame["email_within_deadline"] = np.nan
    for q in ws.config.queues:
        rows = frame.index[frame["queue"] == q.name]
        if q.deferrable and q.deadline_hours is not None and len(rows):
            within, due = kpis.deadline_components(
                frame.loc[rows, "offered"].fillna(0.0),
                frame.loc[rows, "answered"].fillna(0.0),
                ws.config.site.interval_minutes,
                q.deadline_hours,
            )
            frame.loc[rows, "email_within_deadline"], frame.loc[rows, "email_due"] = within, due
    return frame


def week_kpis(frame: pd.DataFrame | None) -> dict[str, float]:
    """The week's actual KPIs (:func:`wfm.kpis.kpi_table`, total) plus ``actual_hours`` and
    ``scheduled_hours``; empty without a frame or without actuals."""
    if frame is None or frame["offered"].notna().sum() == 0:
        return {}
    row = kpis.kpi_table(frame, "total").iloc[0]
    keys = [k for k, *_ in KPI_TILES] + ["actual_hours", "scheduled_hours"]
    return {k: float(row[k]) for k in keys}


def _plan_kpis(frame: pd.DataFrame) -> dict[str, float]:
    """What the schedule and the forecast expect (the Erlang values of the comparison)."""
    live = frame[frame["sl_target"].notna()]
    fc = live["offered_forecast"]
    capacity = (
        frame["agents_scheduled_net"] * frame["concurrency"] * frame["interval_minutes"] * 60.0
    ).sum()
    work = (frame["offered_forecast"] * frame["aht_forecast_sec"]).sum()
    return {
        "service_level": _weighted(live["sl_expected_scheduled"], fc),
        "asa_sec": _weighted(live["asa_expected_scheduled_sec"], fc),
        "abandonment_rate": _weighted(live["abandon_rate_expected_scheduled"], fc),
        "occupancy": work / capacity if capacity > 0 else np.nan,
        "response_within_deadline": np.nan,
        "cost_per_contact": kpis.cost_per_contact(
            frame["cost"].sum(min_count=1), frame["offered_forecast"].sum()
        ),
        "staff_hours_ratio": np.nan,
        "scheduled_hours": float(
            (frame["agents_scheduled"] * frame["interval_minutes"]).sum() / 60.0
        ),
    }


def _targets(frame: pd.DataFrame, config: Config) -> dict[str, float]:
    queues = {q.name: q for q in config.queues}
    has = frame["offered"].notna().any()
    weight = frame["offered"] if has else frame["offered_forecast"]
    live = frame["sl_target"].notna()
    asa = frame["queue"].map(lambda q: queues[q].asa_target_sec).astype(float)
    deferred = frame["queue"].map(lambda q: queues[q].deadline_hours is not None)
    email_sl = frame["queue"].map(lambda q: queues[q].service_level).where(deferred)
    occ = frame["queue"].map(lambda q: queues[q].max_occupancy).astype(float)
    return {
        "service_level": _weighted(frame["sl_target"], weight.where(live)),
        "asa_sec": _weighted(asa, weight.where(live)),
        "occupancy": _weighted(occ, frame["agents_scheduled_net"] * frame["concurrency"]),
        "response_within_deadline": _weighted(
            email_sl, frame["email_due"] if has else frame["offered_forecast"]
        ),
        "staff_hours_ratio": 1.0,
    }


def _delta(now: float, before: float | None, kind: str) -> str | None:
    if before is None or not np.isfinite(now) or not np.isfinite(before):
        return None
    d = now - before
    return {"pct": f"{100 * d:+.1f} pts", "sec": f"{d:+.1f} s", "money": f"{d:+.2f}"}[kind]


def kpi_tiles(
    frame: pd.DataFrame, config: Config, previous: dict[str, float] | None = None
) -> pd.DataFrame:
    """One row per tile of :data:`KPI_TILES` for the comparison ``frame``.

    Parameters
    ----------
    frame
        A comparison frame (:func:`week_comparison`).
    config
        The queues' targets (service level, ASA, occupancy cap, email's share in deadline).
    previous
        The week before's :func:`week_kpis`; gives the deltas where both weeks have a value.

    Returns
    -------
    DataFrame
        ``key, label, value, text, delta, delta_color, help, planned``: ``value`` is the
        actual KPI, or the planned one (``planned`` True) when the week has no actuals;
        ``text`` is ``value`` formatted with :func:`wfm.kpis.format_kpi`.
    """
    actual, plan, target = week_kpis(frame), _plan_kpis(frame), _targets(frame, config)
    previous = previous or {}
    rows = []
    for key, label, kind, better in KPI_TILES:
        value = actual.get(key, plan[key]) if actual else plan[key]
        notes = []
        if np.isfinite(target.get(key, np.nan)):
            notes.append(
                f"target {kpis.format_kpi(target[key], kind)}"
                + (" at most" if key == "occupancy" else "")
            )
        if actual and np.isfinite(plan[key]):
            notes.append(f"plan {kpis.format_kpi(plan[key], kind)}")
        text = kpis.format_kpi(value, kind)
        if key == "staff_hours_ratio":
            scheduled = kpis.format_kpi(plan["scheduled_hours"], "int")
            if actual:
                hours = kpis.format_kpi(actual["actual_hours"], "int")
                notes.append(f"{hours} actual of {scheduled} scheduled hours")
            else:
                text, notes = f"{scheduled} h scheduled", ["no actual hours yet"]
        rows.append(
            {
                "key": key,
                "label": label,
                "value": value,
                "text": text,
                "delta": _delta(value, previous.get(key), kind) if actual else None,
                "delta_color": {1: "normal", -1: "inverse", 0: "off"}[better],
                "help": "; ".join(notes) or None,
                "planned": not actual,
            }
        )
    return pd.DataFrame(rows)


def worst_table(frame: pd.DataFrame, tz: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` intervals that missed the service-level target by the most contacts
    (:func:`wfm.compare.worst_intervals`); without actuals, by the contacts the schedule is
    expected to miss (``sl_target x forecast - expected SL x forecast``). Local times;
    ``day`` (ISO date) and ``queue`` address the Intraday page."""
    from wfm.compare import worst_intervals

    if frame["offered"].notna().any():
        worst = worst_intervals(frame, n)
        sl, short = worst["sl_actual"], worst["contacts_short_of_target"]
    else:
        f = frame.assign(
            contacts_short_of_target=frame["offered_forecast"]
            * (frame["sl_target"] - frame["sl_expected_scheduled"])
        )
        worst = worst_intervals(f, n)
        sl, short = worst["sl_expected_scheduled"], worst["contacts_short_of_target"]
    when = worst["interval_start"].dt.tz_convert(tz)
    return pd.DataFrame(
        {
            "when": when.dt.strftime("%a %d %b %H:%M"),
            "day": when.dt.date.map(dt.date.isoformat),
            "queue": worst["queue"],
            "offered": worst["offered"].fillna(worst["offered_forecast"]),
            "service level": sl,
            "target": worst["sl_target"],
            "required net": worst["agents_required_net"],
            "scheduled net": worst["agents_scheduled_net"],
            "actual staffed": worst["agents_actual"],
            "contacts short": short,
        }
    ).reset_index(drop=True)


@dataclass(frozen=True)
class Overview:
    """What the Overview page shows for a week (``version`` None: no version yet)."""

    version: object | None
    has_actuals: bool
    tiles: pd.DataFrame | None
    worst: pd.DataFrame | None
    notes: tuple[str, ...] = ()


def overview(ws, week: dt.date) -> Overview:
    """KPI tiles (deltas against the week before) and the ten worst intervals of ``week``."""
    comparison = week_comparison(ws, week)
    if comparison is None:
        return Overview(None, False, None, None)
    before = week - dt.timedelta(days=7)
    earlier = week_comparison(ws, before) if current_version(ws, before) else None
    previous = week_kpis(earlier.frame if earlier else None) or week_kpis(_actuals_only(ws, before))
    frame = comparison.frame
    return Overview(
        version=current_version(ws, week),
        has_actuals=bool(frame["offered"].notna().any()),
        tiles=kpi_tiles(frame, ws.config, previous),
        worst=worst_table(frame, ws.config.site.timezone),
        notes=comparison.notes,
    )
