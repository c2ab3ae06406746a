"""Benchmark: ``wfm import history`` of a 1-million-row ACD history into a workspace.

What a user runs: ``wfm init DIR`` then ``wfm import history FILE --workspace DIR``, each as a
separate process, timed from the outside (start-up, validation, the transaction). The file:
10 voice queues x 100,000 quarter-hours (about 2.9 years), every optional ACD column filled.
Three imports into a fresh workspace, then three re-imports of the same file (every row
unchanged) and one of a file with a tenth of its rows changed.

Back end: the embedded SQLite file by default; ``--database-url URL`` (or
``WFM_TEST_DATABASE_URL``) runs the same against PostgreSQL too, each run in a fresh schema.

Run: ``.venv/bin/python benchmarks/bench_import.py [--rows N]``. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

QUEUES = 10
SEED = 2026

CONFIG = """
[site]
name = "Import benchmark"
timezone = "UTC"
interval_minutes = 15
"""
QUEUE = """
[[queues]]
name = "q{i}"
channel = "voice"
service_level = 0.8
threshold_sec = 20
"""


def history_csv(path: Path, rows: int, *, changed_share: float = 0.0) -> None:
    """Write ``rows`` interval rows (``QUEUES`` queues) with every optional ACD column."""
    rng = np.random.default_rng(SEED)
    per_queue = rows // QUEUES
    starts = pd.date_range("2024-01-01", periods=per_queue, freq="15min", tz="UTC")
    offered = rng.poisson(30, (QUEUES, per_queue))
    if changed_share:
        flip = rng.random((QUEUES, per_queue)) < changed_share
        offered = offered + flip
    answered = np.minimum(offered, rng.binomial(offered, 0.93))
    frame = pd.DataFrame(
        {
            "interval_start": np.tile(starts.strftime("%Y-%m-%dT%H:%M:%S+00:00"), QUEUES),
            "queue": np.repeat([f"q{i}" for i in range(QUEUES)], per_queue),
            "offered": offered.ravel(),
            "answered": answered.ravel(),
            "abandoned": (offered - answered).ravel(),
            "answered_within_threshold": rng.binomial(answered, 0.8).ravel(),
            "handle_time_total_sec": (answered * 300).ravel(),
            "staffed_agents": rng.integers(5, 40, QUEUES * per_queue),
        }
    )
    frame.to_csv(path, index=False)


def _wfm(*args: str, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wfm", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"wfm {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return elapsed


def _fresh_env(url: str | None) -> tuple[dict, callable]:
    env = {k: v for k, v in os.environ.items() if k != "WFM_DATABASE_URL"}
    if url is None:
        return env, lambda: None
    import sqlalchemy as sa

    name = f"bench_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    env["WFM_DATABASE_URL"] = f"{url}?options=-csearch_path%3D{name}"

    def drop() -> None:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))

    return env, drop


def _spread(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):6.1f} s  (min {min(times):.1f}, "
        f"max {max(times):.1f}, n={len(times)})"
    )


def bench(label: str, url: str | None, file: Path, changed: Path, rows: int) -> None:
    first, again = [], []
    changed_times = []
    for _ in range(3):
        folder = Path(tempfile.mkdtemp(prefix="wfm-bench-import-"))
        env, drop = _fresh_env(url)
        try:
            (folder / "wfm.toml").write_text(
                CONFIG + "".join(QUEUE.format(i=i) for i in range(QUEUES))
            )
            _wfm("init", str(folder), env=env)
            ws = ["--workspace", str(folder)]
            first.append(_wfm("import", "history", str(file), *ws, env=env))
            again.append(_wfm("import", "history", str(file), *ws, env=env))
            if not changed_times:
                changed_times.append(_wfm("import", "history", str(changed), *ws, env=env))
        finally:
            drop()
            shutil.rmtree(folder, ignore_errors=True)
    print(f"{label}: {rows:,} rows")
    print(f"  first import   {_spread(first)}  {rows / statistics.median(first):,.0f} rows/s")
    print(f"  same file      {_spread(again)}  (every row unchanged)")
    print(f"  10% changed    {_spread(changed_times)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get("WFM_TEST_DATABASE_URL"))
    args = parser.parse_args()
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        file, changed = Path(tmp) / "history.csv", Path(tmp) / "history-changed.csv"
        history_csv(file, args.rows)
        history_csv(changed, args.rows, changed_share=0.1)
        print(f"file {file.stat().st_size / 1e6:.0f} MB")
        bench("SQLite (embedded)", None, file, changed, args.rows)
        if args.database_url:
            bench("PostgreSQL", args.database_url, file, changed, args.rows)


if __name__ == "__main__":
    main()
