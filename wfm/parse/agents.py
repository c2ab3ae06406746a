"""The agents CSV: one row per agent, skills, contract hours, availability and preferences."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.config import Queue, ShiftTemplate, clock_to_minutes
from wfm.errors import InputError
from wfm.parse.columns import check_non_negative, number_column, queue_channels
from wfm.parse.table import ParseResult, Table, map_columns, read_table
from wfm.schemas import AGENTS_OPTIONAL, AGENTS_REQUIRED

__all__ = ["AGENTS_FRAME_COLUMNS", "parse_agents"]

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


def _days(table: Table, i: int, column: str, value: str) -> tuple[str, ...]:
    days = []
    for part in _split(value):
        day = _DAY_LOOKUP.get(part.lower())
        if day is None:
            table.error(f"unknown day {part!r}; use {'|'.join(DAY_NAMES)}", i, column)
        if day not in days:
            days.append(day)
    return tuple(sorted(days, key=DAY_NAMES.index))


def _paid_hours(template: ShiftTemplate, hours: float) -> float:
    return hours - sum(b.length_min for b in template.breaks if not b.paid) / 60


def _check_can_work(
    table: Table,
    mapping: dict[str, str],
    i: int,
    templates: list[ShiftTemplate],
    days: tuple[str, ...],
    begin: int,
    end: int,
    max_hours: float,
) -> None:
    """An agent with hours to give must fit at least one shift: a template on one of their
    days, starting and ending inside their daily window (the roster's own availability rule),
    no longer in paid hours than their weekly maximum. Otherwise the agent can never be
    rostered, which is an error in the file, not a result."""
    on_days = [t for t in templates if set(t.days) & set(days)]
    if not on_days:
        used = sorted({d for t in templates for d in t.days}, key=DAY_NAMES.index)
        table.error(
            f"the agent can work no shift: no shift template runs on {'|'.join(days)} "
            f"(the templates run on {'|'.join(used)})",
            i,
            mapping.get("available_days", "available_days"),
        )
    unlimited = (begin, end) == (0, 1440)  # any shift, also one past midnight
    in_window = [
        (t, h)
        for t in on_days
        for h in t.length_hours
        if unlimited or any(begin <= s and s + h * 60 <= end for s in t.start_minutes())
    ]
    if not in_window:
        table.error(
            f"the agent can work no shift: none starts and ends between "
            f"{begin // 60:02d}:{begin % 60:02d} and {end // 60:02d}:{end % 60:02d}",
            i,
            mapping.get("available_until", "available_until"),
        )
    shortest = min(_paid_hours(t, h) for t, h in in_window)
    if shortest > max_hours + 1e-9:
        table.error(
            f"the agent can work no shift: max_hours_week ({max_hours:g}) is below the "
            f"shortest shift they can work ({shortest:g} paid hours)",
            i,
            mapping["max_hours_week"],
        )


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
        clock time or available_from not before available_until; and, with ``shifts``, an
        agent with hours to give (max_hours_week > 0) whose days, window and hours fit no
        shift of any template.
    """
    notes: list[str] = []
    table = read_table(text, source)
    aliases = {c: (c,) for c in (*AGENTS_REQUIRED, *AGENTS_OPTIONAL)}
    mapping, _ = map_columns(table, aliases, AGENTS_REQUIRED, notes)
    data = table.data
    known = queue_channels(queues)
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
        numbers[name] = number_column(table, mapping[name], required=True)
        check_non_negative(table, mapping[name], numbers[name], name)
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
                        f"skill {skill!r} is not a configured queue "
                        + (f"(queues: {', '.join(known)})" if known else "(there are none)"),
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

    templates = [s for s in shifts or () if isinstance(s, ShiftTemplate)]
    if templates:
        for i in range(len(data)):
            if hi[i] > 0:
                _check_can_work(table, mapping, i, templates, days[i], starts[i], ends[i], hi[i])

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
