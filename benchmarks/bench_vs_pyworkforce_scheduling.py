"""Shift plan side by side with pyworkforce's ``MinRequiredResources`` on the same requirements.

Common ground (pyworkforce's model has no breaks, no overnight shifts, no skills and integer
requirements): one voice queue over a week, shifts that start and end on the same day, the
requirement rounded up to whole agents for both, coverage hard (never understaffed), cost 1 per
shift. pyworkforce solves it with OR-Tools CP-SAT, ``wfm`` with its shift-plan model (HiGHS,
and CBC). Printed: shifts, total over- and understaffing (agent-hours), seconds, and the ratio.

The requirements are a seeded synthetic week (double-peak weekday profile, quieter weekend,
07:00-22:00 opening) so the benchmark runs without external data.

Usage::

    .venv/bin/python benchmarks/bench_vs_pyworkforce_scheduling.py [--interval 30] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# pyworkforce's OR-Tools and highspy ship clashing HiGHS symbols: they cannot share a process,
# so pyworkforce runs in a child process that never imports PuLP (see ``--pyworkforce-worker``).


def synthetic_week(interval: int, seed: int) -> np.ndarray:
    """Agents required per interval, shape (7, periods), whole numbers, 07:00-22:00 open."""
    rng = np.random.default_rng(seed)
    periods = 1440 // interval
    hours = (np.arange(periods) + 0.5) * interval / 60
    profile = 14 * np.exp(-((hours - 10.5) ** 2) / 4) + 11 * np.exp(-((hours - 15.5) ** 2) / 6) + 3
    profile[(hours < 7) | (hours >= 22)] = 0
    days = []
    for day in range(7):
        scale = 1.0 if day < 5 else 0.55
        noise = rng.normal(0, 1.0, periods)
        days.append(np.ceil(np.clip(profile * scale + noise, 0, None)) * (profile > 0))
    return np.array(days)


def shift_set(interval: int) -> list[tuple[int, int]]:
    """``(start_min, length_min)``: starts 07:00-14:00 every 30 min, 4/6/8 h, ending by 22:00."""
    return [
        (start, hours * 60)
        for start in range(7 * 60, 14 * 60 + 1, max(30, interval))
        for hours in (4, 6, 8)
        if start + hours * 60 <= 22 * 60
    ]


def run_pyworkforce(required: np.ndarray, interval: int, limit: float) -> dict:
    """Run :func:`pyworkforce_worker` in a child process (see the import note above)."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "required.npy", Path(tmp) / "out.json"
        np.save(source, required)
        subprocess.run(
            [sys.executable, __file__, "--pyworkforce-worker", str(source), str(target),
             str(interval), str(limit)],
            check=True,
        )  # fmt: skip
        out = json.loads(target.read_text())
    out["cover"] = np.array(out["cover"])
    return out


def pyworkforce_worker(required: np.ndarray, interval: int, limit: float) -> dict:
    from pyworkforce.scheduling import MinRequiredResources

    periods = 1440 // interval
    coverage = {}
    for start, length in shift_set(interval):
        row = np.zeros(periods, dtype=int)
        row[start // interval : (start + length) // interval] = 1
        coverage[f"s{start}_{length}"] = row.tolist()
    started = time.perf_counter()
    scheduler = MinRequiredResources(
        num_days=7,
        periods=periods,
        shifts_coverage=coverage,
        required_resources=required.astype(int).tolist(),
        max_period_concurrency=int(required.max() * 3),
        max_shift_concurrency=int(required.max()),
        max_search_time=limit,
        num_search_workers=1,
    )
    solution = scheduler.solve()
    seconds = time.perf_counter() - started
    cover = np.zeros_like(required)
    shifts = 0
    for item in solution["resources_shifts"]:
        if item["resources"] <= 0:
            continue
        start, length = (int(v) for v in item["shift"][1:].split("_"))
        cover[item["day"], start // interval : (start + length) // interval] += item["resources"]
        shifts += item["resources"]
    return {"status": solution["status"], "shifts": shifts, "cover": cover.tolist(), "sec": seconds}


def run_wfm(
    required: np.ndarray, interval: int, limit: float, solver: str, overstaff: float = 0.0
) -> dict:
    from solvers.problem import AgentGroup, QueueDemand, ScheduleProblem, generate_variants
    from solvers.shift_plan import solve_problem
    from wfm.axis import week_axis
    from wfm.config import Rules, ShiftTemplate, SolverOptions

    axis = week_axis("2026-11-30", "UTC", interval)
    templates = [
        ShiftTemplate(
            f"s{start}_{length}",
            f"{start // 60:02d}:{start % 60:02d}",
            f"{start // 60:02d}:{start % 60:02d}",
            (length / 60,),
            cost=1.0,
        )
        for start, length in shift_set(interval)
    ]
    problem = ScheduleProblem(
        axis=axis,
        interval_minutes=interval,
        cyclic=False,
        queues=(QueueDemand("voice", "voice", required.reshape(-1)),),
        variants=generate_variants(templates, axis, interval, cyclic=False),
        groups=(AgentGroup("agents", ("*",)),),
        rules=Rules(hard_coverage=True, overstaff_penalty=overstaff),
    )
    options = SolverOptions(name=solver, time_limit_sec=limit, gap=0.0, threads=1)
    started = time.perf_counter()
    result = solve_problem(problem, options)
    seconds = time.perf_counter() - started
    cover = result.assignment.sum(axis=(0, 1)).reshape(7, -1)
    shifts = sum(s.count for s in result.shifts)
    return {"status": result.status.value, "shifts": shifts, "cover": cover, "sec": seconds}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--pyworkforce-worker":
        source, target, interval, limit = argv[1:5]
        out = pyworkforce_worker(np.load(source), int(interval), float(limit))
        Path(target).write_text(json.dumps(out))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit-sec", type=float, default=60.0)
    args = parser.parse_args(argv)
    required = synthetic_week(args.interval, args.seed)
    hours = args.interval / 60
    print(
        f"week of {args.interval}-min intervals, {len(shift_set(args.interval))} shifts a day, "
        f"{required.sum() * hours:.0f} agent-hours required, peak {required.max():.0f}",
        flush=True,
    )
    runs = {
        "pyworkforce MinRequiredResources (CP-SAT)": run_pyworkforce(
            required, args.interval, args.limit_sec
        ),
        "wfm shift plan (HiGHS)": run_wfm(required, args.interval, args.limit_sec, "highs"),
        "wfm shift plan (CBC)": run_wfm(required, args.interval, args.limit_sec, "cbc"),
        # same plan cost; a tiny overstaffing weight picks, among the cheapest plans, the
        # one closest to the requirement (1e-3 per agent-interval < 1 shift)
        "wfm shift plan (HiGHS, overstaff tie-break)": run_wfm(
            required, args.interval, args.limit_sec, "highs", overstaff=1e-3
        ),
    }
    base = runs["pyworkforce MinRequiredResources (CP-SAT)"]["sec"]
    print(f"{'model':44s} {'status':10s} {'shifts':>7s} {'over h':>8s} {'under h':>8s} "
          f"{'sec':>7s} {'time ratio':>10s}")  # fmt: skip
    for name, run in runs.items():
        diff = run["cover"] - required
        over = float(np.clip(diff, 0, None).sum()) * hours
        under = float(np.clip(-diff, 0, None).sum()) * hours
        print(
            f"{name:44s} {run['status']:10s} {run['shifts']:7d} {over:8.1f} {under:8.1f} "
            f"{run['sec']:7.2f} {run['sec'] / base:10.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
