"""``wfm init DIR``: create a workspace (``wfm.toml`` and its database), or upgrade one."""

from __future__ import annotations

import argparse

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "init",
        help="create a workspace (wfm.toml + database), or upgrade an existing one",
        description="Create a workspace in DIR: a starter wfm.toml (kept if present) and the "
        "database (SQLite wfm.db in DIR, or [database] url / $WFM_DATABASE_URL). On an existing "
        "workspace, upgrade its schema; data is never dropped.",
    )
    parser.add_argument("dir", metavar="DIR", help="the workspace folder (created if missing)")
    parser.add_argument("--config", metavar="FILE", help="copy this wfm.toml into a new workspace")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from wfm.config import parse_config
    from wfm.io.files import read_text
    from wfm.store import init_workspace

    text = read_text(args.config) if args.config else None
    if text is not None:  # named as the user's file, before anything is created
        parse_config(text, file=args.config)
    ws, before, after = init_workspace(args.dir, text)
    if before == 0:
        print(f"created the workspace {ws.folder} (database {ws.url}, schema {after})")
    elif before < after:
        print(f"upgraded the workspace {ws.folder} from schema {before} to {after}; data kept")
    else:
        print(f"the workspace {ws.folder} is up to date (schema {after}, database {ws.url})")
    return 0
