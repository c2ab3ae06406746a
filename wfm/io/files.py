"""Low-level file helpers: atomic writes, reading text with a clear error, the config file."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from wfm.config import Config, parse_config
from wfm.errors import InputError

__all__ = [
    "FORMULA_PREFIXES",
    "atomic_write_text",
    "csv_text",
    "neutralise_cell",
    "read_config",
    "read_text",
    "safe_csv_text",
    "write_csv",
    "write_json",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_UMASK = os.umask(0)
os.umask(_UMASK)


def read_text(path: str | os.PathLike) -> str:
    """The file's text (UTF-8, BOM tolerated), or an :class:`InputError` naming the file.

    Text that is not UTF-8 (a Latin-1 or UTF-16 export) is named with the line of the first
    bad byte and, for a CSV, the column it falls in (for TOML, the key of that line).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise InputError("expected a file, got a folder", file=str(p)) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", file=str(p)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _decode_error(data, err, str(p)) from None


def _decode_error(data: bytes, err: UnicodeDecodeError, file: str) -> InputError:
    """Where the first byte that is not UTF-8 is: its line and its CSV column or TOML key."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return InputError(
            "the file is UTF-16 text (a spreadsheet's 'Unicode text'); save it as CSV UTF-8",
            file=file,
            row=1,
        )
    start = data.rfind(b"\n", 0, err.start) + 1
    row = data.count(b"\n", 0, err.start) + 1
    before = data[start : err.start].decode("utf-8", errors="replace")
    column = None
    key = re.match(r"^\s*([\w.\"-]+)\s*=", before)
    if key:  # a TOML line: key = value
        column = key.group(1).strip('"')
    else:
        header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
        names = next(csv.reader([header]), [])
        if len(names) > 1:
            fields = next(csv.reader([before]), [""])
            index = max(len(fields) - 1, 0) if row > 1 else len(fields) - 1
            column = names[index].strip() if index < len(names) else None
    return InputError(
        f"not UTF-8 text: byte 0x{data[err.start]:02x} ({err.reason}); the file is probably "
        "Latin-1 or Windows-1252: save it as UTF-8 (a spreadsheet's 'CSV UTF-8')",
        file=file,
        row=row,
        column=column,
    )


def read_config(path: str | os.PathLike) -> Config:
    """Read and validate ``wfm.toml``."""
    return parse_config(read_text(path), file=str(path))


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename (atomic on POSIX)."""
    target = Path(path)
    if target.is_dir():  # os.replace would fail half-way with IsADirectoryError
        raise InputError(
            f"{target} is a folder: give the name of the file to write", file=str(target)
        )
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


def neutralise_cell(value: str) -> str:
    """``value`` made inert for a spreadsheet: a leading ``'`` if it starts with one of
    :data:`FORMULA_PREFIXES`, else ``value`` as it is."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _text_cell(value: Any, safe: bool) -> Any:
    if not isinstance(value, str):
        return value  # NaN/None stay empty; numbers held in an object column stay numbers
    if safe:
        value = neutralise_cell(value)
    # Python's CSV writer quotes a cell holding "\n" but not a lone "\r" (lines end in "\n"),
    # and readers take that "\r" for the end of the row: write it as a newline.
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def csv_text(frame: pd.DataFrame, *, safe: bool = True) -> str:
    """``frame`` as the CSV text :func:`write_csv` writes.

    Parameters
    ----------
    frame : pandas.DataFrame
        Written without its index, lines ending in ``"\\n"``; tz-aware times as ISO 8601 with
        their UTC offset.
    safe : bool, default True
        Neutralise CSV (formula) injection as OWASP recommends ("CSV Injection"): a text cell
        starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
        ``'`` (:func:`neutralise_cell`). Only ``str`` values in object or string columns are
        touched, so ``"-5"`` there becomes ``"'-5"`` while numeric columns (a gap of -1.5),
        times and missing values are written as they are.

    Returns
    -------
    str
        The CSV text. A carriage return inside a text cell is written as a newline (with or
        without ``safe``), so every row reads back whole.
    """
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            out[column] = out[column].map(lambda t: t.isoformat() if pd.notna(t) else "")
        elif pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
            # not .map(): it would re-infer the dtype and write an object column's -5 as -5.0
            cells = [_text_cell(v, safe) for v in out[column]]
            out[column] = pd.Series(cells, index=out.index, dtype=dtype)
    return out.to_csv(index=False, lineterminator="\n")


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def safe_csv_text(text: str) -> str:
    """CSV text re-written with its formula-like cells neutralised (:func:`neutralise_cell`),
    for text whose column types are not known (a stored version exported as it was written):
    a cell that reads as a number, such as a gap of ``-1.5``, is a value, not a formula, and
    stays as it is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([c if _is_number(c) else neutralise_cell(c) for c in row])
    return out.getvalue()


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, *, safe: bool = True) -> Path:
    """Write ``frame`` as CSV (:func:`csv_text`), atomically."""
    return atomic_write_text(path, csv_text(frame, safe=safe))


def write_json(data: Any, path: str | os.PathLike) -> Path:
    """Write ``data`` as indented JSON, atomically."""
    return atomic_write_text(path, json.dumps(data, indent=2, default=str) + "\n")
