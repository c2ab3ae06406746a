"""Command-line options shared by several sub-commands."""

from __future__ import annotations

import argparse

__all__ = ["add_zero_aht_option"]


def add_zero_aht_option(parser: argparse.ArgumentParser) -> None:
    """``--zero-aht {error,missing}``: answered contacts with zero handle time."""
    parser.add_argument(
        "--zero-aht",
        choices=("error", "missing"),
        default="error",
        help=(
            "rows with answered contacts but zero handle time: 'error' (default, exit 2 naming "
            "the row) or 'missing' (treat their handle time as unknown, with a note)"
        ),
    )
