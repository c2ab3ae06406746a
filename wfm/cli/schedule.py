"""``wfm schedule``: a shift plan (how many of each shift) or, with ``--agents``, a roster.

Roster mode calls ``solvers.roster.solve_problem(problem) -> result`` and
``solvers.roster.schedule_frame(result) -> frame``; the result offers what
:class:`solvers.shift_plan.ShiftPlanResult` offers: ``status`` (a ``SolveStatus``), ``summary()``,
``shortfalls``, ``coverage`` and ``understaff_agent_intervals``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys

from wfm.errors import InfeasibleError, InputError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "schedule",
        help="build a shift plan, or a roster of named agents (--agents)",
        description=(
            "Cover the requirements with shifts at minimum cost. Without --agents: how many "
            "agents start each shift (a shift plan). With --agents: a roster of named agents."
        ),
    )
    parser.add_argument("--requirements", required=True, help="requirements CSV (wfm staff)")
    parser.add_argument("--config", required=True, help="wfm.toml")
    parser.add_argument("--out", required=True, help="schedule export CSV")
    parser.add_argument("--agents", help="agents CSV: build a roster of named agents")
    parser.add_argument("--week", help="first day of the planning week (YYYY-MM-DD)")
    parser.add_argument("--coverage-out", help="coverage CSV per interval and queue")
    parser.add_argument("--summary-out", help="summary JSON")
    parser.set_defaults(func=run)


def _week(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--week must be a date YYYY-MM-DD, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from solvers.problem import problem_from_requirements
    from wfm.io.files import read_config
    from wfm.io.schedule import write_coverage, write_schedule, write_summary
    from wfm.io.tables import read_agents, read_requirements

    config = read_config(args.config)
    requirements, notes = read_requirements(args.requirements, config)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    agents = None
    if args.agents:
        agents, agent_notes = read_agents(args.agents, config)
        for note in agent_notes:
            print(f"note: {note}", file=sys.stderr)
    problem = problem_from_requirements(requirements, config, _week(args.week), agents=agents)
    if agents is not None:
        try:
            roster = importlib.import_module("solvers.roster")
        except ModuleNotFoundError:
            raise InputError("roster mode (--agents) is not available yet") from None
        result = roster.solve_problem(problem)
        frame = roster.schedule_frame(result)
    else:
        from solvers.shift_plan import schedule_frame, solve_problem

        result = solve_problem(problem)
        frame = schedule_frame(result) if result.status.has_solution else None
    summary = result.summary()
    if args.summary_out:
        write_summary(summary, args.summary_out)
    if not result.status.has_solution:
        reasons = "; ".join(
            f"{s.queue} {s.interval_start:%a %H:%M} short {s.short:.2f} ({s.reason})"
            for s in list(result.shortfalls)[:3]
        )
        raise InfeasibleError(
            f"no schedule: {result.status.value}" + (f"; e.g. {reasons}" if reasons else "")
        )
    write_schedule(frame, args.out)
    if args.coverage_out and result.coverage is not None:
        write_coverage(result.coverage, args.coverage_out)
    short = result.understaff_agent_intervals
    print(
        f"{summary['status']}: {summary['shifts']} shifts, {summary['paid_hours']:.1f} paid hours, "
        f"cost {summary['cost']:.2f}, {summary['understaffed_intervals']} understaffed "
        f"queue-intervals, gap {summary['gap'] if summary['gap'] is not None else 'n/a'}, "
        f"{summary['solve_sec']:.1f} s"
    )
    tolerance = config.rules.understaff_tolerance
    if short > tolerance + 1e-9:
        first = result.shortfalls[0] if result.shortfalls else None
        detail = (
            f"; first: {first.queue} at {first.interval_start.isoformat()} short "
            f"{first.short:.2f} ({first.reason})"
            if first
            else ""
        )
        raise InfeasibleError(
            f"understaffed by {short:.2f} agent-intervals, beyond the tolerance of "
            f"{tolerance:g} (rules.understaff_tolerance){detail}"
        )
    return 0
