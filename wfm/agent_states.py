"""Agent-state logs: staffed agents per interval (time-weighted) and schedule adherence.

An agent-state log has one row per state episode: ``agent_id, state, start, end`` (optionally
``queue``). States are normalised to the names of :data:`KNOWN_STATES` (``"On Contact"``,
``"on-call"`` and ``"talk"`` all become ``on_contact``; ``"ACW"`` and ``"wrap-up"`` become
``after_contact_work``; see :data:`STATE_ALIASES`).

An agent counts as *staffed* while in one of :data:`STAFFED_STATES` (available, on contact,
after-contact work): logged in and working contacts, which is the ``staffed_agents`` of the
actuals contract. Staffing is time-weighted: an agent staffed for 7.5 of the 15 minutes of an
interval counts 0.5.

Everything here is pure (frames in, frames out); reading the file is
:func:`wfm.io.actuals.read_agent_states`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.errors import InputError

__all__ = [
    "ACTIVITY_STATES",
    "AGENT_STATE_COLUMNS",
    "KNOWN_STATES",
    "STAFFED_STATES",
    "STATE_ALIASES",
    "StateLog",
    "adherence_components",
    "normalise_state",
    "parse_agent_states",
    "parse_times",
    "reject_first",
    "spread_over_intervals",
    "staffed_agents",
]

AGENT_STATE_COLUMNS = ("agent_id", "state", "start", "end")

KNOWN_STATES = (
    "available",
    "on_contact",
    "after_contact_work",
    "break",
    "lunch",
    "meeting",
    "training",
    "coaching",
    "aux",
    "offline",
)
#: Logged in and working contacts (idle, talking or wrapping up): counted as staffed.
STAFFED_STATES = frozenset({"available", "on_contact", "after_contact_work"})

#: Other spellings found in ACD exports -> the canonical state.
STATE_ALIASES = {
    "idle": "available",
    "ready": "available",
    "avail": "available",
    "on_call": "on_contact",
    "oncontact": "on_contact",
    "in_call": "on_contact",
    "talk": "on_contact",
    "talking": "on_contact",
    "busy": "on_contact",
    "handling": "on_contact",
    "acw": "after_contact_work",
    "after_call_work": "after_contact_work",
    "wrap": "after_contact_work",
    "wrap_up": "after_contact_work",
    "wrapup": "after_contact_work",
    "meal": "lunch",
    "logged_out": "offline",
    "logged_off": "offline",
    "logout": "offline",
    "not_ready": "aux",
}

#: Scheduled activity -> the states that are in adherence with it. Anything else (including no
#: state logged at all) is out of adherence. Scheduled ``off`` time is not measured.
ACTIVITY_STATES: Mapping[str, frozenset[str]] = {
    "work": STAFFED_STATES,
    "break": frozenset({"break"}),
    "lunch": frozenset({"lunch"}),
    "meeting": frozenset({"meeting"}),
    "training": frozenset({"training"}),
}


def normalise_state(name: str) -> str | None:
    """The canonical state for ``name`` (case, spaces and hyphens ignored), or None if unknown."""
    key = re.sub(r"[\s\-/]+", "_", str(name).strip().lower())
    key = STATE_ALIASES.get(key, key)
    return key if key in KNOWN_STATES else None


_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def parse_times(values: pd.Series, tz: str, column: str, first_row: int = 2) -> pd.Series:
    """ISO 8601 text -> tz-aware timestamps in ``tz``.

    Times with an offset (``...+01:00`` or ``Z``) are converted to ``tz``; times without one
    are local to ``tz``. Raises :class:`InputError` naming the first bad row (``first_row`` is
    the file row of the first value: 2 for a CSV with a header).
    """
    text = values.astype(str).str.strip()
    has_offset = text.str.contains(_OFFSET)
    out = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[ns, {tz}]")
    try:
        if has_offset.any():
            out[has_offset] = pd.to_datetime(
                text[has_offset], utc=True, format="ISO8601", errors="coerce"
            ).dt.tz_convert(tz)
        if (~has_offset).any():
            naive = pd.to_datetime(text[~has_offset], format="ISO8601", errors="coerce")
            out[~has_offset] = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").astype(
                out.dtype
            )
    except (ValueError, TypeError) as err:
        raise InputError(f"cannot read times: {err}", column=column) from None
    bad = out.isna().to_numpy().nonzero()[0]
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"not an ISO 8601 time (or a local time that does not exist or is ambiguous on a "
            f"daylight-saving day; add the UTC offset): {values.iloc[i]!r}",
            row=first_row + i,
            column=column,
        )
    return out


@dataclass(frozen=True)
class StateLog:
    """A validated agent-state log and the notes made while validating it.

    ``frame`` has ``agent_id`` (str), ``state`` (canonical), ``start``, ``end`` (tz-aware),
    ``row`` (the file row) and ``queue`` when the log names one; sorted by agent and start,
    with no overlaps left.
    """

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()


def reject_first(bad: pd.Series, message, first_row: int, column: str) -> None:
    """Raise :class:`InputError` on the first row where ``bad`` holds (``message(i)`` for
    position ``i``), naming its file row and ``column``."""
    rows = bad.to_numpy().nonzero()[0]
    if rows.size:
        i = int(rows[0])
        raise InputError(message(i), row=first_row + i, column=column)


def parse_agent_states(
    raw: pd.DataFrame, tz: str, *, first_row: int = 2, queues: Iterable[str] | None = None
) -> StateLog:
    """Validate an agent-state log (a frame of text columns, as read from CSV).

    Errors (:class:`InputError` with the row): a missing column, an unknown state, a time that
    cannot be read, an end before its start, and (with ``queues``, the configuration's) a
    ``queue`` that is not one of them (an empty queue is allowed). An agent's overlapping
    records are not an error: ACDs open a new state when the old one ends, so each record is
    cut at the start of the agent's next one, and a note lists the agents and rows concerned.
    Zero-length records are dropped.
    """
    missing = [c for c in AGENT_STATE_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; an agent-state log needs "
            f"{', '.join(AGENT_STATE_COLUMNS)}",
            row=first_row - 1,
            column=missing[0],
        )
    notes: list[str] = []
    extra = [c for c in raw.columns if c not in (*AGENT_STATE_COLUMNS, "queue")]
    if extra:
        notes.append(f"agent states: ignored column(s) {', '.join(map(str, extra))}")
    frame = pd.DataFrame(
        {
            "agent_id": raw["agent_id"].astype(str).str.strip(),
            "row": np.arange(len(raw)) + first_row,
        },
        index=raw.index,
    )
    states = raw["state"].map(normalise_state)
    reject_first(
        states.isna(),
        lambda i: (
            f"unknown state {raw['state'].iloc[i]!r}; known: {', '.join(KNOWN_STATES)} "
            "(and aliases such as 'on contact', 'ACW', 'wrap-up')"
        ),
        first_row,
        "state",
    )
    frame["state"] = states
    frame["start"] = parse_times(raw["start"], tz, "start", first_row)
    frame["end"] = parse_times(raw["end"], tz, "end", first_row)
    if "queue" in raw.columns:
        frame["queue"] = raw["queue"].astype(str).str.strip().replace({"": np.nan, "nan": np.nan})
        if queues is not None:
            known = list(queues)
            reject_first(
                frame["queue"].notna() & ~frame["queue"].isin(known),
                lambda i: (
                    f"queue {frame['queue'].iloc[i]!r} is not in the configuration "
                    f"(queues: {', '.join(known)})"
                ),
                first_row,
                "queue",
            )
    reject_first(
        frame["end"] < frame["start"],
        lambda i: (
            f"state ends before it starts ({frame['start'].iloc[i]} to {frame['end'].iloc[i]})"
        ),
        first_row,
        "end",
    )
    frame = frame.sort_values(["agent_id", "start", "end"], kind="stable").reset_index(drop=True)
    next_start = frame.groupby("agent_id")["start"].shift(-1)
    overlap = next_start.notna() & (next_start < frame["end"])
    if overlap.any():
        cut = frame[overlap]
        per_agent = cut.groupby("agent_id")["row"].apply(list)
        shown = "; ".join(
            f"{agent} (rows {', '.join(map(str, rows[:5]))}{', ...' if len(rows) > 5 else ''})"
            for agent, rows in list(per_agent.items())[:5]
        )
        more = f" and {len(per_agent) - 5} more agents" if len(per_agent) > 5 else ""
        notes.append(
            f"agent states: {int(overlap.sum())} record(s) overlap the agent's next state and "
            f"were cut at its start: {shown}{more}"
        )
        frame.loc[overlap, "end"] = next_start[overlap]
    frame = frame[frame["end"] > frame["start"]].reset_index(drop=True)
    return StateLog(frame=frame, notes=tuple(notes))


def spread_over_intervals(
    frame: pd.DataFrame,
    origin: pd.Timestamp,
    interval_minutes: int,
    *,
    start: str = "start",
    end: str = "end",
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Cut each ``[start, end)`` episode into its pieces on the interval grid.

    The grid is ``origin + k * interval_minutes`` in absolute time (so it stays aligned across
    daylight-saving changes, like :func:`wfm.axis.interval_axis`).

    Returns
    -------
    One row per (episode, interval) piece: the ``keep`` columns, ``source`` (the episode's
    position in ``frame``), ``interval_start``, ``piece_start``, ``piece_end`` and ``seconds``
    (the overlap, > 0).
    """
    step = interval_minutes * 60.0
    s = (frame[start] - origin).dt.total_seconds().to_numpy(dtype=float)
    e = (frame[end] - origin).dt.total_seconds().to_numpy(dtype=float)
    first = np.floor(s / step).astype(np.int64)
    last = np.ceil(e / step).astype(np.int64)
    counts = np.maximum(last - first, 0)
    source = np.repeat(np.arange(len(frame)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    k = first[source] + offsets
    lo = np.maximum(s[source], k * step)
    hi = np.minimum(e[source], (k + 1) * step)
    out = frame[list(keep)].iloc[source].reset_index(drop=True)
    out["source"] = source
    out["interval_start"] = origin + pd.to_timedelta(k * step, unit="s")
    out["piece_start"] = origin + pd.to_timedelta(lo, unit="s")
    out["piece_end"] = origin + pd.to_timedelta(hi, unit="s")
    out["seconds"] = hi - lo
    return out[out["seconds"] > 0].reset_index(drop=True)


def staffed_agents(
    log: pd.DataFrame,
    origin: pd.Timestamp,
    interval_minutes: int,
    *,
    roster_work: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Staffed agents per interval and queue, time-weighted.

    ``staffed = (seconds in a staffed state) / (interval seconds)``, summed over agents.

    The queue of the staffed time is, in this order: the log's own ``queue`` column where
    given; otherwise the queue(s) the agent was scheduled to work in that interval
    (``roster_work``: pieces with ``agent_id, interval_start, queue, seconds`` from
    :func:`spread_over_intervals` of the roster's work segments), split in proportion to the
    scheduled seconds; otherwise ``queue`` is empty (NaN): staffed, but on no known queue.

    Returns
    -------
    ``interval_start, queue, agents_actual`` (queue NaN for the unattributed time).
    """
    staffed = log[log["state"].isin(STAFFED_STATES)]
    keep = ["agent_id"] + (["queue"] if "queue" in log.columns else [])
    pieces = spread_over_intervals(staffed, origin, interval_minutes, keep=keep)
    if "queue" not in pieces.columns:
        pieces["queue"] = np.nan
    step = interval_minutes * 60.0
    known = pieces[pieces["queue"].notna()]
    unknown = pieces[pieces["queue"].isna()].drop(columns="queue")
    parts = [known[["interval_start", "queue", "seconds"]]]
    if roster_work is not None and len(unknown):
        plan = roster_work.groupby(["agent_id", "interval_start", "queue"], as_index=False)[
            "seconds"
        ].sum()
        plan["share"] = plan["seconds"] / plan.groupby(["agent_id", "interval_start"])[
            "seconds"
        ].transform("sum")
        per_agent = unknown.groupby(["agent_id", "interval_start"], as_index=False)["seconds"].sum()
        joined = per_agent.merge(
            plan[["agent_id", "interval_start", "queue", "share"]],
            on=["agent_id", "interval_start"],
            how="left",
        )
        joined["share"] = joined["share"].fillna(1.0)
        joined["seconds"] = joined["seconds"] * joined["share"]
        parts.append(joined[["interval_start", "queue", "seconds"]])
    elif len(unknown):
        parts.append(unknown.assign(queue=np.nan)[["interval_start", "queue", "seconds"]])
    allp = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else pd.DataFrame({"interval_start": [], "queue": [], "seconds": []})
    )
    out = allp.groupby(["interval_start", "queue"], as_index=False, dropna=False)["seconds"].sum()
    out["agents_actual"] = out["seconds"] / step
    return out.drop(columns="seconds")


def _time_in(starts: np.ndarray, ends: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Total time before ``t`` covered by the sorted, non-overlapping ``[starts, ends)``."""
    if starts.size == 0:
        return np.zeros_like(t, dtype=float)
    cum = np.concatenate(([0.0], np.cumsum(ends - starts)))
    k = np.searchsorted(ends, t, side="right")  # episodes fully over by t
    partial = np.where(
        k < starts.size,
        np.clip(t - starts[np.minimum(k, starts.size - 1)], 0.0, None),
        0.0,
    )
    return cum[k] + partial


def adherence_components(
    log: pd.DataFrame,
    roster_pieces: pd.DataFrame,
    origin: pd.Timestamp,
    activity_states: Mapping[str, frozenset[str]] = ACTIVITY_STATES,
) -> pd.DataFrame:
    """Scheduled and adherent seconds for each piece of the roster.

    ``roster_pieces`` are the roster's segments cut on the interval grid
    (:func:`spread_over_intervals` with ``keep`` including ``agent_id`` and ``activity``).
    For each piece the adherent time is the time the agent's log shows a state in
    ``activity_states[activity]`` within it:

    ``adherent = |[piece_start, piece_end) ∩ {t : state(t) in allowed(activity)}|``

    Activities missing from ``activity_states`` (``off``) are not measured. Agents of the
    roster with no log rows are fully out of adherence.

    Returns
    -------
    ``roster_pieces`` (measured activities only) with ``adherence_scheduled_sec`` and
    ``adherent_sec``.
    """
    pieces = roster_pieces[roster_pieces["activity"].isin(list(activity_states))].copy()
    pieces["adherence_scheduled_sec"] = pieces["seconds"].astype(float)
    pieces["adherent_sec"] = 0.0
    if pieces.empty:
        return pieces
    a = (pieces["piece_start"] - origin).dt.total_seconds().to_numpy(dtype=float)
    b = (pieces["piece_end"] - origin).dt.total_seconds().to_numpy(dtype=float)
    ls = (log["start"] - origin).dt.total_seconds().to_numpy(dtype=float)
    le = (log["end"] - origin).dt.total_seconds().to_numpy(dtype=float)
    adherent = np.zeros(len(pieces))
    log_groups = log.groupby("agent_id").indices
    piece_agents = pieces["agent_id"].to_numpy()
    piece_activity = pieces["activity"].to_numpy()
    log_states = log["state"].to_numpy()
    for agent, rows in pd.Series(np.arange(len(pieces))).groupby(piece_agents).groups.items():
        idx = log_groups.get(agent)
        if idx is None:
            continue
        rows = np.asarray(rows)
        for activity in np.unique(piece_activity[rows]):
            sel = rows[piece_activity[rows] == activity]
            ok = idx[np.isin(log_states[idx], list(activity_states[activity]))]
            adherent[sel] = _time_in(ls[ok], le[ok], b[sel]) - _time_in(ls[ok], le[ok], a[sel])
    # A segment split over queues is one piece per queue, each carrying its part of the time
    # in ``seconds``: give each the same part of the adherent time, so it counts once.
    span = b - a
    part = np.divide(
        pieces["seconds"].to_numpy(dtype=float), span, out=np.ones_like(span), where=span > 0
    )
    pieces["adherent_sec"] = adherent * part
    return pieces
