"""Typed columns of a :class:`~wfm.parse.table.Table`: numbers, durations, interval starts on
the site's clock, channels, queues and the interval grid, each checked row by row.

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

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from wfm.config import CHANNELS, Queue
from wfm.errors import InputError
from wfm.parse.aliases import CHANNEL_ALIASES
from wfm.parse.table import Table

__all__ = [
    "channel_column",
    "check_duplicates",
    "check_grid",
    "check_non_negative",
    "fill_channel",
    "hms_to_seconds",
    "localize_local_times",
    "number_column",
    "parse_interval_starts",
    "queue_channels",
    "queue_column",
    "resolve_interval_minutes",
]

_ISO = re.compile(
    r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
    r"(?:[T ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<frac>\d{1,9}))?)?)"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")


def number_column(table: Table, column: str, *, required: bool = False, durations: bool = False):
    """The column as float64 (NaN where empty); errors for text, infinities and empty required."""
    raw = table.data[column]
    if durations:
        raw = raw.map(hms_to_seconds)
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    empty = (raw == "").to_numpy()
    if required:
        table.first(empty, column, lambda i: "a value is required here")
    bad = (~empty & ~np.isfinite(values.to_numpy())).astype(bool)
    table.first(bad, column, lambda i: f"expected a number, got {table.data[column].iloc[i]!r}")
    return values.to_numpy()


def check_non_negative(table: Table, column: str, values: np.ndarray, name: str) -> None:
    """Raise for the first negative value of ``values`` (column ``name``, spelled ``column``)."""
    table.first(
        values < 0,
        column,
        lambda i: f"{name} must not be negative, got {table.data[column].iloc[i]!r}",
    )


def hms_to_seconds(value: str) -> str:
    """``"0:03:05"`` / ``"03:05"`` (H:MM:SS or MM:SS) as seconds; other text unchanged."""
    if ":" not in value:
        return value
    match = _HMS.match(value)
    if not match:
        return value
    hours = int(match.group(1) or 0)
    return str(hours * 3600 + int(match.group(2)) * 60 + float(match.group(3)))


def parse_interval_starts(
    table: Table,
    column: str,
    queue: np.ndarray,
    tz: str,
    notes: list[str],
    *,
    site_offsets: bool = False,
) -> pd.DatetimeIndex:
    """ISO 8601 strings -> tz-aware times in ``tz`` (see the module docstring for DST).

    With ``site_offsets`` a time's UTC offset must be the one ``tz`` has at that instant: files
    that ``wfm`` writes itself (forecast, requirements) are on the site's clock, so another
    offset means a file made for a site in another time zone.
    """
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
        if site_offsets:
            local = result[has_offset].dt.tz_localize(None)
            expected = ((local - utc) / pd.Timedelta(minutes=1)).round().astype("int64")
            wrong = np.zeros(len(raw), dtype=bool)
            wrong[np.flatnonzero(has_offset)] = (expected != minutes).to_numpy()
            table.first(
                wrong,
                column,
                lambda i: (
                    f"{raw.iloc[i]!r} has the UTC offset {offset.iloc[i]}, but {tz} is at "
                    f"{_offset_text(result.iloc[i])} then: the file was made for a site in "
                    "another time zone (check [site] timezone, or make the file again)"
                ),
            )
    local = ~has_offset
    if local.any():
        result[local] = localize_local_times(table, column, naive[local], queue[local], tz, notes)
    return pd.DatetimeIndex(result)


def _offset_text(when: pd.Timestamp) -> str:
    minutes = int(when.utcoffset().total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def localize_local_times(
    table: Table, column: str, naive: pd.Series, queue: np.ndarray, tz: str, notes: list[str]
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


def channel_column(table: Table, column: str) -> np.ndarray:
    """The channels of the column, aliases resolved (empty stays empty); errors for unknown ones."""
    raw = table.data[column]
    lowered = raw.str.lower().map(lambda v: CHANNEL_ALIASES.get(v, v))
    bad = ~lowered.isin([*CHANNELS, ""])
    table.first(
        bad.to_numpy(),
        column,
        lambda i: f"unknown channel {raw.iloc[i]!r}; use one of {', '.join(CHANNELS)}",
    )
    return lowered.to_numpy(dtype=object)


def queue_channels(queues: Iterable[Queue] | Iterable[str] | None) -> dict[str, str | None] | None:
    """``{queue name: its channel}`` (None for a bare name); None when no queues are given."""
    if queues is None:
        return None
    out: dict[str, str | None] = {}
    for q in queues:
        if isinstance(q, Queue):
            out[q.name] = q.channel
        else:
            out[str(q)] = None
    return out


def resolve_interval_minutes(
    table: Table,
    mapping: dict[str, str],
    given: int | None,
    starts: pd.DatetimeIndex,
    queue: np.ndarray,
    notes: list[str],
) -> int:
    """The one interval length of the file: the column, else the argument, else inferred."""
    if "interval_minutes" in mapping:
        column = mapping["interval_minutes"]
        values = number_column(table, column, required=True)
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


def check_grid(table: Table, column: str, starts: pd.DatetimeIndex, minutes: int) -> None:
    """Raise for the first interval start off the ``minutes`` grid."""
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


def check_duplicates(table: Table, column: str, queue: np.ndarray, starts: pd.DatetimeIndex):
    """Raise for the first (queue, interval start) already seen, naming the earlier row."""
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


def queue_column(
    table: Table, column: str, known: dict[str, str | None] | None, what: str = "queue"
) -> np.ndarray:
    """The queue names of the column; errors for an empty one or one not in ``known``."""
    raw = table.data[column]
    table.first((raw == "").to_numpy(), column, lambda i: f"the {what} name is empty")
    if known is not None:
        table.first(
            (~raw.isin(list(known))).to_numpy(),
            column,
            lambda i: (
                f"queue {raw.iloc[i]!r} is not in the configuration "
                + (f"(queues: {', '.join(known)})" if known else "(it has no [[queues]])")
            ),
        )
    return raw.to_numpy(dtype=object)


def fill_channel(
    table: Table,
    mapping: dict[str, str],
    queue: np.ndarray,
    known: dict[str, str | None] | None,
) -> np.ndarray:
    """Each row's channel: the column's, else the queue's configured channel, else voice; errors
    where the column and the configuration disagree."""
    configured = np.array([(known or {}).get(q) or "" for q in queue], dtype=object)
    if "channel" in mapping:
        column = mapping["channel"]
        channel = channel_column(table, column)
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
