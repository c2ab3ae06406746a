"""The forecast frame's contract over every model, no look-ahead in ``auto``, closures and the
days after them, the Poisson noise floor and the calibrated interval."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_data import synthetic_history

from forecasts import (
    MODELS,
    DoubleSeasonal,
    forecast_history,
    noise_floor,
    poisson_mad,
    special_days,
)
from forecasts.intervals import calibrated_overdispersion, prediction_interval
from forecasts.models.matrix import category_effects, month_turn_days
from wfm.config import Calendar, Config, Holiday, Site

TZ = "Europe/London"


@pytest.mark.parametrize("model", list(MODELS))
@pytest.mark.parametrize("horizon_days", [1, 7, 15])
def test_every_model_horizon_nonnegative_and_interval_around_the_point(model, horizon_days):
    history = synthetic_history(days=63, queues=("a", "b"))
    result = forecast_history(history, horizon_days, model=model)
    frame = result.frame
    per_queue = frame.groupby("queue").size()
    assert (per_queue == horizon_days * 96).all()  # 15-minute slots, no DST change in March
    assert frame["interval_start"].min() == pd.Timestamp("2026-03-09", tz=TZ)
    assert (frame["offered"] >= 0).all()
    assert (frame["offered_lo"] <= frame["offered"]).all()
    assert (frame["offered"] <= frame["offered_hi"]).all()
    assert (frame["offered_lo"] >= 0).all()
    assert np.isfinite(frame[["offered", "offered_lo", "offered_hi"]].to_numpy()).all()


def test_auto_never_uses_the_week_it_forecasts():
    """The forecast from a Monday is the same whether the history stops on the Sunday before
    or goes on (with any values) through the forecast week and beyond."""
    history = synthetic_history(days=84)
    start = dt.date(2026, 3, 16)
    before = history[history["interval_start"] < pd.Timestamp(start, tz=TZ)]
    spoiled = history.copy()
    later = spoiled["interval_start"] >= pd.Timestamp(start, tz=TZ)
    spoiled.loc[later, "offered"] = spoiled.loc[later, "offered"] * 10 + 5
    a = forecast_history(before, 7, start=start, model="auto")
    b = forecast_history(spoiled, 7, start=start, model="auto")
    pd.testing.assert_frame_equal(a.frame, b.frame)
    pd.testing.assert_frame_equal(a.choices, b.choices)


def _weekday_history(days: int = 70, closed: tuple[dt.date, ...] = ()) -> pd.DataFrame:
    history = synthetic_history(days=days, weekdays_only=True, seed=11)
    local = history["interval_start"].dt.tz_localize(None).dt.date
    return history[~local.isin(closed)]


def test_closures_are_found_and_named_in_the_notes():
    closed = (dt.date(2026, 1, 19), dt.date(2026, 2, 16))  # two Mondays
    history = _weekday_history(closed=closed)
    result = forecast_history(history, 7)
    from forecasts.grid import to_day_matrix

    Y, grid = to_day_matrix(
        pd.DatetimeIndex(history["interval_start"]), history["offered"].to_numpy(), 15
    )
    found = special_days(Y, grid.first_day)
    assert set(found.loc[found["kind"] == "closed", "date"]) == set(closed)
    after = set(found.loc[found["kind"] == "after closure", "date"])
    assert {dt.date(2026, 1, 20), dt.date(2026, 2, 17)} <= after
    # Weekends of a weekday-only centre are not closures.
    assert not any(d.weekday() >= 5 for d in found["date"])
    note = next(n for n in result.notes if "regular weekday" in n)
    assert "2026-01-19" in note and "[[calendar.holidays]]" in note
    listed = Config(
        site=Site(timezone=TZ),
        calendar=Calendar(holidays=tuple(Holiday(date=d) for d in closed)),
    )
    assert not any(
        "regular weekday" in n for n in forecast_history(history, 7, config=listed).notes
    )


def test_a_known_closure_ahead_is_zero_and_the_next_day_carries_its_calls():
    """Calls of a closed Monday come on Tuesday (+30%) in the history; a closure ahead listed
    in [[calendar.holidays]] gives a zero Monday and a busier Tuesday."""
    closed = (dt.date(2026, 1, 19), dt.date(2026, 2, 2), dt.date(2026, 2, 23))
    history = _weekday_history(closed=closed).copy()
    local = history["interval_start"].dt.tz_localize(None).dt.date
    history.loc[local.isin([d + dt.timedelta(days=1) for d in closed]), "offered"] *= 1.3
    ahead = dt.date(2026, 3, 16)
    config = Config(
        site=Site(timezone=TZ),
        calendar=Calendar(holidays=tuple(Holiday(date=d) for d in (*closed, ahead))),
    )
    plain = forecast_history(history, 7, start=ahead, model="double_seasonal")
    known = forecast_history(history, 7, start=ahead, model="double_seasonal", config=config)
    day = known.frame["interval_start"].dt.tz_localize(None).dt.date
    totals = known.frame.groupby(day)["offered"].sum()
    plain_totals = plain.frame.groupby(day)["offered"].sum()
    assert totals[ahead] == 0
    tuesday = ahead + dt.timedelta(days=1)
    assert totals[tuesday] / plain_totals[tuesday] == pytest.approx(1.3, abs=0.08)
    assert totals[ahead + dt.timedelta(days=3)] == pytest.approx(
        plain_totals[ahead + dt.timedelta(days=3)], rel=0.03
    )


def test_models_without_closure_effects_ignore_closed_days():
    y = np.random.default_rng(2).poisson(20.0, size=(35, 24)).astype(float)
    first = dt.date(2026, 1, 5)
    a = DoubleSeasonal(carry_over=False).forecast(y, 7 * 24, slots_per_day=24, first_day=first)
    b = DoubleSeasonal(carry_over=False).forecast(
        y, 7 * 24, slots_per_day=24, first_day=first, closed_days=[dt.date(2026, 2, 10)]
    )
    np.testing.assert_array_equal(a, b)


def test_turn_of_the_month_on_business_days():
    dates = pd.date_range("2003-05-26", "2003-06-06")
    cat = dict(
        zip(dates.date, month_turn_days(dates, np.array([1, 1, 1, 1, 1, 0, 0], bool)), strict=True)
    )
    assert cat[dt.date(2003, 5, 30)] == 1  # Friday: the last business day of May
    assert cat[dt.date(2003, 5, 31)] == 0  # Saturday
    assert cat[dt.date(2003, 6, 2)] == 2  # Monday: business day 1 of June
    assert cat[dt.date(2003, 6, 5)] == 5  # business day 4
    assert cat[dt.date(2003, 6, 6)] == 0
    every_day = month_turn_days(dates)
    assert every_day[list(dates.date).index(dt.date(2003, 5, 31))] == 1


def test_category_effects_keep_clear_effects_and_shrink_noisy_ones():
    rng = np.random.default_rng(3)
    cat = np.tile(np.arange(6), 40)[:200]
    truth = np.array([1.0, 1.12, 1.10, 1.05, 1.0, 0.97])
    # A busy queue: one day's ratio moves 0.5%, so the effects are kept almost whole.
    busy = category_effects(truth[cat] * rng.normal(1, 0.005, cat.size), cat, 6)
    np.testing.assert_allclose(busy, truth, atol=0.005)
    # A small queue: 30% day-to-day noise and the same true effects; every estimate shrinks
    # towards 1 (none made larger than its raw mean ratio).
    ratio = truth[cat] * rng.normal(1, 0.3, cat.size)
    small = category_effects(ratio, cat, 6)
    raw = np.array([ratio[cat == k].mean() for k in range(6)]) / ratio[cat == 0].mean()
    assert (np.abs(small[1:] - 1) <= np.abs(raw[1:] - 1) + 1e-12).all()
    assert np.abs(small[1:] - 1).max() < 0.06
    # Pure noise: what looks like an effect is cut to under half its raw size.
    ratio = rng.normal(1, 0.3, cat.size)
    none = category_effects(ratio, cat, 6)
    raw = np.array([ratio[cat == k].mean() for k in range(6)]) / ratio[cat == 0].mean()
    assert (np.abs(none[1:] - 1) <= 0.5 * np.abs(raw[1:] - 1)).all()
    # Categories never seen, or too few normal days, give 1.
    np.testing.assert_array_equal(category_effects(np.ones(3), np.array([0, 0, 2]), 6)[[1, 3]], 1)
    np.testing.assert_array_equal(category_effects(np.ones(2), np.array([0, 1]), 6), np.ones(6))


def test_double_seasonal_forecasts_a_busy_queues_turn_of_the_month_whole():
    """A weekday queue of 30,000 calls a day with +15% on the last business day and +10% on
    the first: the forecast of the next turn carries the effects nearly whole (a fixed
    shrinkage towards 1 would cut them by a third after three months)."""
    rng = np.random.default_rng(8)
    days = pd.date_range("2026-01-05", "2026-04-24")
    regular = np.array([1, 1, 1, 1, 1, 0, 0], bool)
    effect = np.array([1.0, 1.15, 1.10, 1.0, 1.0, 1.0])[month_turn_days(days, regular)]
    shape = np.sin(np.linspace(0.2, np.pi - 0.2, 24))
    shape /= shape.sum()
    daily = np.where(days.weekday < 5, 30_000.0 * effect, 0.0)
    y = rng.poisson(daily[:, None] * shape).astype(float)
    y[days.weekday >= 5] = np.nan
    fc = DoubleSeasonal().forecast(y.ravel(), 7 * 24, slots_per_day=24, first_day=days[0].date())
    totals = fc.reshape(7, 24).sum(axis=1)  # Sat 25 Apr .. Fri 1 May
    base = totals[2:5].mean()  # Mon 27 to Wed 29 April
    assert totals[5] / base == pytest.approx(1.15, abs=0.02)  # Thu 30 April, last business day
    assert totals[6] / base == pytest.approx(1.10, abs=0.02)  # Fri 1 May, business day 1


def test_poisson_mad_matches_simulation_and_the_noise_floor_falls_with_volume():
    rng = np.random.default_rng(5)
    for mu in (0.3, 2.5, 17.0, 400.0):
        sim = np.abs(rng.poisson(mu, 200_000) - mu).mean()
        assert poisson_mad(np.array([mu]))[0] == pytest.approx(sim, rel=0.01)
    assert poisson_mad(np.array([0.0]))[0] == 0.0
    assert noise_floor(np.full(10, 1.0)) > 0.7
    assert noise_floor(np.full(10, 600.0)) == pytest.approx(np.sqrt(2 / (np.pi * 600)), rel=0.01)
    assert np.isnan(noise_floor(np.zeros(3)))


def test_calibrated_kappa_gives_the_nominal_coverage_on_its_backtest():
    rng = np.random.default_rng(8)
    forecast = rng.uniform(20, 200, 4000)
    actual = rng.poisson(forecast * rng.gamma(25, 1 / 25, forecast.size)).astype(float)
    kappa = calibrated_overdispersion(actual, forecast, 0.8)
    lo, hi = prediction_interval(forecast, kappa, 0.8)
    assert ((actual >= lo) & (actual <= hi)).mean() == pytest.approx(0.8, abs=0.01)
    assert kappa == pytest.approx(1 / 25, rel=0.35)
    poisson = rng.poisson(forecast).astype(float)
    assert calibrated_overdispersion(poisson, forecast, 0.8) < 2e-3
    assert calibrated_overdispersion(np.array([np.nan]), np.array([3.0])) == 0.0


def test_noise_dominated_queue_says_so_with_its_daily_figure():
    history = synthetic_history(days=56, scale=0.4, seed=4)
    result = forecast_history(history, 7)
    choice = result.choices.iloc[0]
    assert choice["noise_floor"] > 0.5 * choice["backtest_wape"]
    assert choice["daily_wape"] < choice["backtest_wape"]
    assert any("noise dominates" in n and "daily total" in n for n in result.notes)
    busy = forecast_history(synthetic_history(days=56, scale=40.0), 7)
    assert busy.choices.iloc[0]["noise_floor"] < 0.2
    assert not any("noise dominates" in n for n in busy.notes)


def test_pooled_profile_follows_a_small_queue_and_shrinks_its_noise():
    """Three calls an hour, halved in the last week: the pooled profile follows the drop
    within the week, and its weekday totals are closer to the truth than last week's."""
    from forecasts import PooledProfile, WeeklyProfile

    rng = np.random.default_rng(9)
    rate = np.full((42, 24), 3.0)
    rate[:, :7] = 0.0  # closed at night
    rate[-7:] *= 0.5
    y = rng.poisson(rate).astype(float)
    first = dt.date(2026, 1, 5)
    pooled = PooledProfile().forecast(y, 7 * 24, slots_per_day=24, first_day=first)
    profile = WeeklyProfile().forecast(y, 7 * 24, slots_per_day=24, first_day=first)
    truth = 1.5 * 17  # calls a day after the drop
    daily = pooled.reshape(7, 24).sum(axis=1)
    assert np.abs(daily - truth).mean() < np.abs(profile.reshape(7, 24).sum(axis=1) - truth).mean()
    assert np.abs(daily / truth - 1).max() < 0.35
    assert pooled.reshape(7, 24)[:, :7].sum() == 0


def test_auto_ranks_a_small_queue_on_its_daily_totals():
    history = synthetic_history(days=56, scale=0.4, seed=4)
    result = forecast_history(history, 7)
    assert "daily totals" in result.choices.iloc[0]["note"]
    busy = forecast_history(synthetic_history(days=56), 7)
    assert "daily totals" not in busy.choices.iloc[0]["note"]
