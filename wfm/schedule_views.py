"""What the dashboard's Schedule, Agents and Data pages show, as functions of the workspace's
frames (no Streamlit here: the pages in ``wfm_app/pages`` only lay these out).

- Schedule: the week's versions, the chosen version's timeline per agent (filtered by team and
  skill), coverage against the requirement, the weekly job's progress from the run log, and the
  job started as a background process.
- Agents: paid hours, shifts, days off and preferences met per agent; the availability table
  and its validated save.
- Data: an uploaded file validated and imported exactly as ``wfm import`` imports it.

Times shown are the site's wall clock without a zone (``naive local``), so a chart reads the
same whatever the browser's time zone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.errors import InputError, WfmError
from wfm.io.tables import agents_csv_frame
from wfm.views import wall_clock

__all__ = [
    "AVAILABILITY_COLUMNS",
    "BREAK_COLOURS",
    "RUNS_FOLDER",
    "agent_roster",
    "agents_shown",
    "availability_csv",
    "availability_frame",
    "coverage_chart",
    "coverage_frame",
    "filter_schedule",
    "gantt_chart",
    "gantt_frame",
    "import_upload",
    "log_tail",
    "preference_totals",
    "roster_busy",
    "run_progress",
    "save_availability",
    "shift_templates",
    "start_roster_process",
    "version_label",
    "versions_table",
    "week_runs",
    "worst_gaps",
]

#: Folder in the workspace for the logs of runs the dashboard starts.
RUNS_FOLDER = ".wfm-runs"
#: Colours of the timeline's non-work activities (work is coloured by queue).
BREAK_COLOURS = {"break": "#9e9e9e", "lunch": "#616161"}
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
#: A shortfall smaller than this (agents) is rounding, not a gap.
_TOLERANCE = 1e-6


def _naive_local(times: pd.Series, timezone: str) -> pd.Series:
    return wall_clock(pd.to_datetime(times, utc=True), timezone)


def _joined(value) -> str:
    if isinstance(value, (tuple, list)):
        return "|".join(str(v) for v in value)
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


# --------------------------------------------------------------------------- versions


def version_label(version) -> str:
    """``"version 2 (draft)"``: how a version is named in choosers and buttons."""
    return f"version {version.version} ({version.status})"


def versions_table(versions: Sequence, timezone: str) -> pd.DataFrame:
    """One row per version: the figures a planner compares before publishing.

    Parameters
    ----------
    versions
        :class:`wfm.store.versions.Version` objects.
    timezone
        The site's zone, for the creation time.

    Returns
    -------
    pandas.DataFrame
        Columns ``version, status, solver status, gap %, cost, paid hours, understaffed
        intervals, created`` (created as ``YYYY-MM-DD HH:MM`` on the site's clock).
    """
    rows = []
    for v in versions:
        created = pd.Timestamp(v.created_at).tz_convert(timezone).strftime("%Y-%m-%d %H:%M")
        rows.append(
            {
                "version": v.version,
                "status": v.status,
                "solver status": v.solver_status,
                "gap %": None if v.gap is None else round(100 * float(v.gap), 2),
                "cost": round(float(v.cost), 2),
                "paid hours": round(float(v.paid_hours), 1),
                "understaffed intervals": int(v.understaffed_intervals),
                "created": created,
            }
        )
    columns = [
        "version",
        "status",
        "solver status",
        "gap %",
        "cost",
        "paid hours",
        "understaffed intervals",
        "created",
    ]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- timeline


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


# --------------------------------------------------------------------------- coverage


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


# --------------------------------------------------------------------------- the weekly job


def week_runs(runs: Iterable[dict], week: dt.date, command: str = "roster") -> list[dict]:
    """The runs (from :func:`wfm.store.versions.list_runs`) of ``command`` for ``week``."""
    return [r for r in runs if r["command"] == command and r["week_start"] == week.isoformat()]


def _stages(run: dict) -> list[dict]:
    if "stages" in run:
        return list(run["stages"] or [])
    return json.loads(run.get("stages_json") or "[]")


def run_progress(run: dict, *, now: dt.datetime | None = None) -> tuple[pd.DataFrame, float]:
    """A run's stages so far, as the progress indicator shows them.

    Parameters
    ----------
    run
        A run-log row (:func:`~wfm.store.versions.list_runs` or
        :func:`~wfm.store.versions.running_runs`).
    now
        The current time (UTC), for the running stage's seconds so far.

    Returns
    -------
    (pandas.DataFrame, float)
        One row per stage of :data:`wfm.job.STAGES` (``stage, state`` done/running/waiting,
        ``seconds``, ``detail``: the solver's status and gap, the version written), and the
        share of stages done (0 to 1).
    """
    from wfm.job import STAGES

    done = {s["stage"]: s for s in _stages(run)}
    elapsed = None
    if run.get("started_at"):
        now = now or dt.datetime.now(dt.UTC)
        total = (now - dt.datetime.fromisoformat(run["started_at"])).total_seconds()
        elapsed = max(0.0, total - sum(float(s.get("sec") or 0) for s in done.values()))
    rows = []
    for name in STAGES:
        info = done.get(name)
        detail = []
        if info is not None:
            state, seconds = "done", float(info.get("sec") or 0.0)
            if info.get("status"):
                detail.append(str(info["status"]))
            if info.get("gap") is not None:
                detail.append(f"gap {100 * float(info['gap']):.2f}%")
            if info.get("version"):
                detail.append(f"version {info['version']}")
        elif run.get("status") == "running" and run.get("stage") == name:
            state, seconds = "running", None if elapsed is None else round(elapsed, 1)
        else:
            state, seconds = "waiting", None
        rows.append(
            {"stage": name, "state": state, "seconds": seconds, "detail": ", ".join(detail)}
        )
    return pd.DataFrame(rows), len(done) / len(STAGES)


def roster_busy(ws, week: dt.date) -> dict | None:
    """The run of ``week``'s job that is going, or ``None``.

    A run the log still shows as running counts only while the week's lock is held: a run that
    was killed left its log entry open but holds no lock (the next run closes it).
    """
    from wfm.store.lock import LockedError, WeekLock
    from wfm.store.versions import running_runs

    runs = running_runs(ws, "roster", week)
    if not runs:
        return None
    lock = WeekLock(ws, "roster", week)
    try:
        lock.acquire(0.0)
    except LockedError:
        return runs[-1]
    lock.release()
    return None


def start_roster_process(
    folder: str | os.PathLike,
    week: dt.date,
    *,
    time_limit_sec: float | None = None,
    python: str | None = None,
) -> tuple[subprocess.Popen, Path]:
    """Start ``wfm roster --force`` for ``week`` as a background process.

    It runs in a session of its own (a closed dashboard does not stop it), its output goes to
    ``.wfm-runs/roster-WEEK-TIME.log`` in the workspace folder and its progress to the run log.

    Returns
    -------
    (subprocess.Popen, pathlib.Path)
        The process and its log file.
    """
    folder = Path(folder)
    logs = folder / RUNS_FOLDER
    logs.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    log = logs / f"roster-{week.isoformat()}-{stamp}.log"
    command = [
        python or sys.executable,
        "-m",
        "wfm",
        "roster",
        "--workspace",
        str(folder),
        "--week",
        week.isoformat(),
        "--force",
    ]
    if time_limit_sec is not None:
        command += ["--time-limit-sec", f"{float(time_limit_sec):g}"]
    with open(log, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=folder,
        )
    return process, log


def log_tail(path: str | os.PathLike, lines: int = 20) -> str:
    """The last ``lines`` lines of a run's log ("" when it cannot be read)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------- agents


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


# --------------------------------------------------------------------------- data


def import_upload(ws, kind: str, name: str, data: bytes) -> tuple[object | None, str | None]:
    """Validate and import an uploaded file exactly as ``wfm import KIND FILE`` does.

    Parameters
    ----------
    ws
        The open workspace.
    kind
        One of :data:`wfm.store.imports.IMPORT_KINDS`.
    name
        The uploaded file's name (what the report and any error name).
    data
        The file's bytes.

    Returns
    -------
    (ImportReport or None, str or None)
        The report on success; else the error (file, row, column), and nothing changed.
    """
    from wfm.store.imports import import_file

    safe = Path(name).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="wfm-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            return import_file(ws, kind, path), None
        except InputError as err:
            where = safe if err.file in (None, str(path)) else err.file
            return None, str(InputError(err.message, file=where, row=err.row, column=err.column))
        except WfmError as err:
            return None, str(err).replace(str(path), safe)
