"""The Schedule page's timeline (one row per agent) and coverage against the requirement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from wfm.views.common import wall_clock

__all__ = [
    "BREAK_COLOURS",
    "agents_shown",
    "coverage_chart",
    "coverage_frame",
    "filter_schedule",
    "gantt_chart",
    "gantt_frame",
    "worst_gaps",
]

#: Colours of the timeline's non-work activities (work is coloured by queue).
BREAK_COLOURS = {"break": "#9e9e9e", "lunch": "#616161"}


#: A shortfall smaller than this (agents) is rounding, not a gap.
_TOLERANCE = 1e-6


def _naive_local(times: pd.Series, timezone: str) -> pd.Series:
    return wall_clock(pd.to_datetime(times, utc=True), timezone)


def _agent_skills(agents: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    return {str(a): tuple(s) for a, s in zip(agents["agent_id"], agents["skills"], strict=True)}


def filter_schedule(
    schedule: pd.DataFrame,
    agents: pd.DataFrame,
    *,
    teams: Iterable[str] = (),
    skills: Iterable[str] = (),
    day: dt.date | None = None,
) -> pd.DataFrame:
    """The schedule rows of the agents in ``teams`` who have one of ``skills``.

    Parameters
    ----------
    schedule
        A version's schedule frame.
    agents
        The agents frame (:func:`wfm.store.read.load_agents`), for the skills; an agent with
        skills ``*`` has every skill, an agent not in it has none.
    teams, skills
        Empty: no filter on that.
    day
        Only that date's rows (``None``: the whole week).

    Returns
    -------
    pandas.DataFrame
        The matching rows, in schedule order.
    """
    keep = pd.Series(True, index=schedule.index)
    teams, skills = list(teams), set(skills)
    if teams:
        keep &= schedule["team"].isin(teams)
    if skills:
        known = _agent_skills(agents)
        ok = {a for a, s in known.items() if "*" in s or skills & set(s)}
        keep &= schedule["agent_id"].astype(str).isin(ok)
    if day is not None:
        keep &= schedule["date"].astype(str) == day.isoformat()
    return schedule[keep]


def agents_shown(schedule: pd.DataFrame) -> int:
    """Distinct agents with at least one work segment in ``schedule``."""
    return int(schedule.loc[schedule["activity"] == "work", "agent_id"].nunique())


def gantt_frame(schedule: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """The timeline's bars: one per work, break or lunch segment (days off are left out).

    Returns
    -------
    pandas.DataFrame
        ``agent`` ("A001 Arthur Thompson"), ``team, activity, queue, share``, ``what`` (the
        queue for work, else the activity: the colour), ``start, end`` (naive local).
    """
    rows = schedule[schedule["activity"] != "off"]
    queue = rows["queue"].astype(object).where(rows["queue"].notna(), "")
    return pd.DataFrame(
        {
            "agent": rows["agent_id"].astype(str) + " " + rows["agent_name"].astype(str),
            "team": rows["team"].astype(str),
            "activity": rows["activity"].astype(str),
            "queue": queue,
            "share": rows["share"].astype(float),
            "what": np.where(rows["activity"] == "work", queue, rows["activity"]),
            "start": _naive_local(rows["activity_start"], timezone),
            "end": _naive_local(rows["activity_end"], timezone),
        }
    ).reset_index(drop=True)


def gantt_chart(frame: pd.DataFrame, queues: Sequence[str]) -> alt.Chart:
    """Altair timeline: a row per agent, bars from start to end coloured by queue (work) or
    grey (break, lunch)."""
    palette = [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#17becf",
        "#bcbd22",
        "#7f7f7f",
    ]
    queues = list(queues)
    domain = [*queues, *BREAK_COLOURS]
    colours = [palette[i % len(palette)] for i in range(len(queues))] + list(BREAK_COLOURS.values())
    order = sorted(frame["agent"].unique(), key=lambda a: a.split(" ", 1)[0])
    height = max(120, 22 * len(order))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title="site time"),
            x2="end:T",
            y=alt.Y("agent:N", sort=order, title=None),
            color=alt.Color(
                "what:N", title="queue / activity", scale=alt.Scale(domain=domain, range=colours)
            ),
            tooltip=[
                "agent",
                "team",
                "activity",
                "queue",
                alt.Tooltip("start:T", format="%a %H:%M"),
                alt.Tooltip("end:T", format="%a %H:%M"),
            ],
        )
        .properties(height=height)
    )


def coverage_frame(coverage: pd.DataFrame, timezone: str, interval_minutes: int) -> pd.DataFrame:
    """Coverage per interval and queue with its end and shortfall, on the site's clock.

    Returns
    -------
    pandas.DataFrame
        ``start, end`` (naive local), ``date`` (local), ``queue, required, scheduled`` and
        ``short`` (required - scheduled where the roster falls short, else 0).
    """
    start = _naive_local(coverage["interval_start"], timezone)
    required = coverage["required"].astype(float)
    scheduled = coverage["scheduled"].astype(float)
    short = (required - scheduled).where(required - scheduled > _TOLERANCE, 0.0)
    return pd.DataFrame(
        {
            "start": start,
            "end": start + pd.Timedelta(minutes=int(interval_minutes)),
            "date": start.dt.date,
            "queue": coverage["queue"].astype(str),
            "required": required,
            "scheduled": scheduled,
            "short": short,
        }
    )


def coverage_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Altair: scheduled agents (area) against the requirement (line), shortfalls in red."""
    base = alt.Chart(frame).encode(x=alt.X("start:T", title="site time"))
    scheduled = base.mark_area(opacity=0.35, interpolate="step-after").encode(
        y=alt.Y("scheduled:Q", title="agents"),
        tooltip=[alt.Tooltip("start:T", format="%a %H:%M"), "required", "scheduled", "short"],
    )
    required = base.mark_line(color="black", interpolate="step-after").encode(y="required:Q")
    gaps = (
        alt.Chart(frame[frame["short"] > 0])
        .mark_bar(color="#d62728", opacity=0.7)
        .encode(x="start:T", x2="end:T", y="scheduled:Q", y2="required:Q")
    )
    return (scheduled + required + gaps).properties(height=260)


def worst_gaps(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` intervals short of the most agents (from :func:`coverage_frame`).

    Returns
    -------
    pandas.DataFrame
        ``interval`` ("Mon 23 Nov 09:30"), ``queue, required, scheduled, short``, worst first.
    """
    short = frame[frame["short"] > 0].sort_values(["short", "start"], ascending=[False, True])
    top = short.head(n)
    return pd.DataFrame(
        {
            "interval": top["start"].dt.strftime("%a %d %b %H:%M"),
            "queue": top["queue"],
            "required": top["required"].round(2),
            "scheduled": top["scheduled"].round(2),
            "short": top["short"].round(2),
        }
    ).reset_index(drop=True)
