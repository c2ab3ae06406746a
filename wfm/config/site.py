"""The site and its queues (``[site]``, ``[[queues]]``)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.config.common import (
    CHANNELS,
    DEFERRABLE_CHANNELS,
    check,
    check_days,
    clock_to_minutes,
)
from wfm.errors import InputError


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
        check(
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
        check(bool(str(self.name).strip()), "a queue needs a name", "queues.name")
        check(
            self.channel in CHANNELS,
            f"unknown channel {self.channel!r}; use one of {', '.join(CHANNELS)}",
            f"{key}.channel",
        )
        check(
            0 < self.service_level < 1,
            f"service_level must be in (0, 1), got {self.service_level}",
            f"{key}.service_level",
        )
        check(self.threshold_sec >= 0, "threshold_sec must be >= 0", f"{key}.threshold_sec")
        check(
            0 < self.max_occupancy <= 1,
            f"max_occupancy must be in (0, 1], got {self.max_occupancy}",
            f"{key}.max_occupancy",
        )
        check(
            0 <= self.shrinkage < 1,
            f"shrinkage must be in [0, 1), got {self.shrinkage}",
            f"{key}.shrinkage",
        )
        for name in ("asa_target_sec", "patience_sec", "deadline_hours", "hours_per_day"):
            value = getattr(self, name)
            check(value is None or value > 0, f"{name} must be > 0, got {value}", f"{key}.{name}")
        check(
            isinstance(self.concurrency, int) and self.concurrency >= 1,
            f"concurrency must be a whole number >= 1, got {self.concurrency}",
            f"{key}.concurrency",
        )
        check(self.priority > 0, "priority must be > 0", f"{key}.priority")
        check(
            self.channel not in ("email", "backoffice") or self.deadline_hours is not None,
            f"an {self.channel} queue needs deadline_hours",
            f"{key}.deadline_hours",
        )
        check(
            self.channel != "outbound" or self.hours_per_day is not None,
            "an outbound queue needs hours_per_day",
            f"{key}.hours_per_day",
        )
        opens = clock_to_minutes(self.open_from, f"{key}.open_from")
        closes = clock_to_minutes(self.open_until, f"{key}.open_until")
        check(opens < closes, "open_from must be before open_until", f"{key}.open_until")
        check_days(self.open_days, f"{key}.open_days")

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
