"""The configuration (``wfm.toml``) as frozen, validated dataclasses.

Every value is checked in ``__post_init__``; a bad value raises :class:`~wfm.errors.InputError`
with the key path (``queues[2].service_level``). :func:`parse_config` turns TOML text into a
:class:`Config` and adds the file name and line; reading the file is :func:`wfm.io.read_config`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.errors import InputError
from wfm.roster_params import RosterParams

__all__ = [
    "CHANNELS",
    "DEFERRABLE_CHANNELS",
    "PLAN_STRATEGIES",
    "Adjustment",
    "BreakRule",
    "Calendar",
    "Config",
    "Database",
    "ForecastSettings",
    "Holiday",
    "Queue",
    "Rules",
    "ShiftTemplate",
    "Site",
    "SolverOptions",
    "clock_to_minutes",
    "parse_config",
]

CHANNELS = ("voice", "chat", "email", "backoffice", "outbound")
#: Channels whose work can wait for a deadline or a quiet period instead of being answered live.
DEFERRABLE_CHANNELS = ("email", "backoffice", "outbound")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def clock_to_minutes(value: str, key: str) -> int:
    """``"06:30"`` -> 390 minutes after midnight (``"24:00"`` -> 1440 is allowed)."""
    match = _CLOCK.match(str(value).strip())
    if not match:
        raise InputError(f"expected a clock time HH:MM, got {value!r}", column=key)
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise InputError(f"{value!r} is not a valid clock time", column=key)
    return hours * 60 + minutes


def _check(condition: bool, message: str, key: str) -> None:
    if not condition:
        raise InputError(message, column=key)


def _check_days(days: tuple[str, ...], key: str) -> None:
    for day in days:
        _check(day in DAY_NAMES, f"unknown day {day!r}; use {', '.join(DAY_NAMES)}", key)


@dataclass(frozen=True)
class Site:
    """The contact centre: its name, clock and interval length."""

    name: str = "Contact centre"
    timezone: str = "UTC"
    interval_minutes: int = 15
    #: True: the planning week wraps, a Sunday-night shift covers Monday morning of the same week.
    cyclic_week: bool = False

    def __post_init__(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InputError(
                f"unknown time zone {self.timezone!r}", column="site.timezone"
            ) from None
        _check(
            isinstance(self.interval_minutes, int)
            and self.interval_minutes > 0
            and 60 % self.interval_minutes == 0,
            f"interval_minutes must divide an hour, got {self.interval_minutes}",
            "site.interval_minutes",
        )


@dataclass(frozen=True)
class Queue:
    """One queue (contact type) with its channel and its service targets.

    ``service_level`` and ``threshold_sec`` form the service-level target: that share of offered
    contacts answered within ``threshold_sec`` seconds ("80/20"). ``asa_target_sec`` is a separate,
    optional target on the average speed of answer. ``shrinkage`` is the share of paid time not
    available for contacts that the schedule does not model itself (absence, training, meetings);
    breaks placed by the scheduler are not part of it.
    """

    name: str
    channel: str = "voice"
    service_level: float = 0.80
    threshold_sec: float = 20.0
    max_occupancy: float = 0.85
    shrinkage: float = 0.30
    asa_target_sec: float | None = None
    #: Mean customer patience in seconds (exponential): Erlang A instead of Erlang C.
    patience_sec: float | None = None
    #: Chat: the most chats one agent handles at once.
    concurrency: int = 1
    #: Email and back office: every item must be finished within this many hours of arrival.
    deadline_hours: float | None = None
    #: Outbound: agent-hours of calling to place each day, in the quiet periods.
    hours_per_day: float | None = None
    #: Weight of this queue's understaffing in the scheduling objective.
    priority: float = 1.0
    #: Opening hours (local clock); outside them the queue's forecast is zero.
    open_from: str = "00:00"
    open_until: str = "24:00"
    open_days: tuple[str, ...] = DAY_NAMES

    def __post_init__(self) -> None:
        key = f"queue {self.name!r}"
        _check(bool(str(self.name).strip()), "a queue needs a name", "queues.name")
        _check(
            self.channel in CHANNELS,
            f"unknown channel {self.channel!r}; use one of {', '.join(CHANNELS)}",
            f"{key}.channel",
        )
        _check(
            0 < self.service_level < 1,
            f"service_level must be in (0, 1), got {self.service_level}",
            f"{key}.service_level",
        )
        _check(self.threshold_sec >= 0, "threshold_sec must be >= 0", f"{key}.threshold_sec")
        _check(
            0 < self.max_occupancy <= 1,
            f"max_occupancy must be in (0, 1], got {self.max_occupancy}",
            f"{key}.max_occupancy",
        )
        _check(
            0 <= self.shrinkage < 1,
            f"shrinkage must be in [0, 1), got {self.shrinkage}",
            f"{key}.shrinkage",
        )
        for name in ("asa_target_sec", "patience_sec", "deadline_hours", "hours_per_day"):
            value = getattr(self, name)
            _check(value is None or value > 0, f"{name} must be > 0, got {value}", f"{key}.{name}")
        _check(
            isinstance(self.concurrency, int) and self.concurrency >= 1,
            f"concurrency must be a whole number >= 1, got {self.concurrency}",
            f"{key}.concurrency",
        )
        _check(self.priority > 0, "priority must be > 0", f"{key}.priority")
        _check(
            self.channel not in ("email", "backoffice") or self.deadline_hours is not None,
            f"an {self.channel} queue needs deadline_hours",
            f"{key}.deadline_hours",
        )
        _check(
            self.channel != "outbound" or self.hours_per_day is not None,
            "an outbound queue needs hours_per_day",
            f"{key}.hours_per_day",
        )
        opens = clock_to_minutes(self.open_from, f"{key}.open_from")
        closes = clock_to_minutes(self.open_until, f"{key}.open_until")
        _check(opens < closes, "open_from must be before open_until", f"{key}.open_until")
        _check_days(self.open_days, f"{key}.open_days")

    @property
    def deferrable(self) -> bool:
        """Whether the work can wait (email, back office, outbound) rather than queue live."""
        return self.channel in DEFERRABLE_CHANNELS

    @property
    def open_minutes(self) -> tuple[int, int]:
        """Opening and closing time as minutes after local midnight."""
        return clock_to_minutes(self.open_from, "open_from"), clock_to_minutes(
            self.open_until, "open_until"
        )

    def open_at(self, starts: pd.DatetimeIndex | pd.Series) -> np.ndarray:
        """True where the queue is open at an interval's start: its weekday is in ``open_days``
        and its local clock time is at or after ``open_from`` and before ``open_until``."""
        local = pd.DatetimeIndex(starts)  # tz-aware: hour, minute and weekday are local
        minutes = np.asarray(local.hour * 60 + local.minute)
        opens, closes = self.open_minutes
        day_open = np.array([DAY_NAMES[d] in self.open_days for d in range(7)])
        return day_open[np.asarray(local.weekday)] & (minutes >= opens) & (minutes < closes)


@dataclass(frozen=True)
class BreakRule:
    """A break or lunch inside a shift, placed by the scheduler inside its window.

    The window is counted from the shift start: the break starts between ``earliest_after_min``
    and ``latest_after_min`` minutes after it.
    """

    length_min: int
    paid: bool = True
    earliest_after_min: int = 0
    latest_after_min: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        _check(self.length_min > 0, "a break needs length_min > 0", "breaks.length_min")
        _check(
            0 <= self.earliest_after_min <= self.latest_after_min,
            "a break needs 0 <= earliest_after_min <= latest_after_min",
            "breaks.latest_after_min",
        )

    @property
    def label(self) -> str:
        """``lunch`` for unpaid breaks, ``break`` for paid ones, unless named."""
        return self.name or ("break" if self.paid else "lunch")


@dataclass(frozen=True)
class ShiftTemplate:
    """A family of shifts: a start window, a step, lengths, days and breaks.

    A start window may cross midnight (``latest_start`` earlier than ``earliest_start``), and a
    shift may end after midnight: it then covers the next morning.
    """

    name: str
    earliest_start: str
    latest_start: str
    length_hours: tuple[float, ...]
    start_step_min: int = 15
    days: tuple[str, ...] = DAY_NAMES
    #: Cost of one shift; or, when None, ``cost_per_hour`` times paid hours.
    cost: float | None = None
    cost_per_hour: float | None = None
    breaks: tuple[BreakRule, ...] = ()

    def __post_init__(self) -> None:
        key = f"shift {self.name!r}"
        clock_to_minutes(self.earliest_start, f"{key}.earliest_start")
        clock_to_minutes(self.latest_start, f"{key}.latest_start")
        _check(self.start_step_min > 0, "start_step_min must be > 0", f"{key}.start_step_min")
        _check(len(self.length_hours) > 0, "length_hours needs at least one length", key)
        for hours in self.length_hours:
            _check(0 < hours <= 24, f"a shift length must be in (0, 24] hours, got {hours}", key)
        _check_days(self.days, f"{key}.days")
        _check(self.cost is None or self.cost >= 0, "cost must be >= 0", f"{key}.cost")
        _check(
            self.cost_per_hour is None or self.cost_per_hour >= 0,
            "cost_per_hour must be >= 0",
            f"{key}.cost_per_hour",
        )
        for rule in self.breaks:
            _check(
                rule.latest_after_min + rule.length_min <= min(self.length_hours) * 60,
                f"break window ends after the shortest shift ({min(self.length_hours)} h)",
                f"{key}.breaks",
            )

    def start_minutes(self) -> list[int]:
        """Allowed start times, minutes after local midnight of the shift's day (may be >= 1440
        when the window crosses midnight: the shift then starts early on the next calendar day)."""
        first = clock_to_minutes(self.earliest_start, "earliest_start")
        last = clock_to_minutes(self.latest_start, "latest_start")
        if last < first:
            last += 1440
        return list(range(first, last + 1, self.start_step_min))


@dataclass(frozen=True)
class Rules:
    """Roster rules and the weights of the soft ones."""

    min_rest_hours: float = 11.0
    max_consecutive_days: int = 5
    days_off_per_week: int = 2
    hard_coverage: bool = False
    understaff_penalty: float = 1000.0
    overstaff_penalty: float = 1.0
    distinct_shift_penalty: float = 0.0
    #: Agent-intervals short (summed over queues) that a run may leave before it fails (exit 3).
    understaff_tolerance: float = float("inf")
    consecutive_days_off_penalty: float = 20.0
    preference_penalty: float = 10.0
    weekend_fairness_penalty: float = 5.0

    def __post_init__(self) -> None:
        _check(self.min_rest_hours >= 0, "min_rest_hours must be >= 0", "rules.min_rest_hours")
        _check(
            1 <= self.max_consecutive_days <= 7,
            "max_consecutive_days must be 1..7",
            "rules.max_consecutive_days",
        )
        _check(
            0 <= self.days_off_per_week <= 7,
            "days_off_per_week must be 0..7",
            "rules.days_off_per_week",
        )
        for name in (
            "understaff_penalty",
            "overstaff_penalty",
            "distinct_shift_penalty",
            "understaff_tolerance",
            "consecutive_days_off_penalty",
            "preference_penalty",
            "weekend_fairness_penalty",
        ):
            _check(getattr(self, name) >= 0, f"{name} must be >= 0", f"rules.{name}")


#: The shift-plan search strategies of ``[solver] strategy``.
PLAN_STRATEGIES = ("auto", "weighted", "zero_deviation_first")


@dataclass(frozen=True)
class SolverOptions:
    """Which MIP solver PuLP calls, and how long it may search.

    ``roster`` holds the knobs of the roster heuristic (the ``[solver.roster]`` table, see
    :class:`~wfm.roster_params.RosterParams`).
    """

    name: str = "highs"
    time_limit_sec: float = 60.0
    gap: float = 0.005
    threads: int | None = None
    msg: bool = False
    #: How a roster of named agents is solved (see ``solvers.roster.RosterOptions.method``).
    roster_method: str = "price_dive"
    #: How a shift plan is searched: ``weighted`` (one solve of the weighted objective),
    #: ``zero_deviation_first`` (first the plans that cover every live queue exactly, for
    #: ``first_share`` of the time limit, then the full model from the best of them) or ``auto``
    #: (zero-deviation first when ``rules.distinct_shift_penalty > 0``, else weighted).
    strategy: str = "auto"
    #: The roster heuristic's knobs, ``[solver.roster]`` (:class:`wfm.roster_params.RosterParams`).
    roster: RosterParams = field(default_factory=RosterParams)

    def __post_init__(self) -> None:
        _check(
            self.strategy in PLAN_STRATEGIES,
            f"strategy must be one of {', '.join(PLAN_STRATEGIES)}, got {self.strategy!r}",
            "solver.strategy",
        )
        _check(
            self.roster_method in ("two_stage", "price_dive"),
            f"roster_method must be two_stage or price_dive, got {self.roster_method!r}",
            "solver.roster_method",
        )
        _check(
            self.name in ("highs", "cbc"),
            f"solver must be highs or cbc, got {self.name!r}",
            "solver.name",
        )
        _check(self.time_limit_sec > 0, "time_limit_sec must be > 0", "solver.time_limit_sec")
        _check(0 <= self.gap < 1, "gap must be in [0, 1)", "solver.gap")
        _check(self.threads is None or self.threads >= 1, "threads must be >= 1", "solver.threads")


@dataclass(frozen=True)
class Holiday:
    """A public holiday or special day: ``factor`` scales the forecast (0 closes the centre).

    History on these days is left out of model training.
    """

    date: dt.date
    name: str = ""
    factor: float = 0.0
    queues: tuple[str, ...] = ()  # empty: every queue

    def __post_init__(self) -> None:
        _check(self.factor >= 0, "factor must be >= 0", "calendar.holidays.factor")


@dataclass(frozen=True)
class Adjustment:
    """A planner's manual forecast adjustment: ``percent`` on volume from ``start`` to ``end``
    (dates, inclusive), for one queue or all of them (``queue`` empty)."""

    start: dt.date
    end: dt.date
    percent: float
    queue: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        _check(self.start <= self.end, "start must not be after end", "adjustments.end")
        _check(self.percent > -100, "percent must be > -100", "adjustments.percent")


@dataclass(frozen=True)
class Calendar:
    """Holidays and special days, and planners' manual adjustments."""

    holidays: tuple[Holiday, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class ForecastSettings:
    """Defaults for ``wfm forecast``: the model and the backtest that ``auto`` uses."""

    model: str = "auto"
    n_windows: int = 4
    step_days: int = 7
    interval_level: float = 0.80

    def __post_init__(self) -> None:
        _check(self.n_windows >= 1, "n_windows must be >= 1", "forecast.n_windows")
        _check(self.step_days >= 1, "step_days must be >= 1", "forecast.step_days")
        _check(
            0 < self.interval_level < 1,
            "interval_level must be in (0, 1)",
            "forecast.interval_level",
        )


@dataclass(frozen=True)
class Database:
    """Where a workspace keeps its data (``[database]``).

    ``url`` is a SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/wfm`` for a team
    server; empty (the default) means the embedded SQLite file ``wfm.db`` in the workspace
    folder. The ``WFM_DATABASE_URL`` environment variable overrides it.
    """

    url: str = ""


@dataclass(frozen=True)
class Config:
    """The whole ``wfm.toml``."""

    site: Site = field(default_factory=Site)
    queues: tuple[Queue, ...] = ()
    shifts: tuple[ShiftTemplate, ...] = ()
    rules: Rules = field(default_factory=Rules)
    solver: SolverOptions = field(default_factory=SolverOptions)
    calendar: Calendar = field(default_factory=Calendar)
    forecast: ForecastSettings = field(default_factory=ForecastSettings)
    database: Database = field(default_factory=Database)

    def __post_init__(self) -> None:
        names = [q.name for q in self.queues]
        dupes = sorted({n for n in names if names.count(n) > 1})
        _check(not dupes, f"queue names must be unique: {', '.join(dupes)}", "queues.name")
        shift_names = [s.name for s in self.shifts]
        dupes = sorted({n for n in shift_names if shift_names.count(n) > 1})
        _check(not dupes, f"shift names must be unique: {', '.join(dupes)}", "shifts.name")

    def queue(self, name: str) -> Queue:
        """The queue called ``name`` (KeyError if there is none)."""
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(name)

    @property
    def queue_names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.queues)


# --------------------------------------------------------------------------- parsing

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


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"expected a number, got {value!r}", column=path)
    return float(value)


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


def _line_of(text: str, key_path: str | None) -> int | None:
    """Best-effort line number of ``key_path`` (``queues[2].shrinkage``) in the TOML text."""
    if not key_path:
        return None
    lines = text.splitlines()
    start, stop = 0, len(lines)
    parts = key_path.split(".")
    head = parts[0]
    match = re.match(r"^([\w.]+)\[(\d+)\]$", head)
    if match:
        table, index = match.group(1), int(match.group(2))
        headers = [i for i, ln in enumerate(lines) if ln.strip() == f"[[{table}]]"]
        if index < len(headers):
            start = headers[index]
            later = [i for i, ln in enumerate(lines) if i > start and ln.strip().startswith("[")]
            stop = later[0] if later else len(lines)
        parts = parts[1:]
    elif len(parts) > 1:
        # the longest dotted prefix with a table header of its own: [solver.roster], [solver]
        for depth in range(len(parts) - 1, 0, -1):
            table = ".".join(parts[:depth])
            headers = [i for i, ln in enumerate(lines) if ln.strip() == f"[{table}]"]
            if headers:
                start = headers[0]
                later = [
                    i for i, ln in enumerate(lines) if i > start and ln.strip().startswith("[")
                ]
                stop = later[0] if later else len(lines)
                parts = parts[depth:]
                break
        else:
            parts = parts[1:]
    if not parts:
        return start + 1
    key = re.sub(r"\[\d+\]$", "", parts[0])
    for i in range(start, stop):
        if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
            return i + 1
    return start + 1 if match or len(key_path.split(".")) > 1 else None


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
            err.message, file=file, row=_line_of(text, err.column), column=err.column
        ) from None
