"""Plausibility of a history file: what is legal but suspicious, as warnings (never errors).

Three things a planner wants to hear about before a forecast is built on them:

- **spikes**: an interval whose offered contacts are more than :data:`SPIKE_FACTOR` times the
  queue's :data:`SPIKE_QUANTILE` quantile of offered contacts over its open intervals (those
  with any contacts), e.g. one interval with 10^15 contacts from a broken export. A quantile is
  robust: a few such rows do not move it. Queues with fewer than :data:`SPIKE_MIN_ROWS` such
  intervals are not judged. The forecast leaves spikes out of training (as missing intervals),
  so one bad row cannot inflate a week of requirements.
- **gaps**: no row of a queue for more than :data:`GAP_DAYS` days between two of its rows, e.g. a
  stray row four years after the rest. A stretch of history cut off by gaps with fewer than
  :data:`STRAY_DAYS` days of data, while the queue has a longer one, is *stray*: the forecast
  leaves it out too (else the default forecast start, the day after the history, would follow
  the stray row).
- **fractional counts**: offered, answered, abandoned or answered-within-threshold that are not
  whole numbers (3.5 offered); kept as they are.

Each warning names the file, the rows (as errors do: the header is row 1) and the column.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "GAP_DAYS",
    "ROWS_SHOWN",
    "SPIKE_FACTOR",
    "SPIKE_MIN_ROWS",
    "SPIKE_QUANTILE",
    "STRAY_DAYS",
    "PlausibilityWarning",
    "excluded_rows",
    "history_warnings",
    "without_implausible",
]

#: Tuning knobs (module constants): an interval above SPIKE_FACTOR x the queue's SPIKE_QUANTILE
#: quantile of offered (over intervals with contacts) is a spike.
SPIKE_QUANTILE = 0.95
SPIKE_FACTOR = 10.0
SPIKE_MIN_ROWS = 20
#: A gap: more than GAP_DAYS days without a row of the queue.
GAP_DAYS = 14
#: A stretch between gaps with fewer days of data than this is stray (when a longer one exists).
STRAY_DAYS = 7
#: Rows a warning lists before "and N more".
ROWS_SHOWN = 5

_WHOLE = ("offered", "answered", "abandoned", "answered_within_threshold")


@dataclass(frozen=True)
class PlausibilityWarning:
    """A suspicious but legal pattern in a file: which file, rows and column, and what."""

    kind: str  # "spike", "gap" or "fractional"
    message: str
    file: str | None = None
    rows: tuple[int, ...] = ()
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:ROWS_SHOWN])
            more = len(self.rows) - ROWS_SHOWN
            label = "row" if len(self.rows) == 1 else "rows"
            where.append(f"{label} {shown}" + (f" and {more} more" if more > 0 else ""))
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def located(self, file: str) -> PlausibilityWarning:
        """The same warning with ``file`` (the path) filled in."""
        return PlausibilityWarning(self.kind, self.message, file, self.rows, self.column)


def _spikes(frame: pd.DataFrame) -> np.ndarray:
    offered = frame["offered"].to_numpy(dtype=float)
    out = np.zeros(len(frame), dtype=bool)
    for _, index in frame.groupby("queue", sort=False).indices.items():
        values = offered[index]
        busy = values[values > 0]
        if busy.size < SPIKE_MIN_ROWS:
            continue
        usual = max(float(np.quantile(busy, SPIKE_QUANTILE, method="lower")), 1.0)
        out[index] = values > SPIKE_FACTOR * usual
    return out


def _gaps_and_strays(frame: pd.DataFrame) -> tuple[list[tuple[int, str, pd.Timestamp]], np.ndarray]:
    """Every gap (row index after it, queue, time before it) and the mask of stray rows."""
    gaps: list[tuple[int, str, pd.Timestamp]] = []
    stray = np.zeros(len(frame), dtype=bool)
    limit = pd.Timedelta(days=GAP_DAYS)
    for queue, index in frame.groupby("queue", sort=False).indices.items():
        times = frame["interval_start"].iloc[index]
        order = np.argsort(times.to_numpy(), kind="stable")
        index, times = index[order], times.iloc[order]
        step = times.diff().to_numpy()
        cut = np.flatnonzero(step > limit)
        if not cut.size:
            continue
        for k in cut:
            gaps.append((int(index[k]), str(queue), times.iloc[k - 1]))
        bounds = [0, *cut.tolist(), len(index)]
        days = [times.iloc[a:b].dt.date.nunique() for a, b in itertools.pairwise(bounds)]
        if max(days) >= STRAY_DAYS:
            for (a, b), n in zip(itertools.pairwise(bounds), days, strict=True):
                if n < STRAY_DAYS:
                    stray[index[a:b]] = True
    return gaps, stray


def excluded_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows of a history frame the forecast leaves out: spikes and stray stretches."""
    if frame.empty:
        return np.zeros(0, dtype=bool)
    return _spikes(frame) | _gaps_and_strays(frame)[1]


def without_implausible(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The history without the rows :func:`excluded_rows` flags, and a note per kind left out."""
    if frame.empty:
        return frame, ()
    spikes, (_, stray) = _spikes(frame), _gaps_and_strays(frame)
    notes = []
    if spikes.any():
        notes.append(
            f"{int(spikes.sum())} interval(s) far above their queue's usual peak (more than "
            f"{SPIKE_FACTOR:g} x its {100 * SPIKE_QUANTILE:g}th percentile of offered) left out "
            "of the forecast's training, as missing intervals"
        )
    if (stray & ~spikes).any():
        notes.append(
            f"{int((stray & ~spikes).sum())} stray row(s), cut off from the rest of their "
            f"queue's history by a gap of more than {GAP_DAYS} days, left out of the forecast"
        )
    keep = ~(spikes | stray)
    return frame[keep].reset_index(drop=True), tuple(notes)


def history_warnings(
    frame: pd.DataFrame,
    lines: np.ndarray,
    source: str | None,
    columns: Mapping[str, str] | None = None,
) -> tuple[PlausibilityWarning, ...]:
    """The plausibility warnings of a parsed history file, one per kind.

    Parameters
    ----------
    frame
        The history frame (any row order).
    lines
        The file row of each row of ``frame`` (the header is row 1).
    source
        The file name.
    columns
        Our column names to the file's (for the column the warning names).
    """
    if frame.empty:
        return ()
    columns = {k: v for k, v in (columns or {}).items() if not v.startswith("__")}
    lines = np.asarray(lines)
    out = []

    def rows(mask: np.ndarray) -> tuple[int, ...]:
        return tuple(sorted(int(r) for r in lines[mask]))

    spikes = _spikes(frame)
    if spikes.any():
        offered = frame["offered"].to_numpy(dtype=float)
        queues = sorted(set(frame.loc[spikes, "queue"].astype(str)))
        out.append(
            PlausibilityWarning(
                "spike",
                f"{int(spikes.sum())} interval(s) of {', '.join(queues)} with offered far above "
                f"the queue's usual peak (more than {SPIKE_FACTOR:g} x its "
                f"{100 * SPIKE_QUANTILE:g}th percentile; the largest {offered[spikes].max():g}): "
                "left out of the forecast's training",
                source,
                rows(spikes),
                columns.get("offered", "offered"),
            )
        )
    gaps, stray = _gaps_and_strays(frame)
    if gaps:
        times = frame["interval_start"]
        described = []
        for i, queue, before in gaps[:3]:
            after = times.iloc[i]
            described.append(
                f"{queue}: nothing from {before:%Y-%m-%d} to {after:%Y-%m-%d} "
                f"({(after - before).days} days)"
            )
        more = f"; and {len(gaps) - 3} more" if len(gaps) > 3 else ""
        left_out = (
            f"; {int(stray.sum())} stray row(s) cut off from the rest are left out of the forecast"
            if stray.any()
            else ""
        )
        mask = np.zeros(len(frame), dtype=bool)
        mask[[i for i, _, _ in gaps]] = True
        out.append(
            PlausibilityWarning(
                "gap",
                f"the history has {len(gaps)} gap(s) of more than {GAP_DAYS} days "
                f"({'; '.join(described)}{more}){left_out}",
                source,
                rows(mask | stray),
                columns.get("interval_start", "interval_start"),
            )
        )
    fractional = np.zeros(len(frame), dtype=bool)
    named = []
    for name in _WHOLE:
        values = frame[name].to_numpy(dtype=float)
        bad = ~np.isnan(values) & (np.abs(values - np.round(values)) > 1e-9)
        if bad.any():
            fractional |= bad
            named.append(columns.get(name, name))
    if fractional.any():
        out.append(
            PlausibilityWarning(
                "fractional",
                f"{int(fractional.sum())} row(s) with counts that are not whole numbers "
                f"(in {', '.join(named)}); read as they are",
                source,
                rows(fractional),
                named[0] if len(named) == 1 else None,
            )
        )
    return tuple(out)
