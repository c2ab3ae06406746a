"""The schedule export on the interval grid: pieces per interval, coverage and cost."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wfm.agent_states import spread_over_intervals

__all__ = ["schedule_cost", "schedule_coverage", "schedule_pieces"]


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


def schedule_cost(pieces: pd.DataFrame, cost_per_hour: float | Mapping[str, float]) -> pd.DataFrame:
    """Cost of the paid pieces per interval and queue: one rate, or a rate per agent_id (NaN for
    an agent without one)."""
    paid = pieces[pieces["paid"] & (pieces["activity"] != "off")].copy()
    if isinstance(cost_per_hour, Mapping):
        rate = paid["agent_id"].map(lambda a: cost_per_hour.get(a, np.nan)).astype(float)
    else:
        rate = pd.Series(float(cost_per_hour), index=paid.index)
    paid["cost"] = paid["seconds"] / 3600.0 * rate
    return paid.groupby(["interval_start", "queue"], as_index=False)["cost"].sum(min_count=1)
