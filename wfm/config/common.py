"""Shared pieces of the configuration types: channels, clock times, the checks."""

from __future__ import annotations

import re

from wfm.axis import DAY_NAMES
from wfm.errors import InputError

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


def check(condition: bool, message: str, key: str) -> None:
    if not condition:
        raise InputError(message, column=key)


def check_days(days: tuple[str, ...], key: str) -> None:
    for day in days:
        check(day in DAY_NAMES, f"unknown day {day!r}; use {', '.join(DAY_NAMES)}", key)
