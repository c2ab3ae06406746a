"""Low-level file helpers: atomic writes, reading text with a clear error, the config file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from wfm.config import Config, parse_config
from wfm.errors import InputError

__all__ = ["atomic_write_text", "read_config", "read_text", "write_csv", "write_json"]

_UMASK = os.umask(0)
os.umask(_UMASK)


def read_text(path: str | os.PathLike) -> str:
    """The file's text (UTF-8, BOM tolerated), or an :class:`InputError` naming the file."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise InputError("expected a file, got a folder", file=str(p)) from None
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text ({err.reason} at byte {err.start})", file=str(p)
        ) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", file=str(p)) from None


def read_config(path: str | os.PathLike) -> Config:
    """Read and validate ``wfm.toml``."""
    return parse_config(read_text(path), file=str(path))


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename (atomic on POSIX)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        # mkstemp creates the file 0600; give it the mode a plain open() would (umask applied).
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``frame`` as CSV (ISO 8601 times with their UTC offset), atomically."""
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].map(lambda t: t.isoformat() if pd.notna(t) else "")
    return atomic_write_text(path, out.to_csv(index=False, lineterminator="\n"))


def write_json(data: Any, path: str | os.PathLike) -> Path:
    """Write ``data`` as indented JSON, atomically."""
    return atomic_write_text(path, json.dumps(data, indent=2, default=str) + "\n")
