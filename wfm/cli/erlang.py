"""``wfm erlang``: one staffing calculation (Erlang C, or Erlang A with ``--patience-sec``).

Without ``--agents`` it searches the minimum net agents meeting the service-level target (and the
optional ASA target and occupancy cap); with ``--agents N`` it evaluates N agents. Gross agents are
the net agents over ``1 - shrinkage``, rounded up to whole people (ignoring floating-point noise,
so 21 net at 30 % shrinkage is 30 gross, not 31).
"""

from __future__ import annotations

import argparse
import json
import math

import numpy as np

from wfm import erlang
from wfm.errors import InputError

__all__ = ["evaluate", "register", "run"]


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "erlang",
        help="one staffing calculation (Erlang C, or Erlang A with --patience-sec)",
        description=(
            "Required agents for one interval: Erlang C, or Erlang A (abandonment) with "
            "--patience-sec. With --agents N, evaluates N agents instead of searching."
        ),
    )
    parser.add_argument("--calls", type=float, required=True, help="contacts offered")
    parser.add_argument(
        "--interval-min", type=float, required=True, help="interval length in minutes"
    )
    parser.add_argument(
        "--aht-sec", type=float, required=True, help="average handle time in seconds"
    )
    parser.add_argument(
        "--sl-target", type=float, required=True, help="service-level target, e.g. 0.8"
    )
    parser.add_argument(
        "--sl-threshold-sec",
        type=float,
        required=True,
        help="service-level threshold in seconds, e.g. 20 (answered within)",
    )
    parser.add_argument(
        "--max-occupancy", type=float, default=1.0, help="occupancy cap in (0, 1] (default 1)"
    )
    parser.add_argument(
        "--shrinkage", type=float, default=0.0, help="share of paid time off the phones [0, 1)"
    )
    parser.add_argument(
        "--asa-target-sec", type=float, default=None, help="optional ASA ceiling in seconds"
    )
    parser.add_argument(
        "--patience-sec",
        type=float,
        default=None,
        help="mean customer patience in seconds: Erlang A instead of Erlang C",
    )
    parser.add_argument("--agents", type=int, default=None, help="evaluate N net agents")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    def bad(flag: str, message: str) -> InputError:
        return InputError(f"--{flag} {message}")

    values = {
        "calls": args.calls,
        "interval-min": args.interval_min,
        "aht-sec": args.aht_sec,
        "sl-target": args.sl_target,
        "sl-threshold-sec": args.sl_threshold_sec,
        "max-occupancy": args.max_occupancy,
        "shrinkage": args.shrinkage,
    }
    for flag, value in values.items():
        if not math.isfinite(value):
            raise bad(flag, f"must be a finite number, got {value}")
    if args.calls < 0:
        raise bad("calls", f"must be >= 0, got {args.calls:g}")
    if args.interval_min <= 0:
        raise bad("interval-min", f"must be > 0, got {args.interval_min:g}")
    if args.aht_sec <= 0:
        raise bad("aht-sec", f"must be > 0, got {args.aht_sec:g}")
    if not 0 < args.sl_target < 1:
        raise bad("sl-target", f"must be in (0, 1), e.g. 0.8; got {args.sl_target:g}")
    if args.sl_threshold_sec < 0:
        raise bad("sl-threshold-sec", f"must be >= 0, got {args.sl_threshold_sec:g}")
    if not 0 < args.max_occupancy <= 1:
        raise bad("max-occupancy", f"must be in (0, 1], got {args.max_occupancy:g}")
    if not 0 <= args.shrinkage < 1:
        raise bad("shrinkage", f"must be in [0, 1), got {args.shrinkage:g}")
    for flag, value in (
        ("asa-target-sec", args.asa_target_sec),
        ("patience-sec", args.patience_sec),
    ):
        if value is not None and not (math.isfinite(value) and value > 0):
            raise bad(flag, f"must be a number > 0, got {value:g}")
    if args.agents is not None and args.agents < 0:
        raise bad("agents", f"must be >= 0, got {args.agents}")


def evaluate(args: argparse.Namespace) -> dict:
    """The calculation behind ``wfm erlang`` as a plain dict (the ``--json`` object)."""
    _check(args)
    traffic = float(erlang.traffic_erl(args.calls, args.interval_min, args.aht_sec))
    if args.agents is None:
        res = erlang.required_agents(
            traffic,
            args.aht_sec,
            args.sl_target,
            args.sl_threshold_sec,
            asa_target_sec=args.asa_target_sec,
            max_occupancy=args.max_occupancy,
            patience_sec=args.patience_sec,
        )
        agents = int(res.agents)
        p_wait, sl, asa, occ, p_ab = (
            float(res.p_wait),
            float(res.service_level),
            float(res.asa_sec),
            float(res.occupancy),
            float(res.p_abandon),
        )
        meets = True
    else:
        agents = args.agents
        if args.patience_sec is not None:
            a = erlang.erlang_a(
                traffic, agents, args.aht_sec, args.patience_sec, args.sl_threshold_sec
            )
            p_wait, sl, asa, occ, p_ab = (
                float(a.p_wait),
                float(a.service_level),
                float(a.asa_sec),
                float(a.occupancy),
                float(a.p_abandon),
            )
        else:
            p_wait = float(erlang.erlang_c(traffic, agents))
            sl = float(erlang.service_level(traffic, agents, args.aht_sec, args.sl_threshold_sec))
            asa = float(erlang.asa_sec(traffic, agents, args.aht_sec))
            occ = float(erlang.occupancy(traffic, agents))
            p_ab = 0.0
        tol = erlang.TOLERANCE
        meets = (
            sl >= args.sl_target - tol
            and (args.asa_target_sec is None or asa <= args.asa_target_sec * (1 + tol))
            and occ <= args.max_occupancy * (1 + tol)
            and (traffic == 0 or agents > 0)
        )
    gross = int(erlang.ceil_tol(np.asarray(agents / (1.0 - args.shrinkage))))
    out = {
        "model": "erlang_a" if args.patience_sec is not None else "erlang_c",
        "agents": agents,
        "agents_gross": gross,
        "traffic_erl": traffic,
        "p_wait": p_wait,
        "service_level": sl,
        "asa_sec": asa if math.isfinite(asa) else None,
        "occupancy": occ,
        "meets_targets": bool(meets),
    }
    if args.patience_sec is not None:
        out["p_abandon"] = p_ab
    return out


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _text(args: argparse.Namespace, out: dict) -> str:
    model = (
        f"Erlang A (mean patience {args.patience_sec:g} s)"
        if args.patience_sec is not None
        else "Erlang C"
    )
    verb = "evaluated" if args.agents is not None else "required"
    asa = "unbounded (agents <= traffic)" if out["asa_sec"] is None else f"{out['asa_sec']:.2f} s"
    rows = [
        (f"agents ({verb}, net)", str(out["agents"])),
        ("agents (gross)", f"{out['agents_gross']}  (shrinkage {_pct(args.shrinkage)})"),
        (
            "service level",
            f"{_pct(out['service_level'])} answered within {args.sl_threshold_sec:g} s "
            f"(target {_pct(args.sl_target)})",
        ),
        ("probability of waiting", _pct(out["p_wait"])),
        (
            "ASA",
            asa
            + (f" (target {args.asa_target_sec:g} s)" if args.asa_target_sec is not None else ""),
        ),
        ("occupancy", f"{_pct(out['occupancy'])} (cap {_pct(args.max_occupancy)})"),
    ]
    if "p_abandon" in out:
        rows.append(("probability of abandon", _pct(out["p_abandon"])))
    if args.agents is not None:
        rows.append(("meets the targets", "yes" if out["meets_targets"] else "no"))
    lines = [
        f"{model}: {args.calls:g} contacts in {args.interval_min:g} min, "
        f"AHT {args.aht_sec:g} s = {out['traffic_erl']:.2f} Erlangs",
        *(f"  {label:<24}{value}" for label, value in rows),
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    out = evaluate(args)
    if args.json:
        print(json.dumps(out))
    else:
        print(_text(args, out))
    return 0
