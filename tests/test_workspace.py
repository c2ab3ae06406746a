"""The workspace on both back ends (SQLite file, real PostgreSQL): init and upgrade, validated
and idempotent imports, the weekly roster job, versions, publish, export, status."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from wfm.cli import main
from wfm.store import (
    import_file,
    init_workspace,
    load_agents,
    load_history,
    migrate,
    open_workspace,
    row_counts,
)
from wfm.store.versions import list_runs, list_versions, publish_version, select_version

WEEK = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def small_files(tmp_path_factory) -> Path:
    """The small demo's files, with a configuration that solves in seconds."""
    folder = tmp_path_factory.mktemp("small-demo")
    assert main(["demo", "--out", str(folder), "--size", "small", "--files-only"]) == 0
    toml = folder / "wfm.toml"
    text = toml.read_text()
    text = re.sub(r"(?m)^time_limit_sec = .*$", "time_limit_sec = 4", text)
    text = re.sub(r"(?m)^roster_method = .*$", 'roster_method = "two_stage"', text)
    text = re.sub(r'(?m)^model = "auto"$', 'model = "weekly_profile"', text)
    toml.write_text(text)
    return folder


@pytest.fixture
def ws_dir(backend, small_files, tmp_path) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    shutil.copy(small_files / "wfm.toml", folder / "wfm.toml")
    return folder


def _imported(ws_dir: Path, small_files: Path):
    ws, _, _ = init_workspace(ws_dir)
    for kind in ("history", "actuals", "agents"):
        import_file(ws, kind, small_files / f"{kind}.csv")
    return ws


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _wfm(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wfm", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


# --------------------------------------------------------------------------- init


def test_init_creates_and_says_up_to_date(ws_dir, capsys):
    assert main(["init", str(ws_dir)]) == 0
    assert "created the workspace" in capsys.readouterr().out
    assert main(["init", str(ws_dir)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_init_upgrades_an_old_workspace_keeping_data(ws_dir, capsys):
    import sqlalchemy as sa

    from wfm.io.files import read_config
    from wfm.store.workspace import engine_for

    # a workspace at schema 1 with data in it: other commands refuse it, init upgrades it
    engine = engine_for(ws_dir, read_config(ws_dir / "wfm.toml"))
    assert migrate(engine, target=1) == (0, 1)
    with pytest.raises(Exception, match="run `wfm init"):
        open_workspace(ws_dir)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO agents VALUES ('X1','Ann','service','T',10,40,15,"
                "'Mon',0,1440,'','','',1)"
            )
        )
    assert main(["init", str(ws_dir)]) == 0
    assert "from schema 1 to 2; data kept" in capsys.readouterr().out
    assert load_agents(open_workspace(ws_dir))["agent_id"].tolist() == ["X1"]


def test_starter_config_loads(tmp_path, backend):
    ws, before, after = init_workspace(tmp_path / "new")
    assert (before, after) == (0, 2)
    assert ws.config.queue_names == ("service",)


# --------------------------------------------------------------------------- imports


def test_imports_round_trip_and_are_idempotent(ws_dir, small_files):
    from wfm.io.tables import read_agents, read_history

    ws = _imported(ws_dir, small_files)
    expected = read_history(small_files / "history.csv", ws.config).frame
    expected = expected.sort_values(["queue", "interval_start"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(load_history(ws), expected)
    agents = read_agents(small_files / "agents.csv", ws.config).frame
    pd.testing.assert_frame_equal(
        load_agents(ws), agents.sort_values("agent_id").reset_index(drop=True)
    )
    before = row_counts(ws)
    version = ws.data_version
    again = import_file(ws, "history", small_files / "history.csv")
    assert (again.inserted, again.replaced, again.unchanged) == (0, 0, len(expected))
    assert ws.data_version == version  # nothing changed: caches stay valid
    assert row_counts(ws) == {**before, "imports": before["imports"] + 1}


def test_newer_file_replaces_those_rows(ws_dir, small_files, tmp_path, capsys):
    ws = _imported(ws_dir, small_files)
    rows = _rows(small_files / "history.csv")
    changed = [r for r in rows if r["queue"] == "service" and r["offered"] not in ("", "0")][:7]
    for r in changed:
        r["offered"] = str(int(r["offered"]) + 1)
    newer = tmp_path / "history-newer.csv"
    with open(newer, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["import", "history", str(newer), "--workspace", str(ws_dir)]) == 0
    out = capsys.readouterr().out
    assert f"0 new, 7 replaced, {len(rows) - 7:,} unchanged" in out
    history = load_history(ws)
    total = history.loc[history["queue"] == "service", "offered"].sum()
    original = sum(
        float(r["offered"]) for r in _rows(small_files / "history.csv") if r["queue"] == "service"
    )
    assert total == original + 7
    from wfm.store.read import recent_imports

    last = recent_imports(ws, 1).iloc[0]
    assert (last["file_name"], last["rows"], last["replaced"]) == (
        "history-newer.csv",
        len(rows),
        7,
    )
    assert len(last["sha256"]) == 64


@pytest.mark.parametrize(
    ("kind", "source", "line", "column", "value"),
    [
        ("history", "history.csv", 40, "offered", "-3"),
        ("actuals", "actuals.csv", 900, "interval_start", "2026-11-24 10:07"),
        ("agents", "agents.csv", 12, "skills", "nosuchqueue"),
        ("agent-states", None, 3, "state", "dancing"),
    ],
)
def test_a_bad_file_imports_nothing(
    ws_dir, small_files, tmp_path, capsys, kind, source, line, column, value
):
    ws = _imported(ws_dir, small_files)
    if source is None:
        rows = [
            {
                "agent_id": "A001",
                "state": "available",
                "start": "2026-11-23T09:00",
                "end": "2026-11-23T09:30",
            }
            for _ in range(3)
        ]
        for i, r in enumerate(rows):
            r["start"] = f"2026-11-23T{9 + i:02d}:00"
            r["end"] = f"2026-11-23T{9 + i:02d}:30"
    else:
        rows = _rows(small_files / source)
    rows[line - 2][column] = value  # line 1 is the header
    bad = tmp_path / f"bad-{kind}.csv"
    with open(bad, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = row_counts(ws)
    version = ws.data_version
    assert main(["import", kind, str(bad), "--workspace", str(ws_dir)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and f"row {line}" in err and f"column '{column}'" in err
    assert row_counts(ws) == before
    assert ws.data_version == version


def test_agent_states_import_replaces_the_span(ws_dir, small_files, tmp_path):
    from wfm.store.read import load_agent_states

    ws = _imported(ws_dir, small_files)
    log = tmp_path / "states.csv"
    log.write_text(
        "agent_id,state,start,end\nA001,available,2026-11-23T09:00,2026-11-23T10:00\n"
        "A001,break,2026-11-23T10:00,2026-11-23T10:15\n"
    )
    first = import_file(ws, "agent-states", log)
    assert (first.inserted, first.replaced) == (2, 0)
    log.write_text("agent_id,state,start,end\nA001,available,2026-11-23T09:00,2026-11-23T10:15\n")
    second = import_file(ws, "agent-states", log)
    assert (second.inserted, second.replaced, second.removed) == (0, 1, 1)
    states = load_agent_states(ws)
    assert states[["agent_id", "state"]].values.tolist() == [["A001", "available"]]
    assert states["end"].iloc[0] == pd.Timestamp("2026-11-23 10:15", tz="Europe/London")


# --------------------------------------------------------------------------- the weekly job


def test_roster_versions_publish_export_status(ws_dir, small_files, tmp_path, capsys):
    _imported(ws_dir, small_files)
    w = ["--workspace", str(ws_dir)]
    assert main(["roster", "--week", "2026-11-26", *w]) == 0  # any date of the week
    out = capsys.readouterr()
    assert "version 1 of week 2026-11-23 (draft)" in out.out
    assert "[4/5] schedule" in out.err and "[5/5] save done" in out.err  # plain lines: no TTY
    assert main(["roster", "--week", "2026-11-23", *w]) == 0
    assert "inputs unchanged since version 1" in capsys.readouterr().out
    ws = open_workspace(ws_dir)
    assert [v.version for v in list_versions(ws, WEEK)] == [1]
    assert main(["roster", "--week", "2026-11-23", "--force", *w]) == 0
    assert main(["publish", "--week", "2026-11-23", "--version", "1", *w]) == 0
    capsys.readouterr()

    versions = list_versions(ws, WEEK)
    assert [(v.version, v.status) for v in versions] == [(1, "published"), (2, "draft")]
    # the later draft does not replace the published version
    assert select_version(ws, WEEK).version == 1
    out_csv = tmp_path / "out" / "schedule.csv"
    out_csv.parent.mkdir()  # an --out in a missing folder is an error (a typo)
    assert main(["export", "schedule", "--week", "2026-11-29", "--out", str(out_csv), *w]) == 0
    assert "version 1 of week 2026-11-23 (published)" in capsys.readouterr().out
    exported = pd.read_csv(out_csv)
    assert set(exported["agent_id"]) <= set(load_agents(ws)["agent_id"])
    assert list(exported.columns[:11]) == [
        "agent_id",
        "agent_name",
        "team",
        "date",
        "shift_start",
        "shift_end",
        "activity",
        "activity_start",
        "activity_end",
        "paid",
        "queue",
    ]
    cov = tmp_path / "cov.csv"
    assert (
        main(
            ["export", "coverage", "--week", "2026-11-23", "--version", "2", "--out", str(cov), *w]
        )
        == 0
    )
    assert list(pd.read_csv(cov).columns[:5]) == [
        "interval_start",
        "queue",
        "required",
        "scheduled",
        "gap",
    ]
    summary = tmp_path / "summary.json"
    assert main(["export", "summary", "--week", "2026-11-23", "--out", str(summary), *w]) == 0
    assert json.loads(summary.read_text())["status"] == versions[0].solver_status

    capsys.readouterr()
    assert main(["status", "--json", *w]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["agents"] == 30
    assert {(v["version"], v["status"]) for v in status["versions"]} == {
        (1, "published"),
        (2, "draft"),
    }
    assert [r["exit_code"] for r in status["runs"]][:3] == [0, 0, 0]
    stages = [s["stage"] for s in status["runs"][0]["stages"]]
    assert stages == ["load", "forecast", "staffing", "schedule", "save"]
    assert main(["status", *w]) == 0
    assert "week 2026-11-23 v1   published" in capsys.readouterr().out

    # publishing never changes a published version, and a bad version number is exit 2
    assert publish_version(ws, WEEK, 1).published_at == versions[0].published_at
    assert main(["publish", "--week", "2026-11-23", "--version", "9", *w]) == 2


def test_week_next_and_bad_week():
    from wfm.errors import InputError
    from wfm.job import resolve_week

    assert resolve_week("next", "Europe/London", today=dt.date(2026, 12, 6)) == dt.date(2026, 12, 7)
    assert resolve_week("next", "Europe/London", today=dt.date(2026, 12, 7)) == dt.date(
        2026, 12, 14
    )
    assert resolve_week("2026-12-13", "UTC") == dt.date(2026, 12, 7)
    with pytest.raises(InputError, match="--week"):
        resolve_week("tomorrow", "UTC")


def _wait_for_stage(ws_dir: Path, stage: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = list_runs(open_workspace(ws_dir), 1)
        if runs and runs[0]["status"] == "running" and runs[0]["stage"] == stage:
            return
        time.sleep(0.2)
    raise AssertionError(f"no run reached the {stage} stage")


def test_killed_run_leaves_data_and_no_lock(ws_dir, small_files):
    ws = _imported(ws_dir, small_files)
    w = ["--workspace", str(ws_dir), "--week", "2026-11-23"]
    assert _wfm("roster", *w).returncode == 0
    counts = row_counts(ws)
    job = subprocess.Popen(
        [sys.executable, "-m", "wfm", "roster", *w, "--force", "--time-limit-sec", "120"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_stage(ws_dir, "schedule")
    finally:
        job.send_signal(signal.SIGKILL)
        job.wait()
    assert job.returncode == -signal.SIGKILL
    assert row_counts(ws) == counts
    assert [v.version for v in list_versions(ws, WEEK)] == [1]
    done = _wfm("roster", *w, "--force")
    assert done.returncode == 0, done.stderr
    assert "took over from run 2" in done.stdout
    assert [v.version for v in list_versions(ws, WEEK)] == [1, 2]
    runs = {r["run_id"]: r["status"] for r in list_runs(ws, 5)}
    assert runs == {1: "succeeded", 2: "killed", 3: "succeeded"}


def test_two_runs_at_once_make_one_version(ws_dir, small_files):
    ws = _imported(ws_dir, small_files)
    cmd = [
        sys.executable,
        "-m",
        "wfm",
        "roster",
        "--workspace",
        str(ws_dir),
        "--week",
        "2026-11-23",
        "--time-limit-sec",
        "8",
    ]
    jobs = [
        subprocess.Popen(
            cmd, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(j.wait(timeout=300), *j.communicate()) for j in jobs]
    codes = sorted(r[0] for r in results)
    assert codes == [0, 4], results
    locked = next(r for r in results if r[0] == 4)
    assert re.search(r"week 2026-11-23 is locked by run \d+ \(pid \d+ on ", locked[2])
    assert [v.version for v in list_versions(ws, WEEK)] == [1]

    # with --wait, the second run waits for the first instead of exiting 4
    jobs = [
        subprocess.Popen(
            [*cmd, "--force", "--wait", "300"],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(j.wait(timeout=600), *j.communicate()) for j in jobs]
    assert [r[0] for r in results] == [0, 0], results
    assert [v.version for v in list_versions(ws, WEEK)] == [1, 2, 3]


def test_demo_is_a_ready_workspace(backend, tmp_path, capsys):
    from wfm.store import load_actuals

    folder = tmp_path / "demo"
    assert main(["demo", "--out", str(folder), "--size", "small", "--time-limit-sec", "3"]) == 0
    ws = open_workspace(folder)
    assert row_counts(ws)["agents"] == 30
    actuals = load_actuals(ws)
    assert actuals["interval_start"].min().date() == WEEK
    versions = list_versions(ws, WEEK)
    assert [(v.version, v.status) for v in versions] == [(1, "published")]
    # the commands work on it at once
    out = tmp_path / "schedule.csv"
    capsys.readouterr()
    assert (
        main(
            [
                "export",
                "schedule",
                "--week",
                "2026-11-23",
                "--out",
                str(out),
                "--workspace",
                str(folder),
            ]
        )
        == 0
    )
    assert "(published)" in capsys.readouterr().out
    assert len(pd.read_csv(out)) > 100
