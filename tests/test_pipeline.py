"""The whole chain on the small demo centre, as `wfm demo --run` runs it (roster mode)."""

from __future__ import annotations

import json
import re

import pandas as pd

from wfm.cli import main
from wfm.pipeline import run_folder


def test_small_demo_runs_end_to_end(tmp_path, capsys):
    assert main(["demo", "--size", "small", "--out", str(tmp_path), "--files-only"]) == 0
    config = tmp_path / "wfm.toml"
    # a short solver limit keeps the test quick; the roster is still a real HiGHS solve
    text, n = re.subn(r"(?m)^time_limit_sec = \d+", "time_limit_sec = 15", config.read_text())
    assert n == 1
    config.write_text(text)
    assert run_folder(tmp_path) == 0
    for name in ("forecast.csv", "requirements.csv", "schedule.csv", "coverage.csv",
                 "summary.json", "comparison.csv"):  # fmt: skip
        assert (tmp_path / name).stat().st_size > 0, name
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["status"] in ("optimal", "feasible")
    schedule = pd.read_csv(tmp_path / "schedule.csv")
    agents = pd.read_csv(tmp_path / "agents.csv")
    assert set(schedule["agent_id"]) <= set(agents["agent_id"])
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    requirements = pd.read_csv(tmp_path / "requirements.csv")
    assert len(comparison) == len(requirements)
    # the comparison's scheduled agents are the roster's, recomputed from the export
    assert comparison["agents_scheduled"].sum() > 0
    out = capsys.readouterr().out
    assert "1. forecast" in out and "3. schedule  roster" in out and "4. compare" in out
