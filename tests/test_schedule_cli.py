"""``wfm schedule`` end to end: real files in; the exported schedule matches the coverage CSV."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from solvers.roster import solving
from wfm.cli import main

CONFIG = """
[site]
name = "Test centre"
timezone = "Europe/London"
interval_minutes = 60
cyclic_week = false

[[queues]]
name = "service"
channel = "voice"

[[queues]]
name = "sales"
channel = "voice"

[[shifts]]
name = "day"
earliest_start = "08:00"
latest_start = "09:00"
start_step_min = 60
length_hours = [8.0]
days = ["Mon", "Tue"]
cost_per_hour = 12
breaks = [{ length_min = 30, paid = false, earliest_after_min = 180, latest_after_min = 240 }]

[rules]
understaff_penalty = 1000
overstaff_penalty = 1
{extra}

[solver]
name = "highs"
time_limit_sec = 20
gap = 0.0
threads = 1
"""


def write_inputs(tmp_path, extra=""):
    config = tmp_path / "wfm.toml"
    config.write_text(CONFIG.replace("{extra}", extra))
    rows = []
    for day in ("2026-11-30", "2026-12-01"):
        for hour in range(9, 16):
            for queue, agents in (("service", 2.0), ("sales", 0.5)):
                rows.append(
                    {
                        "interval_start": f"{day}T{hour:02d}:00:00",
                        "queue": queue,
                        "channel": "voice",
                        "offered": 10,
                        "aht_sec": 300,
                        "workload_erl": 0.8,
                        "agents_net": agents,
                        "agents_gross": agents,
                        "expected_service_level": 0.8,
                        "expected_asa_sec": 10,
                        "occupancy": 0.5,
                    }
                )
    requirements = tmp_path / "requirements.csv"
    pd.DataFrame(rows).to_csv(requirements, index=False)
    return config, requirements


def test_schedule_writes_consistent_files(tmp_path):
    config, requirements = write_inputs(tmp_path)
    out, cov, summ = tmp_path / "s.csv", tmp_path / "c.csv", tmp_path / "s.json"
    code = main(
        [
            "schedule",
            "--requirements", str(requirements),
            "--config", str(config),
            "--out", str(out),
            "--week", "2026-11-30",
            "--coverage-out", str(cov),
            "--summary-out", str(summ),
        ]
    )  # fmt: skip
    assert code == 0
    summary = json.loads(summ.read_text())
    assert summary["status"] == "optimal"
    assert summary["understaffed_intervals"] == 0
    schedule = pd.read_csv(out)
    coverage = pd.read_csv(cov)
    for column in ("activity_start", "activity_end"):
        schedule[column] = pd.to_datetime(schedule[column], utc=True)
    coverage["interval_start"] = pd.to_datetime(coverage["interval_start"], utc=True)
    # coverage recomputed from the exported segments alone
    recomputed = {}
    for row in schedule[schedule["activity"] == "work"].itertuples():
        t = row.activity_start
        while t < row.activity_end:
            bucket = t.floor("60min")
            end = min(bucket + pd.Timedelta(minutes=60), row.activity_end)
            key = (bucket, row.queue)
            recomputed[key] = (
                recomputed.get(key, 0.0) + (end - t) / pd.Timedelta(minutes=60) * row.share
            )
            t = end
    expected = coverage.set_index(["interval_start", "queue"])["scheduled"]
    got = pd.Series(recomputed).reindex(expected.index).fillna(0.0)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-4)
    assert (coverage["gap"] >= -1e-6).all()
    # lunches are unpaid, never counted as work
    assert not schedule.loc[schedule["activity"] == "lunch", "paid"].any()
    assert summary["paid_hours"] == len(schedule["agent_id"].unique()) * 7.5


def test_schedule_exit_3_when_hard_coverage_fails(tmp_path, capsys):
    config, requirements = write_inputs(tmp_path, "hard_coverage = true")
    text = config.read_text().replace('days = ["Mon", "Tue"]', 'days = ["Mon"]')
    config.write_text(text)
    code = main(
        ["schedule", "--requirements", str(requirements), "--config", str(config),
         "--out", str(tmp_path / "s.csv"), "--week", "2026-11-30"]
    )  # fmt: skip
    assert code == 3
    err = capsys.readouterr().err
    assert "infeasible" in err and "no shift covers it" in err
    assert not (tmp_path / "s.csv").exists()


def test_schedule_exit_3_beyond_understaff_tolerance(tmp_path, capsys):
    config, requirements = write_inputs(tmp_path, "understaff_tolerance = 0")
    text = config.read_text().replace('days = ["Mon", "Tue"]', 'days = ["Mon"]')
    config.write_text(text)
    code = main(
        ["schedule", "--requirements", str(requirements), "--config", str(config),
         "--out", str(tmp_path / "s.csv"), "--week", "2026-11-30"]
    )  # fmt: skip
    assert code == 3
    assert "understaffed by" in capsys.readouterr().err


def test_schedule_bad_week_is_exit_2(tmp_path):
    config, requirements = write_inputs(tmp_path)
    code = main(
        ["schedule", "--requirements", str(requirements), "--config", str(config),
         "--out", str(tmp_path / "s.csv"), "--week", "30/11/2026"]
    )  # fmt: skip
    assert code == 2


def test_roster_method_from_config_price_dive_matches_two_stage(tmp_path, monkeypatch):
    # [solver] roster_method chooses the roster method; on this small week both reach the
    # optimum, and price_dive's bound is at most that optimum
    calls = []
    real = solving.solve_price_dive
    monkeypatch.setattr(solving, "solve_price_dive", lambda *a: calls.append(1) or real(*a))
    agents = tmp_path / "agents.csv"
    pd.DataFrame(
        {
            "agent_id": ["S1", "S2", "B1", "U1"],
            "name": ["Sam", "Sue", "Ben", "Uma"],
            "team": ["T", "T", "T", "T"],
            "skills": ["service", "service", "service|sales", "*"],
            "min_hours_week": [0.0, 0.0, 7.5, 0.0],
            "max_hours_week": [15.0, 15.0, 15.0, 15.0],
            "cost_per_hour": [12.0, 12.5, 13.0, 14.0],
        }
    ).to_csv(agents, index=False)
    summaries = {}
    for method in ("two_stage", "price_dive"):
        config, requirements = write_inputs(tmp_path)
        text = config.read_text().replace("threads = 1", f'threads = 1\nroster_method = "{method}"')
        config.write_text(text)
        summary = tmp_path / f"{method}.json"
        code = main(
            ["schedule", "--requirements", str(requirements), "--config", str(config),
             "--agents", str(agents), "--out", str(tmp_path / f"{method}.csv"),
             "--week", "2026-11-30", "--summary-out", str(summary)]
        )  # fmt: skip
        assert code == 0
        summaries[method] = json.loads(summary.read_text())
    assert calls == [1]  # only the price_dive run went through the decomposition
    best = summaries["two_stage"]["objective"]
    dive = summaries["price_dive"]
    assert dive["status"] in ("optimal", "feasible")
    assert dive["bound"] <= best + 1e-6 <= dive["objective"] + 2e-6
    assert dive["understaffed_intervals"] == summaries["two_stage"]["understaffed_intervals"]
