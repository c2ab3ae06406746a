"""``wfm schedule``: a shift plan (how many of each shift) or, with ``--agents``, a roster.

The solving is :func:`wfm.pipeline.make_schedule`; this module reads, writes and reports. Exit 3
when there is no schedule, or when it is understaffed beyond ``rules.understaff_tolerance`` (the
files are still written then, so the planner can see where it falls short). Before anything is
written, the schedule goes through the independent check of every hard rule
(:mod:`wfm.check`); a schedule that fails it is never written (exit 3, naming agent,
day and rule; the summary, with its ``check``, is still written for the diagnosis).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from wfm.cli._options import check_output
from wfm.errors import InputError

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


def _check_week(requirements, week: dt.date, file: str) -> None:
    """``--week``: the requirements must have intervals in the seven days from ``week``."""
    days = requirements["interval_start"].dt.date
    if not ((days >= week) & (days < week + dt.timedelta(days=7))).any():
        raise InputError(
            f"--week {week}: the requirements have no interval in the week from {week} "
            f"(they run from {days.min()} to {days.max()})",
            file=file,
            column="interval_start",
        )


def run(args: argparse.Namespace) -> int:
    from wfm.io.files import read_config
    from wfm.io.schedule import write_coverage, write_schedule, write_summary
    from wfm.io.tables import read_agents, read_requirements
    from wfm.pipeline import make_schedule

    for flag in ("out", "coverage_out", "summary_out"):
        check_output(f"--{flag.replace('_', '-')}", getattr(args, flag))
    week = _week(args.week)
    config = read_config(args.config)
    if not config.shifts:
        raise InputError(
            "wfm schedule needs at least one shift template: add a [[shifts]] table",
            file=args.config,
            column="shifts",
        )
    requirements, notes = read_requirements(args.requirements, config)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if week is not None:
        _check_week(requirements, week, args.requirements)
    agents = None
    if args.agents:
        agents, agent_notes = read_agents(args.agents, config)
        for note in agent_notes:
            print(f"note: {note}", file=sys.stderr)
    what = "shift plan" if agents is None else f"roster of {len(agents)} agents"
    print(
        f"wfm schedule: solving the {what} (time limit {config.solver.time_limit_sec:g} s)",
        file=sys.stderr,
        flush=True,
    )
    run = make_schedule(requirements, config, week_start=week, agents=agents)
    summary = run.summary
    if args.summary_out:
        write_summary(summary, args.summary_out)
    if run.frame is None:
        run.check_acceptable(config)  # no schedule: exit 3 with the reason
    run.check_rules()  # a hard rule broken: exit 3 naming agent, day and rule; nothing written
    write_schedule(run.frame, args.out)
    if args.coverage_out and run.coverage is not None:
        write_coverage(run.coverage, args.coverage_out)
    gap = f"{summary['gap']:.2%}" if summary["gap"] is not None else "n/a"
    print(
        f"{run.mode} {summary['status']}: {summary['shifts']} shifts, "
        f"{summary['paid_hours']:.1f} paid hours, cost {summary['cost']:.2f}, "
        f"{summary['understaffed_intervals']} understaffed queue-intervals, gap "
        f"{gap}, {summary['solve_sec']:.1f} s"
    )
    # the files are written either way, so the planner can see where it falls short
    run.check_acceptable(config)
    return 0
