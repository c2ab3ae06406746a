"""``wfm forecast``: volume and AHT per interval, queue and channel, with an 80% interval.

    wfm forecast --history FILE --horizon-days N --out FILE [--start DATE] [--model NAME|auto]
                 [--config FILE] [--backtest]

Rows with zero handle time but answered contacts are bad input (exit 2, naming the row); with
``--zero-aht missing`` they are read as missing handle time instead, with a note (some real ACD
exports have a few such rows; the AHT forecast is a volume-weighted ratio over many intervals).
``--backtest`` prints, per queue, the week-ahead rolling-origin WAPE, MAPE and bias of every
model (and of ``auto``); with ``--out`` it also writes the forecast.

Plausibility warnings on the history (:mod:`wfm.parse.plausibility`: spikes far above a queue's
usual peak, gaps of weeks, fractional counts) go to stderr, once per file with its rows, and
are repeated among the forecast's notes; the exit code stays 0. Spikes and stray rows cut off
by a gap are left out of training, so the forecast is not built on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from forecasts import MODELS, backtest_scores, cross_validation, forecast_history
from forecasts.orchestrator import MAX_HORIZON_DAYS
from wfm.cli._options import add_zero_aht_option, check_output
from wfm.config import Config
from wfm.errors import InputError
from wfm.io.files import read_config
from wfm.io.tables import read_history, write_forecast
from wfm.parse.plausibility import without_implausible

__all__ = ["register", "run"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "forecast",
        help="forecast volume and AHT per interval and queue",
        description=(
            "Forecast offered contacts and AHT per interval, queue and channel for 1 to 8 weeks, "
            "with an 80%% prediction interval on volume (offered_lo, offered_hi). Closed hours "
            "and days of the configuration are zero, holidays are left out of training and "
            "scaled by their factor, and manual adjustments are applied (adjustment_pct)."
        ),
    )
    p.add_argument("--history", required=True, help="history CSV (ACD interval export)")
    p.add_argument(
        "--horizon-days",
        type=int,
        default=7,
        help=f"days to forecast, 1 to {MAX_HORIZON_DAYS} (default 7)",
    )
    p.add_argument("--out", help="forecast CSV to write")
    p.add_argument(
        "--start",
        help="first day of the forecast, YYYY-MM-DD (default: the day after the history)",
    )
    p.add_argument(
        "--model",
        choices=list(MODELS),
        help="model, or auto: per queue the lowest backtest WAPE (default: the config's, auto)",
    )
    p.add_argument("--config", help="wfm.toml (default: wfm.toml beside the history file)")
    p.add_argument(
        "--backtest",
        action="store_true",
        help="print the week-ahead rolling backtest (WAPE, MAPE, bias) per queue and model",
    )
    add_zero_aht_option(p)
    p.set_defaults(func=run)


def _config(args) -> Config | None:
    if args.config:
        return read_config(args.config)
    beside = Path(args.history).resolve().parent / "wfm.toml"
    return read_config(beside) if beside.is_file() else None


def _start(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--start must be a date YYYY-MM-DD, got {value!r}") from None


def _print_backtest(history: pd.DataFrame, config: Config | None) -> None:
    settings = config.forecast if config is not None else None
    n_windows = settings.n_windows if settings else 4
    step_days = settings.step_days if settings else 7
    models = [name for name in MODELS if name != "auto"] + ["auto"]
    cv = cross_validation(history, 7, n_windows, step_days, models=models, config=config)
    scores = backtest_scores(cv)
    print(
        f"week-ahead rolling backtest: {n_windows} window(s), {step_days} day(s) apart "
        "(WAPE, MAPE, floor, daily in %; bias = over-forecast in % of actual)"
    )
    header = (
        f"{'queue':<16} {'model':<16} {'WAPE':>7} {'MAPE':>7} {'bias':>7} {'floor':>7} "
        f"{'daily':>7} {'windows':>7}"
    )
    print(header)
    print("-" * len(header))
    for queue, group in scores.groupby("queue", sort=True):
        best = group.loc[group["model"] != "auto", "wape"].min()
        for _, row in group.iterrows():
            mark = " *" if row["model"] != "auto" and row["wape"] == best else ""
            print(
                f"{queue!s:<16} {row['model']:<16} {100 * row['wape']:7.2f} "
                f"{100 * row['mape']:7.2f} {100 * row['bias']:+7.2f} "
                f"{100 * row['noise_floor']:7.2f} {100 * row['daily_wape']:7.2f} "
                f"{row['n_windows']:7d}{mark}"
            )
    print(
        "* lowest WAPE of the single models; floor = Poisson noise floor of the WAPE (what a "
        "perfect rate forecast still misses per interval); daily = WAPE of the daily totals"
    )


def run(args: argparse.Namespace) -> int:
    if not args.out and not args.backtest:
        raise InputError("nothing to do: give --out FILE and/or --backtest")
    check_output("--out", args.out)
    if not 1 <= args.horizon_days <= MAX_HORIZON_DAYS:
        raise InputError(
            f"--horizon-days must be 1 to {MAX_HORIZON_DAYS} days, got {args.horizon_days}"
        )
    start = _start(args.start)
    config = _config(args)
    parsed = read_history(args.history, config, zero_aht=args.zero_aht)
    for note in parsed.notes:
        print(f"note: {note}")
    for warning in parsed.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    # spikes and stray rows are left out of training (the warnings say so; so do the notes)
    history, _ = without_implausible(parsed.frame)
    if args.backtest:
        _print_backtest(history, config)
    if not args.out:
        return 0
    model = args.model or (config.forecast.model if config is not None else "auto")
    result = forecast_history(
        history,
        args.horizon_days,
        start=start,
        model=model,
        config=config,
    )
    write_forecast(result.frame, args.out)
    # the forecast's notes: the warnings on its history first, then what the models say
    for note in (*(str(w) for w in parsed.warnings), *result.notes):
        print(f"note: {note}")
    frame = result.frame
    first, last = frame["interval_start"].min(), frame["interval_start"].max()
    print(f"forecast {first:%Y-%m-%d} to {last:%Y-%m-%d} ({args.horizon_days} days) -> {args.out}")
    totals = frame.groupby("queue")[["offered"]].sum()
    for _, choice in result.choices.iterrows():
        q = choice["queue"]
        wape = choice["backtest_wape"]
        wape_txt = f"backtest WAPE {100 * wape:.1f}%" if pd.notna(wape) else "no backtest"
        if pd.notna(choice.get("noise_floor")):
            wape_txt += (
                f", noise floor {100 * choice['noise_floor']:.1f}%, "
                f"daily total {100 * choice['daily_wape']:.1f}%"
            )
        print(f"  {q}: {choice['model']} ({wape_txt}); offered {totals.loc[q, 'offered']:,.0f}")
    return 0
