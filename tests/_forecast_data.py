"""Synthetic queue histories for the forecasting tests (seeded, Poisson arrivals)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.axis import interval_axis
from wfm.config import Calendar, Config, Holiday, Site


def synthetic_history(
    days: int = 70,
    start: str = "2026-01-05",
    tz: str = "Europe/London",
    queues: tuple[str, ...] = ("service",),
    scale: float = 40.0,
    interval_minutes: int = 15,
    seed: int = 7,
    weekdays_only: bool = False,
) -> pd.DataFrame:
    """Offered calls with an intraday hump (peak late morning), weekly pattern (Monday busy,
    Sunday quiet), Poisson noise and an AHT that rises in the evening."""
    rng = np.random.default_rng(seed)
    axis = interval_axis(start, days, tz, interval_minutes)
    local = axis.tz_localize(None)
    hour = np.asarray(local.hour + local.minute / 60.0)
    weekday = np.asarray(local.weekday)
    intraday = np.exp(-0.5 * ((hour - 11.0) / 3.0) ** 2) + 0.5 * np.exp(
        -0.5 * ((hour - 16.0) / 2.0) ** 2
    )
    intraday = np.where((hour >= 7) & (hour < 21), intraday, 0.0)
    week = np.array([1.3, 1.1, 1.0, 1.0, 0.95, 0.6, 0.4])[weekday]
    frames = []
    for i, queue in enumerate(queues):
        rate = scale * (1 + 0.5 * i) * intraday * week
        offered = rng.poisson(rate).astype(float)
        aht = 240.0 + 60.0 * (hour > 17)
        answered = offered
        frame = pd.DataFrame(
            {
                "interval_start": axis,
                "queue": queue,
                "channel": "voice",
                "interval_minutes": interval_minutes,
                "offered": offered,
                "answered": answered,
                "handle_time_total_sec": answered * aht,
                "aht_sec": np.where(answered > 0, aht, np.nan),
            }
        )
        if weekdays_only:
            frame = frame[weekday < 5]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def us_bank(shared_data) -> pd.DataFrame:
    """The US bank 15-minute series without the partial 21:00 slot (local New York time)."""
    path = shared_data / "us_bank_calls_5min" / "us_bank_calls_15min.csv"
    df = pd.read_csv(path, parse_dates=["interval_start"])
    df = df[df["minutes_covered"] == 15].drop(columns="minutes_covered")
    df["interval_start"] = df["interval_start"].dt.tz_localize("America/New_York")
    return df.reset_index(drop=True)


def us_bank_config(history: pd.DataFrame) -> Config:
    """The US bank's closed weekdays (Monday to Friday without data) as holidays with factor
    0, as a planner lists them in ``[[calendar.holidays]]``."""
    days = pd.DatetimeIndex(history["interval_start"].dt.tz_localize(None).dt.normalize().unique())
    closed = sorted(set(pd.bdate_range(days.min(), days.max()).date) - set(days.date))
    holidays = tuple(Holiday(date=d, name="closed", factor=0.0) for d in closed)
    return Config(
        site=Site(timezone="America/New_York", interval_minutes=15),
        calendar=Calendar(holidays=holidays),
    )


def anonymous_bank(shared_data) -> pd.DataFrame:
    """The Israeli bank's six queues at 30 minutes (local Jerusalem time)."""
    path = shared_data / "anonymous_bank_feb1999" / "anonymous_bank_feb1999_30min.csv"
    df = pd.read_csv(path, parse_dates=["interval_start"])
    df["interval_start"] = df["interval_start"].dt.tz_localize("Asia/Jerusalem")
    return df
