"""Staffing per channel: requirements frame from a forecast frame and the configuration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import erlang
from wfm.axis import interval_axis
from wfm.config import parse_config
from wfm.errors import InputError
from wfm.staffing import CHAT_SLOWDOWN, REQUIREMENT_COLUMNS, requirements

CONFIG = """
[site]
timezone = "Europe/London"
interval_minutes = 15

[[queues]]
name = "service"
channel = "voice"
service_level = 0.80
threshold_sec = 20
max_occupancy = 0.85
shrinkage = 0.30
open_from = "08:00"
open_until = "20:00"

[[queues]]
name = "care"
channel = "voice"
service_level = 0.80
threshold_sec = 20
max_occupancy = 0.95
shrinkage = 0.30
patience_sec = 120

[[queues]]
name = "chat"
channel = "chat"
service_level = 0.80
threshold_sec = 60
max_occupancy = 0.9
shrinkage = 0.2
concurrency = 3

[[queues]]
name = "email"
channel = "email"
max_occupancy = 0.8
shrinkage = 0.25
deadline_hours = 2
open_from = "08:00"
open_until = "18:00"

[[queues]]
name = "calls_out"
channel = "outbound"
shrinkage = 0.0
hours_per_day = 6
open_from = "10:00"
open_until = "16:00"
open_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
"""


@pytest.fixture(scope="module")
def config():
    return parse_config(CONFIG)


def _forecast(queue: str, offered, aht, start="2026-11-23", days=1) -> pd.DataFrame:
    axis = interval_axis(pd.Timestamp(start).date(), days, "Europe/London", 15)
    offered = np.broadcast_to(np.asarray(offered, dtype=float), len(axis))
    return pd.DataFrame(
        {
            "interval_start": axis,
            "queue": queue,
            "offered": offered,
            "aht_sec": np.broadcast_to(np.asarray(aht, dtype=float), len(axis)),
        }
    )


def _only(req: pd.DataFrame, queue: str) -> pd.DataFrame:
    return req[req["queue"] == queue].reset_index(drop=True)


def test_voice_known_case_and_columns(config):
    # 50 calls per 15 minutes at 180 s = 100 per 30 minutes = 10 Erlangs -> 14 agents; but
    # service's occupancy cap 85 % is not binding (10/14 = 71 %).
    full = requirements(_forecast("service", 50, 180), config)
    assert tuple(full.columns) == REQUIREMENT_COLUMNS
    # the outbound queue gets rows on the forecast's axis even without a forecast
    assert set(full["queue"]) == {"service", "calls_out"}
    req = full[full["queue"] == "service"]
    open_ = req["interval_start"].dt.hour.between(8, 19)
    assert open_.sum() == 48
    assert (req.loc[open_, "agents_net"] == 14).all()
    assert req.loc[open_, "workload_erl"].to_numpy() == pytest.approx(10.0)
    assert req.loc[open_, "agents_gross"].to_numpy() == pytest.approx(20.0)
    assert req.loc[open_, "expected_service_level"].to_numpy() == pytest.approx(0.88835, abs=1e-5)
    assert req.loc[open_, "expected_asa_sec"].to_numpy() == pytest.approx(7.836, abs=1e-3)
    # closed outside 08:00-20:00: nobody, and nothing to measure
    assert (req.loc[~open_, "agents_net"] == 0).all()
    assert req.loc[~open_, "expected_service_level"].isna().all()


def test_voice_with_patience_uses_erlang_a(config):
    req = _only(requirements(_forecast("care", 50, 180), config), "care")
    expected = erlang.required_agents(10.0, 180, 0.8, 20, max_occupancy=0.95, patience_sec=120)
    assert (req["agents_net"] == expected.agents).all()
    assert expected.agents < 14
    assert req["expected_service_level"].iloc[0] == pytest.approx(expected.service_level)
    assert (req["occupancy"] <= 0.95 + 1e-12).all()


def test_gross_is_fractional_and_queues_are_not_rounded(config):
    fc = pd.concat([_forecast("service", 50, 180), _forecast("care", 7, 240)])
    req = requirements(fc, config)
    req = req[req["queue"] != "calls_out"]
    gross = req["agents_gross"].to_numpy()
    assert not np.allclose(gross, np.round(gross))
    np.testing.assert_allclose(req["agents_gross"] * 0.7, req["agents_net"])
    assert (req["agents_net"] == np.round(req["agents_net"])).all()  # live: whole agents


def test_chat_concurrency_with_growing_handle_time(config):
    req = _only(requirements(_forecast("chat", 60, 300), config), "chat")
    h_c = 300 * (1 + CHAT_SLOWDOWN * 2)  # three chats at once: each takes 1.5 x as long
    traffic = 60 * h_c / 900  # 30 slot-Erlangs
    slots = int(erlang.required_agents(traffic, h_c, 0.8, 60, max_occupancy=0.9).agents)
    agents = -(-slots // 3)
    assert (req["agents_net"] == agents).all()
    assert req["workload_erl"].iloc[0] == pytest.approx(traffic / 3)
    sl = erlang.service_level(traffic, agents * 3, h_c, 60)
    assert req["expected_service_level"].iloc[0] == pytest.approx(sl)
    assert (req["expected_service_level"] >= 0.8).all()
    # fewer agents than one chat at a time would need, more than perfect parallelism
    single = erlang.required_agents(60 * 300 / 900, 300, 0.8, 60, max_occupancy=0.9).agents
    assert single / 3 < agents < single


def test_email_work_is_spread_over_its_deadline_and_conserved(config):
    # 12 emails of 600 s arrive at 08:00 only: 7,200 agent-seconds within 2 hours.
    fc = _forecast("email", 0.0, 600)
    fc.loc[fc["interval_start"].dt.strftime("%H:%M") == "08:00", "offered"] = 12.0
    req = _only(requirements(fc, config), "email")
    busy = req[req["agents_net"] > 0]
    assert busy["interval_start"].dt.strftime("%H:%M").tolist() == [
        f"{h:02d}:{m:02d}" for h in (8, 9) for m in (0, 15, 30, 45)
    ]
    # 7,200 s over 7,200 s of open time = 1 agent at work, / 80 % occupancy = 1.25
    assert busy["agents_net"].to_numpy() == pytest.approx(1.25)
    assert busy["agents_gross"].to_numpy() == pytest.approx(1.25 / 0.75)
    assert busy["occupancy"].to_numpy() == pytest.approx(0.8)
    assert req["expected_service_level"].isna().all()
    # the workload column is the work arriving: 12 x 600 s over 900 s
    assert req.loc[req["offered"] > 0, "workload_erl"].item() == pytest.approx(8.0)
    assert (req["agents_net"] * 0.8 * 900).sum() == pytest.approx(7200)


def test_email_arriving_while_closed_waits_for_opening(config):
    fc = _forecast("email", 0.0, 300)
    fc.loc[fc["interval_start"].dt.strftime("%H:%M") == "07:00", "offered"] = 6.0
    req = _only(requirements(fc, config), "email")
    busy = req[req["agents_net"] > 0]
    # window 07:00-09:00, open only 08:00-09:00: 1,800 s over 3,600 s
    assert busy["interval_start"].dt.strftime("%H:%M").tolist() == [
        "08:00",
        "08:15",
        "08:30",
        "08:45",
    ]
    assert busy["agents_net"].to_numpy() == pytest.approx(0.5 / 0.8)
    # arriving at 03:00 (window 03:00-05:00 entirely closed): the next open interval
    fc = _forecast("email", 0.0, 300)
    fc.loc[fc["interval_start"].dt.strftime("%H:%M") == "03:00", "offered"] = 3.0
    req = _only(requirements(fc, config), "email")
    busy = req[req["agents_net"] > 0]
    assert busy["interval_start"].dt.strftime("%H:%M").tolist() == ["08:00"]
    assert busy["agents_net"].item() == pytest.approx(900 / 900 / 0.8)


def test_outbound_hours_spread_over_open_weekdays(config):
    # Fri 27 and Sat 28 November; the forecast has no outbound rows: they are added.
    fc = _forecast("service", 10, 180, start="2026-11-27", days=2)
    req = requirements(fc, config)
    out = req[req["queue"] == "calls_out"]
    assert len(out) == 2 * 96
    friday = out[out["interval_start"].dt.day == 27]
    saturday = out[out["interval_start"].dt.day == 28]
    assert (saturday["agents_net"] == 0).all()
    busy = friday[friday["agents_net"] > 0]
    assert len(busy) == 24  # 10:00-16:00
    assert busy["agents_net"].to_numpy() == pytest.approx(1.0)  # 6 hours over 6 open hours
    assert (friday["agents_net"] * 0.25).sum() == pytest.approx(6.0)


def test_daylight_saving_day_has_100_intervals(config):
    fc = _forecast("care", 5, 200, start="2026-10-25")
    assert len(fc) == 100
    req = _only(requirements(fc, config), "care")
    assert len(req) == 100
    assert (req["agents_net"] > 0).all()


def test_zero_volume_needs_nobody(config):
    req = _only(requirements(_forecast("care", 0, np.nan), config), "care")
    assert (req["agents_net"] == 0).all()
    assert req["expected_service_level"].isna().all()


def test_bad_forecasts_raise_input_error(config):
    with pytest.raises(InputError, match="not in the configuration"):
        requirements(_forecast("nope", 1, 100), config)
    with pytest.raises(InputError, match="aht_sec"):
        requirements(_forecast("care", 3, 0), config)
    with pytest.raises(InputError, match="offered"):
        requirements(_forecast("care", -1, 100), config)


def test_demo_centre_end_to_end(tmp_path):
    from wfm.cli import staff as staff_cli
    from wfm.io.tables import read_requirements

    config_text = CONFIG
    (tmp_path / "wfm.toml").write_text(config_text)
    fc = pd.concat(
        [
            _forecast("service", 40, 200, days=7),
            _forecast("chat", 12, 400, days=7),
            _forecast("email", 5, 300, days=7),
        ]
    )
    fc["channel"] = fc["queue"].map({"service": "voice", "chat": "chat", "email": "email"})
    fc["interval_start"] = fc["interval_start"].map(lambda t: t.isoformat())
    fc.to_csv(tmp_path / "forecast.csv", index=False)

    class Args:
        forecast = str(tmp_path / "forecast.csv")
        config = str(tmp_path / "wfm.toml")
        out = str(tmp_path / "req.csv")

    assert staff_cli.run(Args()) == 0
    back = read_requirements(tmp_path / "req.csv", parse_config(config_text)).frame
    assert set(back["queue"]) == {"service", "chat", "email", "calls_out"}
    assert len(back) == 4 * 7 * 96
