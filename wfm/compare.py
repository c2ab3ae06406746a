"""Scheduled against actual: the per-interval comparison frame.

One row per interval and queue of the plan (the requirements), with what was forecast, required,
scheduled and what really happened, and what the Erlang model expects from the scheduled and
from the actual staff:

=============================  ==============================================================
column                         meaning
=============================  ==============================================================
``offered_forecast``           contacts forecast (the requirements' ``offered``, or the
                               forecast file's when one is given)
``aht_forecast_sec``           forecast AHT
``offered``, ``answered``,     actual counts (actuals CSV)
``abandoned``,
``answered_within_threshold``
``aht_sec``                    actual AHT
``agents_required_net``        agents on contacts the requirement needs (``agents_net``)
``agents_required_gross``      the same with shrinkage (``agents_gross``): what the schedule
                               must cover
``agents_scheduled``           agents at work in the schedule, time-weighted per queue
``agents_scheduled_net``       ``agents_scheduled * (1 - shrinkage)``: expected on contacts
``agents_actual``              staffed agents (logged in, available / on contact / ACW), from
                               the actuals or from the agent-state log, time-weighted
``gap_scheduled``              ``agents_scheduled - agents_required_gross`` (+ over, - under)
``gap_actual``                 ``agents_actual - agents_required_net`` (+ over, - under)
``sl_target``                  the queue's service-level target (threshold ``threshold_sec``)
``sl_expected_required``       expected SL of the requirement (requirements file)
``sl_expected_scheduled``      expected SL with the scheduled net agents and the forecast
``sl_expected_actual``         expected SL with the actual staffed agents and the actual
                               volume and AHT
``sl_actual``                  answered within threshold / offered (see
                               :func:`wfm.kpis.service_level` for the other definitions)
``asa_*_sec``                  ASA expected (scheduled / actual staff) and actual
``abandon_rate_*``             abandonment rate expected (Erlang A only; NaN with Erlang C,
                               which assumes nobody abandons) and actual
``contacts_short_of_target``   ``sl_target * offered - answered_within_threshold``: contacts
                               that would have had to be answered in time to meet the target
                               (> 0: missed)
=============================  ==============================================================

Expected values use Erlang C, or Erlang A when the queue has ``patience_sec`` (via
:mod:`wfm.erlang`); for chat the servers are ``agents * concurrency``. Deferrable channels
(email, back office, outbound) have no expected service level; their timeliness is the
response-within-deadline KPI. Staffed agents are fractional (time-weighted), so the expected
values are interpolated linearly between the two neighbouring whole numbers of agents:
``f(n) = (1 - w) f(floor n) + w f(ceil n)``, ``w = n - floor n``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm import kpis
from wfm.agent_states import (
    StateLog,
    adherence_components,
    spread_over_intervals,
    staffed_agents,
)
from wfm.config import Config, Queue
from wfm.errors import InputError
from wfm.schemas import HISTORY_FRAME_COLUMNS

__all__ = [
    "COMPARISON_COLUMNS",
    "Comparison",
    "compare",
    "expected_service",
    "schedule_coverage",
    "schedule_pieces",
    "worst_intervals",
]

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


# --------------------------------------------------------------------------------------------
# The schedule on the interval grid


def _fill_queue_of_paid_time(schedule: pd.DataFrame) -> pd.DataFrame:
    """Give non-work segments (breaks, lunches) the queue the agent works most in that shift."""
    out = schedule.copy()
    work = out[out["activity"] == "work"]
    minutes = (work["activity_end"] - work["activity_start"]).dt.total_seconds()
    totals = (
        work.assign(sec=minutes)
        .groupby(["agent_id", "shift_start", "queue"], as_index=False)["sec"]
        .sum()
        .sort_values("sec", ascending=False, kind="stable")
        .drop_duplicates(["agent_id", "shift_start"])
        .rename(columns={"queue": "main_queue"})
        .drop(columns="sec")
    )
    out = out.merge(totals, on=["agent_id", "shift_start"], how="left")
    out["queue"] = out["queue"].fillna(out["main_queue"])
    return out.drop(columns="main_queue")


def schedule_pieces(
    schedule: pd.DataFrame, origin: pd.Timestamp, interval_minutes: int
) -> pd.DataFrame:
    """The schedule's segments cut on the interval grid (one row per segment and interval).

    Columns: ``agent_id, activity, queue, paid, interval_start, piece_start, piece_end,
    seconds``. Non-work segments carry the queue the agent works most in that shift (so a paid
    break's cost and adherence land on the agent's main queue).
    """
    filled = _fill_queue_of_paid_time(schedule)
    if "share" not in filled.columns:
        filled = filled.assign(share=1.0, weight=1.0)
    pieces = spread_over_intervals(
        filled,
        origin,
        interval_minutes,
        start="activity_start",
        end="activity_end",
        keep=["agent_id", "activity", "queue", "paid", "share", "weight"],
    )
    # Coverage counts only the shared-out time; hours, cost and adherence the agent's whole time.
    pieces["cover_seconds"] = pieces["seconds"] * pieces["share"]
    pieces["seconds"] = pieces["seconds"] * pieces["weight"]
    return pieces.drop(columns=["share", "weight"])


def schedule_coverage(pieces: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    """Scheduled agents at work per interval and queue, time-weighted.

    ``agents_scheduled = sum over work pieces of share x seconds / interval seconds``: an agent
    whose work on a queue fills 7.5 of 15 minutes counts 0.5 there, and so does an agent who
    spends half of the whole interval on it; breaks and lunches count nothing.
    """
    work = pieces[pieces["activity"] == "work"]
    out = work.groupby(["interval_start", "queue"], as_index=False)["cover_seconds"].sum()
    out["agents_scheduled"] = out["cover_seconds"] / (interval_minutes * 60.0)
    return out.drop(columns="cover_seconds")


def _schedule_cost(
    pieces: pd.DataFrame, cost_per_hour: float | Mapping[str, float]
) -> pd.DataFrame:
    paid = pieces[pieces["paid"] & (pieces["activity"] != "off")].copy()
    if isinstance(cost_per_hour, Mapping):
        rate = paid["agent_id"].map(lambda a: cost_per_hour.get(a, np.nan)).astype(float)
    else:
        rate = pd.Series(float(cost_per_hour), index=paid.index)
    paid["cost"] = paid["seconds"] / 3600.0 * rate
    return paid.groupby(["interval_start", "queue"], as_index=False)["cost"].sum(min_count=1)


# --------------------------------------------------------------------------------------------
# Expected service from the Erlang models


def _erlang_whole(
    traffic_erl: np.ndarray,
    agents: np.ndarray,
    aht_sec: np.ndarray,
    threshold_sec: float,
    patience_sec: float | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(service level, ASA seconds, abandonment probability) for whole numbers of agents."""
    from wfm import erlang

    if patience_sec is None:
        sl = erlang.service_level(traffic_erl, agents, aht_sec, threshold_sec)
        asa = erlang.asa_sec(traffic_erl, agents, aht_sec)
        return np.asarray(sl, float), np.asarray(asa, float), np.full(np.shape(sl), np.nan)
    res = erlang.erlang_a(traffic_erl, agents, aht_sec, patience_sec, threshold_sec)
    return (
        np.asarray(res.service_level, float),
        np.asarray(res.asa_sec, float),
        np.asarray(res.p_abandon, float),
    )


def expected_service(
    queue: Queue,
    offered,
    aht_sec,
    agents,
    interval_minutes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected service level, ASA (s) and abandonment rate for fractional agents.

    Erlang C (or Erlang A with the queue's ``patience_sec``) at the two neighbouring whole
    numbers of agents, interpolated linearly. Chat: ``agents * concurrency`` servers. Zero
    offered: NaN (nothing to serve). Deferrable channels: NaN.

    Parameters
    ----------
    queue
        The configured queue (model, threshold, patience, concurrency).
    offered, aht_sec, agents
        Arrays per interval (net agents: those on contacts).
    interval_minutes
        Interval length; traffic ``A = offered * aht_sec / (interval_minutes * 60)`` Erlangs.
    """
    offered = np.asarray(offered, dtype=float)
    aht = np.asarray(aht_sec, dtype=float)
    n = np.asarray(agents, dtype=float) * (queue.concurrency if queue.channel == "chat" else 1)
    shape = np.broadcast(offered, aht, n).shape
    nan = np.full(shape, np.nan)
    if queue.deferrable:
        return nan, nan.copy(), nan.copy()
    offered, aht, n = np.broadcast_arrays(offered, aht, n)
    ok = (offered > 0) & (aht > 0) & np.isfinite(n) & (n >= 0)
    sl, asa, ab = nan.copy(), nan.copy(), nan.copy()
    if not ok.any():
        return sl, asa, ab
    traffic = offered[ok] * aht[ok] / (interval_minutes * 60.0)
    lo = np.floor(n[ok] + 1e-9)
    w = np.clip(n[ok] - lo, 0.0, 1.0)
    vals_lo = _erlang_whole(traffic, lo, aht[ok], queue.threshold_sec, queue.patience_sec)
    vals_hi = _erlang_whole(traffic, lo + 1, aht[ok], queue.threshold_sec, queue.patience_sec)
    outs = []
    for a, b in zip(vals_lo, vals_hi, strict=True):
        # an unstable queue (ASA infinite) at the lower count is infinite unless w == 1
        with np.errstate(invalid="ignore"):
            mixed = np.where(w > 0, (1 - w) * a + w * b, a)
        mixed = np.where(w >= 1, b, mixed)
        outs.append(mixed)
    sl[ok], asa[ok], ab[ok] = outs
    return sl, asa, ab


# --------------------------------------------------------------------------------------------
# The comparison


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
            cost = _schedule_cost(pieces, cost_per_hour)
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
