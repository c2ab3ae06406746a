"""Forecasting benchmark: accuracy on the two real data sets and speed on 50 synthetic queues.

    .venv/bin/python benchmarks/bench_forecast.py

Prints (1) the US bank week-ahead rolling backtest WAPE over the last 4 weeks (15-minute data,
partial 21:00 slot dropped; each fold fitted on everything before its week) for every model and
``auto``; (2) the anonymous bank WAPE per queue (30-minute data, the last two weeks of February
1999) for ``auto`` against seasonal naive; (3) the time to forecast 50 queues with a year of
15-minute history each, 4 weeks ahead, with ``auto`` (backtest of 4 models x 4 windows per queue).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from forecasts import backtest_scores, cross_validation, forecast_history
from wfm.axis import interval_axis

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MODELS = ["seasonal_naive", "weekly_profile", "top_down", "double_seasonal", "auto"]


def us_bank() -> None:
    path = DATA / "us_bank_calls_5min" / "us_bank_calls_15min.csv"
    if not path.is_file():
        print(f"(1) US bank: skipped, {path} not found")
        return
    df = pd.read_csv(path, parse_dates=["interval_start"])
    df = df[df["minutes_covered"] == 15].drop(columns="minutes_covered")
    df["interval_start"] = df["interval_start"].dt.tz_localize("America/New_York")
    t0 = time.perf_counter()
    cv = cross_validation(df, 7, 4, 7, models=MODELS)
    elapsed = time.perf_counter() - t0
    scores = backtest_scores(cv).set_index("model")
    print("(1) US bank, 15 min, week-ahead rolling backtest over the last 4 weeks")
    print(f"    {'model':<16} {'WAPE %':>7} {'MAPE %':>7} {'bias %':>7}")
    for model in MODELS:
        row = scores.loc[model]
        print(
            f"    {model:<16} {100 * row['wape']:7.2f} {100 * row['mape']:7.2f} "
            f"{100 * row['bias']:+7.2f}"
        )
    print(f"    (target: auto <= 6.00%; backtest of 5 models took {elapsed:.2f} s)")


def anonymous_bank() -> None:
    path = DATA / "anonymous_bank_feb1999" / "anonymous_bank_feb1999_30min.csv"
    if not path.is_file():
        print(f"(2) anonymous bank: skipped, {path} not found")
        return
    df = pd.read_csv(path, parse_dates=["interval_start"])
    df["interval_start"] = df["interval_start"].dt.tz_localize("Asia/Jerusalem")
    cv = cross_validation(df, 7, 2, 7, models=["auto", "seasonal_naive", "weekly_profile"])
    scores = backtest_scores(cv).pivot(index="queue", columns="model", values="wape")
    calls = df.groupby("queue")["offered"].sum()
    print("(2) anonymous bank, 30 min, week-ahead backtest over the last 2 weeks")
    print(f"    {'queue':<6} {'calls':>7} {'auto %':>8} {'s.naive %':>10} {'w.profile %':>12}")
    for queue in calls.sort_values(ascending=False).index:
        flag = (
            ""
            if calls[queue] <= 1000
            else (
                "  ok"
                if scores.loc[queue, "auto"] <= scores.loc[queue, "seasonal_naive"]
                else "  WORSE"
            )
        )
        print(
            f"    {queue:<6} {int(calls[queue]):7d} {100 * scores.loc[queue, 'auto']:8.1f} "
            f"{100 * scores.loc[queue, 'seasonal_naive']:10.1f} "
            f"{100 * scores.loc[queue, 'weekly_profile']:12.1f}{flag}"
        )


def speed(n_queues: int = 50, days: int = 364, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    axis = interval_axis("2025-01-06", days, "Europe/London", 15)
    local = axis.tz_localize(None)
    hour = np.asarray(local.hour + local.minute / 60.0)
    weekday = np.asarray(local.weekday)
    shape = np.where((hour >= 7) & (hour < 22), np.exp(-0.5 * ((hour - 12) / 3.5) ** 2), 0)
    week = np.array([1.25, 1.1, 1.0, 1.0, 0.95, 0.6, 0.35])[weekday]
    season = 1 + 0.15 * np.sin(2 * np.pi * np.arange(len(axis)) / (96 * 365))
    frames = []
    for q in range(n_queues):
        rate = rng.uniform(5, 80) * shape * week * season
        offered = rng.poisson(rate).astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": axis,
                    "queue": f"q{q:02d}",
                    "channel": "voice",
                    "interval_minutes": 15,
                    "offered": offered,
                    "answered": offered,
                    "handle_time_total_sec": offered * 240.0,
                }
            )
        )
    history = pd.concat(frames, ignore_index=True)
    t0 = time.perf_counter()
    result = forecast_history(history, 28, model="auto")
    elapsed = time.perf_counter() - t0
    chosen = result.choices["model"].value_counts().to_dict()
    print(
        f"(3) speed: {n_queues} queues x {days} days of 15-min history ({len(history):,} rows), "
        f"28 days ahead with auto: {elapsed:.1f} s (target < 30 s); "
        f"{len(result.frame):,} forecast rows; chosen: {chosen}"
    )


if __name__ == "__main__":
    us_bank()
    anonymous_bank()
    speed()
