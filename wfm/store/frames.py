"""Frames to database rows and back: the parsed frames of :mod:`wfm.parse` on one side, the
rows of :mod:`wfm.store.schema` on the other.

Times become whole seconds since the epoch (UTC) going in and timestamps in the site's zone
coming out; agents' tuples are stored ``|``-joined. Reading back gives the frame the parser
gave, column for column, so a workspace run sees exactly what a file run sees.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.parse import AGENTS_FRAME_COLUMNS, HISTORY_FRAME_COLUMNS
from wfm.store.schema import INTERVAL_VALUE_COLUMNS

__all__ = [
    "agent_rows",
    "agents_frame",
    "epoch_sec",
    "from_epoch_sec",
    "interval_frame",
    "interval_rows",
    "state_rows",
    "states_frame",
]

_TUPLE_COLUMNS = ("skills", "available_days", "preferred_shifts", "preferred_days_off")


def epoch_sec(times: pd.Series) -> pd.Series:
    """Whole seconds since 1970-01-01 UTC of tz-aware timestamps."""
    return times.dt.tz_convert("UTC").dt.as_unit("s").astype("int64")


def from_epoch_sec(values: pd.Series, timezone: str) -> pd.Series:
    """Timestamps in ``timezone`` (nanosecond unit, as the parsers give) from epoch seconds."""
    utc = pd.to_datetime(values.astype("int64"), unit="s", utc=True).dt.as_unit("ns")
    return utc.dt.tz_convert(timezone)


def interval_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """History or actuals rows: one per queue and interval."""
    out = pd.DataFrame(
        {
            "queue": frame["queue"].astype(str).to_numpy(),
            "interval_start_epoch_sec": epoch_sec(frame["interval_start"]).to_numpy(),
        }
    )
    for column in INTERVAL_VALUE_COLUMNS:
        values = frame[column].to_numpy() if column in frame else np.nan
        out[column] = values
    out["interval_minutes"] = out["interval_minutes"].astype("int64")
    for column in INTERVAL_VALUE_COLUMNS[2:]:
        out[column] = out[column].astype("float64")
    return out


def interval_frame(rows: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """The parsed history frame (:data:`wfm.parse.HISTORY_FRAME_COLUMNS`) from stored rows."""
    if rows.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in HISTORY_FRAME_COLUMNS})
        out["interval_start"] = pd.Series(dtype=f"datetime64[ns, {timezone}]")
        out["queue"] = out["channel"] = pd.Series(dtype=object)
        out["interval_minutes"] = pd.Series(dtype="int64")
        return out[list(HISTORY_FRAME_COLUMNS)]
    rows = rows.sort_values(["queue", "interval_start_epoch_sec"], kind="stable")
    out = pd.DataFrame(
        {
            "interval_start": from_epoch_sec(rows["interval_start_epoch_sec"], timezone).to_numpy(),
            "queue": rows["queue"].astype(object).to_numpy(),
        }
    )
    for column in INTERVAL_VALUE_COLUMNS:
        out[column] = rows[column].to_numpy()
    out["channel"] = out["channel"].astype(object)
    out["interval_minutes"] = out["interval_minutes"].astype("int64")
    for column in INTERVAL_VALUE_COLUMNS[2:]:
        out[column] = pd.to_numeric(out[column]).astype("float64")
    out["interval_start"] = out["interval_start"].dt.tz_convert(timezone)
    return out[list(HISTORY_FRAME_COLUMNS)].reset_index(drop=True)


def _joined(value) -> str:
    return "|".join(value) if isinstance(value, tuple) else ("" if value is None else str(value))


def agent_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Agents rows: tuples ``|``-joined, every column present."""
    out = pd.DataFrame({"agent_id": frame["agent_id"].astype(str).to_numpy()})
    for column in AGENTS_FRAME_COLUMNS[1:]:
        values = frame[column] if column in frame else pd.Series([""] * len(frame))
        if column in _TUPLE_COLUMNS:
            out[column] = [_joined(v) for v in values]
        elif column in ("available_from_min", "available_until_min"):
            out[column] = values.astype("int64").to_numpy()
        elif column in ("min_hours_week", "max_hours_week", "cost_per_hour"):
            out[column] = values.astype("float64").to_numpy()
        else:
            out[column] = values.fillna("").astype(str).to_numpy()
    return out


def agents_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The parsed agents frame (:data:`wfm.parse.AGENTS_FRAME_COLUMNS`) from stored rows."""
    out = rows.sort_values("agent_id", kind="stable").reset_index(drop=True)
    out = out[list(AGENTS_FRAME_COLUMNS)].copy()
    for column in _TUPLE_COLUMNS:
        out[column] = [tuple(v.split("|")) if v else () for v in out[column]]
    for column in ("available_from_min", "available_until_min"):
        out[column] = out[column].astype("int64")
    for column in ("min_hours_week", "max_hours_week", "cost_per_hour"):
        out[column] = out[column].astype("float64")
    for column in ("agent_id", "name", "team", "contract"):
        out[column] = out[column].astype(object)
    return out


def state_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Agent-state rows: agent, start and end as epoch seconds, state, queue ("" for none)."""
    queue = frame["queue"] if "queue" in frame else pd.Series([""] * len(frame), index=frame.index)
    return pd.DataFrame(
        {
            "agent_id": frame["agent_id"].astype(str).to_numpy(),
            "start_epoch_sec": epoch_sec(frame["start"]).to_numpy(),
            "end_epoch_sec": epoch_sec(frame["end"]).to_numpy(),
            "state": frame["state"].astype(str).to_numpy(),
            "queue": queue.fillna("").astype(str).to_numpy(),
        }
    )


def states_frame(rows: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """An agent-state log frame (``agent_id, state, start, end`` [, ``queue``])."""
    rows = rows.sort_values(["agent_id", "start_epoch_sec"], kind="stable")
    out = pd.DataFrame(
        {
            "agent_id": rows["agent_id"].astype(object).to_numpy(),
            "state": rows["state"].astype(object).to_numpy(),
            "start": from_epoch_sec(rows["start_epoch_sec"], timezone).to_numpy(),
            "end": from_epoch_sec(rows["end_epoch_sec"], timezone).to_numpy(),
        }
    )
    if len(rows) and (rows["queue"] != "").any():
        out["queue"] = rows["queue"].replace("", np.nan).to_numpy()
    for column in ("start", "end"):
        out[column] = pd.to_datetime(out[column], utc=True).dt.tz_convert(timezone)
    return out.reset_index(drop=True)
