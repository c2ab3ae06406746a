"""The comparison frame: scheduled coverage, gaps, expected service and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm import erlang
from wfm.agent_states import parse_agent_states
from wfm.compare import compare, expected_service, worst_intervals
from wfm.config import parse_config
from wfm.parse import parse_schedule

TZ = "Europe/London"
CONFIG = parse_config(
    """
[site]
timezone = "Europe/London"
interval_minutes = 15

[[queues]]
name = "sales"
channel = "voice"
service_level = 0.8
threshold_sec = 20
shrinkage = 0.2

[[queues]]
name = "service"
channel = "voice"
patience_sec = 120
shrinkage = 0.0

[[queues]]
name = "mail"
channel = "email"
deadline_hours = 0.5
shrinkage = 0.0
"""
)
DAY = "2024-03-04"
STARTS = pd.date_range(f"{DAY} 09:00", periods=4, freq="15min", tz=TZ)


def _requirements() -> pd.DataFrame:
    rows = []
    for q, ch in (("sales", "voice"), ("service", "voice"), ("mail", "email")):
        for t in STARTS:
            rows.append(
                dict(
                    interval_start=t,
                    queue=q,
                    channel=ch,
                    offered=40.0,
                    aht_sec=180.0,
                    workload_erl=8.0,
                    agents_net=10.0,
                    agents_gross=12.5,
                    expected_service_level=0.85,
                    expected_asa_sec=10.0,
                    occupancy=0.8,
                )
            )
    return pd.DataFrame(rows)


def _actuals(staffed: float = 10.0) -> pd.DataFrame:
    req = _requirements()
    return pd.DataFrame(
        {
            "interval_start": req["interval_start"],
            "queue": req["queue"],
            "channel": req["channel"],
            "interval_minutes": 15,
            "offered": 40.0,
            "answered": 38.0,
            "abandoned": 2.0,
            "answered_within_threshold": 30.0,
            "handle_time_total_sec": 38 * 200.0,
            "aht_sec": 200.0,
            "staffed_agents": staffed,
        }
    )


def _schedule() -> pd.DataFrame:
    rows = []
    for i in range(12):  # 12 agents on sales 09:00-10:00, agent 0 with a break 09:15-09:30
        if i == 0:
            segs = [
                ("work", "09:00", "09:15", "sales"),
                ("break", "09:15", "09:30", ""),
                ("work", "09:30", "10:00", "sales"),
            ]
        else:
            segs = [("work", "09:00", "10:00", "sales")]
        for act, a, b, q in segs:
            rows.append(
                dict(
                    agent_id=f"s{i}",
                    agent_name=f"S {i}",
                    team="t",
                    date=DAY,
                    shift_start=f"{DAY}T09:00:00+00:00",
                    shift_end=f"{DAY}T10:00:00+00:00",
                    activity=act,
                    activity_start=f"{DAY}T{a}:00+00:00",
                    activity_end=f"{DAY}T{b}:00+00:00",
                    paid="true",
                    queue=q,
                )
            )
    # one agent half on service: 09:00-09:07:30
    rows.append(
        dict(
            agent_id="v1",
            agent_name="V",
            team="t",
            date=DAY,
            shift_start=f"{DAY}T09:00:00+00:00",
            shift_end=f"{DAY}T09:07:30+00:00",
            activity="work",
            activity_start=f"{DAY}T09:00:00+00:00",
            activity_end=f"{DAY}T09:07:30+00:00",
            paid="1",
            queue="service",
        )
    )
    return parse_schedule(pd.DataFrame(rows).astype(str), TZ)


def test_coverage_gaps_and_targets():
    result = compare(_requirements(), _actuals(), CONFIG, schedule=_schedule(), cost_per_hour=20)
    f = result.frame.set_index(["queue", "interval_start"])
    sales = f.loc["sales"]
    assert sales["agents_scheduled"].tolist() == [12.0, 11.0, 12.0, 12.0]
    assert sales["agents_scheduled_net"].tolist() == pytest.approx([9.6, 8.8, 9.6, 9.6])
    assert sales["gap_scheduled"].tolist() == pytest.approx([-0.5, -1.5, -0.5, -0.5])
    assert sales["gap_actual"].tolist() == [0.0] * 4
    assert f.loc[("service", STARTS[0]), "agents_scheduled"] == pytest.approx(0.5)
    assert f.loc[("service", STARTS[1]), "agents_scheduled"] == 0.0
    assert sales["sl_actual"].tolist() == [0.75] * 4
    assert sales["sl_target"].tolist() == [0.8] * 4
    # 0.8 x 40 - 30 = 2 contacts short of target in each interval
    assert sales["contacts_short_of_target"].tolist() == pytest.approx([2.0] * 4)
    # cost: 12 agents x 1 h x 20 (the paid break lands on sales) + 0.125 h on service
    assert result.frame["cost"].sum() == pytest.approx(12 * 20 + 0.125 * 20)
    assert sales["cost"].sum() == pytest.approx(240.0)
    # email: no live SL target; FIFO deadline counts instead
    mail = f.loc["mail"]
    assert mail["sl_target"].isna().all() and mail["sl_expected_actual"].isna().all()
    assert mail["email_due"].sum() > 0
    assert len(worst_intervals(result.frame, 3)) == 3


def test_expected_service_matches_erlang_and_interpolates():
    q = CONFIG.queues[0]
    traffic = 40 * 180 / 900
    sl, asa, ab = expected_service(q, [40.0, 40.0], [180.0, 180.0], [10.0, 10.5], 15)
    assert sl[0] == pytest.approx(float(erlang.service_level(traffic, 10, 180, 20)), abs=1e-12)
    assert asa[0] == pytest.approx(float(erlang.asa_sec(traffic, 10, 180)), abs=1e-12)
    mid = 0.5 * (
        erlang.service_level(traffic, 10, 180, 20) + erlang.service_level(traffic, 11, 180, 20)
    )
    assert sl[1] == pytest.approx(float(mid), abs=1e-12)
    assert np.isnan(ab).all()  # Erlang C: nobody abandons
    qa = CONFIG.queues[1]
    sl, asa, ab = expected_service(qa, [40.0], [180.0], [9.0], 15)
    res = erlang.erlang_a(traffic, 9, 180, 120, 20)
    assert sl[0] == pytest.approx(float(res.service_level)) and ab[0] == pytest.approx(
        float(res.p_abandon)
    )


def test_expected_sl_with_actual_staff_falls_when_staff_is_lowered():
    full = compare(_requirements(), _actuals(10.0), CONFIG).frame
    short = compare(_requirements(), _actuals(8.5), CONFIG).frame
    for q in ("sales", "service"):
        a = full[full["queue"] == q]
        b = short[short["queue"] == q]
        assert (b["sl_expected_actual"].to_numpy() < a["sl_expected_actual"].to_numpy()).all()
        assert (
            b["asa_expected_actual_sec"].to_numpy() > a["asa_expected_actual_sec"].to_numpy()
        ).all()
        assert (b["gap_actual"] < a["gap_actual"]).all() and (b["gap_actual"] < 0).all()
    s = short[short["queue"] == "service"]
    f = full[full["queue"] == "service"]
    assert (
        s["abandon_rate_expected_actual"].to_numpy() > f["abandon_rate_expected_actual"].to_numpy()
    ).all()


def test_actuals_outside_the_plan_are_noted_and_the_rest_reported():
    extra = _actuals().iloc[:2].copy()
    extra["queue"] = "ghost"
    late = _actuals().iloc[:1].copy()
    late["interval_start"] = late["interval_start"] + pd.Timedelta(hours=5)
    actuals = pd.concat([_actuals(), extra, late], ignore_index=True)
    result = compare(_requirements(), actuals, CONFIG)
    assert len(result.frame) == 12
    note = " ".join(result.notes)
    assert "3 row(s) for intervals or queues the plan does not have" in note
    assert "ghost (2 intervals" in note and "sales (1 intervals" in note
    assert result.frame["offered"].notna().all()


def test_agent_state_log_replaces_staffed_agents_and_gives_adherence():
    t = lambda hm: f"{DAY}T{hm}:00+00:00"  # noqa: E731
    rows = [(f"s{i}", "available", t("09:00"), t("10:00")) for i in range(1, 12)]
    rows += [
        ("s0", "on contact", t("09:00"), t("09:15")),
        ("s0", "break", t("09:15"), t("09:30")),
        ("s0", "offline", t("09:30"), t("10:00")),
        ("x9", "available", t("09:00"), t("09:15")),
    ]
    log = parse_agent_states(pd.DataFrame(rows, columns=["agent_id", "state", "start", "end"]), TZ)
    result = compare(_requirements(), _actuals(), CONFIG, schedule=_schedule(), agent_states=log)
    sales = result.frame[result.frame["queue"] == "sales"]
    assert sales["agents_actual"].tolist() == [12.0, 11.0, 11.0, 11.0]
    # adherence: s0 out 30 of 60 minutes; the 11 others in all 60; v1 (no log) out 7.5 min
    total_sched = result.frame["adherence_scheduled_sec"].sum()
    assert total_sched == pytest.approx(12 * 3600 + 450)
    assert result.frame["adherent_sec"].sum() == pytest.approx(11 * 3600 + 1800)
    note = " ".join(result.notes)
    assert "x9" in note and "v1" in note
    assert "could not be given a queue" in note  # x9 is not scheduled
