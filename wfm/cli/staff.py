"""``wfm staff``: required agents per interval and queue, from a forecast and ``wfm.toml``."""

from __future__ import annotations

import argparse
import sys

from wfm.cli._options import check_output
from wfm.io import read_config
from wfm.io.tables import read_forecast, write_requirements
from wfm.staffing import requirements

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``staff`` sub-command."""
    parser = subparsers.add_parser(
        "staff",
        help="required agents per interval and queue (Erlang C/A, chat, deadlines, outbound)",
        description=(
            "Turn a forecast into requirements: net agents on contacts per queue and interval "
            "(Erlang C, or Erlang A with patience_sec; chat concurrency; email and back office "
            "spread over their deadline; outbound hours over the open day) and gross agents "
            "with shrinkage."
        ),
    )
    parser.add_argument("--forecast", required=True, metavar="FILE", help="forecast CSV")
    parser.add_argument("--config", required=True, metavar="FILE", help="wfm.toml")
    parser.add_argument("--out", required=True, metavar="FILE", help="requirements CSV to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_output("--out", args.out)
    config = read_config(args.config)
    parsed = read_forecast(args.forecast, config)
    for note in parsed.notes:
        print(f"wfm staff: note: {note}", file=sys.stderr)
    frame = requirements(parsed.frame, config)
    write_requirements(frame, args.out)
    total = frame.groupby("interval_start")["agents_gross"].sum()
    peak = float(total.max()) if len(total) else 0.0
    print(
        f"wfm staff: {len(frame)} rows, {frame['queue'].nunique()} queues -> {args.out}; "
        f"peak {peak:.1f} gross agents over all queues"
    )
    return 0
