"""The history / actuals CSV: an ACD interval export into the tidy history frame."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from wfm.config import Queue
from wfm.parse.aliases import HISTORY_ALIASES
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
from wfm.parse.plausibility import history_warnings
from wfm.parse.table import ParseResult, map_columns, read_table, sorted_by_queue_and_time
from wfm.schemas import HISTORY_FRAME_COLUMNS, HISTORY_OPTIONAL, HISTORY_REQUIRED

__all__ = ["parse_history"]

assert set(HISTORY_FRAME_COLUMNS) == {*HISTORY_REQUIRED, *HISTORY_OPTIONAL}

_COUNTS = (
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "staffed_agents",
    "abandoned_within_threshold",
)
_DURATIONS = ("handle_time_total_sec", "aht_sec", "wait_time_answered_total_sec", "asa_sec")


def parse_history(
    text: str | pd.DataFrame,
    source: str | None = "history.csv",
    *,
    timezone: str,
    interval_minutes: int | None = None,
    queues: Iterable[Queue] | Iterable[str] | None = None,
    zero_aht: str = "error",
) -> ParseResult:
    """Validate an ACD interval export (history or actuals) into the tidy history frame.

    Parameters
    ----------
    text
        The CSV text (or a frame of strings). Required columns ``interval_start, queue,
        offered``; optional ``channel, interval_minutes, answered, abandoned,
        answered_within_threshold, handle_time_total_sec`` or ``aht_sec``, ``staffed_agents``.
        Common ACD headers are recognised case- and punctuation-insensitively
        (:data:`HISTORY_ALIASES`, e.g. "Interval Start", "Calls Offered", "Interactions
        Handled", "Total Handle Time (Seconds)", "answered_within_20s"); a split "Date" +
        "Time" pair is joined. Durations may be seconds or ``H:MM:SS``.
    source
        Name used in error messages (the file name).
    timezone
        The site's time zone: naive times are its local clock.
    interval_minutes
        The site's interval length. When given, an ``interval_minutes`` column must agree with
        it; when None, the column's value is used, else the length is inferred (with a note).
    queues
        The configured queues (:class:`~wfm.config.Queue` objects, or names). When given, every
        queue must be one of them, and the channel, when absent, is the queue's channel.
    zero_aht
        ``"error"`` (default): a zero AHT or handle time with answered contacts is an error.
        ``"missing"``: such rows get NaN handle time, with a note (for real exports where a
        handful of contacts record no talk time).

    Returns
    -------
    ParseResult
        ``frame`` with columns ``interval_start`` (datetime64[ns, timezone]), ``queue``,
        ``channel``, ``interval_minutes`` (int), and float64 ``offered, answered, abandoned,
        answered_within_threshold, handle_time_total_sec, aht_sec, staffed_agents`` (NaN where
        not given), sorted by queue and interval_start, unique per (queue, interval_start).
        ``aht_sec = handle_time_total_sec / answered`` where the total is given and answered > 0
        (NaN where nothing was answered); the total is filled as ``aht_sec * answered`` where
        only the AHT is given. ``notes`` lists recognised and ignored columns and inferences;
        ``warnings`` the legal but suspicious rows (:mod:`wfm.parse.plausibility`: spikes,
        gaps, fractional counts).

    Raises
    ------
    InputError
        Naming source, row and column, for: a missing required column, an unreadable,
        non-existent (spring-forward) or off-grid timestamp, a duplicate (queue, interval), a
        non-numeric or negative count, answered > offered, abandoned > offered,
        answered_within_threshold > answered, zero AHT or handle time with answered contacts,
        an unknown channel or queue, an interval_minutes that does not divide an hour or
        differs between rows.
    """
    if zero_aht not in ("error", "missing"):
        raise ValueError("zero_aht must be 'error' or 'missing'")
    notes: list[str] = []
    table = read_table(text, source)
    aliases = dict(HISTORY_ALIASES)
    mapping, thresholds = map_columns(table, aliases, HISTORY_REQUIRED, notes)
    known = queue_channels(queues)
    for name, seconds in thresholds.items():
        notes.append(
            f"{table.source or 'input'}: '{name}' read as answered_within_threshold "
            f"(threshold {seconds} s)"
        )
        if known and queues is not None:
            differing = [
                q.name
                for q in queues
                if isinstance(q, Queue) and q.threshold_sec != seconds and q.channel != "email"
            ]
            if differing:
                notes.append(
                    f"{table.source or 'input'}: the configured threshold_sec of "
                    f"{', '.join(differing)} differs from the {seconds} s in '{name}'"
                )

    queue = queue_column(table, mapping["queue"], known)
    channel = fill_channel(table, mapping, queue, known)
    time_col = mapping["interval_start"]
    starts = parse_interval_starts(table, time_col, queue, timezone, notes)
    minutes = resolve_interval_minutes(table, mapping, interval_minutes, starts, queue, notes)
    check_grid(table, time_col, starts, minutes)
    check_duplicates(table, time_col, queue, starts)

    values: dict[str, np.ndarray] = {}
    for name in (*_COUNTS, *_DURATIONS):
        if name in mapping:
            column = mapping[name]
            values[name] = number_column(
                table, column, required=name == "offered", durations=name in _DURATIONS
            )
            check_non_negative(table, column, values[name], name)
        else:
            values[name] = np.full(len(table.data), np.nan)

    def col(name: str) -> str:
        return mapping.get(name, name)

    offered, answered = values["offered"], values["answered"]
    table.first(
        answered > offered,
        col("answered"),
        lambda i: f"answered ({answered[i]:g}) is greater than offered ({offered[i]:g})",
    )
    abandoned = values["abandoned"]
    table.first(
        abandoned > offered,
        col("abandoned"),
        lambda i: f"abandoned ({abandoned[i]:g}) is greater than offered ({offered[i]:g})",
    )
    within = values["answered_within_threshold"]
    # Contacts that were served (answered when known, else offered): the bound of the answered
    # within threshold, and the contacts that had a handle time.
    served = np.where(np.isnan(answered), offered, answered)
    table.first(
        within > served,
        col("answered_within_threshold"),
        lambda i: (
            f"answered within threshold ({within[i]:g}) is greater than "
            + (
                f"answered ({answered[i]:g})"
                if not np.isnan(answered[i])
                else f"offered ({offered[i]:g})"
            )
        ),
    )

    short = values["abandoned_within_threshold"]
    table.first(
        short > np.where(np.isnan(abandoned), offered, abandoned),
        col("abandoned_within_threshold"),
        lambda i: f"abandoned within threshold ({short[i]:g}) is greater than abandoned",
    )
    # Actual ASA: the total wait of answered contacts, or ASA x answered.
    wait = values["wait_time_answered_total_sec"]
    wait = np.where(np.isnan(wait), values["asa_sec"] * answered, wait)

    total, aht = values["handle_time_total_sec"], values["aht_sec"]
    zero_total = (total == 0) & (served > 0)
    zero_each = (aht == 0) & (served > 0)
    if zero_aht == "error":
        table.first(
            zero_total,
            col("handle_time_total_sec"),
            lambda i: f"handle time is zero with {served[i]:g} answered contacts",
        )
        table.first(
            zero_each,
            col("aht_sec"),
            lambda i: f"AHT is zero with {served[i]:g} answered contacts",
        )
    else:
        bad = zero_total | zero_each
        if bad.any():
            rows = ", ".join(str(int(r)) for r in table.lines[bad][:10])
            notes.append(
                f"{table.source or 'input'}: zero handle time with answered contacts on "
                f"{int(bad.sum())} row(s) ({rows}{'...' if bad.sum() > 10 else ''}); "
                "their handle time is treated as missing"
            )
            total = np.where(bad, np.nan, total)
            aht = np.where(bad, np.nan, aht)
    with np.errstate(divide="ignore", invalid="ignore"):
        from_total = np.where(answered > 0, total / answered, np.nan)
    if "handle_time_total_sec" in mapping and "aht_sec" in mapping:
        tolerance = np.maximum(1.0, 0.01 * from_total)
        table.first(
            np.abs(aht - from_total) > tolerance,
            mapping["aht_sec"],
            lambda i: (
                f"AHT {aht[i]:g} s disagrees with handle time / answered = {from_total[i]:.1f} s"
            ),
        )
    aht_out = np.where(np.isnan(total), aht, from_total)
    aht_out = np.where(answered == 0, np.nan, aht_out)
    total_out = np.where(np.isnan(total) & (answered >= 0), aht * answered, total)
    total_out = np.where((answered == 0) & np.isnan(total_out), 0.0, total_out)
    if "handle_time_total_sec" not in mapping and "aht_sec" not in mapping:
        total_out = np.full(len(table.data), np.nan)

    frame = pd.DataFrame(
        {
            "interval_start": starts,
            "queue": pd.array(queue, dtype=object),
            "channel": pd.array(channel, dtype=object),
            "interval_minutes": np.full(len(table.data), minutes, dtype=np.int64),
            "offered": offered,
            "answered": answered,
            "abandoned": abandoned,
            "answered_within_threshold": within,
            "handle_time_total_sec": total_out,
            "aht_sec": aht_out,
            "staffed_agents": values["staffed_agents"],
            "abandoned_within_threshold": short,
            "wait_time_answered_total_sec": wait,
        },
        columns=list(HISTORY_FRAME_COLUMNS),
    )
    warnings = history_warnings(frame, table.lines, table.source, mapping)
    return ParseResult(sorted_by_queue_and_time(frame), tuple(notes), warnings)
