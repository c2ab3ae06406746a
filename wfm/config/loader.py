"""TOML text to a validated :class:`~wfm.config.Config`, errors with file, line and key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from wfm.config.settings import (
    Adjustment,
    Calendar,
    Config,
    Database,
    ForecastSettings,
    Holiday,
)
from wfm.config.shifts import BreakRule, Rules, ShiftTemplate
from wfm.config.site import Queue, Site
from wfm.config.solver import SolverOptions
from wfm.errors import InputError
from wfm.roster_params import RosterParams

_SECTIONS = {
    "site": Site,
    "rules": Rules,
    "solver": SolverOptions,
    "forecast": ForecastSettings,
    "database": Database,
}


def _build(cls: type, raw: Any, path: str) -> Any:
    """Build dataclass ``cls`` from a TOML table, rejecting unknown keys (they are typos)."""
    if not isinstance(raw, Mapping):
        raise InputError(f"expected a table, got {type(raw).__name__}", column=path)
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise InputError(
            f"unknown key {unknown[0]!r}; known keys: {', '.join(known)}",
            column=f"{path}.{unknown[0]}" if path else unknown[0],
        )
    kwargs = {}
    for key, value in raw.items():
        kwargs[key] = _coerce(known[key], value, f"{path}.{key}" if path else key)
    try:
        return cls(**kwargs)
    except InputError as err:
        # Re-key the error on the TOML path the user wrote (queues[2].shrinkage, not queue 'x').
        column = err.column or path
        if column and "." in column and not column.startswith(path):
            column = f"{path}.{column.rsplit('.', 1)[1]}"
        raise InputError(err.message, column=column) from None
    except TypeError as err:
        raise InputError(f"missing or bad key: {err}", column=path) from None


def _coerce(fld: dataclasses.Field, value: Any, path: str) -> Any:
    kind = str(fld.type)
    if kind == "RosterParams":
        return _build(RosterParams, value, path)
    if fld.name == "breaks":
        if not isinstance(value, list):
            raise InputError("breaks must be a list of tables", column=path)
        return tuple(_build(BreakRule, b, f"{path}[{i}]") for i, b in enumerate(value))
    if kind.startswith("tuple"):
        items = value if isinstance(value, list) else [value]
        if "float" in kind:
            return tuple(_number(v, path) for v in items)
        return tuple(str(v) for v in items)
    if kind.startswith("bool"):
        if not isinstance(value, bool):
            raise InputError(f"expected true or false, got {value!r}", column=path)
        return value
    if kind.startswith("int"):
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise InputError(f"expected a whole number, got {value!r}", column=path)
        return value
    if kind.startswith("float"):
        if value is None:
            return None
        return _number(value, path)
    if kind.startswith("str"):
        if not isinstance(value, str):
            raise InputError(f"expected text, got {value!r}", column=path)
        return value
    if kind.startswith("dt.date"):
        return _date(value, path)
    return value


#: The keys where ``inf`` means something (no limit); everywhere else a number is finite.
_INFINITE_OK = ("rules.understaff_tolerance",)


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"expected a number, got {value!r}", column=path)
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and path not in _INFINITE_OK):
        raise InputError(f"expected a finite number, got {value!r}", column=path)
    return number


def _date(value: Any, path: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {value!r}", column=path) from None


def config_from_dict(raw: Mapping[str, Any]) -> Config:
    """Build a :class:`Config` from the parsed TOML tables (raises :class:`InputError`)."""
    allowed = {*_SECTIONS, "queues", "shifts", "calendar", "adjustments"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InputError(
            f"unknown section {unknown[0]!r}; known: {', '.join(sorted(allowed))}",
            column=unknown[0],
        )
    parts: dict[str, Any] = {}
    for name, cls in _SECTIONS.items():
        if name in raw:
            parts[name] = _build(cls, raw[name], name)
    queues = raw.get("queues", [])
    if not isinstance(queues, list):
        raise InputError("use [[queues]] tables", column="queues")
    parts["queues"] = tuple(_build(Queue, q, f"queues[{i}]") for i, q in enumerate(queues))
    shifts = raw.get("shifts", [])
    if not isinstance(shifts, list):
        raise InputError("use [[shifts]] tables", column="shifts")
    parts["shifts"] = tuple(_build(ShiftTemplate, s, f"shifts[{i}]") for i, s in enumerate(shifts))
    calendar = raw.get("calendar", {})
    holidays = tuple(
        _build(Holiday, h, f"calendar.holidays[{i}]")
        for i, h in enumerate(calendar.get("holidays", []))
    )
    adjustments = tuple(
        _build(Adjustment, a, f"adjustments[{i}]") for i, a in enumerate(raw.get("adjustments", []))
    )
    parts["calendar"] = Calendar(holidays=holidays, adjustments=adjustments)
    return Config(**parts)


def toml_line(text: str, key_path: str | None) -> int | None:
    """Best-effort line number of ``key_path`` in the TOML text: ``queues[2].shrinkage`` (the
    third ``[[queues]]`` table), ``calendar.holidays[0].date``, ``solver.roster.moves_share``
    (the longest dotted prefix with a ``[table]`` header), ``solvr`` (a table's header)."""
    if not key_path:
        return None
    lines = text.splitlines()

    def headers(name: str, array: bool) -> list[int]:
        mark = f"[[{name}]]" if array else f"[{name}]"
        return [i for i, ln in enumerate(lines) if ln.split("#", 1)[0].strip() == mark]

    def block(start: int) -> int:
        later = [i for i, ln in enumerate(lines) if i > start and ln.strip().startswith("[")]
        return later[0] if later else len(lines)

    start, stop, rest = None, len(lines), key_path
    array = re.match(r"^(?P<table>[\w.]+?)\[(?P<i>\d+)\](?:\.(?P<rest>.+))?$", key_path)
    if array:
        found = headers(array.group("table"), True)
        index = int(array.group("i"))
        if index < len(found):
            start, rest = found[index], array.group("rest") or ""
    else:
        parts = key_path.split(".")
        for depth in range(len(parts), 0, -1):
            table = ".".join(parts[:depth])
            found = headers(table, False) or headers(table, True)
            if found:
                start, rest = found[0], ".".join(parts[depth:])
                break
    if start is None:
        first = 0
    else:
        first, stop = start + 1, block(start)
    if not rest:
        return None if start is None else start + 1
    key = re.sub(r"\[\d+\]$", "", rest.split(".")[0])
    for i in range(first, stop):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return None if start is None else start + 1


def parse_config(text: str, file: str | None = None) -> Config:
    """Parse ``wfm.toml`` text into a validated :class:`Config`.

    Errors name the file, the line and the key path.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"line (\d+)", str(err))
        raise InputError(
            f"not valid TOML: {err}", file=file, row=int(line.group(1)) if line else None
        ) from None
    try:
        return config_from_dict(raw)
    except InputError as err:
        raise InputError(
            err.message, file=file, row=toml_line(text, err.column), column=err.column
        ) from None
