"""``wfm forecast`` end to end on files: forecast CSV, --backtest table, one-line errors."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest
from _forecast_data import synthetic_history

from wfm.cli import forecast as forecast_cli
from wfm.errors import InputError
from wfm.io.files import write_csv


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="wfm")
    forecast_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["forecast", *argv])
    return args.func(args)


CONFIG = """
[site]
timezone = "Europe/London"
interval_minutes = 15

[[queues]]
name = "service"
open_from = "08:00"
open_until = "20:00"

[[queues]]
name = "sales"

[[adjustments]]
start = 2026-02-17
end = 2026-02-17
percent = 25
queue = "sales"
"""


@pytest.fixture()
def files(tmp_path):
    history = synthetic_history(days=42, queues=("service", "sales"))
    write_csv(history, tmp_path / "history.csv")
    (tmp_path / "wfm.toml").write_text(CONFIG)
    return tmp_path


def test_forecast_writes_the_contract_file(files, capsys):
    out = files / "forecast.csv"
    code = _run(
        ["--history", str(files / "history.csv"), "--horizon-days", "14", "--out", str(out)]
    )
    assert code == 0
    frame = pd.read_csv(out)
    for column in (
        "interval_start",
        "queue",
        "channel",
        "offered",
        "aht_sec",
        "offered_lo",
        "offered_hi",
        "model",
    ):
        assert column in frame.columns
    assert len(frame) == 2 * 14 * 96
    assert frame["interval_start"].iloc[0] == "2026-02-16T00:00:00+00:00"
    hours = pd.to_datetime(frame["interval_start"].str[:19]).dt.hour
    service = frame["queue"] == "service"
    assert frame.loc[service & ((hours < 8) | (hours >= 20)), "offered"].eq(0).all()
    assert frame["model"].str.contains("adj\\+25%").any()  # the config beside the history
    printed = capsys.readouterr().out
    assert "service: auto:" in printed and "sales: auto:" in printed
    # the noise floor and the daily-total WAPE beside each queue's backtest WAPE
    line = next(ln for ln in printed.splitlines() if ln.strip().startswith("service:"))
    assert "noise floor" in line and "daily total" in line


def test_backtest_table(files, capsys):
    code = _run(["--history", str(files / "history.csv"), "--backtest", "--model", "auto"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "WAPE" in printed and "MAPE" in printed and "bias" in printed
    assert "floor" in printed and "daily" in printed
    for name in (
        "seasonal_naive",
        "weekly_profile",
        "pooled_profile",
        "top_down",
        "double_seasonal",
        "auto",
    ):
        assert name in printed


def test_bad_input_is_an_input_error(files):
    with pytest.raises(InputError, match="--out FILE and/or --backtest"):
        _run(["--history", str(files / "history.csv")])
    with pytest.raises(InputError, match="1 to 56 days"):
        _run(["--history", str(files / "history.csv"), "--horizon-days", "0", "--out", "x.csv"])
    with pytest.raises(InputError, match="--start must be a date"):
        _run(["--history", str(files / "history.csv"), "--start", "soon", "--out", "x.csv"])
    with pytest.raises(InputError, match="file not found"):
        _run(["--history", str(files / "nope.csv"), "--out", "x.csv"])
