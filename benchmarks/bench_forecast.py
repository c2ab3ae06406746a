"""Forecasting benchmark: the whole year of the US bank, fold by fold, beside statsforecast; the
anonymous bank's queues against their noise floor; speed on 50 synthetic queues.

    .venv/bin/python benchmarks/bench_forecast.py [--train-weeks 8] [--skip-peer] [--skip-speed]

(1) US bank (15-minute data, the partial 21:00 slot dropped): a rolling-origin week-ahead
backtest over every full week from the ninth of the data (ISO week 18) to the last (week 43).
Each fold calls :func:`forecasts.forecast_history` as ``wfm forecast --horizon-days 7 --start
MONDAY`` does, on the history before its Monday only, with the bank's six closed weekdays as
``[[calendar.holidays]]`` (factor 0). Baselines: seasonal naive, the mean of the last four same
weekdays. The peer, statsforecast with its defaults, on the same folds: MSTL on the 15-minute
series of open intervals (seasons 56 and 280 intervals: the day and the five-day week) and
AutoETS on the daily totals (season 5) times the weekday's intraday profile, both trained on
the last ``--train-weeks`` weeks before the fold (MSTL's cost grows with the window). Printed:
pooled WAPE, median and worst fold, folds won, for the first half (weeks 18-27, where the models
were tuned) and the second (weeks 28-43, reported only); the 80% interval's coverage per fold,
and how many folds would fall in 75-85% if the interval's own mixture model were exact;
fit+predict time; each fold's two worst days and why; the Poisson noise floor.

(2) Anonymous bank (30-minute data, February 1999), week-ahead backtest over the last two
weeks: interval WAPE, its Poisson noise floor and the daily-total WAPE per queue.

(3) Speed: 50 queues with a year of 15-minute history each, 4 weeks ahead with ``auto``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecasts import (
    WeeklyProfile,
    cross_validation,
    forecast_history,
    noise_floor,
    special_days,
)
from forecasts.grid import to_day_matrix
from wfm.axis import interval_axis
from wfm.config import Calendar, Config, Holiday, Site

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TZ = "America/New_York"
WFM_MODELS = ["seasonal_naive", "weekly_profile", "top_down", "double_seasonal", "auto"]
FIRST_WEEK, SPLIT_WEEK, LAST_WEEK = 18, 28, 43
#: Days with a known outside cause: from 17:00 on 14 August 2003 the bank's calls fall by a
#: third, as the Northeast blackout (from 16:10 EDT) cut power to its callers.
EVENTS = {dt.date(2003, 8, 14): "Northeast blackout", dt.date(2003, 8, 15): "after the blackout"}


def _wape(a: np.ndarray, f: np.ndarray) -> float:
    return float(np.abs(a - f).sum() / a.sum())


def load_us_bank() -> pd.DataFrame | None:
    path = DATA / "us_bank_calls_5min" / "us_bank_calls_15min.csv"
    if not path.is_file():
        print(f"(1) US bank: skipped, {path} not found")
        return None
    df = pd.read_csv(path, parse_dates=["interval_start"])
    df = df[df["minutes_covered"] == 15].drop(columns="minutes_covered")
    df["interval_start"] = df["interval_start"].dt.tz_localize(TZ)
    return df.sort_values("interval_start").reset_index(drop=True)


def us_bank_config(df: pd.DataFrame) -> Config:
    """The bank's closed weekdays (Mon-Fri without data) as holidays with factor 0."""
    days = pd.DatetimeIndex(df["interval_start"].dt.tz_localize(None).dt.normalize().unique())
    weekdays = pd.bdate_range(days.min(), days.max())
    closed = sorted(set(weekdays.date) - set(days.date))
    holidays = tuple(Holiday(date=d, name="closed", factor=0.0) for d in closed)
    return Config(site=Site(timezone=TZ, interval_minutes=15), calendar=Calendar(holidays=holidays))


def _peer(train: pd.DataFrame, n_test: int, days: list[dt.date], train_weeks: int):
    """statsforecast MSTL and AutoETS x profile on the open intervals before the fold."""
    from statsforecast import StatsForecast
    from statsforecast.models import MSTL, AutoETS

    local = train["interval_start"].dt.tz_localize(None)
    cut = local.max().normalize() - pd.Timedelta(weeks=train_weeks) + pd.Timedelta(days=1)
    recent = train[local >= cut]
    spd = int(recent.groupby(recent["interval_start"].dt.date).size().mode()[0])
    y = recent["offered"].to_numpy(dtype=float)
    out = {}
    t0 = time.perf_counter()
    frame = pd.DataFrame({"unique_id": "all", "ds": np.arange(y.size), "y": y})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fc = StatsForecast(models=[MSTL(season_length=[spd, 5 * spd])], freq=1).forecast(
            df=frame, h=5 * spd, level=[80]
        )
    out["sf MSTL"] = (
        np.clip(fc["MSTL"].to_numpy()[:n_test], 0, None),
        fc["MSTL-lo-80"].to_numpy()[:n_test],
        fc["MSTL-hi-80"].to_numpy()[:n_test],
        time.perf_counter() - t0,
    )
    t0 = time.perf_counter()
    day = recent["interval_start"].dt.tz_localize(None).dt.normalize()
    totals = recent.groupby(day)["offered"].sum()
    frame = pd.DataFrame({"unique_id": "all", "ds": np.arange(len(totals)), "y": totals.values})
    fc = StatsForecast(models=[AutoETS(season_length=5)], freq=1).forecast(df=frame, h=5)
    shares = recent.assign(
        w=day.dt.weekday, s=recent["offered"] / recent.groupby(day)["offered"].transform("sum")
    )
    slot = recent["interval_start"].dt.strftime("%H:%M")
    profile = shares.assign(slot=slot).groupby(["w", "slot"])["s"].mean()
    parts = []
    for k, d in enumerate(days):
        p = profile.loc[d.weekday()].to_numpy()
        parts.append(fc["AutoETS"].to_numpy()[k] * p / p.sum())
    point = np.clip(np.concatenate(parts)[:n_test], 0, None)
    out["sf AutoETS x profile"] = (point, None, None, time.perf_counter() - t0)
    return out


def us_bank(train_weeks: int, peer: bool) -> None:
    df = load_us_bank()
    if df is None:
        return
    config = us_bank_config(df)
    local = df["interval_start"].dt.tz_localize(None)
    iso = local.dt.isocalendar()
    mean4 = WeeklyProfile(weeks=4, trim=0.0)
    specs = [(m, m) for m in WFM_MODELS] + [("mean of last 4", mean4)]
    Y, grid = to_day_matrix(pd.DatetimeIndex(df["interval_start"]), df["offered"].to_numpy(), 15)
    special = special_days(Y, grid.first_day).set_index("date")
    per_fold, cover, seconds, worst_days, floors, band, pieces = [], [], {}, {}, {}, {}, {}
    for week in range(FIRST_WEEK, LAST_WEEK + 1):
        monday = dt.date.fromisocalendar(2003, week, 1)
        train = df[local < pd.Timestamp(monday)]
        test = df[(iso["week"] == week).to_numpy()]
        actual = test["offered"].to_numpy(dtype=float)
        row = {"week": week}
        for label, model in specs:
            t0 = time.perf_counter()
            result = forecast_history(train, 7, start=monday, model=model, config=config)
            seconds.setdefault(label, []).append(time.perf_counter() - t0)
            fc = result.frame.set_index("interval_start").loc[test["interval_start"]]
            point = fc["offered"].to_numpy()
            row[label] = _wape(actual, point)
            inside = (actual >= fc["offered_lo"].to_numpy()) & (
                actual <= fc["offered_hi"].to_numpy()
            )
            cover.append({"week": week, "model": label, "coverage": inside.mean()})
            if label == "auto":
                choice = result.choices.iloc[0]
                lo, hi = fc["offered_lo"].to_numpy(), fc["offered_hi"].to_numpy()
                band[week] = _in_band_if_exact(point, lo, hi, choice["level_sd"], choice["kappa"])
                floors[week] = noise_floor(point)
                worst_days[week] = _worst_days(test, point, special)
                pieces[week] = (test["interval_start"].dt.date.to_numpy(), actual, point)
                row["auto chose"] = result.choices["model"].iloc[0].removeprefix("auto:")
        if peer:
            days = sorted(set(test["interval_start"].dt.tz_localize(None).dt.date))
            for label, (point, lo, hi, sec) in _peer(train, len(test), days, train_weeks).items():
                row[label] = _wape(actual, point)
                seconds.setdefault(label, []).append(sec)
                if lo is not None:
                    cover.append(
                        {
                            "week": week,
                            "model": label,
                            "coverage": ((actual >= lo) & (actual <= hi)).mean(),
                        }
                    )
        per_fold.append(row)
        print(f"    week {week}: auto {100 * row['auto']:.2f}%", flush=True)
    folds = pd.DataFrame(per_fold).set_index("week")
    _print_us_bank(folds, pd.DataFrame(cover), seconds, worst_days, floors, df, iso, specs, config)
    h2 = [w for w in band if w >= SPLIT_WEEK]
    print(
        f"  if auto's interval model were exact (a lognormal week level with its level_sd times "
        f"per-interval noise), the expected number of second-half folds in 75-85%: "
        f"{sum(band[w] for w in h2):.1f} of {len(h2)}"
    )
    _reachable(pieces, floors)


def _reachable(pieces: dict, floors: dict) -> None:
    """How far the second half's WAPE could fall if the week's, or each day's, total were known
    (auto's shape kept), and whether auto's week-total errors carry anything to learn from."""
    h2 = [w for w in pieces if w >= SPLIT_WEEK]
    err = {"auto": 0.0, "week total known": 0.0, "each day's total known": 0.0}
    total = 0.0
    for w in h2:
        day, a, f = pieces[w]
        sums = (
            pd.DataFrame({"day": day, "a": a, "f": f}).groupby("day")[["a", "f"]].transform("sum")
        )
        scale = (sums["a"] / sums["f"]).to_numpy()
        err["auto"] += np.abs(a - f).sum()
        err["week total known"] += np.abs(a - f * a.sum() / f.sum()).sum()
        err["each day's total known"] += np.abs(a - f * scale).sum()
        total += a.sum()
    weekly = np.array([pieces[w][1].sum() / pieces[w][2].sum() - 1 for w in sorted(pieces)])
    lag1 = np.corrcoef(weekly[1:], weekly[:-1])[0, 1]
    parts = ", ".join(f"{k} {100 * v / total:.2f}%" for k, v in err.items())
    floor = np.mean([floors[w] for w in h2])
    print(
        f"  what is left to gain, second half: {parts}; noise floor {100 * floor:.2f}%. "
        f"auto's week-total errors, all folds: sd {100 * weekly.std():.1f}%, lag-1 "
        f"autocorrelation {lag1:+.2f}"
    )


def _in_band_if_exact(point, lo, hi, level_sd, kappa, n_sims=400, seed=0) -> float:
    """The chance that a week drawn from the interval's own model (one lognormal level for the
    week, then gamma-Poisson noise per interval: :func:`forecasts.intervals.level_mixture`)
    has its 80% interval's coverage within 75-85%."""
    rng = np.random.default_rng(seed)
    s2 = level_sd**2
    kappa_w = max((1.0 + kappa) / np.exp(s2) - 1.0, 0.0)
    hits = 0
    for _ in range(n_sims):
        rate = point * np.exp(rng.normal(-s2 / 2, level_sd))
        if kappa_w > 0:
            rate = rate * rng.gamma(1.0 / kappa_w, kappa_w, point.size)
        y = rng.poisson(rate)
        hits += 0.75 <= ((y >= lo) & (y <= hi)).mean() <= 0.85
    return hits / n_sims


def _worst_days(test: pd.DataFrame, point: np.ndarray, special: pd.DataFrame) -> str:
    day = test["interval_start"].dt.tz_localize(None).dt.date.to_numpy()
    frame = pd.DataFrame({"day": day, "a": test["offered"].to_numpy(), "f": point})
    frame["abs"] = (frame["a"] - frame["f"]).abs()
    g = frame.groupby("day").agg(a=("a", "sum"), f=("f", "sum"), err=("abs", "sum"))
    g["share"] = g["err"] / g["err"].sum()
    parts = []
    for d, r in g.sort_values("err", ascending=False).head(2).iterrows():
        total = 100 * (r["f"] / r["a"] - 1)
        if d in EVENTS:
            why = EVENTS[d]
        elif d in special.index:
            why = special.loc[d, "kind"]
        elif d.day <= 4 or (d + dt.timedelta(days=1)).day == 1:
            why = "turn of the month"
        elif abs(total) > 5:
            why = "level"
        else:
            why = "intraday shape"
        parts.append(f"{d:%a %d %b} total {total:+.1f}% ({why})")
    return "; ".join(parts)


def _print_us_bank(folds, cover, seconds, worst_days, floors, df, iso, specs, config) -> None:
    labels = [label for label, _ in specs] + [c for c in folds.columns if c.startswith("sf ")]
    actual_by_week = df.groupby(iso["week"].to_numpy())["offered"].sum()
    halves = {
        "first half (weeks 18-27, tuned on)": folds.index < SPLIT_WEEK,
        "second half (weeks 28-43, reported)": folds.index >= SPLIT_WEEK,
    }
    print(
        "(1) US bank, 15 min, week-ahead rolling-origin backtest, every full week 18-43, "
        "each fold fitted on the history before its Monday"
    )
    for title, sel in halves.items():
        sub = folds[sel]
        weights = actual_by_week.loc[sub.index]
        best = sub[labels].idxmin(axis=1)
        print(f"  {title}: {len(sub)} folds")
        print(
            f"    {'model':<22} {'pooled':>7} {'median':>7} {'worst':>7} {'won':>4} {'s/fold':>7}"
        )
        for label in labels:
            # Pooled WAPE: the folds' absolute errors summed over their actuals summed.
            pooled = (sub[label] * weights).sum() / weights.sum()
            n_sec = np.mean(seconds[label]) if label in seconds else np.nan
            print(
                f"    {label:<22} {100 * pooled:6.2f}% {100 * sub[label].median():6.2f}% "
                f"{100 * sub[label].max():6.2f}% {int((best == label).sum()):4d} {n_sec:7.2f}"
            )
    floor = pd.Series(floors)
    print(
        f"  Poisson noise floor of auto's forecasts: {100 * floor.mean():.2f}% "
        f"(folds {100 * floor.min():.2f}-{100 * floor.max():.2f}%)"
    )
    print("  per fold (WAPE %; 80% interval coverage of auto; auto's two worst days):")
    cov = cover.pivot(index="week", columns="model", values="coverage")
    for week, row in folds.iterrows():
        peer = min((row[c] for c in folds.columns if c.startswith("sf ")), default=np.nan)
        print(
            f"    {week:2d} auto {100 * row['auto']:5.2f} ({row['auto chose']}) mean4 "
            f"{100 * row['mean of last 4']:5.2f} peer best {100 * peer:5.2f} cover "
            f"{100 * cov.loc[week, 'auto']:4.1f}%  {worst_days[week]}"
        )
    h2 = cov[cov.index >= SPLIT_WEEK]
    for label in [c for c in cov.columns if c in ("auto", "double_seasonal", "sf MSTL")]:
        c = h2[label]
        n_ok = int(((c >= 0.75) & (c <= 0.85)).sum())
        print(
            f"  80% interval coverage, {label}, second half: pooled {100 * c.mean():.1f}%, "
            f"folds {100 * c.min():.1f}-{100 * c.max():.1f}%, {n_ok} of {len(c)} in 75-85%"
        )
    names = ", ".join(str(h.date) for h in config.calendar.holidays)
    print(f"  closed weekdays given as [[calendar.holidays]] (factor 0): {names}")


def anonymous_bank() -> None:
    path = DATA / "anonymous_bank_feb1999" / "anonymous_bank_feb1999_30min.csv"
    if not path.is_file():
        print(f"(2) anonymous bank: skipped, {path} not found")
        return
    df = pd.read_csv(path, parse_dates=["interval_start"])
    df["interval_start"] = df["interval_start"].dt.tz_localize("Asia/Jerusalem")
    mean4 = WeeklyProfile(weeks=4, trim=0.0)
    cv = cross_validation(df, 7, 2, 7, models=["auto", "seasonal_naive", mean4])
    cv.loc[cv.index[cv["model"] == "weekly_profile"], "model"] = "mean4"
    calls = df.groupby("queue")["offered"].sum()
    coverage = _anonymous_coverage(df)
    print("(2) anonymous bank, 30 min, week-ahead backtest over the last 2 weeks")
    print(
        f"    {'queue':<6} {'calls':>7} {'auto':>7} {'s.naive':>8} {'mean4':>7} "
        f"{'floor':>7} {'auto daily':>11} {'s.naive daily':>14} {'80% cover':>10}"
    )
    for queue in calls.sort_values(ascending=False).index:
        q = cv[cv["queue"] == queue]
        cells = {}
        for model, g in q.groupby("model"):
            day = g["interval_start"].dt.tz_localize(None).dt.normalize()
            daily = g.groupby(day)[["offered", "forecast"]].sum()
            cells[model] = (
                _wape(g["offered"].to_numpy(), g["forecast"].to_numpy()),
                _wape(daily["offered"].to_numpy(), daily["forecast"].to_numpy()),
            )
        floor = noise_floor(q.loc[q["model"] == "auto", "forecast"].to_numpy())
        print(
            f"    {queue:<6} {int(calls[queue]):7d} {100 * cells['auto'][0]:6.1f}% "
            f"{100 * cells['seasonal_naive'][0]:7.1f}% {100 * cells['mean4'][0]:6.1f}% "
            f"{100 * floor:6.1f}% {100 * cells['auto'][1]:10.1f}% "
            f"{100 * cells['seasonal_naive'][1]:13.1f}% {coverage[queue]:>10}"
        )


def _anonymous_coverage(df: pd.DataFrame) -> dict[str, str]:
    """Per queue, the 80% interval's coverage of ``auto`` on each of the last two weeks (as
    ``wfm forecast --start``, on the history before each week), over the open intervals."""
    local = df["interval_start"].dt.tz_localize(None)
    last = local.max().normalize() + pd.Timedelta(days=1)
    out: dict[str, list[str]] = {}
    for k in (2, 1):
        start = last - pd.Timedelta(days=7 * k)
        train = df[local < start]
        test = df[(local >= start) & (local < start + pd.Timedelta(days=7))]
        fc = forecast_history(train, 7, start=start.date(), model="auto").frame
        m = test.merge(fc, on=["interval_start", "queue"], suffixes=("_act", ""))
        # Open intervals only: a closed night (forecast 0, no calls) is covered trivially.
        m = m[(m["offered"] > 0) | (m["offered_act"] > 0)]
        inside = (m["offered_act"] >= m["offered_lo"]) & (m["offered_act"] <= m["offered_hi"])
        for queue, share in inside.groupby(m["queue"]).mean().items():
            out.setdefault(str(queue), []).append(f"{100 * share:.0f}%")
    return {q: "/".join(v) for q, v in out.items()}


def speed(n_queues: int = 50, days: int = 364, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    axis = interval_axis("2025-01-06", days, "Europe/London", 15)
    local = axis.tz_localize(None)
    hour = np.asarray(local.hour + local.minute / 60.0)
    weekday = np.asarray(local.weekday)
    shape = np.where((hour >= 7) & (hour < 22), np.exp(-0.5 * ((hour - 12) / 3.5) ** 2), 0)
    week = np.array([1.25, 1.1, 1.0, 1.0, 0.95, 0.6, 0.35])[weekday]
    season = 1 + 0.15 * np.sin(2 * np.pi * np.arange(len(axis)) / (96 * 365))
    frames = []
    for q in range(n_queues):
        rate = rng.uniform(5, 80) * shape * week * season
        offered = rng.poisson(rate).astype(float)
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": axis,
                    "queue": f"q{q:02d}",
                    "channel": "voice",
                    "interval_minutes": 15,
                    "offered": offered,
                    "answered": offered,
                    "handle_time_total_sec": offered * 240.0,
                }
            )
        )
    history = pd.concat(frames, ignore_index=True)
    t0 = time.perf_counter()
    result = forecast_history(history, 28, model="auto")
    elapsed = time.perf_counter() - t0
    chosen = result.choices["model"].value_counts().to_dict()
    print(
        f"(3) speed: {n_queues} queues x {days} days of 15-min history ({len(history):,} rows), "
        f"28 days ahead with auto: {elapsed:.1f} s (target < 30 s); "
        f"{len(result.frame):,} forecast rows; chosen: {chosen}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-weeks", type=int, default=8, help="statsforecast's window")
    parser.add_argument("--skip-peer", action="store_true", help="leave statsforecast out")
    parser.add_argument("--skip-speed", action="store_true", help="leave the speed test out")
    args = parser.parse_args()
    us_bank(args.train_weeks, not args.skip_peer)
    anonymous_bank()
    if not args.skip_speed:
        speed()


if __name__ == "__main__":
    main()
