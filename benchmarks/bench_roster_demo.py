"""Benchmark: the demo contact centre's week as a roster of its 120 named agents.

Requirements come from ``--requirements`` (e.g. ``wfm forecast`` + ``wfm staff`` on the demo
files), else from the demo's planning-week actuals (offered and AHT per interval, a perfect
forecast) through ``wfm.staffing.requirements``; then the roster model is built and solved
with HiGHS, a 1% relative gap and a 110-s time limit (the demo's ``wfm.toml``). Prints the
model size, status, gap, objective, cost, paid hours, understaffing, solve time, and checks
the export's coverage. Figures and the commands behind them: ``docs/benchmarks.md``.

    .venv/bin/python benchmarks/bench_roster_demo.py --method price_dive
        [--requirements REQ.csv] [--time-limit 110] [--step 60] [--cbc]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from solvers.problem import problem_from_requirements
from solvers.roster import (
    RosterOptions,
    build_model,
    check_roster,
    read_result,
    solve,
)
from wfm.demo import build_demo
from wfm.io.tables import read_requirements
from wfm.staffing import requirements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=110.0)
    parser.add_argument("--gap", type=float, default=0.01)
    parser.add_argument("--step", type=int, default=60, help="roster start step, minutes")
    parser.add_argument("--cbc", action="store_true", help="CBC instead of HiGHS")
    parser.add_argument(
        "--requirements",
        help="requirements CSV (e.g. from wfm forecast + wfm staff on the demo folder) instead "
        "of the planning-week actuals",
    )
    parser.add_argument(
        "--one-stage", action="store_true", help="no LP-support two-stage solve (lp_support=None)"
    )
    parser.add_argument("--dive-rounds", type=int, default=8, help="LP diving rounds")
    parser.add_argument(
        "--plan-assign",
        choices=("plan", "lp"),
        help="primal from plan_then_assign (shifts of a plan, or of the LP), not LP diving",
    )
    parser.add_argument(
        "--method",
        choices=("two_stage", "price_dive"),
        default="two_stage",
        help="roster method (solvers.roster.RosterOptions.method)",
    )
    parser.add_argument("--threads", type=int, default=None, help="HiGHS threads")
    parser.add_argument(
        "--search-share",
        type=float,
        default=RosterOptions.search_share,
        help="price_dive: share of the time limit for local search and day MIPs (0: none)",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)

    started = time.perf_counter()
    demo = build_demo()
    if args.requirements:
        req, _notes = read_requirements(args.requirements, demo.config)
    else:
        req = requirements(demo.actuals, demo.config)
    problem = problem_from_requirements(req, demo.config, demo.planning_week, agents=demo.agents)
    options = RosterOptions(
        start_step_min=args.step,
        lp_support=None if args.one_stage else 0.05,
        dive_rounds=args.dive_rounds,
        plan_assign=args.plan_assign,
        method=args.method,
        search_share=args.search_share,
    )
    built = time.perf_counter()
    model = build_model(problem, options)
    build_sec = time.perf_counter() - built
    size = model.size()
    solver = dataclasses.replace(
        problem.solver,
        name="cbc" if args.cbc else "highs",
        time_limit_sec=args.time_limit,
        gap=args.gap,
        threads=args.threads or problem.solver.threads,
    )
    outcome = solve(model, solver)
    result = read_result(model, outcome)
    problems = check_roster(result)
    summary = result.summary()
    total = time.perf_counter() - started
    print(f"instance        demo week {demo.planning_week} ({problem.n_intervals} intervals)")
    print(f"agents          {len(result.agents)} in {len(problem.groups)} skill groups")
    print(f"variants        {size['variants']} of {len(problem.variants)} (start step {args.step})")
    print(
        f"model           {size['variables']} variables ({size['integer_variables']} integer, "
        f"{size['agent_shift_variables']} agent-shift binaries), {size['constraints']} constraints"
    )
    print(f"build           {build_sec:.1f} s")
    print(f"solver          {outcome.solver}, limit {args.time_limit:g} s, gap {args.gap:g}")
    stages = "one stage" if args.one_stage else "two-stage (bound: LP relaxation, whole model)"
    if args.method == "price_dive":
        stages = "price-and-dive (bound: max of compact LP and Lagrangian bound)"
    print(f"method          {stages}")
    print(f"status          {summary['status']}")
    gap = outcome.gap
    print(f"gap             {gap:.4%}" if gap is not None else "gap             n/a")
    if outcome.objective is not None:
        print(f"objective       {outcome.objective:,.1f} (bound {outcome.bound:,.1f})")
        print(f"cost            {summary['cost']:,.2f}")
        print(f"paid hours      {summary['paid_hours']:,.1f} in {summary['shifts']} shifts")
        print(
            f"understaffed    {summary['understaffed_intervals']} queue-intervals, "
            f"{summary['understaff_agent_intervals']:,.1f} agent-intervals"
        )
        for rule, entry in sorted(summary["violations"].items()):
            print(f"  {rule:22s} {entry['count']:5d} x, {entry['amount']:10.1f} {entry['unit']}")
    if model.stages and args.method == "price_dive":
        st = model.stages
        print(
            f"stages          compact LP in {st['compact_sec']:.1f} s + {st['rounds']:.0f} rounds "
            f"of column generation ({st['columns']:.0f} week columns) by "
            f"{st['lp_sec']:.1f} s, master LP "
            f"{st['master_lp']:,.1f}; dive {st['dive_sec']:.1f} s; completion "
            f"{st['complete_sec']:.1f} s (pricing {st['pricing_sec']:.1f} s, master "
            f"{st['master_sec']:.1f} s)"
        )
        if "search_objective" in st or "day_mips" in st:
            print(
                f"improve         dived roster {st['dive_objective']:,.1f}; local search "
                f"{st.get('search_objective', st['dive_objective']):,.1f} "
                f"({st.get('moves', 0):.0f} moves kept of {st.get('tries', 0):.0f} tried, "
                f"{st.get('search_sec', 0):.1f} s); last dived agents' weeks "
                f"({st.get('agent_week_sec', 0):.1f} s) -> "
                f"{st.get('agent_week_objective', float('nan')):,.1f}; by day "
                f"(RINS, then whole days) {st.get('days_improved', 0):.0f} of "
                f"{st.get('day_mips', 0):.0f} day MIPs "
                f"improved ({st.get('days_merged', 0):.0f} merged, "
                f"{st.get('merges_refused', 0):.0f} refused, {st.get('day_sec', 0):.1f} s) -> "
                f"{st.get('day_objective', float('nan')):,.1f}; by queue on two days "
                f"{st.get('queue_days_improved', 0):.0f} of {st.get('queue_day_mips', 0):.0f} "
                f"improved ({st.get('queue_day_sec', 0):.1f} s) -> "
                f"{st.get('queue_day_objective', float('nan')):,.1f}; by group on two days "
                f"{st.get('group_days_improved', 0):.0f} of {st.get('group_day_mips', 0):.0f} "
                f"improved ({st.get('group_days_merged', 0):.0f} merged, "
                f"{st.get('group_day_merges_refused', 0):.0f} refused, "
                f"{st.get('group_day_sec', 0):.1f} s) -> "
                f"{st.get('group_day_objective', float('nan')):,.1f}; whole days again -> "
                f"{st.get('whole_day_objective', float('nan')):,.1f}; by skill groups "
                f"{st.get('groups_improved', 0):.0f} of {st.get('group_mips', 0):.0f} sub-MIPs "
                f"improved ({st.get('groups_merged', 0):.0f} merged, "
                f"{st.get('group_sec', 0):.1f} s) -> "
                f"{st.get('groups_objective', float('nan')):,.1f}"
            )
    elif model.stages:
        st = model.stages
        rounded = st.get("rounded_objective")
        print(
            f"stages          LP bound {st['lp_bound']:,.1f} in {st['lp_sec']:.1f} s; LP-rounded "
            f"roster {rounded if rounded is None else format(rounded, ',.1f')} in "
            f"{st['rounded_sec']:.1f} s; then MIP on the LP support"
        )
        if "assign_sec" in st:
            print(
                f"plan-assign     plan {st.get('plan_objective', float('nan')):,.1f} "
                f"({st['plan_paid_hours']:,.1f} h) "
                f"in {st.get('plan_sec', 0.0):.1f} s; "
                f"assignment {st['assign_variables']:.0f} binaries in "
                f"{st['assign_sec']:.1f} s, "
                f"{st.get('missed_plan_shifts', float('nan')):.0f} plan shifts unfilled"
            )
    print(f"solve           {outcome.solve_sec:.1f} s (whole run {total:.1f} s)")
    print(f"export check    {problems if problems else 'ok'}")


if __name__ == "__main__":
    main()
