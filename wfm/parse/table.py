"""Reading a CSV (text or a frame of strings) into a :class:`Table`, and mapping its headers.

A :class:`Table` keeps every cell as stripped text and the editor line of every record, so each
check that follows can raise :class:`~wfm.errors.InputError` naming the source, the row (the
header is line 1, the first data row line 2) and the column as the file spells it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.parse.aliases import ANSWERED_WITHIN_HEADER

__all__ = [
    "ParseResult",
    "Table",
    "combine_date_and_time",
    "map_columns",
    "normalise_header",
    "read_table",
    "sorted_by_queue_and_time",
]

_DATE_COLUMNS = ("date", "interval_date", "day")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")


@dataclass(frozen=True)
class ParseResult:
    """A validated frame and the notes for the user (ignored columns, recognised headers, ...).

    Unpacks as ``frame, notes = parse_history(...)``. ``warnings`` are the plausibility
    warnings (:mod:`wfm.parse.plausibility`): legal but suspicious rows, worth telling apart.
    """

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()
    warnings: tuple[Any, ...] = ()

    def __iter__(self) -> Iterator[Any]:
        return iter((self.frame, self.notes))


@dataclass
class Table:
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


def read_table(text: str | pd.DataFrame, source: str | None) -> Table:
    """The CSV text (or frame of strings) as a :class:`Table`; errors for unreadable CSV,
    ragged rows, a repeated column and a file without data rows."""
    if isinstance(text, pd.DataFrame):
        header = [str(c).strip() for c in text.columns]
        data = text.astype(object).where(text.notna(), "").astype(str)
        data = data.apply(lambda col: col.str.strip())
        data.columns = header
        lines = np.arange(2, len(data) + 2)
        table = Table(source, header, data.reset_index(drop=True), lines)
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
                    short = len(record) < len(header)
                    raise InputError(
                        f"{len(record)} fields but the header has {len(header)}"
                        + (
                            " (a value is missing)"
                            if short
                            else " (an extra value, or a comma in a value that is not in quotes)"
                        ),
                        file=source,
                        row=start,
                        column=header[len(record)] if short else header[-1],
                    )
                records.append(record)
                lines_list.append(start)
        except csv.Error as err:
            raise InputError(f"not valid CSV: {err}", file=source, row=reader.line_num) from None
        if header is None:
            raise InputError("the file is empty (no header row)", file=source, row=1)
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
        table = Table(source, header, frame, np.asarray(lines_list, dtype=np.int64))
    if not len(table.data):
        raise InputError("the file has a header but no data rows", file=source, row=2)
    return table


def normalise_header(name: str) -> str:
    """Lower case, each other run as ``_`` (``"Calls Offered"`` -> ``calls_offered``)."""
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def map_columns(
    table: Table,
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
        key = normalise_header(name)
        ours = lookup.get(key)
        if ours is None and "answered_within_threshold" in aliases:
            match = ANSWERED_WITHIN_HEADER.match(key)
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
        combine_date_and_time(table, mapping)
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


def combine_date_and_time(table: Table, mapping: dict[str, str]) -> None:
    """ACD exports often split the interval into a ``Date`` and a ``Time`` column: join them."""
    by_key = {normalise_header(c): c for c in table.header if c}
    date_col = next((by_key[k] for k in _DATE_COLUMNS if k in by_key), None)
    time_col = mapping.get("interval_start") or next(
        (by_key[k] for k in ("time", "interval_time") if k in by_key), None
    )
    if date_col and time_col and table.data[time_col].str.match(_TIME_ONLY).all():
        table.data["__date_time__"] = table.data[date_col] + " " + table.data[time_col]
        mapping["interval_start"] = "__date_time__"
        table.header.append("__date_time__")


# --------------------------------------------------------------------------- value parsing


def sorted_by_queue_and_time(frame: pd.DataFrame) -> pd.DataFrame:
    """The order of every parsed interval frame: by queue, then interval_start (stable)."""
    return frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)
