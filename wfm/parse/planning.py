"""Our own planning files, read back: the forecast and requirements CSVs (exact column names)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from wfm.config import Queue
from wfm.parse.columns import (
    check_duplicates,
    check_grid,
    check_non_negative,
    fill_channel,
    number_column,
    parse_interval_starts,
    queue_channels,
    queue_column,
    resolve_interval_minutes,
)
from wfm.parse.table import ParseResult, Table, map_columns, read_table, sorted_by_queue_and_time
from wfm.schemas import (
    FORECAST_COLUMNS,
    FORECAST_OPTIONAL,
    REQUIREMENTS_COLUMNS,
    REQUIREMENTS_FRAME_COLUMNS,
)

__all__ = ["parse_forecast", "parse_planning_frame", "parse_requirements"]


def parse_planning_frame(
    text: str | pd.DataFrame,
    source: str | None,
    *,
    required: Sequence[str],
    numeric: Sequence[str],
    optional: Sequence[str],
    timezone: str,
    interval_minutes: int | None,
    queues: Iterable[Queue] | Iterable[str] | None,
    site_offsets: bool = False,
) -> tuple[Table, dict[str, str], pd.DataFrame, list[str]]:
    """Shared part of the forecast and requirements parsers (our own files: exact names)."""
    notes: list[str] = []
    table = read_table(text, source)
    aliases = {c: (c,) for c in (*required, *optional)}
    mapping, _ = map_columns(table, aliases, required, notes)
    known = queue_channels(queues)
    queue = queue_column(table, mapping["queue"], known)
    channel = fill_channel(table, mapping, queue, known)
    if "channel" in mapping:
        table.first(
            (table.data[mapping["channel"]] == "").to_numpy(),
            mapping["channel"],
            lambda i: "the channel is empty",
        )
    starts = parse_interval_starts(
        table, mapping["interval_start"], queue, timezone, notes, site_offsets=site_offsets
    )
    minutes = resolve_interval_minutes(table, mapping, interval_minutes, starts, queue, notes)
    check_grid(table, mapping["interval_start"], starts, minutes)
    check_duplicates(table, mapping["interval_start"], queue, starts)
    out = {
        "interval_start": starts,
        "queue": pd.array(queue, dtype=object),
        "channel": pd.array(channel, dtype=object),
        "interval_minutes": np.full(len(table.data), minutes, dtype=np.int64),
    }
    for name in numeric:
        if name in mapping:
            values = number_column(table, mapping[name], required=name in required)
            check_non_negative(table, mapping[name], values, name)
            out[name] = values
    return table, mapping, pd.DataFrame(out), notes


def parse_forecast(
    text: str | pd.DataFrame,
    source: str | None = "forecast.csv",
    *,
    timezone: str,
    interval_minutes: int | None = None,
    queues: Iterable[Queue] | Iterable[str] | None = None,
    site_offsets: bool = False,
) -> ParseResult:
    """Validate a forecast CSV: ``interval_start, queue, channel, offered, aht_sec``.

    Optional ``interval_minutes``, ``offered_lo``, ``offered_hi`` (the prediction interval on
    volume) and ``model``. Checks as :func:`parse_history` (times, grid, duplicates, channel,
    queue), plus: counts and AHT numeric and >= 0, AHT > 0 where volume is > 0, and
    ``offered_lo <= offered <= offered_hi`` (to 1e-6). With ``site_offsets``, a time's UTC
    offset must be the one ``timezone`` has then (the file is on the site's clock).

    Returns
    -------
    ParseResult
        Frame with ``interval_start, queue, channel, interval_minutes, offered, aht_sec`` and the
        optional columns present, sorted by queue and interval_start.
    """
    numeric = ("offered", "aht_sec", "offered_lo", "offered_hi")
    table, mapping, frame, notes = parse_planning_frame(
        text,
        source,
        required=FORECAST_COLUMNS,
        numeric=numeric,
        optional=FORECAST_OPTIONAL,
        timezone=timezone,
        interval_minutes=interval_minutes,
        queues=queues,
        site_offsets=site_offsets,
    )
    offered, aht = frame["offered"].to_numpy(), frame["aht_sec"].to_numpy()
    table.first(
        (offered > 0) & (aht == 0),
        mapping["aht_sec"],
        lambda i: f"AHT is zero with {offered[i]:g} contacts forecast",
    )
    if "offered_lo" in frame and "offered_hi" in frame:
        lo, hi = frame["offered_lo"].to_numpy(), frame["offered_hi"].to_numpy()
        table.first(
            lo > hi + 1e-6,
            mapping["offered_lo"],
            lambda i: f"offered_lo ({lo[i]:g}) is above offered_hi ({hi[i]:g})",
        )
    for bound, bad in (
        ("offered_lo", lambda b: b > offered + 1e-6),
        ("offered_hi", lambda b: b < offered - 1e-6),
    ):
        if bound in frame:
            b = frame[bound].to_numpy()
            table.first(
                bad(b),
                mapping[bound],
                lambda i, b=b, n=bound: (
                    f"{n} ({b[i]:g}) is on the wrong side of offered ({offered[i]:g})"
                ),
            )
    if "model" in mapping:
        frame["model"] = table.data[mapping["model"]].to_numpy(dtype=object)
    return ParseResult(sorted_by_queue_and_time(frame), tuple(notes))


def parse_requirements(
    text: str | pd.DataFrame,
    source: str | None = "requirements.csv",
    *,
    timezone: str,
    interval_minutes: int | None = None,
    queues: Iterable[Queue] | Iterable[str] | None = None,
    site_offsets: bool = False,
) -> ParseResult:
    """Validate a requirements CSV (the columns of :data:`wfm.schemas.REQUIREMENTS_COLUMNS`).

    ``expected_service_level``, ``expected_asa_sec`` and ``occupancy`` may be empty (NaN, e.g.
    for deferrable channels); the other numbers are required. Checks: all numbers >= 0,
    ``agents_gross >= agents_net`` (shrinkage only adds), service level and occupancy in
    [0, 1], plus the time/grid/duplicate/channel/queue checks of :func:`parse_history`
    (and the site's UTC offsets with ``site_offsets``, as :func:`parse_forecast`).
    """
    numeric = REQUIREMENTS_COLUMNS[3:]
    optional_values = ("expected_service_level", "expected_asa_sec", "occupancy")
    required = tuple(c for c in REQUIREMENTS_COLUMNS if c not in optional_values)
    table, mapping, frame, notes = parse_planning_frame(
        text,
        source,
        required=required,
        numeric=numeric,
        optional=(*optional_values, "interval_minutes"),
        timezone=timezone,
        interval_minutes=interval_minutes,
        queues=queues,
        site_offsets=site_offsets,
    )
    for name in optional_values:
        if name not in frame:
            frame[name] = np.nan
    net, gross = frame["agents_net"].to_numpy(), frame["agents_gross"].to_numpy()
    table.first(
        gross < net - 1e-9,
        mapping["agents_gross"],
        lambda i: f"agents_gross ({gross[i]:g}) is below agents_net ({net[i]:g})",
    )
    for name in ("expected_service_level", "occupancy"):
        values = frame[name].to_numpy()
        table.first(
            values > 1 + 1e-9,
            mapping.get(name, name),
            lambda i, v=values, n=name: f"{n} must be in [0, 1], got {v[i]:g}",
        )
    frame = frame[list(REQUIREMENTS_FRAME_COLUMNS)]
    return ParseResult(sorted_by_queue_and_time(frame), tuple(notes))
