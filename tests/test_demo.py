"""The built-in demo contact centre: deterministic, realistic, and it reads back through the
readers exactly."""

from __future__ import annotations

import argparse
import datetime as dt
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wfm.axis import interval_axis
from wfm.cli import demo as demo_cli
from wfm.config import parse_config
from wfm.demo import (
    DEFAULT,
    HOLIDAY,
    HOLIDAY_FACTOR,
    INTERVAL_MINUTES,
    SMALL,
    TIMEZONE,
    build_demo,
)
from wfm.io.demo import DEMO_FILES, write_demo
from wfm.io.files import read_config
from wfm.io.tables import read_actuals, read_agents, read_history

TZ = "Europe/London"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def demo():
    return build_demo(DEFAULT, seed=2026)


def test_same_seed_same_demo_other_seed_other_volumes(demo):
    again = build_demo(DEFAULT, seed=2026)
    pd.testing.assert_frame_equal(again.history, demo.history)
    pd.testing.assert_frame_equal(again.actuals, demo.actuals)
    pd.testing.assert_frame_equal(again.agents, demo.agents)
    assert again.config_text == demo.config_text
    other = build_demo(DEFAULT, seed=7)
    assert not np.array_equal(other.history["offered"], demo.history["offered"])


def test_config_parses_with_the_five_queues(demo):
    config = parse_config(demo.config_text, file="wfm.toml")
    assert config == demo.config
    assert config.site.timezone == TZ and config.site.interval_minutes == 15
    channels = {q.name: q.channel for q in config.queues}
    assert channels == {
        "service": "voice",
        "sales": "voice",
        "chat": "chat",
        "email": "email",
        "outbound": "outbound",
    }
    assert config.queue("service").patience_sec and config.queue("sales").patience_sec
    assert config.queue("chat").concurrency >= 2
    assert config.queue("email").deadline_hours in (8, 24)
    assert config.queue("outbound").hours_per_day > 0
    assert {s.name for s in config.shifts} == {"early", "day", "late", "evening", "part-time"}
    lengths = [h for s in config.shifts for h in s.length_hours]
    assert min(lengths) >= 4 and max(lengths) <= 9
    assert (config.solver.name, config.solver.time_limit_sec, config.solver.gap) == (
        "highs",
        110,
        0.01,
    )
    holidays = {h.date for h in config.calendar.holidays}
    assert {dt.date(2026, 8, 31), dt.date(2026, 12, 25), dt.date(2026, 12, 26)} <= holidays


def test_history_covers_twelve_weeks_on_a_full_grid(demo):
    history = demo.history
    days = history["interval_start"].dt.tz_convert(TZ).dt.date
    assert days.min() == dt.date(2026, 8, 31) and days.max() == dt.date(2026, 11, 22)
    assert (days.max() - days.min()).days + 1 == 84  # 12 weeks >= 10
    assert set(history["queue"]) == {"service", "sales", "chat", "email"}
    axis = interval_axis("2026-08-31", 84, TZ, 15)
    for _, part in history.groupby("queue"):
        assert list(part["interval_start"]) == list(axis)
    per_day = history[history["queue"] == "service"].groupby(days).size()
    assert per_day[dt.date(2026, 10, 25)] == 100  # clocks go back
    assert per_day.drop(dt.date(2026, 10, 25)).eq(96).all()


def test_actuals_are_the_planning_week(demo):
    actuals = demo.actuals
    days = actuals["interval_start"].dt.date
    assert days.min() == dt.date(2026, 11, 23) and days.max() == dt.date(2026, 11, 29)
    assert len(actuals) == 4 * 7 * 96
    for column in ("answered", "abandoned", "answered_within_threshold", "staffed_agents"):
        assert actuals[column].notna().all()
    assert (actuals["answered"] <= actuals["offered"]).all()
    assert (actuals["answered_within_threshold"] <= actuals["answered"]).all()


def test_seasonality_and_holiday_are_visible(demo):
    service = demo.history[demo.history["queue"] == "service"]
    local = service["interval_start"].dt.tz_convert(TZ)
    daily = service.groupby(local.dt.date)["offered"].sum()
    weekday_means = daily.groupby(pd.to_datetime(daily.index).dayofweek).mean()
    assert weekday_means.idxmax() == 0  # Monday is the busiest day
    assert weekday_means[6] < 0.5 * weekday_means[0]  # Sunday is quiet
    mondays = daily[pd.to_datetime(daily.index).dayofweek == 0]
    holiday = mondays[dt.date(2026, 8, 31)]
    assert holiday < 0.5 * mondays.drop(dt.date(2026, 8, 31)).median()
    hourly = service.groupby(local.dt.hour)["offered"].sum()
    assert hourly.idxmax() in (9, 10, 11)  # morning peak
    assert hourly[13] < hourly[10] and hourly[19] < hourly[15]  # lunch dip, evening tail
    assert hourly[[0, 1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23]].sum() == 0  # closed 20:00-08:00


def test_aht_varies_by_time_of_day(demo):
    service = demo.history[demo.history["queue"] == "service"]
    hour = service["interval_start"].dt.tz_convert(TZ).dt.hour
    by_hour = service.groupby(hour)[["handle_time_total_sec", "answered"]].sum()
    aht = by_hour["handle_time_total_sec"] / by_hour["answered"]
    assert aht[8] > aht[13] * 1.05  # early calls are longer than midday ones


def test_outcomes_are_plausible_queueing(demo):
    history = demo.history
    voice = history[(history["queue"] == "service") & (history["offered"] > 0)]
    sl = voice["answered_within_threshold"].sum() / voice["offered"].sum()
    abandon = voice["abandoned"].sum() / voice["offered"].sum()
    assert 0.65 < sl < 0.95 and 0.01 < abandon < 0.15
    # fewer agents than the traffic makes abandonment worse
    traffic = voice["offered"] * voice["aht_sec"].fillna(330) / 900
    short = voice["staffed_agents"] < traffic
    rate = voice["abandoned"] / voice["offered"]
    assert rate[short].mean() > rate[~short].mean()
    # sized so that 120 agents (5 shifts a week at most, 30% shrinkage) can staff it: roughly
    # 45-70 agents on contacts at the peak
    peak = history.groupby("interval_start")["staffed_agents"].sum().max()
    assert 45 <= peak <= 70


def test_agents_mix(demo):
    agents = demo.agents
    assert len(agents) == 120 and agents["agent_id"].is_unique
    skills = agents["skills"]
    assert (skills == ("*",)).sum() >= 5  # universal
    assert skills.map(lambda s: "outbound" in s and len(s) == 2).sum() >= 10  # blended
    assert skills.map(lambda s: len(s) == 1 and s != ("*",)).sum() >= 50  # specialists
    part_time = agents["contract"] == "part-time"
    assert 0.2 <= part_time.mean() <= 0.45
    assert agents.loc[part_time, "max_hours_week"].between(16, 30).all()
    # full-time: a 37.5 or 40 h contract rostered from 5 h under it up to 42.5 h
    assert agents.loc[~part_time, "min_hours_week"].between(32.5, 35).all()
    assert (agents.loc[~part_time, "max_hours_week"] == 42.5).all()
    assert (agents["min_hours_week"] <= agents["max_hours_week"]).all()
    assert (agents["available_days"].map(len) < 7).sum() >= 5
    assert (agents["available_from_min"] > 0).sum() >= 5
    assert (agents["preferred_shifts"].map(len) > 0).sum() >= 10
    assert agents["cost_per_hour"].between(10, 25).all()


def test_small_size_is_small_and_still_crosses_the_clock_change():
    small = build_demo(SMALL, seed=1)
    assert len(small.agents) == 30
    days = small.history["interval_start"].dt.date
    assert days.min() == dt.date(2026, 10, 19) and (days == dt.date(2026, 10, 25)).sum() == 400


def test_wfm_demo_writes_files_that_read_back(tmp_path, demo):
    parser = argparse.ArgumentParser()
    demo_cli.register(parser.add_subparsers())
    args = parser.parse_args(["demo", "--out", str(tmp_path), "--files-only"])
    assert args.func(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(DEMO_FILES)
    config = read_config(tmp_path / "wfm.toml")
    assert config == demo.config
    history, notes = read_history(tmp_path / "history.csv", config)
    pd.testing.assert_frame_equal(history, demo.history)
    assert notes == ()
    actuals, _ = read_actuals(tmp_path / "actuals.csv", config)
    pd.testing.assert_frame_equal(actuals, demo.actuals)
    agents, _ = read_agents(tmp_path / "agents.csv", config)
    pd.testing.assert_frame_equal(agents, demo.agents)
    assert "history.csv" in (tmp_path / "README.md").read_text()


@pytest.mark.parametrize("size", [DEFAULT, SMALL], ids=lambda s: s.name)
def test_written_config_equals_the_reference_file(tmp_path, size):
    """The written ``wfm.toml`` (from the package template) has the reference file's keys and
    values: ``tests/data/demo_wfm_<size>.toml``."""
    demo = build_demo(size, seed=2026)
    write_demo(demo, tmp_path)
    reference = DATA / f"demo_wfm_{size.name}.toml"
    written = (tmp_path / "wfm.toml").read_text()
    assert tomllib.loads(written) == tomllib.loads(reference.read_text())
    assert read_config(tmp_path / "wfm.toml") == read_config(reference)


def test_generator_constants_are_the_configured_ones(demo):
    site = demo.config.site
    assert (site.timezone, site.interval_minutes) == (TIMEZONE, INTERVAL_MINUTES)
    holiday = next(h for h in demo.config.calendar.holidays if h.date == HOLIDAY)
    assert holiday.factor == HOLIDAY_FACTOR


def test_wfm_main_demo_exit_code_zero(tmp_path):
    from wfm.cli import main

    code = main(["demo", "--out", str(tmp_path), "--size", "small", "--seed", "3", "--files-only"])
    assert code == 0
    assert (tmp_path / "history.csv").is_file()
