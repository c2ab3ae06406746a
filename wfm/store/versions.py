"""Schedule versions and the run log of a workspace.

A version is an immutable snapshot of one week's plan: the schedule, its coverage, the
requirements and the forecast it was built from, the solver's summary and the configuration.
It is created as a ``draft``; ``publish`` marks it ``published``. Nothing here updates a
version's content or deletes a version, so a published roster stays as it was published; the
week's current plan is its latest published version, else its latest draft.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from wfm.errors import InputError
from wfm.store import schema
from wfm.store.workspace import Workspace, bump_revisions, now_utc

__all__ = [
    "FRAME_KINDS",
    "Version",
    "current_of",
    "finish_run",
    "list_runs",
    "list_versions",
    "load_version_frame",
    "mark_abandoned_runs",
    "publish_version",
    "running_runs",
    "save_version",
    "select_version",
    "start_run",
    "update_run",
    "version_csv",
    "version_summary",
]

#: The frames a version keeps.
FRAME_KINDS = ("schedule", "coverage", "requirements", "forecast")


@dataclass(frozen=True)
class Version:
    """One schedule version of a week (a row of ``schedule_versions``)."""

    version_id: int
    week_start: dt.date
    version: int
    status: str
    mode: str
    created_at: str
    published_at: str | None
    run_id: int | None
    inputs_hash: str
    config_hash: str
    solver_status: str
    objective: float | None
    gap: float | None
    cost: float
    paid_hours: float
    understaffed_intervals: int

    @property
    def label(self) -> str:
        return f"version {self.version} of week {self.week_start} ({self.status})"


def _version(row) -> Version:
    data = dict(row._mapping)
    data["week_start"] = dt.date.fromisoformat(data["week_start"])
    return Version(**{k: data[k] for k in Version.__dataclass_fields__})


def _csv(frame: pd.DataFrame) -> str:
    from wfm.io.files import csv_text

    return csv_text(frame, safe=False)  # stored raw; exports neutralise


def save_version(
    ws: Workspace,
    week: dt.date,
    *,
    mode: str,
    summary: dict,
    frames: dict[str, pd.DataFrame],
    inputs_hash: str,
    run_id: int | None = None,
) -> Version:
    """Store a new draft version of ``week`` with its frames, in one transaction."""
    table = schema.schedule_versions
    with ws.begin() as conn:
        latest = conn.execute(
            sa.select(sa.func.max(table.c.version)).where(table.c.week_start == week.isoformat())
        ).scalar()
        number = int(latest or 0) + 1
        result = conn.execute(
            table.insert().values(
                week_start=week.isoformat(),
                version=number,
                status="draft",
                mode=mode,
                created_at=now_utc(),
                run_id=run_id,
                inputs_hash=inputs_hash,
                config_hash=ws.config_hash,
                solver_status=str(summary.get("status")),
                objective=summary.get("objective"),
                gap=summary.get("gap"),
                cost=float(summary.get("cost") or 0.0),
                paid_hours=float(summary.get("paid_hours") or 0.0),
                understaffed_intervals=int(summary.get("understaffed_intervals") or 0),
                summary_json=json.dumps(summary, default=str),
                config_text=ws.config_text,
            )
        )
        version_id = int(result.inserted_primary_key[0])
        for kind, frame in frames.items():
            if kind not in FRAME_KINDS:
                raise ValueError(f"unknown frame kind {kind!r}")
            conn.execute(
                schema.version_frames.insert().values(
                    version_id=version_id, kind=kind, rows=len(frame), csv_text=_csv(frame)
                )
            )
        bump_revisions(conn, "versions")
        row = conn.execute(sa.select(table).where(table.c.version_id == version_id)).one()
    return _version(row)


def list_versions(ws: Workspace, week: dt.date | None = None) -> list[Version]:
    """Every version (of ``week``), oldest first."""
    table = schema.schedule_versions
    query = sa.select(table).order_by(table.c.week_start, table.c.version)
    if week is not None:
        query = query.where(table.c.week_start == week.isoformat())
    with ws.connect() as conn:
        return [_version(r) for r in conn.execute(query)]


def select_version(
    ws: Workspace, week: dt.date, *, version: int | None = None, published: bool = False
) -> Version:
    """The version to show or export: ``version`` if given; the latest published one with
    ``published`` (or by default); by default the latest draft when none is published."""
    versions = list_versions(ws, week)
    if not versions:
        raise InputError(
            f"week {week} has no schedule version yet (run `wfm roster --week {week}`)"
        )
    if version is not None:
        for v in versions:
            if v.version == version:
                return v
        known = ", ".join(str(v.version) for v in versions)
        raise InputError(f"week {week} has no version {version} (it has {known})")
    chosen = current_of(versions)
    if published and chosen.status != "published":
        raise InputError(f"week {week} has no published version (publish one with `wfm publish`)")
    return chosen


def current_of(versions: list[Version]) -> Version | None:
    """A week's current version among ``versions`` (oldest first): the latest published one,
    else the latest draft; None without versions."""
    if not versions:
        return None
    done = [v for v in versions if v.status == "published"]
    if done:
        return max(done, key=lambda v: (v.published_at or "", v.version))
    return versions[-1]


def publish_version(ws: Workspace, week: dt.date, version: int | None = None) -> Version:
    """Mark ``version`` (default: the latest) of ``week`` published; publishing twice is a no-op."""
    versions = list_versions(ws, week)
    if not versions:
        raise InputError(f"week {week} has no schedule version to publish")
    chosen = versions[-1] if version is None else select_version(ws, week, version=version)
    if chosen.status == "published":
        return chosen
    table = schema.schedule_versions
    with ws.begin() as conn:
        conn.execute(
            table.update()
            .where(table.c.version_id == chosen.version_id, table.c.status == "draft")
            .values(status="published", published_at=now_utc())
        )
        bump_revisions(conn, "versions")
        row = conn.execute(sa.select(table).where(table.c.version_id == chosen.version_id)).one()
    return _version(row)


def version_summary(ws: Workspace, version: Version) -> dict:
    """The solver's summary JSON stored with the version."""
    table = schema.schedule_versions
    with ws.connect() as conn:
        text = conn.execute(
            sa.select(table.c.summary_json).where(table.c.version_id == version.version_id)
        ).scalar_one()
    return json.loads(text)


def version_csv(ws: Workspace, version: Version, kind: str) -> str:
    """One of a version's frames as the CSV text stored (not neutralised for spreadsheets)."""
    table = schema.version_frames
    with ws.connect() as conn:
        text = conn.execute(
            sa.select(table.c.csv_text).where(
                table.c.version_id == version.version_id, table.c.kind == kind
            )
        ).scalar()
    if text is None:
        raise InputError(f"{version.label} has no {kind}")
    return text


def load_version_frame(ws: Workspace, version: Version, kind: str) -> pd.DataFrame:
    """One of a version's frames, parsed as the file readers parse it."""
    from wfm.parse import parse_forecast, parse_requirements, parse_schedule

    text = version_csv(ws, version, kind)
    tz = ws.config.site.timezone
    name = f"{kind} of {version.label}"
    if kind == "schedule":
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        return parse_schedule(raw, tz)
    if kind == "requirements":
        return parse_requirements(text, name, timezone=tz).frame
    if kind == "forecast":
        return parse_forecast(text, name, timezone=tz).frame
    frame = pd.read_csv(io.StringIO(text))
    frame["interval_start"] = pd.to_datetime(frame["interval_start"], utc=True).dt.tz_convert(tz)
    return frame


# --------------------------------------------------------------------------- the run log


def start_run(ws: Workspace, command: str, week: dt.date) -> int:
    """Open a run in the log (status ``running``); returns its id."""
    with ws.begin() as conn:
        result = conn.execute(
            schema.runs.insert().values(
                command=command,
                week_start=week.isoformat(),
                pid=os.getpid(),
                host=socket.gethostname(),
                started_at=now_utc(),
                status="running",
                stages_json="[]",
                message="",
            )
        )
        bump_revisions(conn, "runs")
        return int(result.inserted_primary_key[0])


def update_run(ws: Workspace, run_id: int, **values) -> None:
    """Change a running run's fields (its stage, stages so far, solver status and gap)."""
    if "stages" in values:
        values["stages_json"] = json.dumps(values.pop("stages"))
    with ws.begin() as conn:
        conn.execute(schema.runs.update().where(schema.runs.c.run_id == run_id).values(**values))
        bump_revisions(conn, "runs")


def finish_run(
    ws: Workspace, run_id: int, *, status: str, exit_code: int, message: str = "", **values
) -> None:
    """Close a run: its status, exit code and a one-line message."""
    update_run(
        ws,
        run_id,
        status=status,
        exit_code=exit_code,
        message=message,
        ended_at=now_utc(),
        stage=None,
        **values,
    )


def running_runs(ws: Workspace, command: str, week: dt.date) -> list[dict]:
    """Runs of ``command`` for ``week`` the log still shows as running."""
    table = schema.runs
    query = (
        sa.select(table)
        .where(
            table.c.command == command,
            table.c.week_start == week.isoformat(),
            table.c.status == "running",
        )
        .order_by(table.c.run_id)
    )
    with ws.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def mark_abandoned_runs(ws: Workspace, command: str, week: dt.date) -> list[dict]:
    """With the week's lock held, runs still marked running were killed: say so in the log."""
    stale = running_runs(ws, command, week)
    for run in stale:
        finish_run(
            ws,
            run["run_id"],
            status="killed",
            exit_code=-9,
            message="ended without closing its log (killed, or the machine stopped)",
        )
    return stale


def list_runs(ws: Workspace, limit: int = 10) -> list[dict]:
    """The last runs, newest first, with their stages decoded."""
    table = schema.runs
    with ws.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(sa.select(table).order_by(table.c.run_id.desc()).limit(limit))
        ]
    for row in rows:
        row["stages"] = json.loads(row.pop("stages_json") or "[]")
    return rows
