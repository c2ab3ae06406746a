"""``wfm roster --week next|DATE``: the weekly job (forecast, staffing, roster) on a workspace.

Exit codes: 0 done (or nothing to do), 2 bad input, 3 no acceptable roster, 4 the week is
locked by another run.
"""

from __future__ import annotations

import argparse

from wfm.cli._workspace import add_week_option, add_workspace_option, open_from_args, week_from_args

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "roster",
        help="the weekly job: forecast, staffing and roster for a week, as a new draft version",
        description="Forecast, staff and roster the week from what the workspace holds, and "
        "store the result as a new draft schedule version. One run per workspace and week at a "
        "time; inputs unchanged since the week's last version: nothing to do (exit 0).",
    )
    add_workspace_option(parser)
    add_week_option(parser)
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SEC",
        help="wait up to SEC for another run of the week (default 0), then exit 4",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="run even when the inputs have not changed since the last version",
    )
    parser.add_argument(
        "--time-limit-sec",
        type=float,
        metavar="SEC",
        help="the solver's time limit (default: [solver] time_limit_sec)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wfm.cli._options import check_number
    from wfm.cli._progress import StageProgress
    from wfm.errors import InputError
    from wfm.job import run_roster_job

    check_number("--time-limit-sec", args.time_limit_sec, low=0, low_open=True)
    check_number("--wait", args.wait, low=0)
    ws = open_from_args(args)
    if not ws.config.shifts:  # before a run is recorded and the week locked
        raise InputError(
            "wfm roster needs at least one shift template: add a [[shifts]] table",
            file=str(ws.folder / "wfm.toml"),
            column="shifts",
        )
    week = week_from_args(args, ws)
    result = run_roster_job(
        ws,
        week,
        force=args.force,
        wait_sec=args.wait,
        time_limit_sec=args.time_limit_sec,
        on_stage=StageProgress(),
    )
    print(f"run {result.run_id}: {result.message}")
    return result.exit_code
