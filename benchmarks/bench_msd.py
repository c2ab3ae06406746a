"""Minimum Shift Design benchmark: the project's shift-plan model on the DBAI instances.

Each instance is parsed (``wfm.io.msd.read_msd``) and written as the files a user gives
``wfm schedule`` (``wfm.msd_case``: a ``wfm.toml`` with a cyclic UTC week, no breaks and the MSD
weights as penalties, and a requirements CSV); those files are read back and solved by
``wfm.pipeline.make_schedule``, the function behind ``wfm schedule``, with its defaults (so the
search strategy is the command's own, ``[solver] strategy = "auto"``). The solution's fitness is
recomputed independently with ``wfm.msd.msd_fitness`` and compared with the reference of
``cbc_check.csv`` (``published_reference`` = min(file fitness, ASP-implied); DataSet3/4: the CBC
check's objective).

Usage::

    .venv/bin/python benchmarks/bench_msd.py [--sets DataSet1,DataSet2] [--limit-sec 60]
        [--threads 1] [--only 4,26] [--every 10] [--strategy auto]

Prints per-set counts of instances reaching the reference and the times, and writes
``benchmarks/out/msd_<solver>.csv``.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wfm.config import PLAN_STRATEGIES  # noqa: E402
from wfm.io.files import atomic_write_text, read_config  # noqa: E402
from wfm.io.msd import read_msd  # noqa: E402
from wfm.io.tables import read_requirements, write_requirements  # noqa: E402
from wfm.msd import msd_fitness  # noqa: E402
from wfm.msd_case import MSD_WEEK, msd_config_text, msd_requirements  # noqa: E402
from wfm.pipeline import make_schedule  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "shift_design_msd"


def solution_shifts(result) -> list[tuple[int, int, list[int]]]:
    """``(start_min, length_min, workers per day)`` of a shift-plan result (MSD notation)."""
    problem = result.problem
    per_key: dict[tuple[int, int], list[int]] = {}
    slot = problem.interval_minutes
    for shift in result.shifts:
        variant = problem.variants[shift.variant]
        # the day the shift really starts on (a 24:00 start of day d is 00:00 of day d+1)
        day, clock = divmod(variant.start * slot, 1440)
        counts = per_key.setdefault((clock, variant.length_min), [0] * 7)
        counts[day] += shift.count
    return [(s, length, counts) for (s, length), counts in per_key.items()]


def write_case(instance, folder: Path, limit_sec: float, threads: int, strategy: str) -> None:
    """The instance as ``folder/wfm.toml`` and ``folder/requirements.csv``."""
    text = msd_config_text(instance, time_limit_sec=limit_sec, threads=threads, strategy=strategy)
    atomic_write_text(folder / "wfm.toml", text)
    write_requirements(msd_requirements(instance), folder / "requirements.csv")


def solve_case(folder: Path):
    """What ``wfm schedule --config wfm.toml --requirements requirements.csv --week ...`` runs."""
    config = read_config(folder / "wfm.toml")
    requirements, _ = read_requirements(folder / "requirements.csv", config)
    return make_schedule(requirements, config, week_start=MSD_WEEK)


def run_one(path: Path, limit_sec: float, threads: int, strategy: str) -> dict:
    started = time.perf_counter()
    instance = read_msd(path)
    with tempfile.TemporaryDirectory() as tmp:
        write_case(instance, Path(tmp), limit_sec, threads, strategy)
        run = solve_case(Path(tmp))
    result = run.result
    outcome = result.outcome
    total_sec = time.perf_counter() - started
    row = {
        "status": outcome.status.value,
        "strategy": run.summary["strategy"],
        "objective": outcome.objective,
        "bound": outcome.bound,
        "solve_sec": round(outcome.solve_sec, 2),
        "total_sec": round(total_sec, 2),
        "n_variants": len(result.problem.variants),
    }
    if outcome.status.has_solution:
        check = msd_fitness(instance, solution_shifts(result))
        row.update(
            fitness=check["fitness"],
            shifts=int(check["shifts"]),
            under_min=check["under_min"],
            over_min=check["over_min"],
        )
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="DataSet1,DataSet2,DataSet3,DataSet4")
    parser.add_argument("--limit-sec", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", default="", help="instance numbers, e.g. 4,26")
    parser.add_argument("--every", type=int, default=1, help="take every k-th instance")
    parser.add_argument(
        "--strategy",
        default="auto",
        choices=PLAN_STRATEGIES,
        help="[solver] strategy of the written wfm.toml (default: the command's own, auto)",
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "out"))
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"MSD instances not found at {DATA}")
        return 1
    with open(DATA / "cbc_check.csv", newline="") as handle:
        references = list(csv.DictReader(handle))
    sets = args.sets.split(",")
    only = {int(v) for v in args.only.split(",") if v}
    rows = []
    chosen = [r for r in references if r["dataset"] in sets]
    chosen = [r for r in chosen if not only or int(r["instance"]) in only]
    chosen = chosen[:: args.every]
    for ref in chosen:
        row = run_one(DATA / ref["file"], args.limit_sec, args.threads, args.strategy)
        published = ref["published_reference"]
        reference = float(published) if published else float(ref["objective"])
        row.update(
            dataset=ref["dataset"],
            instance=int(ref["instance"]),
            reference=reference,
            reference_kind="published" if published else f"cbc_{ref['cbc_status']}",
            cbc_objective=float(ref["objective"]),
        )
        fitness = row.get("fitness")
        row["reached"] = fitness is not None and fitness <= reference + 1e-6
        rows.append(row)
        print(
            f"{ref['dataset']:9s} #{ref['instance']:>3s} n_variants={row['n_variants']:>5d}"
            f" fitness={fitness} ref={reference:g} {row['status']:9s}"
            f" {row['total_sec']:6.1f}s {'ok' if row['reached'] else 'MISS'}",
            flush=True,
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"msd_{args.strategy}.csv"
    if rows:
        with open(target, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[-1].keys()))
            writer.writeheader()
            for row in rows:
                writer.writerow({k: row.get(k) for k in writer.fieldnames})
    print()
    print(
        f"{'set':9s} {'n':>4s} {'reached':>8s} {'better':>7s} {'optimal':>8s} "
        f"{'mean s':>7s} {'max s':>6s}"
    )
    for name in sets:
        part = [r for r in rows if r["dataset"] == name]
        if not part:
            continue
        reached = sum(r["reached"] for r in part)
        better = sum(
            1 for r in part if r.get("fitness") is not None and r["fitness"] < r["reference"] - 1e-6
        )
        optimal = sum(r["status"] == "optimal" for r in part)
        times = [r["total_sec"] for r in part]
        print(
            f"{name:9s} {len(part):4d} {reached:8d} {better:7d} {optimal:8d} "
            f"{sum(times) / len(times):7.1f} {max(times):6.1f}"
        )
    print(f"rows written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
