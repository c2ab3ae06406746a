"""Shared by the pages: the site's wall clock for charts, the days of a planning week."""

from __future__ import annotations

import datetime as dt

import pandas as pd

__all__ = [
    "wall_clock",
    "week_days",
]


def wall_clock(times: pd.Series, tz: str) -> pd.Series:
    """``times`` on the site's clock ``tz`` as naive timestamps (for chart axes)."""
    return times.dt.tz_convert(tz).dt.tz_localize(None)


def week_days(week: dt.date) -> list[dt.date]:
    """The seven days of the week starting ``week``."""
    return [week + dt.timedelta(days=i) for i in range(7)]
