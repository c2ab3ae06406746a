"""Write the scheduler's outputs: the schedule export, the coverage CSV and the summary JSON.

All three are written atomically (:mod:`wfm.io.files`); times are ISO 8601 with their UTC offset.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from wfm.io.files import write_csv, write_json
from wfm.schemas import COVERAGE_COLUMNS, SCHEDULE_COLUMNS

__all__ = ["write_coverage", "write_schedule", "write_summary"]


def _ordered(frame: pd.DataFrame, first: tuple[str, ...]) -> pd.DataFrame:
    missing = [c for c in first if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks column {missing[0]!r}")
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


def write_schedule(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """One row per agent activity segment (contract columns first, extra columns after)."""
    return write_csv(_ordered(frame, SCHEDULE_COLUMNS), path)


def write_coverage(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """``interval_start, queue, required, scheduled, gap`` (+ ``backlog`` for deferrable work)."""
    return write_csv(_ordered(frame, COVERAGE_COLUMNS), path)


def write_summary(summary: dict[str, Any], path: str | os.PathLike) -> Path:
    """The run's summary JSON (status, objective, gap, paid_hours, cost, ...)."""
    return write_json(summary, path)
