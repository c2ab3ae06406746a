"""Read and write the CSV tables: history, actuals, forecast, requirements, agents.

Readers take a path and the configuration, read the text (:func:`wfm.io.files.read_text`) and
hand it to the matching :mod:`wfm.parse` function; any :class:`~wfm.errors.InputError` comes back
with the file's path filled in. They return a :class:`~wfm.parse.ParseResult` (``frame, notes``):
the CLI prints the notes. Writers go through :func:`wfm.io.files.write_csv` (atomic, times as ISO
8601 with their UTC offset, so the files read back unambiguously across daylight-saving changes).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.config import Config
from wfm.errors import InputError
from wfm.io.files import read_text, write_csv
from wfm.parse import (
    ParseResult,
    parse_agents,
    parse_forecast,
    parse_history,
    parse_requirements,
)
from wfm.schemas import (
    FORECAST_COLUMNS,
    FORECAST_OPTIONAL,
    REQUIREMENTS_COLUMNS,
    REQUIREMENTS_OPTIONAL,
)

__all__ = [
    "agents_csv_frame",
    "read_actuals",
    "read_agents",
    "read_forecast",
    "read_history",
    "read_requirements",
    "write_agents",
    "write_forecast",
    "write_history",
    "write_requirements",
]

PathLike = str | os.PathLike


def _site(
    config: Config | None, timezone: str | None, *, planning: bool = False
) -> tuple[str, int | None, tuple | None]:
    """Time zone, interval length and queues the parsers check against.

    A forecast or requirements file is staffed queue by queue, so with a configuration its
    queues must be configured even when it lists none; a history may be read with a
    configuration that only gives the clock.
    """
    if config is None:
        return timezone or "UTC", None, None
    return (
        timezone or config.site.timezone,
        config.site.interval_minutes,
        config.queues if planning else (config.queues or None),
    )


def _located(path: PathLike, parse, *args, **kwargs) -> ParseResult:
    text = read_text(path)
    try:
        result = parse(text, Path(path).name, *args, **kwargs)
    except InputError as err:
        raise err.located(str(path)) from None
    if result.warnings:  # named with the path, as errors are
        warnings = tuple(w.located(str(path)) for w in result.warnings)
        result = ParseResult(result.frame, result.notes, warnings)
    return result


def read_history(
    path: PathLike,
    config: Config | None = None,
    *,
    timezone: str | None = None,
    zero_aht: str = "error",
) -> ParseResult:
    """Read a history CSV (ACD interval export) into the tidy history frame.

    With ``config``, times without an offset are the site's clock, the interval length must be
    the site's and every queue must be configured (its channel fills a missing ``channel``).
    Without it, ``timezone`` (default UTC) is the clock and the interval length comes from the
    file. See :func:`wfm.parse.parse_history`.
    """
    tz, minutes, queues = _site(config, timezone)
    return _located(
        path,
        parse_history,
        timezone=tz,
        interval_minutes=minutes,
        queues=queues,
        zero_aht=zero_aht,
    )


def read_actuals(
    path: PathLike,
    config: Config | None = None,
    *,
    timezone: str | None = None,
    zero_aht: str = "error",
) -> ParseResult:
    """Read what really happened in the planning week: the same format as the history."""
    return read_history(path, config, timezone=timezone, zero_aht=zero_aht)


def read_forecast(
    path: PathLike, config: Config | None = None, *, timezone: str | None = None
) -> ParseResult:
    """Read a forecast CSV (see :func:`wfm.parse.parse_forecast`)."""
    tz, minutes, queues = _site(config, timezone, planning=True)
    return _located(
        path,
        parse_forecast,
        timezone=tz,
        interval_minutes=minutes,
        queues=queues,
        site_offsets=config is not None,
    )


def read_requirements(
    path: PathLike, config: Config | None = None, *, timezone: str | None = None
) -> ParseResult:
    """Read a requirements CSV (see :func:`wfm.parse.parse_requirements`)."""
    tz, minutes, queues = _site(config, timezone, planning=True)
    return _located(
        path,
        parse_requirements,
        timezone=tz,
        interval_minutes=minutes,
        queues=queues,
        site_offsets=config is not None,
    )


def read_agents(path: PathLike, config: Config | None = None) -> ParseResult:
    """Read the agents CSV; with ``config``, skills and preferred shifts must exist in it."""
    queues = config.queues if config is not None else None
    shifts = (config.shifts or None) if config is not None else None
    return _located(path, parse_agents, queues=queues, shifts=shifts)


def _ordered(frame: pd.DataFrame, first: tuple[str, ...], optional: tuple[str, ...]):
    missing = [c for c in first if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}")
    return frame[[*first, *(c for c in optional if c in frame.columns)]]


def write_forecast(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write a forecast frame (contract columns first, then the optional ones present)."""
    return write_csv(_ordered(frame, FORECAST_COLUMNS, FORECAST_OPTIONAL), path)


def write_requirements(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write a requirements frame (the contract's columns, plus interval_minutes if present)."""
    return write_csv(_ordered(frame, REQUIREMENTS_COLUMNS, REQUIREMENTS_OPTIONAL), path)


def write_history(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write a history or actuals frame, leaving out the columns that are all empty."""
    keep = [
        c
        for c in frame.columns
        if c in ("interval_start", "queue", "offered") or frame[c].notna().any()
    ]
    out = frame[keep].copy()
    for column in out.columns:
        values = out[column]
        if column == "aht_sec":
            out[column] = values.round(2)
        elif values.dtype.kind == "f" and np.all(np.isnan(values) | (values == np.round(values))):
            out[column] = values.astype("Int64")  # whole counts without ".0"
    return write_csv(out, path)


def agents_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """An agents frame as parsed by :func:`wfm.parse.parse_agents` turned back into the columns
    of an agents CSV (tuples joined by ``|``, minutes as HH:MM)."""
    out = frame.copy()
    for column in ("skills", "available_days", "preferred_shifts", "preferred_days_off"):
        if column in out:
            out[column] = out[column].map(lambda v: "|".join(v) if isinstance(v, tuple) else v)
    renames = {}
    for column in ("available_from_min", "available_until_min"):
        if column in out:
            out[column] = out[column].map(lambda m: f"{int(m) // 60:02d}:{int(m) % 60:02d}")
            renames[column] = column.removesuffix("_min")
    return out.rename(columns=renames)


def write_agents(frame: pd.DataFrame, path: PathLike) -> Path:
    """Write an agents frame as an agents CSV (:func:`agents_csv_frame`)."""
    return write_csv(agents_csv_frame(frame), path)
