"""Read a Minimum Shift Design benchmark instance file (Latin-1 text, CRLF line ends)."""

from __future__ import annotations

import os
from pathlib import Path

from wfm.errors import InputError
from wfm.msd import MsdInstance, parse_msd

__all__ = ["read_msd"]


def read_msd(path: str | os.PathLike) -> MsdInstance:
    """Read and parse ``RandomExampleN.txt``; errors name the file and line."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("latin-1")
    except FileNotFoundError:
        raise InputError("file not found", file=str(p)) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", file=str(p)) from None
    try:
        return parse_msd(text, name=p.stem)
    except InputError as err:
        raise err.located(str(p)) from None
