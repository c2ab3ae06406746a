"""The Agents page: paid hours, shifts, days off and preferences met per agent; the
availability table and its validated save."""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.errors import InputError
from wfm.io.tables import agents_csv_frame

__all__ = [
    "AVAILABILITY_COLUMNS",
    "agent_roster",
    "availability_csv",
    "availability_frame",
    "preference_totals",
    "save_availability",
    "shift_templates",
]

#: The columns of the availability table the Agents page edits.
AVAILABILITY_COLUMNS = (
    "agent_id",
    "name",
    "available_days",
    "available_from",
    "available_until",
    "min_hours_week",
    "max_hours_week",
)


def _joined(value) -> str:
    if isinstance(value, (tuple, list)):
        return "|".join(str(v) for v in value)
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def shift_templates(start: pd.Timestamp, day: dt.date, hours: float, templates) -> set[str]:
    """The shift templates a shift could come from (the schedule does not name them).

    A template fits when the shift's day is one of its days, its length is one of the
    template's lengths and its start (minutes after the day's local midnight) is one of the
    template's start times. Windows of different templates may touch, so more than one can fit.
    """
    midnight = pd.Timestamp(day).tz_localize(start.tz)
    minute = round((start - midnight).total_seconds() / 60)
    name = DAY_NAMES[day.weekday()]
    return {
        t.name
        for t in templates
        if name in t.days
        and any(abs(hours - h) < 1e-6 for h in t.length_hours)
        and minute in t.start_minutes()
    }


def agent_roster(
    schedule: pd.DataFrame, agents: pd.DataFrame, templates, timezone: str, week: dt.date
) -> pd.DataFrame:
    """The week per agent: paid hours, shifts, days off and preferences met.

    Preferences met, simply: each shift of an agent with preferred shifts counts once, met
    when a preferred template fits it (:func:`shift_templates`); each preferred day off counts
    once, met when the agent has no shift that day. ``preferences met %`` is the met share of
    both together, empty for an agent without preferences.

    Parameters
    ----------
    schedule
        A version's schedule frame.
    agents
        The agents frame (preferences, hour limits); agents in either frame are listed.
    templates
        The configured shift templates (``config.shifts``).
    timezone
        The site's zone.
    week
        The week's Monday.

    Returns
    -------
    pandas.DataFrame
        ``agent_id, name, team, paid hours, min hours, max hours, shifts, days off, preferred
        shifts, on preferred shifts, preferred days off, preferred days off given, preferences
        met, preferences, preferences met %``.
    """
    on = schedule[schedule["activity"] != "off"]
    shifts = on.drop_duplicates(["agent_id", "date"])[
        ["agent_id", "date", "shift_start", "shift_end"]
    ].copy()
    shifts["start"] = pd.to_datetime(shifts["shift_start"], utc=True).dt.tz_convert(timezone)
    end = pd.to_datetime(shifts["shift_end"], utc=True).dt.tz_convert(timezone)
    shifts["hours"] = (end - shifts["start"]).dt.total_seconds() / 3600
    unpaid = on[~on["paid"].astype(bool)]
    unpaid_hours = (
        ((unpaid["activity_end"] - unpaid["activity_start"]).dt.total_seconds() / 3600)
        .groupby(unpaid["agent_id"].astype(str))
        .sum()
    )
    known = {str(r.agent_id): r for r in agents.itertuples(index=False)}
    names = (
        schedule.drop_duplicates("agent_id")
        .assign(agent_id=lambda f: f["agent_id"].astype(str))
        .set_index("agent_id")
    )
    ids = list(dict.fromkeys([*map(str, schedule["agent_id"]), *known]))
    rows = []
    for agent_id in ids:
        mine = shifts[shifts["agent_id"].astype(str) == agent_id]
        agent = known.get(agent_id)
        prefs = tuple(agent.preferred_shifts) if agent is not None else ()
        days_off = tuple(agent.preferred_days_off) if agent is not None else ()
        worked = {DAY_NAMES[dt.date.fromisoformat(str(d)).weekday()] for d in mine["date"]}
        on_pref = 0
        if prefs:
            for s in mine.itertuples(index=False):
                fits = shift_templates(
                    s.start, dt.date.fromisoformat(str(s.date)), s.hours, templates
                )
                on_pref += bool(fits & set(prefs))
        given = sum(d not in worked for d in days_off)
        wanted = (len(mine) if prefs else 0) + len(days_off)
        met = on_pref + given
        if agent_id in names.index:
            name, team = names.loc[agent_id, "agent_name"], names.loc[agent_id, "team"]
        else:
            name, team = agent.name, agent.team
        rows.append(
            {
                "agent_id": agent_id,
                "name": name,
                "team": team,
                "paid hours": round(float(mine["hours"].sum() - unpaid_hours.get(agent_id, 0)), 2),
                "min hours": None if agent is None else float(agent.min_hours_week),
                "max hours": None if agent is None else float(agent.max_hours_week),
                "shifts": len(mine),
                "days off": 7 - len(mine),
                "preferred shifts": "|".join(prefs),
                "on preferred shifts": f"{on_pref} of {len(mine)}" if prefs else "",
                "preferred days off": "|".join(days_off),
                "preferred days off given": f"{given} of {len(days_off)}" if days_off else "",
                "preferences met": met,
                "preferences": wanted,
                "preferences met %": round(100 * met / wanted, 1) if wanted else None,
            }
        )
    return pd.DataFrame(rows)


def preference_totals(roster: pd.DataFrame) -> tuple[int, int]:
    """(preferences met, preferences) over every agent of :func:`agent_roster`."""
    if roster.empty:
        return 0, 0
    return int(roster["preferences met"].sum()), int(roster["preferences"].sum())


def availability_frame(agents: pd.DataFrame) -> pd.DataFrame:
    """The editable availability table (:data:`AVAILABILITY_COLUMNS`): days ``|``-joined,
    times as ``HH:MM`` text, hours as numbers."""
    out = agents_csv_frame(agents)[list(AVAILABILITY_COLUMNS)].reset_index(drop=True)
    for column in ("agent_id", "name"):
        out[column] = out[column].astype(str)
    for column in ("min_hours_week", "max_hours_week"):
        out[column] = out[column].astype(float)
    return out


def availability_csv(agents: pd.DataFrame, edited: pd.DataFrame) -> str:
    """The agents CSV text with the availability columns taken from ``edited``.

    Every other column keeps its stored value; agents are matched on ``agent_id`` (an agent
    missing from ``edited`` keeps its availability). The text is what an agents import reads.
    """
    out = agents_csv_frame(agents).reset_index(drop=True)
    ids = out["agent_id"].astype(str)
    changes = edited.set_index(edited["agent_id"].astype(str))
    found = ids.isin(changes.index)
    for column in AVAILABILITY_COLUMNS[2:]:
        if column not in changes:
            continue
        new = ids.map(changes[column])
        if column.endswith("_week"):
            values = pd.to_numeric(new, errors="coerce")
            out[column] = out[column].where(~found, values).astype(object)
            out[column] = out[column].map(lambda v: "" if pd.isna(v) else str(float(v)))
        else:
            out[column] = out[column].where(~found, new.map(_joined))
    return out.to_csv(index=False, lineterminator="\n")


def save_availability(ws, edited: pd.DataFrame) -> tuple[object | None, str | None]:
    """Validate the edited availability as an agents import would and store it.

    The agents are rebuilt as an agents CSV (:func:`availability_csv`), parsed by
    :func:`wfm.parse.parse_agents` against the configured queues and shifts, then imported
    (``file_name="dashboard edit"``) in one transaction: a bad value stores nothing.

    Returns
    -------
    (ImportReport or None, str or None)
        The import's report, or the error naming the table's row (1 = the first agent), the
        column and the agent.
    """
    from wfm.parse import parse_agents
    from wfm.store.imports import import_frame
    from wfm.store.read import load_agents

    agents = load_agents(ws)
    text = availability_csv(agents, edited)
    try:
        parsed = parse_agents(
            text, "dashboard edit", queues=ws.config.queues or None, shifts=ws.config.shifts or None
        )
    except InputError as err:
        row, who = err.row, ""
        if row is not None and 2 <= row <= len(agents) + 1:
            who = f" (agent {agents['agent_id'].iloc[row - 2]})"
            row -= 1
        return None, str(
            InputError(err.message + who, file="availability table", row=row, column=err.column)
        )
    digest = hashlib.sha256(text.encode()).hexdigest()
    report = import_frame(
        ws,
        "agents",
        parsed.frame,
        file_name="dashboard edit",
        sha256=digest,
        notes=tuple(parsed.notes),
    )
    return report, None
