"""forecast_history on synthetic frames: auto's choice, calendar, intervals, AHT, DST, bad
history."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_data import synthetic_history

from forecasts import FORECAST_FRAME_COLUMNS, backtest_scores, cross_validation, forecast_history
from wfm.config import Adjustment, Calendar, Config, Holiday, Queue, Site
from wfm.errors import InputError


def _config(**calendar) -> Config:
    return Config(
        site=Site(timezone="Europe/London", interval_minutes=15),
        queues=(
            Queue(
                "service",
                open_from="08:00",
                open_until="20:00",
                open_days=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat"),
            ),
            Queue("sales"),
        ),
        calendar=Calendar(**calendar),
    )


def test_frame_shape_and_auto_choice_reported():
    history = synthetic_history(days=56, queues=("service", "sales"))
    result = forecast_history(history, 14, model="auto")
    frame = result.frame
    assert tuple(frame.columns) == FORECAST_FRAME_COLUMNS
    assert len(frame) == 2 * 14 * 96
    assert frame["interval_start"].dt.tz is not None
    assert (frame["offered"] >= 0).all()
    assert (frame["offered_lo"] <= frame["offered"]).all()
    assert (frame["offered"] <= frame["offered_hi"]).all()
    assert set(result.choices["queue"]) == {"service", "sales"}
    for _, row in result.choices.iterrows():
        assert row["model"].startswith("auto:")
        chosen = row["model"].split(":")[1]
        scores = result.scores[result.scores["queue"] == row["queue"]]
        assert chosen in set(scores["model"])
        assert scores.loc[scores["model"] == chosen, "wape"].iloc[0] == scores["wape"].min()
    assert frame["model"].str.startswith("auto:").all()
    # Forecast starts the day after the history, at local midnight.
    assert frame["interval_start"].min() == pd.Timestamp("2026-03-02", tz="Europe/London")


def test_forecast_level_close_to_truth():
    history = synthetic_history(days=70, scale=60.0)
    truth = synthetic_history(days=77, scale=60.0, seed=8)  # same rate, fresh noise
    last_week = truth[truth["interval_start"] >= pd.Timestamp("2026-03-16", tz="Europe/London")]
    result = forecast_history(history, 7, model="weekly_profile")
    total_fc = result.frame["offered"].sum()
    assert total_fc == pytest.approx(last_week["offered"].sum(), rel=0.05)


def test_aht_is_volume_weighted_profile():
    history = synthetic_history(days=56)
    frame = forecast_history(history, 7, model="weekly_profile").frame
    hour = frame["interval_start"].dt.hour
    busy = frame["offered"] > 1
    assert frame.loc[busy & (hour < 17), "aht_sec"].between(235, 245).all()
    assert frame.loc[busy & (hour >= 18), "aht_sec"].between(290, 301).all()


def test_closed_hours_and_days_are_zero():
    history = synthetic_history(days=56, queues=("service", "sales"))
    frame = forecast_history(history, 14, config=_config()).frame
    service = frame[frame["queue"] == "service"]
    local = service["interval_start"].dt.tz_localize(None)
    closed = (local.dt.hour < 8) | (local.dt.hour >= 20) | (local.dt.weekday == 6)
    assert (service.loc[closed, ["offered", "offered_lo", "offered_hi"]] == 0).all().all()
    assert service.loc[~closed & (local.dt.hour.between(10, 12)), "offered"].min() > 0
    sales = frame[frame["queue"] == "sales"]
    sunday = sales["interval_start"].dt.weekday == 6
    assert sales.loc[sunday, "offered"].sum() > 0  # open every day


def test_holiday_scaled_and_left_out_of_training():
    history = synthetic_history(days=56, queues=("service",))
    # A past holiday with freak volume: excluded from training, it must not move the forecast.
    freak_day = dt.date(2026, 2, 23)
    spiked = history.copy()
    on_day = spiked["interval_start"].dt.date == freak_day
    spiked.loc[on_day, "offered"] *= 10
    holidays = (
        Holiday(freak_day, "past holiday", 0.0),
        Holiday(dt.date(2026, 3, 3), "half day", 0.5),
        Holiday(dt.date(2026, 3, 4), "closed", 0.0, queues=("service",)),
        Holiday(dt.date(2026, 3, 5), "other queue", 0.0, queues=("sales",)),
    )
    config = Config(
        site=Site(timezone="Europe/London"),
        calendar=Calendar(holidays=holidays),
    )
    plain = forecast_history(history, 7, model="weekly_profile").frame
    cal = forecast_history(spiked, 7, model="weekly_profile", config=config).frame
    day = cal["interval_start"].dt.date
    base = plain["offered"].to_numpy()
    got = cal["offered"].to_numpy()
    # Monday 2 March: untouched by the calendar, and the freak past Monday was left out.
    monday = (day == dt.date(2026, 3, 2)).to_numpy()
    ref = synthetic_history(days=56, queues=("service",))
    ref = ref[ref["interval_start"].dt.date != freak_day]
    no_holiday = forecast_history(ref, 7, model="weekly_profile", start="2026-03-02").frame
    np.testing.assert_allclose(got[monday], no_holiday["offered"].to_numpy()[monday])
    half = (day == dt.date(2026, 3, 3)).to_numpy()
    np.testing.assert_allclose(got[half], 0.5 * base[half])
    assert got[(day == dt.date(2026, 3, 4)).to_numpy()].sum() == 0
    np.testing.assert_allclose(
        got[(day == dt.date(2026, 3, 5)).to_numpy()], base[(day == dt.date(2026, 3, 5)).to_numpy()]
    )


def test_adjustment_applied_and_visible():
    history = synthetic_history(days=56, queues=("service", "sales"))
    adjustments = (
        Adjustment(dt.date(2026, 3, 3), dt.date(2026, 3, 4), 10.0, queue="service"),
        Adjustment(dt.date(2026, 3, 4), dt.date(2026, 3, 4), -20.0),
    )
    config = Config(site=Site(timezone="Europe/London"), calendar=Calendar(adjustments=adjustments))
    plain = forecast_history(history, 7, model="weekly_profile").frame
    adj = forecast_history(history, 7, model="weekly_profile", config=config).frame
    day = adj["interval_start"].dt.date
    expected_pct = np.select(
        [
            (adj["queue"] == "service") & (day == dt.date(2026, 3, 3)),
            (adj["queue"] == "service") & (day == dt.date(2026, 3, 4)),
            day == dt.date(2026, 3, 4),
        ],
        [10.0, (1.1 * 0.8 - 1) * 100, -20.0],
        0.0,
    )
    np.testing.assert_allclose(adj["adjustment_pct"], expected_pct, atol=1e-6)
    np.testing.assert_allclose(adj["offered"], plain["offered"] * (1 + expected_pct / 100))
    assert adj.loc[expected_pct == 10.0, "model"].eq("weekly_profile adj+10%").all()
    assert adj.loc[expected_pct == 0.0, "model"].eq("weekly_profile").all()


def test_dst_days_have_92_and_100_intervals():
    # History through the March change; forecast the weeks of both changes in 2026 (London).
    history = synthetic_history(days=84, start="2026-01-05")
    spring = forecast_history(history, 7, start="2026-03-23", model="weekly_profile").frame
    per_day = spring.groupby(spring["interval_start"].dt.date).size()
    assert per_day[dt.date(2026, 3, 29)] == 92
    assert (per_day.drop(dt.date(2026, 3, 29)) == 96).all()
    autumn_hist = synthetic_history(days=300, start="2026-01-05")
    autumn = forecast_history(autumn_hist, 7, start="2026-10-19", model="double_seasonal").frame
    per_day = autumn.groupby(autumn["interval_start"].dt.date).size()
    assert per_day[dt.date(2026, 10, 25)] == 100
    sunday = autumn[autumn["interval_start"].dt.date == dt.date(2026, 10, 25)]
    local = sunday["interval_start"].dt.tz_localize(None)
    repeated = sunday[local.dt.hour == 1]
    assert len(repeated) == 8  # 01:00-02:00 twice
    # The repeated clock slot gets the same forecast both times.
    values = repeated.groupby(local[local.dt.hour == 1])["offered"].nunique()
    assert (values == 1).all()


def test_intervals_cover_about_80_percent():
    history = synthetic_history(days=84, scale=30.0, queues=("a", "b", "c"))
    future = synthetic_history(days=91, scale=30.0, queues=("a", "b", "c"), seed=99)
    start = pd.Timestamp("2026-03-30", tz="Europe/London")
    future = future[future["interval_start"] >= start]
    frame = forecast_history(history, 7, model="weekly_profile").frame
    merged = frame.merge(future, on=["interval_start", "queue"], suffixes=("", "_actual"))
    busy = merged[merged["offered"] > 5]
    inside = (busy["offered_actual"] >= busy["offered_lo"]) & (
        busy["offered_actual"] <= busy["offered_hi"]
    )
    assert 0.72 <= inside.mean() <= 0.92


def test_fallback_when_too_short_for_the_model():
    history = synthetic_history(days=20)
    result = forecast_history(history, 7, model="double_seasonal")
    assert result.frame["model"].eq("top_down").all()
    assert any("double_seasonal needs 28 days" in n and "top_down" in n for n in result.notes)


def test_bad_history_messages():
    with pytest.raises(InputError, match="at least 7"):
        forecast_history(synthetic_history(days=5), 7)
    history = synthetic_history(days=28)
    with pytest.raises(InputError, match="1 to 56 days"):
        forecast_history(history, 60)
    with pytest.raises(InputError, match="no history before"):
        forecast_history(history, 7, start="2025-01-01")
    negative = history.copy()
    negative.loc[100, "offered"] = -1
    with pytest.raises(InputError, match="must not be negative"):
        forecast_history(negative, 7)
    with pytest.raises(InputError, match="lacks column"):
        forecast_history(history.drop(columns="offered"), 7)
    with pytest.raises(InputError, match="unknown model"):
        forecast_history(history, 7, model="prophet")


def test_all_zero_queue_gets_zero_forecast_and_a_note():
    history = synthetic_history(days=28, queues=("busy", "dead"))
    history.loc[history["queue"] == "dead", "offered"] = 0.0
    history.loc[history["queue"] == "dead", ["answered", "handle_time_total_sec"]] = 0.0
    result = forecast_history(history, 7)
    dead = result.frame[result.frame["queue"] == "dead"]
    assert (dead["offered"] == 0).all()
    assert any("'dead': no contacts" in n for n in result.notes)


def test_gaps_are_missing_not_zero():
    history = synthetic_history(days=56)
    gap = history["interval_start"].dt.date.between(dt.date(2026, 2, 16), dt.date(2026, 2, 22))
    holed = forecast_history(history[~gap], 7, model="weekly_profile").frame
    full = forecast_history(history, 7, model="weekly_profile").frame
    assert holed["offered"].sum() == pytest.approx(full["offered"].sum(), rel=0.05)


def test_cross_validation_windows_and_scores():
    history = synthetic_history(days=56, queues=("service", "sales"))
    cv = cross_validation(history, 7, 3, 7, models=["seasonal_naive", "weekly_profile"])
    assert set(cv["model"]) == {"seasonal_naive", "weekly_profile"}
    assert cv.groupby(["queue", "model"])["cutoff"].nunique().eq(3).all()
    last_cut = pd.Timestamp("2026-02-23", tz="Europe/London")
    assert cv["cutoff"].max() == last_cut
    assert (cv.groupby("cutoff")["interval_start"].min() >= cv["cutoff"].unique().min()).all()
    scores = backtest_scores(cv)
    # Recompute one WAPE by hand.
    sub = cv[(cv["queue"] == "sales") & (cv["model"] == "weekly_profile")]
    wape = (sub["offered"] - sub["forecast"]).abs().sum() / sub["offered"].sum()
    row = scores[(scores["queue"] == "sales") & (scores["model"] == "weekly_profile")].iloc[0]
    assert row["wape"] == pytest.approx(wape)
    # The averaged profile beats last week's noise on Poisson data.
    pivot = scores.pivot(index="queue", columns="model", values="wape")
    assert (pivot["weekly_profile"] < pivot["seasonal_naive"]).all()
    assert (scores["mape"] > 0).all() and scores["bias"].abs().max() < 0.1
