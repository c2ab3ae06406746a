"""`wfm report` end to end on the demo contact centre's planning week, from the CLI.

demo -> forecast -> staff -> schedule (shift plan) -> report, then the same report with the
actual staff lowered: the service level expected with the actual staff must fall.
"""

from __future__ import annotations

import pandas as pd
import pytest


def _wfm(*argv: str) -> None:
    from wfm.cli import main

    code = main(list(argv))
    assert code == 0, f"wfm {' '.join(argv)} exited {code}"


@pytest.fixture(scope="module")
def demo_week(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    _wfm("demo", "--out", str(d), "--files-only")
    cfg = str(d / "wfm.toml")
    _wfm(
        "forecast",
        "--history",
        str(d / "history.csv"),
        "--config",
        cfg,
        "--horizon-days",
        "7",
        "--start",
        "2026-11-23",
        "--out",
        str(d / "forecast.csv"),
    )
    _wfm(
        "staff",
        "--forecast",
        str(d / "forecast.csv"),
        "--config",
        cfg,
        "--out",
        str(d / "requirements.csv"),
    )
    _wfm(
        "schedule",
        "--requirements",
        str(d / "requirements.csv"),
        "--config",
        cfg,
        "--out",
        str(d / "schedule.csv"),
    )
    return d


def _report(d, actuals: str, out: str) -> pd.DataFrame:
    _wfm(
        "report",
        "--requirements",
        str(d / "requirements.csv"),
        "--schedule",
        str(d / "schedule.csv"),
        "--actuals",
        str(d / actuals),
        "--config",
        str(d / "wfm.toml"),
        "--forecast",
        str(d / "forecast.csv"),
        "--agents",
        str(d / "agents.csv"),
        "--out",
        str(d / out),
    )
    return pd.read_csv(d / out)


def test_demo_week_report_and_lower_staff(demo_week, capsys):
    d = demo_week
    base = _report(d, "actuals.csv", "comparison.csv")
    printed = capsys.readouterr().out
    assert "missed the target" in printed or "no interval missed" in printed
    assert base["queue"].nunique() >= 4
    assert base["agents_scheduled"].sum() > 0 and base["offered"].sum() > 0
    # the demo's actuals carry the wait of answered contacts: the actual ASA is reported
    voice = base[(base["channel"] == "voice") & (base["answered"] > 0)]
    assert voice["asa_actual_sec"].notna().all() and voice["asa_actual_sec"].gt(0).any()
    actuals = pd.read_csv(d / "actuals.csv", dtype=str)
    staffed = pd.to_numeric(actuals["staffed_agents"])
    actuals["staffed_agents"] = (staffed * 0.8).round(3).astype(str)
    actuals.to_csv(d / "actuals_fewer.csv", index=False)
    fewer = _report(d, "actuals_fewer.csv", "comparison_fewer.csv")
    live = base["sl_expected_actual"].notna() & fewer["sl_expected_actual"].notna()
    assert live.sum() > 100
    a = base.loc[live, "sl_expected_actual"]
    b = fewer.loc[live, "sl_expected_actual"]
    assert (b <= a + 1e-12).all()
    w = base.loc[live, "offered"]
    assert (b * w).sum() < (a * w).sum()
