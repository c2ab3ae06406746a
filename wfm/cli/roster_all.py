"""``wfm roster-all --sites FILE --week next|DATE``: the weekly job of every site of a network,
one Dask task per site, on an existing scheduler (``--scheduler``) or a local cluster
(``--local N``).

Exit codes: 0 every site got a roster, 2 bad input (the sites file, the options), 3 some
site's schedule is not acceptable, 5 some site got no roster (each named), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

__all__ = ["register", "run"]

#: The JSON summary's file name, beside the sites file unless --summary-out says otherwise.
SUMMARY_FILE = "roster-all-summary.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "roster-all",
        help="the weekly job of every site of a network, distributed on Dask",
        description="Run `wfm roster` on every workspace of a sites file, one Dask task per "
        "site, higher priority and larger sites (agents x intervals) first. Each site's lock, "
        "versions and run log are its workspace's own. Prints a line per site as it finishes, "
        "a table at the end, and writes a JSON summary.",
    )
    parser.add_argument(
        "--sites", required=True, metavar="FILE", help="the sites file (TOML, or .csv)"
    )
    parser.add_argument(
        "--week",
        required=True,
        metavar="DATE|next",
        help="any date of the week, or 'next': each site's next week on its own clock",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="an existing Dask scheduler to run on"
    )
    where.add_argument(
        "--local",
        type=int,
        metavar="N",
        help="start a local cluster of N worker processes for the run (the default, with N "
        "the machine's cores divided by --threads-per-site)",
    )
    parser.add_argument(
        "--threads-per-site",
        type=int,
        default=1,
        metavar="N",
        help="solver threads per site (HiGHS and the roster search; default 1)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="run every site even when its inputs have not changed since its last version",
    )
    parser.add_argument(
        "--time-limit-sec",
        type=float,
        metavar="SEC",
        help="every site's solver time limit (default: each site's [solver] time_limit_sec)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SEC",
        help="wait up to SEC for another run of a site's week (default 0), else that site fails",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="Dask retries of a site whose task crashed (default 2; bad input is not retried)",
    )
    parser.add_argument(
        "--summary-out",
        metavar="FILE",
        help=f"the JSON summary (default: {SUMMARY_FILE} beside the sites file)",
    )
    parser.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    from wfm.cli._options import check_number, check_output

    check_number("--local", args.local, low=1, whole=True)
    check_number("--threads-per-site", args.threads_per_site, low=1, whole=True)
    check_number("--time-limit-sec", args.time_limit_sec, low=0, low_open=True)
    check_number("--wait", args.wait, low=0)
    check_number("--retries", args.retries, low=0, whole=True)
    check_output("--summary-out", args.summary_out)
    if args.week != "next":
        from wfm.job import resolve_week

        resolve_week(args.week, "UTC")  # a bad date fails here, before any cluster starts


def run(args: argparse.Namespace) -> int:
    from wfm.io.files import atomic_write_text
    from wfm.network import (
        network_client,
        network_exit_code,
        progress_line,
        read_sites,
        run_network,
        summary_dict,
        summary_table,
    )

    _check(args)
    sites = read_sites(args.sites)
    summary_out = Path(args.summary_out or Path(args.sites).resolve().parent / SUMMARY_FILE)
    local = None
    if not args.scheduler:
        local = args.local or max(1, (os.cpu_count() or 1) // args.threads_per_site)
    where = args.scheduler or f"a local cluster of {local} workers"
    print(f"wfm roster-all: {len(sites)} sites from {args.sites}, week {args.week}, on {where}")

    def report(result, progress) -> None:
        print(f"wfm roster-all: {progress_line(result, progress)}", flush=True)

    with network_client(args.scheduler, local) as client:
        network = run_network(
            client,
            sites,
            args.week,
            force=args.force,
            threads=args.threads_per_site,
            time_limit_sec=args.time_limit_sec,
            wait_sec=args.wait,
            retries=args.retries,
            on_result=report,
        )
    print(summary_table(network))
    summary = summary_dict(network, week=args.week, sites_file=str(args.sites))
    atomic_write_text(summary_out, json.dumps(summary, indent=2) + "\n")
    print(f"wfm roster-all: summary written to {summary_out}")
    code = network_exit_code(network.results, interrupted=network.interrupted)
    if network.interrupted:
        print("wfm roster-all: interrupted; unfinished sites cancelled", file=sys.stderr)
        raise KeyboardInterrupt
    for status, label in (("failed", "no roster"), ("unacceptable", "no acceptable schedule")):
        named = [r for r in network.results if r.status == status]
        for r in named:
            print(f"wfm roster-all: {r.name}: {label}: {r.message}", file=sys.stderr)
    return code
