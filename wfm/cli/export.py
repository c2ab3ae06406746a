"""``wfm export schedule|coverage|summary --week DATE``: a version's files for managers."""

from __future__ import annotations

import argparse
import sys

from wfm.cli._workspace import add_week_option, add_workspace_option, open_from_args, week_from_args

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export a week's schedule, coverage or summary (the published version by default)",
        description="Write a schedule version's schedule CSV, coverage CSV or summary JSON, "
        "atomically. Default: the week's published version, else its latest draft.",
    )
    parser.add_argument("what", choices=("schedule", "coverage", "summary"))
    add_workspace_option(parser)
    add_week_option(parser)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--version", type=int, metavar="N", help="this version")
    which.add_argument(
        "--published",
        action="store_true",
        help="the published version (an error when there is none)",
    )
    parser.add_argument("--out", required=True, metavar="FILE", help="file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wfm.cli._options import check_output
    from wfm.io.files import atomic_write_text, safe_csv_text, write_json
    from wfm.store.versions import select_version, version_csv, version_summary

    check_output("--out", args.out)
    ws = open_from_args(args)
    week = week_from_args(args, ws)
    version = select_version(ws, week, version=args.version, published=args.published)
    if args.version is None and version.status != "published":
        print(
            f"note: week {week} has no published version; exporting the latest draft",
            file=sys.stderr,
        )
    if args.what == "summary":
        write_json(version_summary(ws, version), args.out)
    else:
        # the stored text cell for cell, neutralised for spreadsheets on the way out
        atomic_write_text(args.out, safe_csv_text(version_csv(ws, version, args.what)))
    print(f"exported the {args.what} of {version.label} to {args.out}")
    return 0
