"""Benchmark: the demo contact centre's week as a roster of its 120 named agents.

What a user runs: the demo's ``wfm.toml`` (its ``[solver]`` and ``[solver.roster]`` as they are,
``roster_method = "price_dive"``, ``time_limit_sec = 110``, ``gap = 0.01``), the requirements
of the demo pipeline (the ``auto`` forecast of the demo history, staffed by
``wfm.pipeline.requirements``; ``--actuals``: the planning week's actuals instead, a perfect
forecast; ``--requirements FILE``: a requirements CSV), solved by ``wfm.pipeline.make_schedule``
(the function behind ``wfm schedule --agents`` and ``wfm roster``) ``--runs`` times. Prints each
run's status, gap, objective, cost, paid hours, understaffing and time, the coverage check of
the export, and the median and range over the runs. Figures: ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/bench_roster_demo.py [--runs 3] [--actuals | --requirements F]
        [--time-limit-sec 110] [--threads N]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from solvers.roster import check_roster
from wfm.demo import build_demo
from wfm.io.tables import read_requirements
from wfm.pipeline import forecast, make_schedule, requirements


def _spread(values: list[float], fmt: str) -> str:
    if not values:
        return "n/a"
    mid = format(statistics.median(values), fmt)
    return f"{mid} ({format(min(values), fmt)}-{format(max(values), fmt)}, {len(values)} runs)"


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--actuals", action="store_true", help="staff the week's actuals")
    source.add_argument("--requirements", help="a requirements CSV (wfm staff)")
    parser.add_argument("--time-limit-sec", type=float, help="override [solver] time_limit_sec")
    parser.add_argument("--threads", type=int, help="override [solver] threads")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", DeprecationWarning)

    demo = build_demo()
    config = demo.config
    changes = {}
    if args.time_limit_sec is not None:
        changes["time_limit_sec"] = args.time_limit_sec
    if args.threads is not None:
        changes["threads"] = args.threads
    if changes:
        config = dataclasses.replace(config, solver=dataclasses.replace(config.solver, **changes))
    week = demo.planning_week
    if args.requirements:
        req, _notes = read_requirements(args.requirements, config)
        source_text = args.requirements
    elif args.actuals:
        req = requirements(demo.actuals, config)
        source_text = "the planning week's actuals"
    else:
        req = requirements(forecast(demo.history, config, start=week).frame, config)
        source_text = "the auto forecast of the demo history"
    solver = config.solver
    print(f"demo week {week}: {len(demo.agents)} agents, requirements from {source_text}")
    print(
        f"solver {solver.name}, roster_method {solver.roster_method}, limit "
        f"{solver.time_limit_sec:g} s, gap {solver.gap:g}, threads {solver.threads or 'all'}"
    )
    gaps, times = [], []
    for k in range(args.runs):
        started = time.perf_counter()
        run = make_schedule(req, config, week_start=week, agents=demo.agents)
        wall_sec = time.perf_counter() - started
        s = run.summary
        problems = check_roster(run.result) if run.result.status.has_solution else ["no roster"]
        gap = s["gap"]
        if gap is not None:
            gaps.append(100 * gap)
        times.append(wall_sec)
        print(
            f"run {k + 1}: {s['status']}, gap {f'{gap:.2%}' if gap is not None else 'n/a'}, "
            f"objective {_num(s['objective'])} (bound {_num(s['bound'])}), cost {s['cost']:,.2f}, "
            f"{s['paid_hours']:,.1f} paid hours in {s['shifts']} shifts, "
            f"{s['understaffed_intervals']} understaffed queue-intervals, "
            f"solve {s['solve_sec']:.1f} s, wall {wall_sec:.1f} s, "
            f"export check {'ok' if not problems else problems[:2]}",
            flush=True,
        )
    print(f"gap   {_spread(gaps, '.2f')} %")
    print(f"time  {_spread(times, '.1f')} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
