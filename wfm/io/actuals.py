"""Files of the comparison: agent-state logs, the schedule export, the comparison CSV.

The interval actuals themselves are read by :func:`wfm.io.tables.read_actuals` (the history
format); :func:`read_actuals_extra` picks up the optional columns that format does not carry.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

from wfm.agent_states import StateLog, parse_agent_states
from wfm.compare import COMPARISON_COLUMNS
from wfm.errors import InputError
from wfm.io.files import read_text, write_csv
from wfm.parse import parse_schedule

__all__ = ["read_agent_states", "read_schedule", "write_comparison"]

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
    """Read a schedule export CSV (contract columns; see :func:`wfm.parse.parse_schedule`)."""
    frame = _read_frame(path)
    try:
        return parse_schedule(frame, timezone)
    except InputError as err:
        raise err.located(str(path)) from None


def write_comparison(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write the comparison frame (:data:`wfm.compare.COMPARISON_COLUMNS`), atomically."""
    return write_csv(frame[[c for c in COMPARISON_COLUMNS if c in frame.columns]], path)
