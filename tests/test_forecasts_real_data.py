"""Backtests on the two real call-centre data sets in ../shared/data (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _forecast_data import anonymous_bank, us_bank, us_bank_config

from forecasts import backtest_scores, cross_validation, forecast_history


def test_us_bank_auto_week_ahead_wape_at_most_5_6_percent(shared_data):
    """Week-ahead rolling backtest over the last 4 weeks, each fold fitted on everything before
    its week, the bank's closed weekdays listed as holidays; auto chooses its model per fold by
    its own inner backtest."""
    history = us_bank(shared_data)
    models = ["auto", "seasonal_naive", "weekly_profile"]
    cv = cross_validation(history, 7, 4, 7, models=models, config=us_bank_config(history))
    scores = backtest_scores(cv).set_index("model")
    assert (scores["n_windows"] == 4).all()
    # The last fold is the week of Monday 20 October 2003, fitted up to Friday 17 October.
    last = cv[cv["cutoff"] == cv["cutoff"].max()]
    assert last["interval_start"].min() == pd.Timestamp("2003-10-20 07:00", tz="America/New_York")
    assert scores.loc["seasonal_naive", "wape"] == pytest.approx(0.098, abs=0.002)
    assert scores.loc["auto", "wape"] <= 0.056
    assert scores.loc["auto", "wape"] < scores.loc["weekly_profile", "wape"]
    assert abs(scores.loc["auto", "bias"]) < 0.03


def test_us_bank_interval_coverage_roughly_80_percent(shared_data):
    """Fit on all but the last 4 weeks; the 80% interval of the next 4 weeks covers about 80%."""
    history = us_bank(shared_data)
    start = pd.Timestamp("2003-09-29", tz="America/New_York")
    result = forecast_history(history, 26, start=start.date(), model="auto")
    actual = history[history["interval_start"] >= start]
    merged = result.frame.merge(actual, on=["interval_start", "queue"], suffixes=("", "_act"))
    assert len(merged) == len(actual)
    inside = (merged["offered_act"] >= merged["offered_lo"]) & (
        merged["offered_act"] <= merged["offered_hi"]
    )
    assert 0.7 <= inside.mean() <= 0.93
    # Weekends were never in the history: their forecast is zero.
    weekend = result.frame["interval_start"].dt.weekday >= 5
    assert result.frame.loc[weekend, "offered"].sum() == 0


def test_anonymous_bank_auto_not_worse_than_seasonal_naive(shared_data):
    """Week-ahead backtest over the last two weeks of February 1999, six queues."""
    history = anonymous_bank(shared_data)
    cv = cross_validation(history, 7, 2, 7, models=["auto", "seasonal_naive"])
    scores = backtest_scores(cv).pivot(index="queue", columns="model", values="wape")
    calls = history.groupby("queue")["offered"].sum()
    big = calls[calls > 1000].index
    assert set(big) == {"PS", "NW", "NE", "TT"}
    for queue in big:
        assert scores.loc[queue, "auto"] <= scores.loc[queue, "seasonal_naive"] + 1e-12, queue
    assert np.isfinite(scores.to_numpy()).all()


def test_anonymous_bank_forecast_has_aht_from_handle_time(shared_data):
    history = anonymous_bank(shared_data)
    result = forecast_history(history, 7)
    frame = result.frame
    ps = frame[(frame["queue"] == "PS") & (frame["offered"] > 5)]
    # Volume-weighted AHT of PS in February: about 3 minutes of talk time.
    weighted = (ps["aht_sec"] * ps["offered"]).sum() / ps["offered"].sum()
    hist = history[history["queue"] == "PS"]
    month = hist["handle_time_total_sec"].sum() / hist["answered"].sum()
    assert weighted == pytest.approx(month, rel=0.15)
    assert frame["aht_sec"].notna().all()


def test_us_bank_closures_found_and_the_week_after_labor_day_carried_over(shared_data):
    """The six weekdays without data are found as closures, the days after them stand out;
    listed as holidays, the Tuesday after Labor Day gets its carried-over calls."""
    import datetime as dt

    from forecasts import DoubleSeasonal, special_days
    from forecasts.grid import to_day_matrix
    from wfm.config import Calendar, Config, Holiday, Site

    history = us_bank(shared_data)
    Y, grid = to_day_matrix(
        pd.DatetimeIndex(history["interval_start"]), history["offered"].to_numpy(), 15
    )
    found = special_days(Y, grid.first_day)
    closed = sorted(found.loc[found["kind"] == "closed", "date"])
    assert [str(d) for d in closed] == [
        "2003-04-04",
        "2003-04-07",
        "2003-05-26",
        "2003-07-04",
        "2003-09-01",
        "2003-10-14",
    ]
    after = found[found["kind"] == "after closure"].set_index("date")["ratio"]
    assert after[dt.date(2003, 9, 2)] > 1.25  # the Tuesday after Labor Day
    config = Config(
        site=Site(timezone="America/New_York", interval_minutes=15),
        calendar=Calendar(holidays=tuple(Holiday(date=d) for d in closed)),
    )
    start = dt.date(2003, 9, 1)
    train = history[history["interval_start"] < pd.Timestamp(start, tz="America/New_York")]
    week = history[
        (history["interval_start"] >= pd.Timestamp(start, tz="America/New_York"))
        & (history["interval_start"] < pd.Timestamp("2003-09-06", tz="America/New_York"))
    ]

    def wape(model):
        fc = forecast_history(train, 7, start=start, model=model, config=config).frame
        merged = week.merge(fc, on=["interval_start", "queue"], suffixes=("_act", ""))
        return (merged["offered_act"] - merged["offered"]).abs().sum() / merged["offered_act"].sum()

    assert wape(DoubleSeasonal()) < wape(DoubleSeasonal(carry_over=False)) - 0.02
