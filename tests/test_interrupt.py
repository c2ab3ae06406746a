"""Ctrl-C (SIGINT) in the middle of a roster solve: exit 130, nothing the user had is changed.

Each test starts the real command in a subprocess, waits for its stage marker (a line on
stderr, or the run log's stage) rather than for a fixed time, then interrupts it: ``wfm
schedule`` leaves the old ``--out`` file as it was; ``wfm roster`` stores no version and
releases the week's lock, so the next run works; the dashboard's background run likewise.
Timeouts are generous: the machine may be loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wfm.cli import main
from wfm.errors import InputError
from wfm.store import open_workspace
from wfm.store.versions import list_runs, list_versions

WEEK = dt.date(2026, 11, 23)
TIMEOUT_SEC = 300  # for any one step, on a loaded machine
#: A solve far longer than the test: the interrupt always lands inside it.
LONG_SOLVE_SEC = "120"


class Watched:
    """A subprocess whose stderr is read line by line as it comes."""

    def __init__(self, command: list[str], cwd: Path | None = None) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            command,
            env=os.environ.copy(),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self._seen = threading.Event()
        self._marker = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)
            if self._marker and self._marker in line:
                self._seen.set()

    def interrupt_after(self, marker: str) -> int:
        """Wait for ``marker`` on stderr, send SIGINT, return the exit code."""
        self._marker = marker
        if any(marker in line for line in self.lines):
            self._seen.set()
        deadline = time.monotonic() + TIMEOUT_SEC
        while not self._seen.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"no {marker!r} on stderr: {''.join(self.lines)}")
        time.sleep(1.0)  # from the marker into the solve itself
        self.process.send_signal(signal.SIGINT)
        self.process.stdout.read()
        code = self.process.wait(TIMEOUT_SEC)
        self._reader.join(TIMEOUT_SEC)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.lines)


def _wfm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wfm", *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SEC,
    )


@pytest.fixture(scope="module")
def roster_files(tmp_path_factory):
    """The small demo centre's config (a long time limit), agents and requirements."""
    from wfm.io.files import read_config
    from wfm.io.tables import read_history, write_requirements
    from wfm.pipeline import forecast, requirements

    folder = tmp_path_factory.mktemp("files")
    assert main(["demo", "--size", "small", "--out", str(folder), "--files-only"]) == 0
    config = read_config(folder / "wfm.toml")
    history = read_history(folder / "history.csv", config).frame
    fast = dataclasses.replace(config, forecast=dataclasses.replace(config.forecast, n_windows=1))
    req = requirements(forecast(history, fast, start=WEEK).frame, config)
    write_requirements(req, folder / "requirements.csv")
    text = (folder / "wfm.toml").read_text()
    lines = [
        f"time_limit_sec = {LONG_SOLVE_SEC}" if line.startswith("time_limit_sec") else line
        for line in text.splitlines()
    ]
    (folder / "wfm.toml").write_text("\n".join(lines) + "\n")
    return folder


def test_schedule_interrupted_leaves_the_old_file(roster_files, tmp_path):
    out = tmp_path / "roster.csv"
    old = "agent_id,note\nA1,the roster the manager already has\n"
    out.write_text(old)
    job = Watched([sys.executable, "-m", "wfm", "schedule",
                   "--requirements", str(roster_files / "requirements.csv"),
                   "--config", str(roster_files / "wfm.toml"),
                   "--agents", str(roster_files / "agents.csv"),
                   "--week", WEEK.isoformat(), "--out", str(out),
                   "--summary-out", str(tmp_path / "summary.json")])  # fmt: skip
    assert job.interrupt_after("wfm schedule: solving the roster") == 130, job.stderr
    assert out.read_text() == old
    assert not (tmp_path / "summary.json").exists()
    assert "Traceback" not in job.stderr
    assert job.stderr.rstrip().endswith("wfm schedule: interrupted")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]  # no temp file left


@pytest.fixture
def workspace(app_workspace, tmp_path):
    """A copy of the seeded small demo workspace (week 2026-11-23 rostered once)."""
    folder = tmp_path / "ws"
    shutil.copytree(app_workspace, folder, ignore=shutil.ignore_patterns(".wfm-locks"))
    return folder


def _versions(folder: Path) -> list[int]:
    return [v.version for v in list_versions(open_workspace(folder), WEEK)]


def _next_run_works(folder: Path, before: list[int]) -> None:
    done = _wfm("roster", "--workspace", str(folder), "--week", WEEK.isoformat(), "--force",
                "--time-limit-sec", "3")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "took over" not in done.stdout  # the interrupted run closed its log itself
    assert _versions(folder) == [*before, before[-1] + 1]


def test_roster_interrupted_stores_no_version_and_releases_the_lock(workspace):
    before = _versions(workspace)
    job = Watched([sys.executable, "-m", "wfm", "roster", "--workspace", str(workspace),
                   "--week", WEEK.isoformat(), "--force",
                   "--time-limit-sec", LONG_SOLVE_SEC])  # fmt: skip
    assert job.interrupt_after("schedule started") == 130, job.stderr
    assert "Traceback" not in job.stderr
    assert job.stderr.rstrip().endswith("wfm roster: interrupted")
    assert _versions(workspace) == before
    last = list_runs(open_workspace(workspace), 1)[0]
    assert (last["status"], last["exit_code"]) == ("failed", 130)
    assert last["message"] == "interrupted in stage schedule"
    _next_run_works(workspace, before)


def test_dashboard_background_run_stopped_leaves_the_workspace_consistent(workspace):
    """The Schedule page's "Stop run" (``views.stop_run``, SIGINT by the run log's pid)."""
    from wfm import views

    ws = open_workspace(workspace)
    before = _versions(workspace)
    process, log = views.start_roster_process(workspace, WEEK, time_limit_sec=float(LONG_SOLVE_SEC))
    try:
        deadline = time.monotonic() + TIMEOUT_SEC
        while True:  # the stage as the Schedule page sees it
            run = views.roster_busy(ws, WEEK)
            if run is not None and run["stage"] == "schedule":
                break
            assert process.poll() is None, views.log_tail(log)
            assert time.monotonic() < deadline, "the run never reached the schedule stage"
            time.sleep(0.2)
        time.sleep(1.0)
        views.stop_run(run)
        assert process.wait(TIMEOUT_SEC) == 130
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in log.read_text()
    assert views.roster_busy(ws, WEEK) is None  # the page offers "Generate" again
    assert _versions(workspace) == before
    last = list_runs(ws, 1)[0]
    assert (last["status"], last["exit_code"]) == ("failed", 130)
    assert last["message"] == "interrupted in stage schedule"
    again, _ = views.start_roster_process(workspace, WEEK, time_limit_sec=3.0)
    assert again.wait(TIMEOUT_SEC) == 0
    assert _versions(workspace) == [*before, before[-1] + 1]


def test_a_run_on_another_machine_is_not_stopped_here():
    from wfm import views

    run = {"run_id": 7, "pid": os.getpid(), "host": "cron-host-2"}
    with pytest.raises(InputError, match=r"run 7 runs on cron-host-2.*kill -INT"):
        views.stop_run(run)
