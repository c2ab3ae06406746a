"""``wfm import history|agents|actuals|agent-states FILE``: validated, transactional imports."""

from __future__ import annotations

import argparse
import sys

from wfm.cli._workspace import add_workspace_option, open_from_args

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    from wfm.store.imports import IMPORT_KINDS

    parser = subparsers.add_parser(
        "import",
        help="import history, agents, actuals or an agent-state log into a workspace",
        description="Validate FILE as the file commands do and import it in one transaction: a "
        "file with a bad row imports nothing and names the row and column. Importing the same "
        "file twice changes nothing; a newer file for the same intervals replaces those rows.",
    )
    parser.add_argument("kind", choices=IMPORT_KINDS, help="what the file holds")
    parser.add_argument("file", metavar="FILE", help="the CSV file")
    add_workspace_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wfm.store.imports import import_file

    ws = open_from_args(args)
    report = import_file(ws, args.kind, args.file)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"import {report.import_id}: {report.describe()}")
    return 0
