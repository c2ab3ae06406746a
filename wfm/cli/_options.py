"""Command-line options shared by several sub-commands, and the checks of their values.

Option values are checked before any input is read or any work is done, so a typo in an output
path or a limit fails at once (exit 2, naming the option), not after a long solve.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from wfm.errors import InputError

__all__ = ["add_zero_aht_option", "check_number", "check_output"]


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


def check_output(flag: str, value: str | None) -> None:
    """An output file option: its folder must exist and it must not name a folder.

    A missing folder is a typo far more often than a wish for a new folder, and creating it
    would leave the typo's folder behind; the file itself is written atomically later.
    """
    if value is None:
        return
    path = Path(value)
    if path.is_dir():
        raise InputError(f"{flag} {value} is a folder: give the name of the file to write")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise InputError(f"{flag} {value}: the folder {folder} {what}")


def check_number(
    flag: str,
    value: float | None,
    *,
    low: float,
    low_open: bool = False,
    whole: bool = False,
) -> None:
    """A numeric option: finite and at least ``low`` (above it when ``low_open``)."""
    if value is None:
        return
    bound = f"> {low:g}" if low_open else f">= {low:g}"
    kind = "a whole number" if whole else "a number"
    if not math.isfinite(value) or value < low or (low_open and value == low):
        raise InputError(f"{flag} must be {kind} {bound}, got {value:g}")
