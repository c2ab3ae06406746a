"""The weekly job seen from the dashboard: its progress from the run log, started as a
background process."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = [
    "RUNS_FOLDER",
    "log_tail",
    "roster_busy",
    "run_progress",
    "start_roster_process",
    "stop_run",
    "week_runs",
]

#: Folder in the workspace for the logs of runs the dashboard starts.
RUNS_FOLDER = ".wfm-runs"


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


def stop_run(run: dict) -> None:
    """Ask a running job to stop, as Ctrl-C does: SIGINT to its process (``pid`` of the run
    log). The job stores nothing, logs the run as interrupted in its stage and releases the
    week's lock; the solver stops at its next check, usually within seconds.

    Raises :class:`~wfm.errors.InputError` when the run is on another machine (the run log's
    ``host``): a signal reaches only this machine's processes.
    """
    from wfm.errors import InputError

    here = socket.gethostname()
    if run.get("host") != here:
        raise InputError(
            f"run {run['run_id']} runs on {run.get('host')}, not on {here}: stop it there "
            f"(Ctrl-C, or kill -INT {run['pid']})"
        )
    with contextlib.suppress(ProcessLookupError):  # it ended in the meantime
        os.kill(int(run["pid"]), signal.SIGINT)


def log_tail(path: str | os.PathLike, lines: int = 20) -> str:
    """The last ``lines`` lines of a run's log ("" when it cannot be read)."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
