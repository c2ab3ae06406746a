"""``wfm publish --week DATE [--version N]``: mark a schedule version published."""

from __future__ import annotations

import argparse

from wfm.cli._workspace import add_week_option, add_workspace_option, open_from_args, week_from_args

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="publish a week's schedule version (default: the latest)",
        description="Mark a schedule version published. A published version is never changed "
        "or deleted; exports and the dashboard show it until a later version is published.",
    )
    add_workspace_option(parser)
    add_week_option(parser)
    parser.add_argument("--version", type=int, metavar="N", help="the version (default: latest)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wfm.cli._options import check_number
    from wfm.store.versions import publish_version

    check_number("--version", args.version, low=1, whole=True)
    ws = open_from_args(args)
    version = publish_version(ws, week_from_args(args, ws), args.version)
    print(f"published {version.label}, published at {version.published_at}")
    return 0
