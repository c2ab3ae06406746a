"""The schedule export CSV (``wfm export``): one row per agent segment and queue."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.agent_states import parse_times
from wfm.errors import InputError
from wfm.schemas import SCHEDULE_COLUMNS

__all__ = ["parse_schedule"]


def _paid(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip().str.lower()
    ok = text.isin(["true", "1", "yes", "false", "0", "no", "1.0", "0.0"])
    if not ok.all():
        i = int((~ok).to_numpy().nonzero()[0][0])
        raise InputError(
            f"paid must be true or false, got {values.iloc[i]!r}", row=i + 2, column="paid"
        )
    return text.isin(["true", "1", "yes", "1.0"])


def parse_schedule(raw: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Validate a schedule export (a frame of text, as read from CSV).

    Returns the frame with ``activity_start``/``activity_end`` as tz-aware timestamps,
    ``paid`` as bool, ``agent_id`` as text and ``queue`` NaN where empty. Raises
    :class:`InputError` (row, column) on a missing column, an unreadable time or a segment that
    ends before it starts.
    """
    missing = [c for c in SCHEDULE_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} in the schedule export", column=missing[0]
        )
    out = raw.copy()
    out["agent_id"] = out["agent_id"].astype(str).str.strip()
    out["activity"] = out["activity"].astype(str).str.strip().str.lower()
    out["activity_start"] = parse_times(raw["activity_start"], tz, "activity_start")
    out["activity_end"] = parse_times(raw["activity_end"], tz, "activity_end")
    out["paid"] = _paid(raw["paid"])
    queue = out["queue"].astype(str).str.strip()
    out["queue"] = queue.where(~queue.isin(["", "nan", "None"]), np.nan)
    bad = (out["activity_end"] < out["activity_start"]).to_numpy().nonzero()[0]
    if bad.size:
        raise InputError(
            "activity ends before it starts", row=int(bad[0]) + 2, column="activity_end"
        )
    work_without_queue = (out["activity"] == "work") & out["queue"].isna()
    if work_without_queue.any():
        i = int(work_without_queue.to_numpy().nonzero()[0][0])
        raise InputError("a work segment needs a queue", row=i + 2, column="queue")
    out["share"] = _shares(raw)
    out["weight"] = _time_weights(out)
    return out


def _shares(raw: pd.DataFrame) -> pd.Series:
    """The optional ``share`` column: the share of the agent's time in the segment spent on its
    queue (a multi-skilled agent splits an interval between queues); 1.0 when absent."""
    if "share" not in raw.columns:
        return pd.Series(1.0, index=raw.index)
    text = raw["share"].astype(str).str.strip()
    share = pd.to_numeric(text.where(text != "", "1"), errors="coerce")
    bad = (share.isna() | (share < 0) | (share > 1 + 1e-9)).to_numpy().nonzero()[0]
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"share must be a number from 0 to 1, got {raw['share'].iloc[i]!r}",
            row=i + 2,
            column="share",
        )
    return share.clip(upper=1.0)


def _time_weights(schedule: pd.DataFrame) -> pd.Series:
    """Each row's part of its segment's paid time: ``share / sum of the segment's shares``.

    A segment split over several queues is written as one row per queue; its time (for hours,
    cost and adherence) is spread over those rows in proportion to their shares, so it counts
    once. Rows that are alone in their segment weigh 1.
    """
    segment = [schedule["agent_id"], schedule["activity_start"], schedule["activity_end"]]
    total = schedule["share"].groupby(segment).transform("sum")
    rows = schedule.groupby(segment)["share"].transform("size")
    weight = (schedule["share"] / total).where(total > 0, 1.0 / rows)
    return weight.where(rows > 1, 1.0)
