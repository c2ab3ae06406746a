"""`wfm report` end to end on a small contact centre written to files in the test.

The demo contact centre (`wfm demo`) and the scheduler did not exist yet when this was written,
so the plan, schedule, actuals and state log are a fixture built here: two voice queues (Erlang C
and Erlang A) and an email queue over one day of 15-minute intervals.
"""

from __future__ import annotations

import argparse
import importlib

import numpy as np
import pandas as pd
import pytest

from wfm.cli import report
from wfm.errors import WfmError
from wfm.io.files import atomic_write_text, write_csv

TZ = "Europe/London"
DAY = "2024-03-04"
CONFIG = """
[site]
name = "Fixture centre"
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
shrinkage = 0.1

[[queues]]
name = "mail"
channel = "email"
deadline_hours = 1
shrinkage = 0.0
"""


def _main(argv: list[str]) -> int:
    """The real router when every sub-command exists, else the same handling around ours."""
    try:
        cli = importlib.import_module("wfm.cli")
        return cli.main(argv)
    except ModuleNotFoundError:
        parser = argparse.ArgumentParser(prog="wfm")
        report.register(parser.add_subparsers(dest="command"))
        args = parser.parse_args(argv)
        try:
            return int(args.func(args) or 0)
        except WfmError as err:
            print(f"wfm report: error: {err}")
            return err.exit_code


@pytest.fixture
def centre(tmp_path):
    starts = pd.date_range(f"{DAY} 08:00", f"{DAY} 17:45", freq="15min", tz=TZ)
    rng = np.random.default_rng(7)
    req, act = [], []
    for q, ch in (("sales", "voice"), ("service", "voice"), ("mail", "email")):
        for t in starts:
            offered = 30.0 if ch == "voice" else 6.0
            req.append(
                dict(
                    interval_start=t,
                    queue=q,
                    channel=ch,
                    offered=offered,
                    aht_sec=180.0,
                    workload_erl=6.0,
                    agents_net=9.0,
                    agents_gross=11.25,
                    expected_service_level=0.82 if ch == "voice" else np.nan,
                    expected_asa_sec=12.0 if ch == "voice" else np.nan,
                    occupancy=0.67,
                )
            )
            real = float(rng.poisson(offered))
            answered = real - (2.0 if real > 2 else 0.0) * (ch == "voice")
            act.append(
                dict(
                    interval_start=t,
                    queue=q,
                    channel=ch,
                    offered=real,
                    answered=answered,
                    abandoned=real - answered,
                    answered_within_threshold=np.floor(0.7 * answered),
                    handle_time_total_sec=answered * 190.0,
                    staffed_agents=9.0,
                    asa_sec=15.0,
                )
            )
    write_csv(pd.DataFrame(req), tmp_path / "requirements.csv")
    write_csv(pd.DataFrame(act), tmp_path / "actuals.csv")
    rows, states = [], []
    for i in range(24):
        q = ("sales", "service", "mail")[i % 3]
        start = pd.Timestamp(f"{DAY} 08:00", tz=TZ)
        segs = [("work", 0, 240, q), ("lunch", 240, 270, ""), ("work", 270, 600, q)]
        for act_name, a, b, qq in segs:
            rows.append(
                dict(
                    agent_id=f"a{i}",
                    agent_name=f"Agent {i}",
                    team="t",
                    date=DAY,
                    shift_start=start.isoformat(),
                    shift_end=(start + pd.Timedelta(minutes=600)).isoformat(),
                    activity=act_name,
                    activity_start=(start + pd.Timedelta(minutes=a)).isoformat(),
                    activity_end=(start + pd.Timedelta(minutes=b)).isoformat(),
                    paid=act_name == "work",
                    queue=qq,
                )
            )
            state = "available" if act_name == "work" else "lunch"
            late = 10 if (i == 0 and a == 0) else 0  # agent a0 logs in 10 minutes late
            states.append(
                dict(
                    agent_id=f"a{i}",
                    state=state,
                    start=(start + pd.Timedelta(minutes=a + late)).isoformat(),
                    end=(start + pd.Timedelta(minutes=b)).isoformat(),
                )
            )
    write_csv(pd.DataFrame(rows), tmp_path / "schedule.csv")
    write_csv(pd.DataFrame(states), tmp_path / "states.csv")
    atomic_write_text(tmp_path / "wfm.toml", CONFIG)
    return tmp_path


def _args(d, *extra):
    return [
        "report",
        "--requirements",
        str(d / "requirements.csv"),
        "--schedule",
        str(d / "schedule.csv"),
        "--actuals",
        str(d / "actuals.csv"),
        "--out",
        str(d / "comparison.csv"),
        *extra,
    ]


def test_report_end_to_end(centre, capsys):
    code = _main(
        _args(centre, "--agent-states", str(centre / "states.csv"), "--cost-per-hour", "20")
    )
    out = capsys.readouterr().out
    assert code == 0, out
    comp = pd.read_csv(centre / "comparison.csv")
    assert len(comp) == 3 * 40
    assert {"sl_expected_scheduled", "sl_expected_actual", "gap_actual"} <= set(comp.columns)
    sales = comp[comp["queue"] == "sales"]
    # 8 agents on sales, 0.2 shrinkage -> 6.4 net scheduled at 08:00
    assert sales["agents_scheduled"].iloc[0] == pytest.approx(8.0)
    assert sales["agents_scheduled_net"].iloc[0] == pytest.approx(6.4)
    # everyone lunches 12:00-12:30 (intervals 16 and 17): nobody at work
    assert sales["agents_scheduled"].iloc[16:18].tolist() == [0.0, 0.0]
    assert sales["agents_scheduled"].iloc[18] == pytest.approx(8.0)
    # a0 logged in 10 minutes late: 7 + 5/15 staffed at 08:00
    assert sales["agents_actual"].iloc[0] == pytest.approx(7 + 5 / 15)
    assert sales["asa_actual_sec"].iloc[0] == pytest.approx(15.0)
    assert "SL" in out and "adherence" in out and "missed the target" in out
    # adherence: a0 out for 10 of the 24 x 600 scheduled minutes
    assert f"{100 * (1 - 10 / (24 * 600)):.1f}%" in out


def test_report_bad_input_exits_2(centre, capsys):
    (centre / "states_bad.csv").write_text(
        "agent_id,state,start,end\na1,available,2024-03-04 09:00,2024-03-04 08:00\n"
    )
    code = _main(_args(centre, "--agent-states", str(centre / "states_bad.csv")))
    err = capsys.readouterr()
    assert code == 2
    assert (
        "states_bad.csv, row 2" in err.err + err.out
        and "ends before it starts" in err.err + err.out
    )


def test_report_notes_actuals_outside_the_plan(centre, capsys):
    act = pd.read_csv(centre / "actuals.csv", dtype=str)
    extra = act.iloc[:3].copy()
    extra["queue"] = "sales"
    extra["interval_start"] = [f"{DAY}T20:{m:02d}:00+00:00" for m in (0, 15, 30)]
    pd.concat([act, extra]).to_csv(centre / "actuals.csv", index=False)
    assert _main(_args(centre)) == 0
    out = capsys.readouterr().out
    assert "3 row(s) for intervals or queues the plan does not have" in out
