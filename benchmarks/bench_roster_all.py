"""Benchmark: the weekly roster job of a network of 16 generated sites, on Dask.

What a user runs: ``wfm demo --sites 16 --time-limit-sec T`` (the generated sites' own
``wfm.toml``, the demo's ``price_dive`` roster and ``auto`` forecast, only the time limit
shortened, default T = 4 s, so that the whole benchmark stays near 10 minutes), then

1. the sites one after another in this one process: :func:`wfm.network.roster_site` (the
   function each Dask task runs, one solver thread) in the LPT order, no Dask;
2. ``wfm roster-all --sites sites.toml --week 2026-11-23 --local 1 --force``;
3. the same with ``--local 2``.

Prints the time per site (median and range), the makespans and their ratio, the makespan's
lower bound from the measured site times, the overhead of Dask (one worker against the
sequential run, per site), the command's wall time (with the cluster's start), the load
(``uptime``) before and after, and what 500 such sites would need. Figures:
``docs/benchmarks.md``.

    .venv/bin/python benchmarks/bench_roster_all.py [--sites 16] [--time-limit-sec 4]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wfm.cli import main as wfm_main  # noqa: E402
from wfm.network import lpt_order, read_sites, roster_site, site_size  # noqa: E402

WEEK = "2026-11-23"


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _spread(values: list[float]) -> str:
    return (
        f"{statistics.median(values):.1f} s ({min(values):.1f}-{max(values):.1f}, "
        f"{len(values)} sites)"
    )


def _roster_all(sites_file: Path, workers: int) -> tuple[float, dict]:
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    summary = sites_file.parent / f"summary-{workers}.json"
    cmd = [sys.executable, "-m", "wfm", "roster-all", "--sites", str(sites_file), "--week",
           WEEK, "--local", str(workers), "--force", "--summary-out", str(summary)]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 3):
        print(done.stdout, done.stderr, file=sys.stderr)
        raise SystemExit(f"roster-all --local {workers} exited {done.returncode}")
    return wall, json.loads(summary.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=16)
    parser.add_argument("--time-limit-sec", type=float, default=4.0)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", DeprecationWarning)
    print(f"load before: {_load()}")
    with tempfile.TemporaryDirectory(prefix="bench-roster-all-") as tmp:
        out = Path(tmp) / "net"
        code = wfm_main(["demo", "--sites", str(args.sites), "--out", str(out),
                         "--time-limit-sec", f"{args.time_limit_sec:g}"])  # fmt: skip
        assert code == 0
        sites_file = out / "sites.toml"
        sites = read_sites(sites_file)
        sizes = {s.name: site_size(s) for s in sites}
        agents = [sizes[s.name].agents for s in sites]
        print(f"{len(sites)} sites, {min(agents)}-{max(agents)} agents, time limit "
              f"{args.time_limit_sec:g} s")  # fmt: skip

        started = time.perf_counter()
        sequential = [roster_site(s, WEEK, force=True) for s in lpt_order(sites, sizes)]
        seq_total = time.perf_counter() - started
        bad = [r for r in sequential if r.status not in ("done", "unacceptable")]
        assert not bad, bad
        seq_times = [r.sec for r in sequential]
        print(f"sequential, one process: {seq_total:.1f} s; per site {_spread(seq_times)}")

        runs = {}
        for workers in (1, 2):
            wall, summary = _roster_all(sites_file, workers)
            runs[workers] = summary
            times = [r["sec"] for r in summary["sites"]]
            gaps = [r["gap"] for r in summary["sites"] if r["gap"] is not None]
            gap = f"median gap {100 * statistics.median(gaps):.2f}%" if gaps else "no gaps"
            print(
                f"--local {workers}: makespan {summary['makespan_sec']:.1f} s (lower bound "
                f"{summary['makespan_bound_sec']:.1f} s), command {wall:.1f} s with the "
                f"cluster's start; per site {_spread(times)}; {summary['counts']}; {gap}"
            )
        m1, m2 = runs[1]["makespan_sec"], runs[2]["makespan_sec"]
        print(f"makespan ratio 1 worker / 2 workers: {m1 / m2:.2f}")
        overhead = m1 - seq_total
        print(
            f"Dask overhead (1 worker against sequential): {overhead:+.1f} s in all, "
            f"{overhead / len(sites):+.2f} s per site ({100 * overhead / seq_total:+.1f}%)"
        )
        # on one worker the sites run back to back: what the makespan adds to their sum is
        # Dask's own dispatch (submission, scheduling, results back)
        dispatch = m1 - sum(r["sec"] for r in runs[1]["sites"])
        print(f"Dask dispatch on 1 worker (makespan - sum of site times): {dispatch:+.2f} s")
        per_site = statistics.mean(r["sec"] for r in runs[2]["sites"])
        worker_hours = 500 * per_site / 3600
        print(
            f"500 such sites: {worker_hours:.1f} worker-hours at {per_site:.1f} s a site; "
            f"{math.ceil(worker_hours)} workers for a 1-hour window, "
            f"{math.ceil(worker_hours / 4)} for 4 hours"
        )
    print(f"load after: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
