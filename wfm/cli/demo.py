"""``wfm demo``: write the built-in demo contact centre to a folder (and optionally run it)."""

from __future__ import annotations

import argparse
import sys

from wfm.errors import InputError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command."""
    from wfm.demo import DEFAULT, SIZES

    parser = subparsers.add_parser(
        "demo",
        help="write the built-in demo contact centre (history, actuals, agents, config)",
        description="Write the built-in demo contact centre to a folder: wfm.toml, history.csv "
        "(12 weeks), actuals.csv (the planning week), agents.csv and a README. The same size "
        "and seed always give the same files.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        default=DEFAULT.name,
        help=f"demo size (default {DEFAULT.name}: 12 weeks, 120 agents; small: 5 weeks, 30)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--run",
        action="store_true",
        help="then run the whole pipeline on it (forecast, staff, schedule, report)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the demo, write it, and with ``--run`` hand the folder to the pipeline."""
    from wfm.demo import build_demo
    from wfm.io.demo import write_demo

    demo = build_demo(args.size, seed=args.seed)
    try:
        paths = write_demo(demo, args.out)
    except OSError as err:
        raise InputError(f"cannot write the demo: {err.strerror}", file=args.out) from None
    history = demo.history
    print(
        f"wrote the demo contact centre ({demo.size.name}, seed {demo.seed}) to {args.out}: "
        f"{', '.join(p.name for p in paths)}\n"
        f"  history {history['interval_start'].min():%Y-%m-%d} to "
        f"{history['interval_start'].max():%Y-%m-%d}, {history['queue'].nunique()} queues, "
        f"{int(history['offered'].sum()):,} contacts; {len(demo.agents)} agents; "
        f"planning week from {demo.planning_week}"
    )
    if not args.run:
        return 0
    try:
        from wfm.pipeline import run_demo
    except ImportError as err:
        print(f"wfm demo: the pipeline is not available yet ({err})", file=sys.stderr)
        return 1
    return int(run_demo(args.out) or 0)
