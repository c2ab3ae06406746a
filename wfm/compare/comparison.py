"""The comparison frame: one row per interval and queue of the plan (see :mod:`wfm.compare`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm import kpis
from wfm.agent_states import StateLog, adherence_components, staffed_agents
from wfm.compare.expected import expected_service
from wfm.compare.schedule import schedule_cost, schedule_coverage, schedule_pieces
from wfm.config import Config
from wfm.errors import InputError
from wfm.schemas import HISTORY_FRAME_COLUMNS

__all__ = ["COMPARISON_COLUMNS", "Comparison", "compare", "worst_intervals"]

COMPARISON_COLUMNS = (
    "interval_start",
    "queue",
    "channel",
    "interval_minutes",
    "concurrency",
    "offered_forecast",
    "aht_forecast_sec",
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "handle_time_total_sec",
    "aht_sec",
    "wait_time_answered_total_sec",
    "agents_required_net",
    "agents_required_gross",
    "agents_scheduled",
    "agents_scheduled_net",
    "agents_actual",
    "gap_scheduled",
    "gap_actual",
    "sl_target",
    "threshold_sec",
    "sl_expected_required",
    "sl_expected_scheduled",
    "sl_expected_actual",
    "sl_actual",
    "asa_expected_scheduled_sec",
    "asa_expected_actual_sec",
    "asa_actual_sec",
    "abandon_rate_expected_scheduled",
    "abandon_rate_expected_actual",
    "abandon_rate_actual",
    "contacts_short_of_target",
    "email_due",
    "email_within_deadline",
    "cost",
    "adherent_sec",
    "adherence_scheduled_sec",
)


@dataclass(frozen=True)
class Comparison:
    """The comparison frame (:data:`COMPARISON_COLUMNS`) and the notes made building it."""

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()


def _describe_keys(frame: pd.DataFrame, limit: int = 5) -> str:
    parts = []
    for queue, grp in frame.groupby("queue"):
        starts = grp["interval_start"]
        parts.append(f"{queue} ({len(grp)} intervals, {starts.min()} to {starts.max()})")
    more = f" and {len(parts) - limit} more queues" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def compare(
    requirements: pd.DataFrame,
    actuals: pd.DataFrame,
    config: Config,
    *,
    schedule: pd.DataFrame | None = None,
    forecast: pd.DataFrame | None = None,
    agent_states: StateLog | None = None,
    cost_per_hour: float | Mapping[str, float] | None = None,
) -> Comparison:
    """Build the comparison frame, one row per interval and queue of the plan.

    Parameters
    ----------
    requirements
        The requirements frame (the plan: its intervals and queues are the rows).
    actuals
        The actuals frame (:func:`wfm.parse.parse_history`). Rows for intervals or queues that
        the plan does not have are left out, with a note listing them.
    config
        Queues (targets, models, shrinkage) and the site (time zone, interval length).
    schedule
        The parsed schedule export (:func:`wfm.parse.parse_schedule`); gives
        ``agents_scheduled``, the cost, and with ``agent_states`` the adherence.
    forecast
        Forecast frame; by default the requirements' ``offered`` and ``aht_sec`` are the
        forecast.
    agent_states
        A validated agent-state log: staffed agents come from it instead of the actuals'
        ``staffed_agents`` (time-weighted; queue from the log, else from the schedule).
    cost_per_hour
        Paid cost per hour: one rate, or a rate per ``agent_id``; gives the ``cost`` column.
    """
    notes: list[str] = []
    queues = {q.name: q for q in config.queues}
    minutes = int(config.site.interval_minutes)
    keys = ["interval_start", "queue"]
    req = requirements.copy()
    unknown_q = sorted(set(req["queue"]) - set(queues))
    if unknown_q:
        raise InputError(
            f"requirements have queue(s) not in the configuration: {', '.join(unknown_q)}"
        )
    base = req[["interval_start", "queue", "channel"]].copy()
    base["interval_minutes"] = minutes
    # contacts one agent handles at once: the chat queue's concurrency, 1 for everything else
    base["concurrency"] = base["queue"].map(
        lambda q: queues[q].concurrency if queues[q].channel == "chat" else 1
    )
    if forecast is not None:
        fc = forecast[[*keys, "offered", "aht_sec"]].rename(
            columns={"offered": "offered_forecast", "aht_sec": "aht_forecast_sec"}
        )
        base = base.merge(fc, on=keys, how="left")
    else:
        base["offered_forecast"] = req["offered"].to_numpy(float)
        base["aht_forecast_sec"] = req["aht_sec"].to_numpy(float)
    base["agents_required_net"] = req["agents_net"].to_numpy(float)
    base["agents_required_gross"] = req["agents_gross"].to_numpy(float)
    base["sl_expected_required"] = req["expected_service_level"].to_numpy(float)
    origin = base["interval_start"].min()

    # actuals: keep the plan's rows, report the others
    act_cols = HISTORY_FRAME_COLUMNS[HISTORY_FRAME_COLUMNS.index("offered") :]
    act = actuals[[*keys, *[c for c in act_cols if c in actuals.columns]]]
    plan_keys = pd.MultiIndex.from_frame(base[keys])
    in_plan = pd.MultiIndex.from_frame(act[keys]).isin(plan_keys)
    if (~in_plan).any():
        outside = act[~in_plan]
        notes.append(
            f"actuals: {int((~in_plan).sum())} row(s) for intervals or queues the plan does "
            f"not have were left out: {_describe_keys(outside)}"
        )
    frame = base.merge(act[in_plan], on=keys, how="left")
    no_actuals = frame["offered"].isna()
    if no_actuals.all():
        notes.append("actuals: no row matches an interval and queue of the plan")
    elif no_actuals.any():
        notes.append(f"actuals: {int(no_actuals.sum())} planned interval(s) have no actuals")

    # scheduled agents and cost
    pieces = None
    if schedule is not None and len(schedule):
        pieces = schedule_pieces(schedule, origin, minutes)
        cover = schedule_coverage(pieces, minutes)
        frame = frame.merge(cover, on=keys, how="left")
        frame["agents_scheduled"] = frame["agents_scheduled"].fillna(0.0)
        off_plan = ~pd.MultiIndex.from_frame(cover[keys]).isin(plan_keys)
        if off_plan.any():
            notes.append(
                f"schedule: work in {int(off_plan.sum())} interval(s)/queue(s) outside the plan "
                f"was left out: {_describe_keys(cover[off_plan])}"
            )
        if cost_per_hour is not None:
            cost = schedule_cost(pieces, cost_per_hour)
            frame = frame.merge(cost, on=keys, how="left")
            if isinstance(cost_per_hour, Mapping):
                unpriced = sorted(set(schedule["agent_id"]) - set(cost_per_hour))
                if unpriced:
                    notes.append(
                        f"cost: no cost_per_hour for {len(unpriced)} scheduled agent(s) "
                        f"({', '.join(unpriced[:5])}): cost left empty where they work"
                    )
    else:
        frame["agents_scheduled"] = np.nan

    # actual staffed agents: the state log if given, else the actuals' staffed_agents
    if agent_states is not None:
        notes.extend(agent_states.notes)
        log = agent_states.frame
        work = None
        if pieces is not None:
            work = pieces[pieces["activity"] == "work"]
        staffed = staffed_agents(log, origin, minutes, roster_work=work)
        unattributed = staffed[staffed["queue"].isna()]
        if len(unattributed):
            notes.append(
                f"agent states: {unattributed['agents_actual'].sum() * minutes / 60:.1f} staffed "
                "agent-hours could not be given a queue (no queue in the log and the agent was "
                "not scheduled then): left out of the per-queue staffing"
            )
        staffed = staffed.dropna(subset=["queue"])
        frame = frame.merge(staffed, on=keys, how="left")
        frame["agents_actual"] = frame["agents_actual"].fillna(0.0)
        if schedule is not None:
            roster_agents = set(schedule["agent_id"])
            log_agents = set(log["agent_id"])
            strangers = sorted(log_agents - roster_agents)
            if strangers and not (log_agents & roster_agents):
                notes.append(
                    f"agent states: none of the log's {len(log_agents)} agents is in the "
                    "schedule: schedule adherence not computed (staffing still counted)"
                )
            else:
                if strangers:
                    notes.append(
                        f"agent states: {len(strangers)} agent(s) not in the schedule "
                        f"({', '.join(strangers[:5])}): counted as staffed, no adherence"
                    )
                silent = sorted(roster_agents - log_agents)
                scheduled_work = (
                    set(pieces.loc[pieces["activity"] == "work", "agent_id"])
                    if pieces is not None
                    else set()
                )
                silent = [a for a in silent if a in scheduled_work]
                if silent:
                    notes.append(
                        f"agent states: {len(silent)} scheduled agent(s) have no state records "
                        f"({', '.join(silent[:5])}): out of adherence for all their time"
                    )
                adh = adherence_components(log, pieces, origin)
                adh = adh.groupby(keys, as_index=False)[
                    ["adherent_sec", "adherence_scheduled_sec"]
                ].sum()
                frame = frame.merge(adh, on=keys, how="left")
    else:
        frame["agents_actual"] = frame.get("staffed_agents", np.nan)

    # expected and actual service per queue
    for col in COMPARISON_COLUMNS:
        if col not in frame.columns:
            frame[col] = np.nan
    frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    for name, idx in frame.groupby("queue").indices.items():
        q = queues[name]
        rows = frame.iloc[idx]
        shrink = 1.0 - q.shrinkage
        frame.loc[frame.index[idx], "sl_target"] = q.service_level
        frame.loc[frame.index[idx], "threshold_sec"] = q.threshold_sec
        sched_net = rows["agents_scheduled"].to_numpy(float) * shrink
        frame.loc[frame.index[idx], "agents_scheduled_net"] = sched_net
        sl, asa, ab = expected_service(
            q, rows["offered_forecast"], rows["aht_forecast_sec"], sched_net, minutes
        )
        frame.loc[frame.index[idx], "sl_expected_scheduled"] = sl
        frame.loc[frame.index[idx], "asa_expected_scheduled_sec"] = asa
        frame.loc[frame.index[idx], "abandon_rate_expected_scheduled"] = ab
        aht_act = rows["aht_sec"].fillna(rows["aht_forecast_sec"])
        sl, asa, ab = expected_service(q, rows["offered"], aht_act, rows["agents_actual"], minutes)
        frame.loc[frame.index[idx], "sl_expected_actual"] = sl
        frame.loc[frame.index[idx], "asa_expected_actual_sec"] = asa
        frame.loc[frame.index[idx], "abandon_rate_expected_actual"] = ab
        if q.deferrable and q.deadline_hours is not None:
            within, due = kpis.deadline_components(
                rows["offered"].fillna(0.0), rows["answered"].fillna(0.0), minutes, q.deadline_hours
            )
            frame.loc[frame.index[idx], "email_within_deadline"] = within
            frame.loc[frame.index[idx], "email_due"] = due
            # a deferrable queue has no live service-level target
            frame.loc[frame.index[idx], "sl_target"] = np.nan
    frame["sl_actual"] = kpis.service_level(frame["answered_within_threshold"], frame["offered"])
    frame["asa_actual_sec"] = kpis.asa_sec(frame["wait_time_answered_total_sec"], frame["answered"])
    frame["abandon_rate_actual"] = kpis.abandonment_rate(frame["abandoned"], frame["offered"])
    frame["gap_scheduled"] = frame["agents_scheduled"] - frame["agents_required_gross"]
    frame["gap_actual"] = frame["agents_actual"] - frame["agents_required_net"]
    frame["contacts_short_of_target"] = (
        frame["sl_target"] * frame["offered"] - frame["answered_within_threshold"]
    )
    frame = frame.sort_values(["interval_start", "queue"], kind="stable").reset_index(drop=True)
    return Comparison(frame=frame[list(COMPARISON_COLUMNS)], notes=tuple(notes))


def worst_intervals(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` intervals that missed their service-level target by the most contacts.

    Ranked by ``contacts_short_of_target`` (target x offered - answered in time), so a
    one-call interval answered late does not outrank a busy interval that missed by 20 points.
    """
    missed = frame[frame["contacts_short_of_target"] > 1e-9]
    return missed.sort_values("contacts_short_of_target", ascending=False).head(n)
