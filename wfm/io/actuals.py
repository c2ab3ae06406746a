"""Files of the comparison: agent-state logs, the schedule export, the comparison CSV.

The interval actuals themselves are read by :func:`wfm.io.tables.read_actuals` (the history
format); :func:`read_actuals_extra` picks up the optional columns that format does not carry.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

from wfm.agent_states import StateLog, parse_agent_states, parse_times
from wfm.compare import COMPARISON_COLUMNS, parse_schedule
from wfm.errors import InputError
from wfm.io.files import read_text, write_csv

__all__ = ["read_actuals_extra", "read_agent_states", "read_schedule", "write_comparison"]

PathLike = str | os.PathLike


def _read_frame(path: PathLike) -> pd.DataFrame:
    text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(f"not a readable CSV: {err}", file=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_agent_states(path: PathLike, timezone: str) -> StateLog:
    """Read an agent-state log CSV (``agent_id, state, start, end`` [, ``queue``]).

    Times without an offset are local to ``timezone``. See
    :func:`wfm.agent_states.parse_agent_states` for the checks and notes.
    """
    frame = _read_frame(path)
    try:
        log = parse_agent_states(frame, timezone)
    except InputError as err:
        raise err.located(str(path)) from None
    name = Path(path).name
    return StateLog(frame=log.frame, notes=tuple(f"{name}: {n}" for n in log.notes))


def read_schedule(path: PathLike, timezone: str) -> pd.DataFrame:
    """Read a schedule export CSV (contract columns; see :func:`wfm.compare.parse_schedule`)."""
    frame = _read_frame(path)
    try:
        return parse_schedule(frame, timezone)
    except InputError as err:
        raise err.located(str(path)) from None


#: Optional actuals columns the history format does not carry, used by the comparison.
EXTRA_COLUMNS = ("wait_time_answered_total_sec", "asa_sec", "abandoned_within_threshold")


def read_actuals_extra(path: PathLike, timezone: str) -> pd.DataFrame | None:
    """The actual ASA inputs and short abandons, when the actuals CSV has them.

    Recognised: ``wait_time_answered_total_sec`` (total queue time of answered contacts), or
    ``asa_sec`` (then the total is ``asa_sec * answered``), and ``abandoned_within_threshold``.
    Returns None when none is present.
    """
    frame = _read_frame(path)
    present = [c for c in EXTRA_COLUMNS if c in frame.columns]
    if not present or "interval_start" not in frame.columns or "queue" not in frame.columns:
        return None
    out = pd.DataFrame({"queue": frame["queue"].str.strip()})
    try:
        out["interval_start"] = parse_times(frame["interval_start"], timezone, "interval_start")
        for column in present + (["answered"] if "answered" in frame.columns else []):
            values = pd.to_numeric(frame[column].replace("", "nan"), errors="coerce")
            bad = values.isna() & frame[column].str.strip().ne("")
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise InputError("expected a number", row=i + 2, column=column)
            out[column] = values
    except InputError as err:
        raise err.located(str(path)) from None
    if "wait_time_answered_total_sec" not in out and "asa_sec" in out and "answered" in out:
        out["wait_time_answered_total_sec"] = out["asa_sec"] * out["answered"]
    keep = [
        c
        for c in (
            "interval_start",
            "queue",
            "wait_time_answered_total_sec",
            "abandoned_within_threshold",
        )
        if c in out
    ]
    return out[keep]


def write_comparison(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write the comparison frame (:data:`wfm.compare.COMPARISON_COLUMNS`), atomically."""
    return write_csv(frame[[c for c in COMPARISON_COLUMNS if c in frame.columns]], path)
