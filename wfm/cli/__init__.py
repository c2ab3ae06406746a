"""The ``wfm`` command line: one module per sub-command in this package.

Each sub-command module defines ``register(subparsers)``, which adds its parser and sets
``func(args) -> int``. Errors the user can fix (:class:`~wfm.errors.InputError`) print one line and
exit 2; no acceptable schedule (:class:`~wfm.errors.InfeasibleError`) exits 3; a week locked
by another run (:class:`~wfm.store.lock.LockedError`) exits 4.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wfm.errors import WfmError

__all__ = ["main"]

#: Sub-commands in the order ``wfm --help`` lists them.
COMMANDS = (
    "erlang", "forecast", "staff", "schedule", "report", "demo",
    "init", "imports", "roster", "publish", "export", "status",
    "roster_all",
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    # argparse exits 2 on bad usage, which is also the 'bad input' exit code
    parser = argparse.ArgumentParser(
        prog="wfm",
        description="Contact-centre workforce management: forecast, staff, schedule, compare.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"wfm.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wfm`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WfmError as err:
        print(f"wfm {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:  # Ctrl-C: files are written atomically, the database in
        # transactions, so what was there before is left as it was
        print(f"wfm {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
