"""Parse and validate the CSV inputs: history/actuals, forecast, requirements, agents.

Pure functions: each takes the CSV *text* (or a frame of strings, as a CSV reader gives) and a
``source`` name used in error messages, and returns a :class:`ParseResult` holding the validated
tidy frame and the notes worth telling the user (ignored columns, recognised ACD headers, inferred
interval length, fall-back hours resolved). Reading the file is :mod:`wfm.io.tables`.

Every problem raises :class:`~wfm.errors.InputError` naming the source, the row (the line a text
editor shows: the header is line 1, the first data row line 2) and the column as it is spelled in
the file.

Times
-----
``interval_start`` is read as ISO 8601 (``2026-08-31 09:15``, ``2026-08-31T09:15:00+01:00``, ``Z``).
Times with an offset are absolute. Times without are the site's local clock: on a spring-forward
day the skipped local hour does not exist (an error naming the row); on a fall-back day the
repeated hour occurs twice per queue, and the first occurrence in the file is taken as the earlier
(summer-time) instant and the second as the later one, so a fall-back day has 100 quarter-hours.
A repeated local time that occurs only once is taken as the earlier instant, with a note.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.config import CHANNELS, Queue, ShiftTemplate, clock_to_minutes
from wfm.errors import InputError
from wfm.schemas import (
    AGENTS_OPTIONAL,
    AGENTS_REQUIRED,
    FORECAST_COLUMNS,
    FORECAST_OPTIONAL,
    HISTORY_FRAME_COLUMNS,
    HISTORY_OPTIONAL,
    HISTORY_REQUIRED,
    REQUIREMENTS_COLUMNS,
    REQUIREMENTS_FRAME_COLUMNS,
)

__all__ = [
    "HISTORY_ALIASES",
    "ParseResult",
    "parse_agents",
    "parse_forecast",
    "parse_history",
    "parse_requirements",
]

assert set(HISTORY_FRAME_COLUMNS) == {*HISTORY_REQUIRED, *HISTORY_OPTIONAL}

#: Common ACD export headers, normalised (lower case, runs of other characters as ``_``), that
#: mean one of our columns. ``answered_within_<N>s`` is recognised separately.
HISTORY_ALIASES: Mapping[str, tuple[str, ...]] = {
    "interval_start": (
        "interval_start",
        "interval_start_time",
        "interval_begin",
        "interval",
        "start_time",
        "start",
        "datetime",
        "date_time",
        "timestamp",
        "period_start",
        "interval_datetime",
    ),
    "queue": (
        "queue",
        "queue_name",
        "skill",
        "skill_name",
        "split",
        "split_skill",
        "split_skill_name",
        "service",
        "service_type",
        "workgroup",
    ),
    "channel": ("channel", "media_type", "media", "media_channel", "contact_type"),
    "interval_minutes": (
        "interval_minutes",
        "interval_min",
        "interval_length",
        "interval_length_min",
        "interval_length_minutes",
    ),
    "offered": (
        "offered",
        "calls_offered",
        "contacts_offered",
        "interactions_offered",
        "offered_calls",
        "offered_contacts",
        "offered_interactions",
        "volume",
        "calls",
        "contacts",
        "inbound_calls",
    ),
    "answered": (
        "answered",
        "handled",
        "calls_answered",
        "calls_handled",
        "contacts_answered",
        "contacts_handled",
        "interactions_handled",
        "interactions_answered",
        "answered_calls",
        "handled_calls",
        "handled_contacts",
        "acd_calls",
    ),
    "abandoned": (
        "abandoned",
        "abandons",
        "calls_abandoned",
        "contacts_abandoned",
        "interactions_abandoned",
        "abandoned_calls",
        "aban_calls",
    ),
    "answered_within_threshold": (
        "answered_within_threshold",
        "answered_within_sl",
        "answered_in_sl",
        "answered_within_service_level",
        "calls_answered_within_sl",
        "handled_within_sl",
        "within_sl",
    ),
    "handle_time_total_sec": (
        "handle_time_total_sec",
        "handle_time_total",
        "total_handle_time",
        "total_handle_time_sec",
        "total_handle_time_seconds",
        "total_handle_time_s",
        "handle_time_sec_total",
    ),
    "aht_sec": (
        "aht_sec",
        "aht",
        "aht_seconds",
        "aht_s",
        "average_handle_time",
        "average_handle_time_sec",
        "average_handle_time_seconds",
        "avg_handle_time",
        "avg_handle_time_sec",
        "avg_handle_time_seconds",
    ),
    "abandoned_within_threshold": (
        "abandoned_within_threshold",
        "short_abandons",
        "abandoned_short",
        "abandoned_within_sl",
        "short_abandoned_calls",
    ),
    "wait_time_answered_total_sec": (
        "wait_time_answered_total_sec",
        "total_wait_time_answered",
        "total_answer_wait_time",
        "total_answer_wait_time_sec",
        "total_answer_wait_time_seconds",
        "answer_wait_time_total_sec",
        "total_queue_time_answered",
        "total_speed_of_answer",
    ),
    "asa_sec": (
        "asa_sec",
        "asa",
        "asa_seconds",
        "average_speed_of_answer",
        "avg_speed_of_answer",
        "average_speed_of_answer_sec",
    ),
    "staffed_agents": (
        "staffed_agents",
        "staffed",
        "agents_staffed",
        "staffed_positions",
        "avg_staffed",
        "avg_staffed_agents",
        "logged_in_agents",
        "agents_logged_in",
    ),
}
_WITHIN_N = re.compile(r"^(?:calls_)?(?:answered|handled)_(?:within|in)_(\d+)_?(?:s|sec|seconds)$")
_DATE_COLUMNS = ("date", "interval_date", "day")
_CHANNEL_ALIASES = {
    "phone": "voice",
    "telephone": "voice",
    "telephony": "voice",
    "call": "voice",
    "calls": "voice",
    "inbound": "voice",
    "webchat": "chat",
    "web_chat": "chat",
    "messaging": "chat",
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "back_office": "backoffice",
    "back office": "backoffice",
    "back-office": "backoffice",
}
_COUNTS = (
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "staffed_agents",
    "abandoned_within_threshold",
)
_DURATIONS = ("handle_time_total_sec", "aht_sec", "wait_time_answered_total_sec", "asa_sec")
_ISO = re.compile(
    r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?:[T ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<frac>\d{1,9}))?)?)"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")


@dataclass(frozen=True)
class ParseResult:
    """A validated frame and the notes for the user (ignored columns, recognised headers, ...).

    Unpacks as ``frame, notes = parse_history(...)``.
    """

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.frame, self.notes))


# --------------------------------------------------------------------------- table reading


@dataclass
class _Table:
    """A CSV as strings: the columns as the file spells them and the line of every record."""

    source: str | None
    header: list[str]
    data: pd.DataFrame  # columns = header (unique), every cell a stripped str
    lines: np.ndarray  # editor line number of each record

    def error(self, message: str, index: int | None = None, column: str | None = None) -> None:
        row = None if index is None else int(self.lines[index])
        raise InputError(message, file=self.source, row=row, column=column)

    def first(self, mask: np.ndarray | pd.Series, column: str | None, message) -> None:
        """Raise for the first True of ``mask``; ``message(i)`` builds the text for record i."""
        hits = np.flatnonzero(np.asarray(mask, dtype=bool))
        if hits.size:
            i = int(hits[0])
            more = f" (and {hits.size - 1} more rows)" if hits.size > 1 else ""
            self.error(message(i) + more, i, column)


def _read_table(text: str | pd.DataFrame, source: str | None) -> _Table:
    if isinstance(text, pd.DataFrame):
        header = [str(c).strip() for c in text.columns]
        data = text.astype(object).where(text.notna(), "").astype(str)
        data = data.apply(lambda col: col.str.strip())
        data.columns = header
        lines = np.arange(2, len(data) + 2)
        table = _Table(source, header, data.reset_index(drop=True), lines)
    else:
        if not isinstance(text, str):
            raise TypeError(f"expected CSV text or a DataFrame, got {type(text).__name__}")
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        header: list[str] | None = None
        header_line = 1
        records: list[list[str]] = []
        lines_list: list[int] = []
        last = 0
        try:
            for record in reader:
                start, last = last + 1, reader.line_num
                if not record or all(not cell.strip() for cell in record):
                    continue
                if header is None:
                    header, header_line = [c.strip() for c in record], start
                    continue
                if len(record) != len(header):
                    raise InputError(
                        f"{len(record)} fields but the header has {len(header)}",
                        file=source,
                        row=start,
                    )
                records.append(record)
                lines_list.append(start)
        except csv.Error as err:
            raise InputError(f"not valid CSV: {err}", file=source, row=reader.line_num) from None
        if header is None:
            raise InputError("the file is empty (no header row)", file=source)
        seen: dict[str, int] = {}
        for name in header:
            if not name:
                continue
            if name in seen:
                raise InputError(
                    "the column appears twice", file=source, row=header_line, column=name
                )
            seen[name] = 1
        frame = pd.DataFrame(records, columns=header, dtype=object) if records else None
        if frame is None:
            frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in header})
        frame = frame.apply(lambda col: col.str.strip()) if len(frame) else frame
        table = _Table(source, header, frame, np.asarray(lines_list, dtype=np.int64))
    if not len(table.data):
        raise InputError("the file has a header but no data rows", file=source)
    return table


def _normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _map_columns(
    table: _Table,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    notes: list[str],
    header_row: int = 1,
) -> tuple[dict[str, str], dict[str, int]]:
    """Map our column names to the file's columns; note the ignored ones.

    Returns ``{ours: theirs}`` and the thresholds found in ``answered_within_<N>s`` headers.
    """
    lookup = {alias: ours for ours, names in aliases.items() for alias in names}
    mapping: dict[str, str] = {}
    thresholds: dict[str, int] = {}
    ignored = []
    for name in table.header:
        if not name:
            continue
        key = _normalise(name)
        ours = lookup.get(key)
        if ours is None and "answered_within_threshold" in aliases:
            match = _WITHIN_N.match(key)
            if match:
                ours = "answered_within_threshold"
                thresholds[name] = int(match.group(1))
        if ours is None:
            ignored.append(name)
            continue
        if ours in mapping:
            raise InputError(
                f"columns '{mapping[ours]}' and '{name}' both mean '{ours}'; keep one",
                file=table.source,
                row=header_row,
                column=name,
            )
        mapping[ours] = name
    if "interval_start" in required:
        _combine_date_and_time(table, mapping)
    missing = [c for c in required if c not in mapping]
    if missing:
        raise InputError(
            f"missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)} (the file has: {', '.join(table.header)})",
            file=table.source,
            row=header_row,
            column=missing[0],
        )
    renamed = [
        f"'{theirs}' as {ours}"
        for ours, theirs in mapping.items()
        if theirs != ours and theirs not in thresholds and theirs != "__date_time__"
    ]
    if renamed:
        notes.append(f"{table.source or 'input'}: read {', '.join(renamed)}")
    ignored = [c for c in ignored if c not in mapping.values() and c != "__date_time__"]
    if ignored:
        notes.append(
            f"{table.source or 'input'}: ignored column{'s' if len(ignored) > 1 else ''} "
            f"{', '.join(repr(c) for c in ignored)}"
        )
    return mapping, thresholds


def _combine_date_and_time(table: _Table, mapping: dict[str, str]) -> None:
    """ACD exports often split the interval into a ``Date`` and a ``Time`` column: join them."""
    by_key = {_normalise(c): c for c in table.header if c}
    date_col = next((by_key[k] for k in _DATE_COLUMNS if k in by_key), None)
    time_col = mapping.get("interval_start") or next(
        (by_key[k] for k in ("time", "interval_time") if k in by_key), None
    )
    if date_col and time_col and table.data[time_col].str.match(_TIME_ONLY).all():
        table.data["__date_time__"] = table.data[date_col] + " " + table.data[time_col]
        mapping["interval_start"] = "__date_time__"
        table.header.append("__date_time__")


# --------------------------------------------------------------------------- value parsing


def _numbers(table: _Table, column: str, *, required: bool = False, durations: bool = False):
    """The column as float64 (NaN where empty); errors for text, infinities and empty required."""
    raw = table.data[column]
    if durations:
        raw = raw.map(_hms_to_seconds)
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    empty = (raw == "").to_numpy()
    if required:
        table.first(empty, column, lambda i: "a value is required here")
    bad = (~empty & ~np.isfinite(values.to_numpy())).astype(bool)
    table.first(bad, column, lambda i: f"expected a number, got {table.data[column].iloc[i]!r}")
    return values.to_numpy()


def _hms_to_seconds(value: str) -> str:
    """``"0:03:05"`` / ``"03:05"`` (H:MM:SS or MM:SS) as seconds; other text unchanged."""
    if ":" not in value:
        return value
    match = _HMS.match(value)
    if not match:
        return value
    hours = int(match.group(1) or 0)
    return str(hours * 3600 + int(match.group(2)) * 60 + float(match.group(3)))


def _parse_times(
    table: _Table, column: str, queue: np.ndarray, tz: str, notes: list[str]
) -> pd.DatetimeIndex:
    """ISO 8601 strings -> tz-aware times in ``tz`` (see the module docstring for DST)."""
    raw = table.data[column]
    parts = raw.str.extract(_ISO)
    table.first(
        parts["year"].isna().to_numpy(),
        column,
        lambda i: (
            f"cannot read {raw.iloc[i]!r} as a date and time; "
            "use ISO 8601, e.g. 2026-08-31 09:15 or 2026-08-31T09:15:00+01:00"
        ),
    )
    fields = {
        k: pd.to_numeric(parts[k].fillna("0"))
        for k in ("year", "month", "day", "hour", "minute", "second")
    }
    frac = parts["frac"].fillna("0").map(lambda s: int(s.ljust(9, "0")[:9])).astype("int64")
    naive = pd.to_datetime(pd.DataFrame(fields), errors="coerce")
    table.first(
        naive.isna().to_numpy(), column, lambda i: f"{raw.iloc[i]!r} is not a valid date and time"
    )
    naive = naive + pd.to_timedelta(frac, unit="ns")
    offset = parts["tz"].fillna("")
    has_offset = (offset != "").to_numpy()
    result = pd.Series(pd.NaT, index=raw.index, dtype=f"datetime64[ns, {tz}]")
    if has_offset.any():
        off = offset[has_offset]
        sign = np.where(off.str[0] == "-", -1, 1)
        digits = off.str.replace(r"[^0-9]", "", regex=True)
        hh = pd.to_numeric(digits.str[:2].where(off != "Z", "0"))
        mm = pd.to_numeric(digits.str[2:4].replace("", "0").where(off != "Z", "0"))
        minutes = sign * (hh * 60 + mm)
        utc = naive[has_offset] - pd.to_timedelta(minutes, unit="min")
        result[has_offset] = utc.dt.tz_localize("UTC").dt.tz_convert(tz)
    local = ~has_offset
    if local.any():
        result[local] = _localize(table, column, naive[local], queue[local], tz, notes)
    return pd.DatetimeIndex(result)


def _localize(
    table: _Table, column: str, naive: pd.Series, queue: np.ndarray, tz: str, notes: list[str]
) -> pd.Series:
    """Localise naive local clock times; resolve the fall-back hour by order of appearance."""
    index = naive.index
    probe = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    gap = naive.dt.tz_localize(tz, ambiguous=np.ones(len(naive), bool), nonexistent="NaT").isna()
    positions = index.to_numpy()
    table.first(
        np.isin(np.arange(len(table.data)), positions[gap.to_numpy()]),
        column,
        lambda i: (
            f"local time {table.data[column].iloc[i]!r} does not exist in {tz} "
            "(the clocks go forward then); give the time with its UTC offset or fix the row"
        ),
    )
    ambiguous = probe.isna().to_numpy() & ~gap.to_numpy()
    first_occurrence = np.ones(len(naive), dtype=bool)  # True = the earlier (summer-time) instant
    if ambiguous.any():
        amb = pd.DataFrame({"q": queue[ambiguous], "t": naive[ambiguous].to_numpy()})
        rank = amb.groupby(["q", "t"], sort=False).cumcount().to_numpy()
        count = amb.groupby(["q", "t"], sort=False)["t"].transform("size").to_numpy()
        over = np.zeros(len(table.data), dtype=bool)
        over[positions[ambiguous][rank >= 2]] = True
        table.first(
            over,
            column,
            lambda i: (
                f"duplicate interval: local time {table.data[column].iloc[i]!r} "
                "appears more than twice for this queue (a fall-back day repeats it only twice)"
            ),
        )
        first_occurrence[np.flatnonzero(ambiguous)] = rank == 0
        singles = int((count == 1).sum())
        if singles:
            notes.append(
                f"{table.source or 'input'}: {singles} local time(s) in the repeated hour of a "
                f"fall-back day appear once; taken as the first (summer-time) occurrence"
            )
    return naive.dt.tz_localize(tz, ambiguous=first_occurrence, nonexistent="raise")


def _channels(table: _Table, column: str) -> np.ndarray:
    raw = table.data[column]
    lowered = raw.str.lower().map(lambda v: _CHANNEL_ALIASES.get(v, v))
    bad = ~lowered.isin([*CHANNELS, ""])
    table.first(
        bad.to_numpy(),
        column,
        lambda i: f"unknown channel {raw.iloc[i]!r}; use one of {', '.join(CHANNELS)}",
    )
    return lowered.to_numpy(dtype=object)


def _queue_channels(queues: Iterable[Queue] | Iterable[str] | None) -> dict[str, str | None] | None:
    if queues is None:
        return None
    out: dict[str, str | None] = {}
    for q in queues:
        if isinstance(q, Queue):
            out[q.name] = q.channel
        else:
            out[str(q)] = None
    return out


def _interval_minutes(
    table: _Table,
    mapping: dict[str, str],
    given: int | None,
    starts: pd.DatetimeIndex,
    queue: np.ndarray,
    notes: list[str],
) -> int:
    """The one interval length of the file: the column, else the argument, else inferred."""
    if "interval_minutes" in mapping:
        column = mapping["interval_minutes"]
        values = _numbers(table, column, required=True)
        table.first(
            (values <= 0) | (values != np.round(values)) | (60 % np.maximum(values, 1) != 0),
            column,
            lambda i: (
                f"interval_minutes must be a whole number that divides an hour "
                f"(5, 10, 15, 20, 30, 60), got {table.data[column].iloc[i]!r}"
            ),
        )
        expected = given if given is not None else int(values[0])
        table.first(
            values != expected,
            column,
            lambda i: (
                f"interval_minutes {values[i]:g} differs from "
                + (f"the site's {given}" if given is not None else f"the first row's {expected}")
            ),
        )
        return int(expected)
    if given is not None:
        if given <= 0 or 60 % given:
            raise InputError(f"interval_minutes must divide an hour, got {given}")
        return int(given)
    order = np.lexsort((starts.asi8, queue))
    steps = np.diff(starts.asi8[order]) // 60_000_000_000
    same = queue[order][1:] == queue[order][:-1]
    steps = steps[same & (steps > 0)]
    inferred = int(steps.min()) if steps.size else 15
    if inferred <= 0 or 60 % inferred:
        inferred = math.gcd(inferred, 60) or 15
    notes.append(
        f"{table.source or 'input'}: no interval_minutes column; {inferred} minutes "
        "inferred from the timestamps"
    )
    return inferred


def _check_grid(table: _Table, column: str, starts: pd.DatetimeIndex, minutes: int) -> None:
    off = (
        (starts.minute % minutes != 0)
        | (starts.second != 0)
        | (starts.microsecond != 0)
        | (starts.nanosecond != 0)
    )
    table.first(
        off,
        column,
        lambda i: (
            f"{table.data[column].iloc[i]!r} is not on the {minutes}-minute grid "
            f"(interval starts must be at whole multiples of {minutes} minutes)"
        ),
    )


def _check_duplicates(table: _Table, column: str, queue: np.ndarray, starts: pd.DatetimeIndex):
    keys = pd.DataFrame({"q": queue, "t": starts.asi8})
    dup = keys.duplicated(keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        earlier = np.flatnonzero((keys["q"] == keys["q"][i]) & (keys["t"] == keys["t"][i]))[0]
        table.error(
            f"duplicate interval: queue {queue[i]!r} at {starts[i].isoformat()} is already on "
            f"row {int(table.lines[earlier])}",
            i,
            column,
        )


def _queue_column(
    table: _Table, column: str, known: dict[str, str | None] | None, what: str = "queue"
) -> np.ndarray:
    raw = table.data[column]
    table.first((raw == "").to_numpy(), column, lambda i: f"the {what} name is empty")
    if known is not None:
        table.first(
            (~raw.isin(list(known))).to_numpy(),
            column,
            lambda i: (
                f"queue {raw.iloc[i]!r} is not in the configuration (queues: {', '.join(known)})"
            ),
        )
    return raw.to_numpy(dtype=object)


def _fill_channel(
    table: _Table,
    mapping: dict[str, str],
    queue: np.ndarray,
    known: dict[str, str | None] | None,
) -> np.ndarray:
    configured = np.array([(known or {}).get(q) or "" for q in queue], dtype=object)
    if "channel" in mapping:
        column = mapping["channel"]
        channel = _channels(table, column)
        table.first(
            (configured != "") & (channel != "") & (channel != configured),
            column,
            lambda i: (
                f"queue {queue[i]!r} is {configured[i]} in the configuration but {channel[i]} here"
            ),
        )
        channel = np.where(channel == "", configured, channel)
    else:
        channel = configured
    return np.where(channel == "", "voice", channel).astype(object)


# --------------------------------------------------------------------------- history


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
        only the AHT is given. ``notes`` lists recognised and ignored columns and inferences.

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
    table = _read_table(text, source)
    aliases = dict(HISTORY_ALIASES)
    mapping, thresholds = _map_columns(table, aliases, HISTORY_REQUIRED, notes)
    known = _queue_channels(queues)
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

    queue = _queue_column(table, mapping["queue"], known)
    channel = _fill_channel(table, mapping, queue, known)
    time_col = mapping["interval_start"]
    starts = _parse_times(table, time_col, queue, timezone, notes)
    minutes = _interval_minutes(table, mapping, interval_minutes, starts, queue, notes)
    _check_grid(table, time_col, starts, minutes)
    _check_duplicates(table, time_col, queue, starts)

    values: dict[str, np.ndarray] = {}
    for name in (*_COUNTS, *_DURATIONS):
        if name in mapping:
            column = mapping[name]
            values[name] = _numbers(
                table, column, required=name == "offered", durations=name in _DURATIONS
            )
            table.first(
                values[name] < 0,
                column,
                lambda i, c=column, n=name: (
                    f"{n} must not be negative, got {table.data[c].iloc[i]!r}"
                ),
            )
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
    base = np.where(np.isnan(answered), offered, answered)
    table.first(
        within > base,
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
    # Contacts that had a handle time: answered when known, else offered.
    served = np.where(np.isnan(answered), offered, answered)
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
    frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    return ParseResult(frame, tuple(notes))


# --------------------------------------------------------------------------- forecast etc.


def _parse_planning_frame(
    text: str | pd.DataFrame,
    source: str | None,
    *,
    required: Sequence[str],
    numeric: Sequence[str],
    optional: Sequence[str],
    timezone: str,
    interval_minutes: int | None,
    queues: Iterable[Queue] | Iterable[str] | None,
) -> tuple[_Table, dict[str, str], pd.DataFrame, list[str]]:
    """Shared part of the forecast and requirements parsers (our own files: exact names)."""
    notes: list[str] = []
    table = _read_table(text, source)
    aliases = {c: (c,) for c in (*required, *optional)}
    mapping, _ = _map_columns(table, aliases, required, notes)
    known = _queue_channels(queues)
    queue = _queue_column(table, mapping["queue"], known)
    channel = _fill_channel(table, mapping, queue, known)
    if "channel" in mapping:
        table.first(
            (table.data[mapping["channel"]] == "").to_numpy(),
            mapping["channel"],
            lambda i: "the channel is empty",
        )
    starts = _parse_times(table, mapping["interval_start"], queue, timezone, notes)
    minutes = _interval_minutes(table, mapping, interval_minutes, starts, queue, notes)
    _check_grid(table, mapping["interval_start"], starts, minutes)
    _check_duplicates(table, mapping["interval_start"], queue, starts)
    out = {
        "interval_start": starts,
        "queue": pd.array(queue, dtype=object),
        "channel": pd.array(channel, dtype=object),
        "interval_minutes": np.full(len(table.data), minutes, dtype=np.int64),
    }
    for name in numeric:
        if name in mapping:
            values = _numbers(table, mapping[name], required=name in required)
            table.first(
                values < 0,
                mapping[name],
                lambda i, n=name: (
                    f"{n} must not be negative, got {table.data[mapping[n]].iloc[i]!r}"
                ),
            )
            out[name] = values
    return table, mapping, pd.DataFrame(out), notes


def parse_forecast(
    text: str | pd.DataFrame,
    source: str | None = "forecast.csv",
    *,
    timezone: str,
    interval_minutes: int | None = None,
    queues: Iterable[Queue] | Iterable[str] | None = None,
) -> ParseResult:
    """Validate a forecast CSV: ``interval_start, queue, channel, offered, aht_sec``.

    Optional ``interval_minutes``, ``offered_lo``, ``offered_hi`` (the prediction interval on
    volume) and ``model``. Checks as :func:`parse_history` (times, grid, duplicates, channel,
    queue), plus: counts and AHT numeric and >= 0, AHT > 0 where volume is > 0, and
    ``offered_lo <= offered <= offered_hi`` (to 1e-6).

    Returns
    -------
    ParseResult
        Frame with ``interval_start, queue, channel, interval_minutes, offered, aht_sec`` and the
        optional columns present, sorted by queue and interval_start.
    """
    numeric = ("offered", "aht_sec", "offered_lo", "offered_hi")
    table, mapping, frame, notes = _parse_planning_frame(
        text,
        source,
        required=FORECAST_COLUMNS,
        numeric=numeric,
        optional=FORECAST_OPTIONAL,
        timezone=timezone,
        interval_minutes=interval_minutes,
        queues=queues,
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
    frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    return ParseResult(frame, tuple(notes))


def parse_requirements(
    text: str | pd.DataFrame,
    source: str | None = "requirements.csv",
    *,
    timezone: str,
    interval_minutes: int | None = None,
    queues: Iterable[Queue] | Iterable[str] | None = None,
) -> ParseResult:
    """Validate a requirements CSV (the columns of :data:`wfm.schemas.REQUIREMENTS_COLUMNS`).

    ``expected_service_level``, ``expected_asa_sec`` and ``occupancy`` may be empty (NaN, e.g.
    for deferrable channels); the other numbers are required. Checks: all numbers >= 0,
    ``agents_gross >= agents_net`` (shrinkage only adds), service level and occupancy in
    [0, 1], plus the time/grid/duplicate/channel/queue checks of :func:`parse_history`.
    """
    numeric = REQUIREMENTS_COLUMNS[3:]
    optional_values = ("expected_service_level", "expected_asa_sec", "occupancy")
    required = tuple(c for c in REQUIREMENTS_COLUMNS if c not in optional_values)
    table, mapping, frame, notes = _parse_planning_frame(
        text,
        source,
        required=required,
        numeric=numeric,
        optional=(*optional_values, "interval_minutes"),
        timezone=timezone,
        interval_minutes=interval_minutes,
        queues=queues,
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
    frame = frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
    return ParseResult(frame, tuple(notes))


# --------------------------------------------------------------------------- agents

#: Output column order of an agents frame.
AGENTS_FRAME_COLUMNS = (
    "agent_id",
    "name",
    "skills",
    "team",
    "min_hours_week",
    "max_hours_week",
    "cost_per_hour",
    "available_days",
    "available_from_min",
    "available_until_min",
    "preferred_shifts",
    "preferred_days_off",
    "contract",
)
_DAY_LOOKUP = {d.lower(): d for d in DAY_NAMES} | {
    full: d
    for full, d in zip(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        DAY_NAMES,
        strict=True,
    )
}


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split("|") if p.strip())


def _days(table: _Table, i: int, column: str, value: str) -> tuple[str, ...]:
    days = []
    for part in _split(value):
        day = _DAY_LOOKUP.get(part.lower())
        if day is None:
            table.error(f"unknown day {part!r}; use {'|'.join(DAY_NAMES)}", i, column)
        if day not in days:
            days.append(day)
    return tuple(sorted(days, key=DAY_NAMES.index))


def parse_agents(
    text: str | pd.DataFrame,
    source: str | None = "agents.csv",
    *,
    queues: Iterable[Queue] | Iterable[str] | None = None,
    shifts: Iterable[ShiftTemplate] | Iterable[str] | None = None,
) -> ParseResult:
    """Validate the agents CSV into one row per agent.

    Columns: ``agent_id, name, skills`` (queue names separated by ``|``, or ``*`` for a
    universal agent), ``team, min_hours_week, max_hours_week, cost_per_hour``; optional
    ``available_days`` ("Mon|Tue|..."; empty = every day), ``available_from`` and
    ``available_until`` ("HH:MM", the window within which the agent's shifts must start and end;
    empty = 00:00 and 24:00), ``preferred_shifts`` (shift template names, ``|``-separated),
    ``preferred_days_off`` (day names), ``contract`` (a label, e.g. "full-time").

    Returns
    -------
    ParseResult
        Frame with ``agent_id, name, team, contract`` (str), ``skills, available_days,
        preferred_shifts, preferred_days_off`` (tuples; ``("*",)`` = universal),
        ``min_hours_week, max_hours_week, cost_per_hour`` (float64) and ``available_from_min,
        available_until_min`` (int minutes after local midnight), in file order.

    Raises
    ------
    InputError
        For a missing column, an empty or repeated agent_id, empty skills, a skill that is not a
        configured queue (when ``queues`` is given), a preferred shift that is not a template
        (when ``shifts`` is given), hours or cost that are not numbers or are negative,
        min_hours_week > max_hours_week, more than 168 hours, an unknown day name, a bad
        clock time or available_from not before available_until.
    """
    notes: list[str] = []
    table = _read_table(text, source)
    aliases = {c: (c,) for c in (*AGENTS_REQUIRED, *AGENTS_OPTIONAL)}
    mapping, _ = _map_columns(table, aliases, AGENTS_REQUIRED, notes)
    data = table.data
    known = _queue_channels(queues)
    shift_names = None
    if shifts is not None:
        shift_names = [s.name if isinstance(s, ShiftTemplate) else str(s) for s in shifts]

    ids = data[mapping["agent_id"]]
    table.first((ids == "").to_numpy(), mapping["agent_id"], lambda i: "agent_id is empty")
    dup = ids.duplicated().to_numpy()
    table.first(
        dup,
        mapping["agent_id"],
        lambda i: (
            f"agent_id {ids.iloc[i]!r} is already on row "
            f"{int(table.lines[int(np.flatnonzero((ids == ids.iloc[i]).to_numpy())[0])])}"
        ),
    )
    numbers = {}
    for name in ("min_hours_week", "max_hours_week", "cost_per_hour"):
        numbers[name] = _numbers(table, mapping[name], required=True)
        table.first(
            numbers[name] < 0,
            mapping[name],
            lambda i, n=name: f"{n} must not be negative, got {data[mapping[n]].iloc[i]!r}",
        )
    lo, hi = numbers["min_hours_week"], numbers["max_hours_week"]
    table.first(
        lo > hi,
        mapping["min_hours_week"],
        lambda i: f"min_hours_week ({lo[i]:g}) is above max_hours_week ({hi[i]:g})",
    )
    table.first(
        hi > 168,
        mapping["max_hours_week"],
        lambda i: f"max_hours_week ({hi[i]:g}) is more than the 168 hours of a week",
    )

    skills, days, starts, ends, preferred, days_off = [], [], [], [], [], []
    for i in range(len(data)):
        row_skills = _split(data[mapping["skills"]].iloc[i])
        if not row_skills:
            table.error(
                "skills is empty; list queue names separated by '|', or '*'", i, mapping["skills"]
            )
        if "*" in row_skills and len(row_skills) > 1:
            table.error(
                "'*' (every queue) cannot be combined with queue names", i, mapping["skills"]
            )
        if known is not None and row_skills != ("*",):
            for skill in row_skills:
                if skill not in known:
                    table.error(
                        f"skill {skill!r} is not a configured queue (queues: {', '.join(known)})",
                        i,
                        mapping["skills"],
                    )
        skills.append(row_skills)
        value = data[mapping["available_days"]].iloc[i] if "available_days" in mapping else ""
        row_days = _days(table, i, mapping.get("available_days", ""), value) if value else DAY_NAMES
        days.append(row_days)
        begin, end = 0, 1440
        for key in ("available_from", "available_until"):
            if key in mapping and data[mapping[key]].iloc[i]:
                try:
                    minutes = clock_to_minutes(data[mapping[key]].iloc[i], mapping[key])
                except InputError as err:
                    table.error(err.message, i, mapping[key])
                if key == "available_from":
                    begin = minutes
                else:
                    end = minutes
        if begin >= end:
            table.error(
                "available_from must be before available_until (a window crossing midnight "
                "is not supported; leave both empty for no limit)",
                i,
                mapping.get("available_until", "available_until"),
            )
        starts.append(begin)
        ends.append(end)
        prefs = (
            _split(data[mapping["preferred_shifts"]].iloc[i])
            if "preferred_shifts" in mapping
            else ()
        )
        if shift_names is not None:
            for pref in prefs:
                if pref not in shift_names:
                    table.error(
                        f"preferred shift {pref!r} is not a shift template "
                        f"(shifts: {', '.join(shift_names)})",
                        i,
                        mapping["preferred_shifts"],
                    )
        preferred.append(prefs)
        value = (
            data[mapping["preferred_days_off"]].iloc[i] if "preferred_days_off" in mapping else ""
        )
        days_off.append(_days(table, i, mapping.get("preferred_days_off", ""), value))

    frame = pd.DataFrame(
        {
            "agent_id": ids.to_numpy(dtype=object),
            "name": data[mapping["name"]].to_numpy(dtype=object),
            "skills": pd.Series(skills, dtype=object),
            "team": data[mapping["team"]].to_numpy(dtype=object),
            "min_hours_week": lo,
            "max_hours_week": hi,
            "cost_per_hour": numbers["cost_per_hour"],
            "available_days": pd.Series(days, dtype=object),
            "available_from_min": np.asarray(starts, dtype=np.int64),
            "available_until_min": np.asarray(ends, dtype=np.int64),
            "preferred_shifts": pd.Series(preferred, dtype=object),
            "preferred_days_off": pd.Series(days_off, dtype=object),
            "contract": (
                data[mapping["contract"]].to_numpy(dtype=object)
                if "contract" in mapping
                else np.full(len(data), "", dtype=object)
            ),
        },
        columns=list(AGENTS_FRAME_COLUMNS),
    )
    return ParseResult(frame, tuple(notes))
