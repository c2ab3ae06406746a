"""Agents, forecast and requirements CSVs: good files read, bad ones name file, row, column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import InputError, Queue, ShiftTemplate
from wfm.config import Config, Site
from wfm.io.tables import (
    read_agents,
    read_forecast,
    read_requirements,
    write_agents,
    write_forecast,
    write_requirements,
)
from wfm.parse import parse_agents, parse_forecast, parse_requirements

HEADER = (
    "agent_id,name,skills,team,min_hours_week,max_hours_week,cost_per_hour,"
    "available_days,available_from,available_until,preferred_shifts,preferred_days_off,contract"
)
ROWS = [
    "A001,Ann Lee,service|sales,Team 1,37.5,40,16.5,,,,early,Sat|Sun,full-time",
    "A002,Bob Ray,*,Team 2,16,24,15,mon|Tue|WEDNESDAY,09:00,15:00,,,part-time",
    "A003,Cat Ng,chat,Team 1,30,30,14.25,,,,,,",
]
QUEUES = (Queue("service"), Queue("sales"), Queue("chat", channel="chat", concurrency=2))
SHIFTS = (
    ShiftTemplate("early", "06:00", "09:00", (8.0,)),
    ShiftTemplate("mid", "09:00", "10:00", (6.0,)),  # fits A002's 09:00-15:00
)


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def fails(text: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_agents(text, "agents.csv", **kwargs)
    assert caught.value.file == "agents.csv"
    return caught.value


def test_good_agents():
    frame, notes = parse_agents(csv(*ROWS), "agents.csv", queues=QUEUES, shifts=SHIFTS)
    assert frame["agent_id"].tolist() == ["A001", "A002", "A003"]
    assert frame.loc[0, "skills"] == ("service", "sales")
    assert frame.loc[1, "skills"] == ("*",)
    assert frame.loc[0, "available_days"] == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    assert frame.loc[1, "available_days"] == ("Mon", "Tue", "Wed")
    assert (frame.loc[1, "available_from_min"], frame.loc[1, "available_until_min"]) == (540, 900)
    assert (frame.loc[0, "available_from_min"], frame.loc[0, "available_until_min"]) == (0, 1440)
    assert frame.loc[0, "preferred_shifts"] == ("early",)
    assert frame.loc[0, "preferred_days_off"] == ("Sat", "Sun")
    assert frame["cost_per_hour"].dtype == np.float64
    assert frame.loc[2, "contract"] == ""
    assert notes == ()


def test_only_required_columns():
    header = "agent_id,name,skills,team,min_hours_week,max_hours_week,cost_per_hour,shoe_size"
    frame, notes = parse_agents(csv("X,Xi,service,T,0,40,12,44", header=header), "a.csv")
    assert frame.loc[0, "preferred_shifts"] == () and frame.loc[0, "contract"] == ""
    assert any("shoe_size" in n for n in notes)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("A001,Dup,chat,T,0,10,10,,,,,,", "agent_id", "already on row 2"),
        ("A009,Zed,chat,T,30,20,10,,,,,,", "min_hours_week", "above max_hours_week"),
        ("A009,Zed,chat,T,0,200,10,,,,,,", "max_hours_week", "168"),
        ("A009,Zed,chat,T,0,20,-3,,,,,,", "cost_per_hour", "negative"),
        ("A009,Zed,chat,T,0,lots,10,,,,,,", "max_hours_week", "expected a number"),
        ("A009,Zed,billing,T,0,20,10,,,,,,", "skills", "not a configured queue"),
        ("A009,Zed,,T,0,20,10,,,,,,", "skills", "empty"),
        ("A009,Zed,*|chat,T,0,20,10,,,,,,", "skills", "cannot be combined"),
        ("A009,Zed,chat,T,0,20,10,Mon|Funday,,,,,", "available_days", "unknown day"),
        ("A009,Zed,chat,T,0,20,10,,9am,,,,", "available_from", "HH:MM"),
        ("A009,Zed,chat,T,0,20,10,,18:00,10:00,,,", "available_until", "before"),
        ("A009,Zed,chat,T,0,20,10,,,,night,,", "preferred_shifts", "not a shift template"),
        ("A009,Zed,chat,T,0,20,10,,,,,Caturday,", "preferred_days_off", "unknown day"),
        (",Zed,chat,T,0,20,10,,,,,,", "agent_id", "empty"),
    ],
)
def test_bad_agent_rows(row, column, words):
    err = fails(csv(*ROWS, row), queues=QUEUES, shifts=SHIFTS)
    assert (err.row, err.column) == (5, column)
    assert words in err.message


def test_missing_agent_column():
    err = fails(
        csv("A,B,chat,T,0,1", header="agent_id,name,skills,team,min_hours_week,max_hours_week")
    )
    assert (err.row, err.column) == (1, "cost_per_hour")


def test_agents_round_trip_through_files(tmp_path):
    config = Config(site=Site(timezone="Europe/London"), queues=QUEUES, shifts=SHIFTS)
    frame, _ = parse_agents(csv(*ROWS), "agents.csv", queues=QUEUES, shifts=SHIFTS)
    path = tmp_path / "agents.csv"
    write_agents(frame, path)
    again, _ = read_agents(path, config)
    pd.testing.assert_frame_equal(again, frame)
    (tmp_path / "bad.csv").write_text(csv(*ROWS, "A009,Zed,billing,T,0,20,10,,,,,,"))
    with pytest.raises(InputError) as caught:
        read_agents(tmp_path / "bad.csv", config)
    assert str(caught.value).startswith(f"{tmp_path / 'bad.csv'}, row 5, column 'skills'")


# --------------------------------------------------------------------------- forecast


TZ = "Europe/London"
F_HEADER = "interval_start,queue,channel,offered,aht_sec,offered_lo,offered_hi,model"


def test_forecast_good_and_round_trip(tmp_path):
    text = csv(
        "2026-11-23T09:00:00+00:00,service,voice,40.5,240,30,50,ets",
        "2026-11-23T09:15:00+00:00,service,voice,0,0,0,0,ets",
        header=F_HEADER,
    )
    frame, _ = parse_forecast(text, "forecast.csv", timezone=TZ, interval_minutes=15)
    assert frame["offered"].tolist() == [40.5, 0.0] and frame["model"].tolist() == ["ets"] * 2
    config = Config(site=Site(timezone=TZ), queues=(Queue("service"),))
    write_forecast(frame, tmp_path / "f.csv")
    again, _ = read_forecast(tmp_path / "f.csv", config)
    pd.testing.assert_frame_equal(again[frame.columns], frame)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2026-11-23T09:15:00+00:00,service,voice,10,0,5,15,m", "aht_sec"),
        ("2026-11-23T09:15:00+00:00,service,voice,-1,100,0,5,m", "offered"),
        ("2026-11-23T09:15:00+00:00,service,voice,10,100,12,15,m", "offered_lo"),
        ("2026-11-23T09:15:00+00:00,service,voice,10,100,5,8,m", "offered_hi"),
        ("2026-11-23T09:15:00+00:00,service,pigeon,10,100,5,15,m", "channel"),
        ("2026-11-23T09:00:00+00:00,service,voice,10,100,5,15,m", "interval_start"),
        ("2026-11-23T09:10:00+00:00,service,voice,10,100,5,15,m", "interval_start"),
    ],
)
def test_forecast_bad_rows(row, column):
    text = csv("2026-11-23T09:00:00+00:00,service,voice,40,240,30,50,m", row, header=F_HEADER)
    with pytest.raises(InputError) as caught:
        parse_forecast(text, "forecast.csv", timezone=TZ, interval_minutes=15)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "forecast.csv",
        3,
        column,
    )


# --------------------------------------------------------------------------- requirements

R_HEADER = (
    "interval_start,queue,channel,offered,aht_sec,workload_erl,agents_net,agents_gross,"
    "expected_service_level,expected_asa_sec,occupancy"
)


def test_requirements_good_and_round_trip(tmp_path):
    text = csv(
        "2026-11-23T09:00:00+00:00,service,voice,100,180,10,14,20,0.8883,7.84,0.714",
        "2026-11-23T09:00:00+00:00,mail,email,30,300,1.2,1.4,1.75,,,",
        header=R_HEADER,
    )
    frame, _ = parse_requirements(text, "req.csv", timezone=TZ, interval_minutes=15)
    assert frame["queue"].tolist() == ["mail", "service"]
    assert np.isnan(frame.loc[0, "expected_service_level"])
    config = Config(
        site=Site(timezone=TZ),
        queues=(Queue("service"), Queue("mail", channel="email", deadline_hours=24)),
    )
    write_requirements(frame, tmp_path / "r.csv")
    again, _ = read_requirements(tmp_path / "r.csv", config)
    pd.testing.assert_frame_equal(again, frame)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2026-11-23T09:15:00+00:00,service,voice,100,180,10,14,12,0.8,7,0.7", "agents_gross"),
        ("2026-11-23T09:15:00+00:00,service,voice,1,180,1,1,2,1.8,7,0.7", "expected_service_level"),
        ("2026-11-23T09:15:00+00:00,service,voice,100,180,10,,20,0.8,7,0.7", "agents_net"),
        ("2026-11-23T09:15:00+00:00,service,voice,100,180,-10,14,20,0.8,7,0.7", "workload_erl"),
    ],
)  # fmt: skip
def test_requirements_bad_rows(row, column):
    text = csv(
        "2026-11-23T09:00:00+00:00,service,voice,1,180,1,2,3,0.8,7,0.5", row, header=R_HEADER
    )
    with pytest.raises(InputError) as caught:
        parse_requirements(text, "req.csv", timezone=TZ, interval_minutes=15)
    assert (caught.value.row, caught.value.column) == (3, column)
