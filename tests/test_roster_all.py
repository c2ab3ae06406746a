"""``wfm roster-all``: the weekly job of a network of generated sites on Dask, on a local
cluster and on a scheduler and workers of their own (loopback), with a worker killed mid-run,
a bad site, and Ctrl-C; every site's versions are checked in its own workspace."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wfm.cli import main
from wfm.store import open_workspace
from wfm.store.versions import list_runs, list_versions

WEEK_TEXT = "2026-11-23"
WEEK = dt.date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[1]
#: Generous: two cores shared with other work.
RUN_TIMEOUT_SEC = 600


def _env() -> dict[str, str]:
    """The environment of the processes a test starts: this checkout first on the path, so
    that worker processes import this wfm; SQLite workspaces."""
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.pop("WFM_DATABASE_URL", None)
    return env


@pytest.fixture(scope="session")
def network_template(tmp_path_factory) -> Path:
    """Four generated sites (workspaces with their files imported) and their sites file, with a
    configuration that solves in seconds."""
    saved = os.environ.pop("WFM_DATABASE_URL", None)
    try:
        out = tmp_path_factory.mktemp("network") / "net"
        assert main(["demo", "--sites", "4", "--out", str(out), "--time-limit-sec", "3"]) == 0
    finally:
        if saved is not None:
            os.environ["WFM_DATABASE_URL"] = saved
    for toml in out.glob("*/wfm.toml"):
        text = toml.read_text()
        text = re.sub(r"(?m)^roster_method = .*$", 'roster_method = "two_stage"', text)
        text = re.sub(r'(?m)^model = "auto"$', 'model = "weekly_profile"', text)
        toml.write_text(text)
    return out


@pytest.fixture
def network(network_template, tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("WFM_DATABASE_URL", raising=False)
    folder = tmp_path / "net"
    shutil.copytree(network_template, folder)
    return folder


def _site_folders(network: Path) -> list[Path]:
    return sorted(p.parent for p in network.glob("*/wfm.toml"))


def _versions(folder: Path) -> list[tuple[int, str]]:
    ws = open_workspace(folder)
    try:
        week = list_versions(ws, WEEK)
        return [(v.version, v.status) for v in week]
    finally:
        ws.engine.dispose()


def _roster_all(network: Path, *args: str, timeout: float = RUN_TIMEOUT_SEC):
    return subprocess.run(
        [sys.executable, "-m", "wfm", "roster-all", "--sites", str(network / "sites.toml"),
         "--week", WEEK_TEXT, *args],
        capture_output=True, text=True, timeout=timeout, env=_env(),
    )  # fmt: skip


def _summary(network: Path) -> dict:
    return json.loads((network / "roster-all-summary.json").read_text())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(cmd: list[str], log: Path) -> subprocess.Popen:
    """A process in a session of its own (so a kill reaches its children too)."""
    handle = open(log, "w")  # noqa: SIM115 - closed with the process in _stop
    proc = subprocess.Popen(
        cmd, env=_env(), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log_handle = handle
    return proc


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    proc.log_handle.close()


@pytest.fixture
def dask_cluster(tmp_path):
    """A ``dask scheduler`` and two ``dask worker`` processes on the loopback address, each a
    process of its own; yields (address, [worker processes]); all stopped at the end."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    try:
        procs.append(
            _start(
                [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                 "--port", str(port), "--no-dashboard"],
                tmp_path / "scheduler.log",
            )
        )  # fmt: skip
        workers = [
            _start(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                 "--nworkers", "1", "--no-dashboard", "--name", f"w{i}"],
                tmp_path / f"worker{i}.log",
            )
            for i in range(2)
        ]  # fmt: skip
        procs.extend(workers)
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=10) as client:
                    client.wait_for_workers(2, timeout=120)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address, workers
    finally:
        for proc in reversed(procs):
            _stop(proc)


# --------------------------------------------------------------------------- local cluster


def test_local_cluster_rosters_every_site_in_its_own_workspace(network):
    done = _roster_all(network, "--local", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    # one progress line per site as it finishes, then the table
    assert len(re.findall(r"\[\d/4 done, \d running, \d waiting, 0 failed\]", done.stdout)) == 4
    assert "4 sites: 4 done; makespan" in done.stdout
    summary = _summary(network)
    assert summary["exit_code"] == 0
    assert summary["counts"] == {"done": 4, "unchanged": 0, "unacceptable": 0, "failed": 0}
    assert summary["workers"] == 2
    # largest first (agents x intervals), within each priority
    rows = summary["sites"]
    keys = [(-r["agents"] * r["intervals"]) for r in rows]
    assert keys == sorted(keys)
    assert summary["makespan_sec"] >= summary["makespan_bound_sec"] * 0.5
    for folder in _site_folders(network):
        assert _versions(folder) == [(1, "draft")]
        ws = open_workspace(folder)
        runs = list_runs(ws, 5)
        ws.engine.dispose()
        assert [r["status"] for r in runs] == ["succeeded"]

    # again: every site's inputs are unchanged, nothing new (each site's own versioning)
    again = _roster_all(network, "--local", "1")
    assert again.returncode == 0, again.stdout + again.stderr
    assert _summary(network)["counts"]["unchanged"] == 4
    for folder in _site_folders(network):
        assert _versions(folder) == [(1, "draft")]

    # and by hand on one site: a new version after the network's, no clash
    one = _site_folders(network)[0]
    by_hand = subprocess.run(
        [sys.executable, "-m", "wfm", "roster", "--workspace", str(one), "--week", WEEK_TEXT,
         "--force"],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_SEC, env=_env(),
    )  # fmt: skip
    assert by_hand.returncode == 0, by_hand.stderr
    assert _versions(one) == [(1, "draft"), (2, "draft")]


def test_bad_site_is_reported_with_its_location_and_the_others_succeed(network):
    bad = _site_folders(network)[1]
    toml = bad / "wfm.toml"
    text = toml.read_text()
    toml.write_text(re.sub(r"(?m)^service_level = 0\.80$", "service_level = 1.5", text, count=1))
    bad_row = 1 + toml.read_text().splitlines().index("service_level = 1.5")
    sites = network / "sites.toml"
    sites.write_text(
        sites.read_text()
        + '\n[[sites]]\nname = "Nowhere"\nworkspace = "no-such-folder"\npriority = 3\n'
    )
    done = _roster_all(network, "--local", "2")
    assert done.returncode == 5, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    summary = _summary(network)
    assert summary["exit_code"] == 5
    bad_name = next(r["name"] for r in summary["sites"] if r["workspace"] == str(bad))
    assert sorted(summary["failed"]) == sorted([bad_name, "Nowhere"])
    location = f"{toml}, line {bad_row}, key 'queues[0].service_level'"
    message = next(r["message"] for r in summary["sites"] if r["name"] == bad_name)
    assert message.startswith(location), message
    assert f"{bad_name}: no roster: {location}" in done.stderr
    assert "Nowhere: no roster: " in done.stderr and "no wfm.toml here" in done.stderr
    assert summary["counts"]["done"] == 3
    toml.write_text(text)  # the bad site, repaired, has nothing of the run
    for folder in _site_folders(network):
        assert _versions(folder) == ([] if folder == bad else [(1, "draft")])


def test_bad_sites_file_is_exit_2_before_any_cluster(network):
    sites = network / "sites.toml"
    text = sites.read_text() + '\n[[sites]]\nname = "London 01"\nworkspace = "x"\n'
    sites.write_text(text)
    line = len(text.splitlines()) - 1  # the appended table's name line
    done = _roster_all(network, "--local", "1", timeout=120)
    assert done.returncode == 2
    assert re.search(
        rf"sites\.toml, line {line}, key 'sites\[5\]\.name': site name 'London 01' appears",
        done.stderr,
    )


# --------------------------------------------------------------------------- own processes


def test_scheduler_and_workers_of_their_own(network, dask_cluster):
    address, _ = dask_cluster
    done = _roster_all(network, "--scheduler", address)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = _summary(network)
    assert summary["scheduler"] == address
    assert summary["workers"] == 2
    assert summary["counts"]["done"] == 4
    assert len({r["worker"] for r in summary["sites"]}) == 2  # both workers took sites
    for folder in _site_folders(network):
        assert _versions(folder) == [(1, "draft")]


def _running_pid(folders: list[Path], stage: str | None = None) -> int | None:
    """The pid of a process running a site's job (at ``stage``, if given), else None."""
    for folder in folders:
        ws = open_workspace(folder)
        try:
            for r in list_runs(ws, 5):
                if r["status"] == "running" and r["stage"] and stage in (None, r["stage"]):
                    return int(r["pid"])
        finally:
            ws.engine.dispose()
    return None


def test_a_worker_killed_mid_run_has_its_site_rescheduled(network, dask_cluster):
    address, workers = dask_cluster
    folders = _site_folders(network)
    cmd = [sys.executable, "-m", "wfm", "roster-all", "--sites", str(network / "sites.toml"),
           "--week", WEEK_TEXT, "--scheduler", address, "--time-limit-sec", "6"]  # fmt: skip
    job = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while (pid := _running_pid(folders, "schedule")) is None:
            assert job.poll() is None, job.communicate()
            assert time.monotonic() < deadline, "no site reached its solve"
            time.sleep(0.1)
        group = os.getpgid(pid)  # the worker's session: its nanny and the worker process
        assert group in {w.pid for w in workers}
        os.killpg(group, signal.SIGKILL)
        out, err = job.communicate(timeout=RUN_TIMEOUT_SEC)
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    assert job.returncode == 0, out + err
    summary = _summary(network)
    assert summary["counts"]["done"] == 4
    killed = 0
    for folder in folders:
        assert _versions(folder) == [(1, "draft")]
        ws = open_workspace(folder)
        runs = list_runs(ws, 5)
        ws.engine.dispose()
        assert any(r["status"] == "succeeded" for r in runs)
        killed += any(r["status"] == "killed" for r in runs)
    # the site the dead worker was solving ran again on the other, taking over its run log
    assert killed == 1
    assert str(pid) not in {r["worker"].split(":")[1] for r in summary["sites"]}


# --------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_stops_with_130_and_leaves_workspaces_consistent(network):
    cmd = [sys.executable, "-m", "wfm", "roster-all", "--sites", str(network / "sites.toml"),
           "--week", WEEK_TEXT, "--local", "1", "--time-limit-sec", "20"]  # fmt: skip
    job = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, start_new_session=True)  # fmt: skip
    folders = _site_folders(network)
    try:
        deadline = time.monotonic() + 300
        while _running_pid(folders) is None:
            assert job.poll() is None, job.communicate()
            assert time.monotonic() < deadline, "no site started"
            time.sleep(0.2)
        os.killpg(job.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
        out, err = job.communicate(timeout=180)
    finally:
        if job.poll() is None:
            os.killpg(job.pid, signal.SIGKILL)
            job.wait()
    assert job.returncode == 130, out + err
    assert "Traceback" not in err
    summary = _summary(network)
    assert summary["interrupted"] is True and summary["exit_code"] == 130
    for folder in folders:
        # no half-written version: each site has none, or a whole one that reads back
        ws = open_workspace(folder)
        versions = list_versions(ws, WEEK)
        ws.engine.dispose()
        assert [v.version for v in versions] in ([], [1])
    # the next run takes over whatever was left running and rosters every site
    done = _roster_all(network, "--local", "2", "--time-limit-sec", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    for folder in folders:
        assert _versions(folder) == [(1, "draft")]
