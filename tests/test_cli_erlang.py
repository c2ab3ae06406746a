"""``wfm erlang`` through the command-line router: JSON values, text output, exit codes."""

from __future__ import annotations

import argparse
import importlib
import json
import sys

import pytest

import wfm.cli
from wfm.cli import erlang as erlang_cli
from wfm.errors import WfmError


def _router_complete() -> bool:
    try:
        for name in wfm.cli.COMMANDS:
            importlib.import_module(f"wfm.cli.{name}")
    except ImportError:
        return False
    return True


def _main(argv: list[str]) -> int:
    """``wfm.cli.main``; while other sub-commands are still missing, the same routing for
    ``erlang`` alone (argparse errors exit 2, WfmError prints one line and its exit code)."""
    if _router_complete():
        try:
            return wfm.cli.main(argv)
        except SystemExit as exc:
            return int(exc.code)
    parser = argparse.ArgumentParser(prog="wfm")
    sub = parser.add_subparsers(dest="command", required=True)
    erlang_cli.register(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code)
    try:
        return int(args.func(args) or 0)
    except WfmError as err:
        print(f"wfm {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code


BASE = [
    "erlang",
    "--calls",
    "100",
    "--interval-min",
    "30",
    "--aht-sec",
    "180",
    "--sl-target",
    "0.8",
    "--sl-threshold-sec",
    "20",
]


def _json(capsys, *extra: str) -> dict:
    assert _main([*BASE, *extra, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_known_case_as_json(capsys):
    out = _json(capsys, "--shrinkage", "0.3")
    assert out["agents"] == 14
    assert out["agents_gross"] == 20
    assert out["traffic_erl"] == pytest.approx(10.0)
    assert out["p_wait"] == pytest.approx(0.1741, abs=1e-4)
    assert out["service_level"] == pytest.approx(0.8883, abs=1e-4)
    assert out["asa_sec"] == pytest.approx(7.84, abs=5e-3)
    assert out["occupancy"] == pytest.approx(10 / 14)
    assert "p_abandon" not in out


def test_gross_agents_ignore_floating_point_noise(capsys):
    # 21 net at 30 % shrinkage: 21 / 0.7 = 30.000000000000004 -> 30 people, not 31.
    out = _json(capsys, "--agents", "21", "--shrinkage", "0.3")
    assert out["agents"] == 21
    assert out["agents_gross"] == 30


def test_patience_gives_erlang_a_with_abandonment(capsys):
    out = _json(capsys, "--patience-sec", "120")
    assert out["model"] == "erlang_a"
    assert 0 < out["p_abandon"] < 0.1
    assert out["agents"] <= 14
    assert out["service_level"] >= 0.8


def test_evaluating_given_agents(capsys):
    out = _json(capsys, "--agents", "12")
    assert out["agents"] == 12
    assert out["service_level"] < 0.8
    assert out["meets_targets"] is False
    out = _json(capsys, "--agents", "10")  # agents = traffic: the queue never empties
    assert out["asa_sec"] is None
    assert out["service_level"] == 0.0


def test_occupancy_cap_and_asa_target(capsys):
    out = _json(capsys, "--max-occupancy", "0.65")
    assert out["agents"] == 16  # 10 / 0.65 = 15.4 -> 16 agents
    assert out["occupancy"] <= 0.65
    # ASA with 15 agents is 3.67 s, with 16 agents 1.72 s
    out = _json(capsys, "--asa-target-sec", "3")
    assert out["agents"] == 16
    assert out["asa_sec"] == pytest.approx(1.7202, abs=1e-4)


def test_zero_calls_need_zero_agents(capsys):
    argv = [*BASE, "--json"]
    argv[argv.index("--calls") + 1] = "0"
    assert _main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["agents"] == 0
    assert out["agents_gross"] == 0


def test_human_readable_output(capsys):
    assert _main([*BASE, "--shrinkage", "0.3", "--patience-sec", "300"]) == 0
    text = capsys.readouterr().out
    assert "Erlang A" in text
    assert "10.00 Erlangs" in text
    assert "gross" in text
    assert "abandon" in text


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--sl-target", "1.2", "--sl-target"),
        ("--sl-target", "0", "--sl-target"),
        ("--calls", "-5", "--calls"),
        ("--aht-sec", "0", "--aht-sec"),
        ("--interval-min", "0", "--interval-min"),
        ("--max-occupancy", "1.5", "--max-occupancy"),
        ("--shrinkage", "1", "--shrinkage"),
        ("--patience-sec", "-1", "--patience-sec"),
        ("--asa-target-sec", "0", "--asa-target-sec"),
        ("--agents", "-3", "--agents"),
        ("--calls", "nan", "--calls"),
    ],
)
def test_bad_values_exit_2_with_one_line(capsys, flag, value, message):
    argv = [*BASE]
    if flag in argv:
        argv[argv.index(flag) + 1] = value
    else:
        argv += [flag, value]
    assert _main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_unparseable_number_exits_2(capsys):
    argv = [*BASE]
    argv[argv.index("--calls") + 1] = "lots"
    assert _main(argv) == 2
