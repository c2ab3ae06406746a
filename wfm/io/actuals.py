"""Files of the comparison: agent-state logs, the schedule export, the comparison CSV.

The interval actuals themselves are read by :func:`wfm.io.tables.read_actuals` (the history
format); :func:`read_actuals_extra` picks up the optional columns that format does not carry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.agent_states import StateLog, parse_agent_states
from wfm.compare import COMPARISON_COLUMNS
from wfm.errors import InputError
from wfm.io.files import read_text, write_csv
from wfm.parse import parse_schedule
from wfm.parse.table import read_table

__all__ = ["read_agent_states", "read_schedule", "write_comparison"]

PathLike = str | os.PathLike


def _read_frame(path: PathLike) -> tuple[pd.DataFrame, np.ndarray]:
    """The CSV as a frame of stripped text and the file line of each of its rows (errors for
    unreadable CSV, ragged rows, a repeated column, no data rows: :func:`read_table`)."""
    table = read_table(read_text(path), str(path))
    return table.data, table.lines


def _located(err: InputError, path: PathLike, lines: np.ndarray) -> InputError:
    """``err`` with the file filled in and its row (``i + 2`` for frame row ``i``) turned into
    the file's line, which differs where the file has blank lines."""
    located = err.located(str(path))
    if located.row is not None and 2 <= located.row < len(lines) + 2:
        located.row = int(lines[located.row - 2])
    return located


def read_agent_states(
    path: PathLike, timezone: str, *, queues: Iterable[str] | None = None
) -> StateLog:
    """Read an agent-state log CSV (``agent_id, state, start, end`` [, ``queue``]).

    Times without an offset are local to ``timezone``; with ``queues`` (the configuration's),
    a ``queue`` outside them is an error. See
    :func:`wfm.agent_states.parse_agent_states` for the checks and notes.
    """
    frame, lines = _read_frame(path)
    try:
        log = parse_agent_states(frame, timezone, queues=queues)
    except InputError as err:
        raise _located(err, path, lines) from None
    name = Path(path).name
    return StateLog(frame=log.frame, notes=tuple(f"{name}: {n}" for n in log.notes))


def read_schedule(
    path: PathLike,
    timezone: str,
    *,
    queues: Iterable[str] | None = None,
    activities: Iterable[str] | None = None,
    site_offsets: bool = False,
) -> pd.DataFrame:
    """Read a schedule export CSV (contract columns; see :func:`wfm.parse.parse_schedule`)."""
    frame, lines = _read_frame(path)
    try:
        return parse_schedule(
            frame, timezone, queues=queues, activities=activities, site_offsets=site_offsets
        )
    except InputError as err:
        raise _located(err, path, lines) from None


def write_comparison(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write the comparison frame (:data:`wfm.compare.COMPARISON_COLUMNS`), atomically."""
    return write_csv(frame[[c for c in COMPARISON_COLUMNS if c in frame.columns]], path)
