"""The weekly roster job: forecast, staffing and roster for one week, from what a workspace
holds, written as a new draft schedule version (``wfm roster``, the dashboard's Schedule page).

Built for cron: one run per workspace and week at a time (:class:`wfm.store.lock.WeekLock`),
every stage logged in the workspace's run log as it starts and ends, and nothing new when the
inputs (the imports, the stored adjustments and the configuration) have not changed since the
week's last version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from wfm.config import Config
from wfm.errors import InfeasibleError, InputError, WfmError

__all__ = ["STAGES", "JobResult", "inputs_hash", "resolve_week", "run_roster_job", "week_start"]

#: The job's stages in order, as the run log and the progress report name them.
STAGES = ("load", "forecast", "staffing", "schedule", "save")

#: Seconds a refused run waits for the lock holder's log entry, to name it.
HOLDER_GRACE_SEC = 5.0

#: ``on_stage(stage, event, info)``: event is ``start`` or ``end``; info has ``index``,
#: ``total``, and for ``end`` ``sec``; the schedule stage's start has ``time_limit_sec``.
StageCallback = Callable[[str, str, dict], None]


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week (planning weeks run Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def resolve_week(text: str, timezone: str, *, today: dt.date | None = None) -> dt.date:
    """``--week``: ``next`` (the week after today on the site's clock) or any date of a week."""
    if text == "next":
        local_today = today or pd.Timestamp.now(tz=timezone).date()
        return week_start(local_today) + dt.timedelta(days=7)
    try:
        return week_start(dt.date.fromisoformat(text))
    except ValueError:
        raise InputError(f"--week must be 'next' or a date YYYY-MM-DD, got {text!r}") from None


def inputs_hash(ws, week: dt.date, config: Config) -> str:
    """What a week's roster depends on: the data revisions, the configuration, the week."""
    meta = ws.meta()
    content = {
        "week": week.isoformat(),
        "config": ws.config_hash,
        "solver": dataclasses.asdict(config.solver),
        **{k: meta.get(f"rev_{k}", "0") for k in ("history", "agents", "adjustments")},
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class JobResult:
    """What a run did: its id, exit code, message, and the version it wrote (if any)."""

    run_id: int
    exit_code: int
    message: str
    version: object | None = None
    summary: dict | None = None


def _no_op(stage: str, event: str, info: dict) -> None:
    return None


def _holder(ws, week: dt.date) -> Callable[[], str]:
    from wfm.store.versions import running_runs

    def describe() -> str:
        # the holder writes its log entry just after taking the lock: give it a moment
        deadline = time.monotonic() + HOLDER_GRACE_SEC
        runs = running_runs(ws, "roster", week)
        while not runs and time.monotonic() < deadline:
            time.sleep(0.1)
            runs = running_runs(ws, "roster", week)
        if not runs:
            return "another run (starting up)"
        r = runs[-1]
        stage = f", stage {r['stage']}" if r["stage"] else ""
        return (
            f"run {r['run_id']} (pid {r['pid']} on {r['host']}, started {r['started_at']}{stage})"
        )

    return describe


def run_roster_job(
    ws,
    week: dt.date,
    *,
    force: bool = False,
    wait_sec: float = 0.0,
    time_limit_sec: float | None = None,
    on_stage: StageCallback = _no_op,
) -> JobResult:
    """Run the weekly job for the week starting ``week`` (a Monday) in workspace ``ws``.

    Raises :class:`wfm.store.lock.LockedError` (exit 4) when another run holds the week and
    does not let go within ``wait_sec``. Errors after the lock is taken are logged in the run
    log with their exit code before they propagate.
    """
    from wfm.store.lock import WeekLock
    from wfm.store.versions import mark_abandoned_runs, start_run

    config = ws.config
    if time_limit_sec is not None:
        solver = dataclasses.replace(config.solver, time_limit_sec=float(time_limit_sec))
        config = dataclasses.replace(config, solver=solver)
    with WeekLock(ws, "roster", week).acquire(wait_sec, holder=_holder(ws, week)):
        abandoned = mark_abandoned_runs(ws, "roster", week)
        run_id = start_run(ws, "roster", week)
        try:
            return _run(ws, week, config, run_id, force, on_stage, abandoned)
        except WfmError as err:
            _fail(ws, run_id, err.exit_code, str(err))
            raise
        except KeyboardInterrupt:
            # Ctrl-C: a version is stored in one transaction, so none was, or a whole one
            _fail(ws, run_id, 130, f"interrupted{_stage_of(ws, week, run_id)}")
            raise
        except BaseException as err:
            _fail(ws, run_id, 1 if isinstance(err, Exception) else 130, repr(err))
            raise


def _stage_of(ws, week: dt.date, run_id: int) -> str:
    from wfm.store.versions import running_runs

    stages = [r["stage"] for r in running_runs(ws, "roster", week) if r["run_id"] == run_id]
    return f" in stage {stages[0]}" if stages and stages[0] else ""


def _fail(ws, run_id: int, code: int, message: str) -> None:
    from wfm.store.versions import finish_run

    finish_run(ws, run_id, status="failed", exit_code=code, message=message[:2000])


def _run(ws, week, config, run_id, force, on_stage, abandoned) -> JobResult:
    from wfm.pipeline import forecast, make_schedule, requirements
    from wfm.store.adjustments import list_adjustments, with_adjustments
    from wfm.store.read import load_agents, load_history
    from wfm.store.versions import finish_run, list_versions, save_version, update_run

    took_over = (
        f"took over from run {abandoned[-1]['run_id']} (pid {abandoned[-1]['pid']}), which "
        "ended without closing its log; "
        if abandoned
        else ""
    )
    digest = inputs_hash(ws, week, config)
    earlier = list_versions(ws, week)
    if earlier and earlier[-1].inputs_hash == digest and not force:
        last = earlier[-1]
        message = (
            f"{took_over}inputs unchanged since {last.label}, made {last.created_at}: no new "
            "version (--force to run again)"
        )
        finish_run(
            ws, run_id, status="unchanged", exit_code=0, message=message, version_id=last.version_id
        )
        return JobResult(run_id=run_id, exit_code=0, message=message, version=last)

    stages: list[dict] = []
    total = len(STAGES)

    def stage(name: str, **info):
        index = STAGES.index(name) + 1
        started = time.perf_counter()
        update_run(ws, run_id, stage=name)
        on_stage(name, "start", {"index": index, "total": total, **info})
        return started

    def done(name: str, started: float, **extra) -> None:
        sec = round(time.perf_counter() - started, 3)
        stages.append({"stage": name, "sec": sec, **extra})
        update_run(ws, run_id, stages=stages)
        on_stage(
            name, "end", {"index": STAGES.index(name) + 1, "total": total, "sec": sec, **extra}
        )

    t = stage("load")
    history = load_history(ws, end=week)
    agents = load_agents(ws)
    if history.empty:
        raise InputError(
            "the workspace holds no history before "
            f"{week}: import some with `wfm import history FILE`"
        )
    if agents.empty:
        raise InputError("the workspace holds no agents: import them with `wfm import agents FILE`")
    config = with_adjustments(config, list_adjustments(ws))
    done("load", t, history_rows=len(history), agents=len(agents))

    t = stage("forecast")
    fc = forecast(history, config, start=week)
    done("forecast", t, rows=len(fc.frame))

    t = stage("staffing")
    req = requirements(fc.frame, config)
    done("staffing", t, rows=len(req))

    t = stage("schedule", time_limit_sec=config.solver.time_limit_sec)
    run = make_schedule(req, config, week_start=week, agents=agents)
    summary = {**run.summary, "forecast_notes": list(fc.notes)}
    done("schedule", t, status=summary["status"], gap=summary.get("gap"))
    update_run(ws, run_id, solver_status=summary["status"], gap=summary.get("gap"))

    if run.frame is None:
        try:
            run.check_acceptable(config)
        except InfeasibleError as err:
            raise InfeasibleError(f"week {week}: {err}") from None
    try:
        run.check_rules()  # a roster breaking a hard rule is never stored, not even as a draft
    except InfeasibleError as err:
        raise InfeasibleError(f"week {week}: {err}; no version stored") from None

    t = stage("save")
    frames = {"schedule": run.frame, "requirements": req, "forecast": fc.frame}
    if run.coverage is not None:
        frames["coverage"] = run.coverage
    version = save_version(
        ws, week, mode=run.mode, summary=summary, frames=frames, inputs_hash=digest, run_id=run_id
    )
    done("save", t, version=version.version)

    gap = summary.get("gap")
    shown_gap = f"gap {100 * gap:.2f}%" if gap is not None else "no gap"
    message = (
        f"{took_over}{version.label}: {run.mode} {summary['status']}, {shown_gap}, cost "
        f"{summary['cost']:,.2f}, {summary['paid_hours']:,.1f} paid hours, "
        f"{summary['understaffed_intervals']} understaffed queue-intervals"
    )
    code = 0
    try:
        run.check_acceptable(config)
    except InfeasibleError as err:
        code, message = 3, f"{message}; {err}"
    finish_run(
        ws,
        run_id,
        status="succeeded" if code == 0 else "failed",
        exit_code=code,
        message=message,
        version_id=version.version_id,
    )
    return JobResult(
        run_id=run_id, exit_code=code, message=message, version=version, summary=summary
    )
