"""The calendar, forecast and database settings and the whole :class:`Config`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wfm.config.common import (
    check,
)
from wfm.config.shifts import Rules, ShiftTemplate
from wfm.config.site import Queue, Site
from wfm.config.solver import SolverOptions


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
        check(self.factor >= 0, "factor must be >= 0", "calendar.holidays.factor")


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
        check(self.start <= self.end, "start must not be after end", "adjustments.end")
        check(self.percent > -100, "percent must be > -100", "adjustments.percent")


@dataclass(frozen=True)
class Calendar:
    """Holidays and special days, and planners' manual adjustments."""

    holidays: tuple[Holiday, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()


#: The model names of ``[forecast] model`` (``forecasts.MODELS``; the forecasts package imports
#: the configuration, so the names are listed here and a test keeps the two lists equal).
FORECAST_MODELS = (
    "seasonal_naive",
    "weekly_profile",
    "pooled_profile",
    "top_down",
    "double_seasonal",
    "auto",
)


@dataclass(frozen=True)
class ForecastSettings:
    """Defaults for ``wfm forecast``: the model and the backtest that ``auto`` uses."""

    model: str = "auto"
    n_windows: int = 4
    step_days: int = 7
    interval_level: float = 0.80

    def __post_init__(self) -> None:
        check(
            self.model in FORECAST_MODELS,
            f"unknown model {self.model!r}; use one of {', '.join(FORECAST_MODELS)}",
            "forecast.model",
        )
        check(self.n_windows >= 1, "n_windows must be >= 1", "forecast.n_windows")
        check(self.step_days >= 1, "step_days must be >= 1", "forecast.step_days")
        check(
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
        for table, names in (
            ("queues", [q.name for q in self.queues]),
            ("shifts", [s.name for s in self.shifts]),
        ):
            for i, name in enumerate(names):  # keyed on the second table of the name
                check(
                    name not in names[:i],
                    f"{table[:-1]} names must be unique: {name!r} is also "
                    f"{table}[{names.index(name)}]",
                    f"{table}[{i}].name",
                )

    def queue(self, name: str) -> Queue:
        """The queue called ``name`` (KeyError if there is none)."""
        for queue in self.queues:
            if queue.name == name:
                return queue
        raise KeyError(name)

    @property
    def queue_names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.queues)

    @property
    def activity_names(self) -> frozenset[str]:
        """The activities a schedule of this configuration holds: ``work``, ``break``,
        ``lunch``, ``off`` and every break rule's name."""
        labels = {rule.label for template in self.shifts for rule in template.breaks}
        return frozenset({"work", "break", "lunch", "off", *labels})


# --------------------------------------------------------------------------- parsing
