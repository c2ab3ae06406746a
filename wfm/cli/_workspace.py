"""Options and helpers shared by the workspace commands."""

from __future__ import annotations

import argparse

__all__ = ["add_week_option", "add_workspace_option", "open_from_args", "week_from_args"]


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="the workspace folder (default: $WFM_WORKSPACE, else the current folder)",
    )


def add_week_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "--week",
        required=required,
        metavar="DATE|next",
        help="any date of the week (weeks run Monday to Sunday), or 'next': the week after "
        "today on the site's clock",
    )


def open_from_args(args: argparse.Namespace):
    from wfm.store import open_workspace

    return open_workspace(args.workspace)


def week_from_args(args: argparse.Namespace, ws):
    from wfm.job import resolve_week

    return resolve_week(args.week, ws.config.site.timezone)
