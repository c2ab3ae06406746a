"""Anonymous Bank (Technion SEE, February 1999): actual service against Erlang C and Erlang A.

Actual service level (answered within 20 s / offered), ASA and abandonment per day come from the
15-minute interval file (read with the project's actuals reader, KPIs from :mod:`wfm.kpis`). The
staffed agents of each 15-minute interval are estimated from the raw call records as the number of
distinct agents (``server``) serving at least one call that overlaps the interval: a lower bound
(an idle agent serves no call). The whole centre is treated as one pooled queue per interval
(agents serve several service types).

Erlang A patience: the maximum-likelihood estimate of an exponential patience with censoring,
``theta = abandoned / total time in queue`` (every queued call contributes its waiting time,
answered calls as censored observations), as in Brown et al. (2005), section 5; mean patience
``1 / theta``, one value for the month.

Run: ``.venv/bin/python benchmarks/bench_anonymous_bank_service.py [DATA_DIR]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from wfm import erlang
from wfm.io.tables import read_actuals
from wfm.kpis import kpi_table

TZ = "Asia/Jerusalem"
MINUTES = 15
THRESHOLD_SEC = 20.0
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "anonymous_bank_feb1999"


def _clock_sec(values: pd.Series) -> np.ndarray:
    parts = values.str.split(":", expand=True).astype(int)
    return (parts[0] * 3600 + parts[1] * 60 + parts[2]).to_numpy()


def read_records(path: Path) -> pd.DataFrame:
    """The raw call records (tab-separated, Latin-1), with service start/end seconds of day."""
    raw = pd.read_csv(path, sep="\t", encoding="latin-1", dtype=str)
    raw.columns = [c.strip() for c in raw.columns]
    raw = raw.apply(lambda s: s.str.strip())
    raw["day"] = pd.to_datetime(raw["date"], format="%y%m%d")
    raw["ser_start_sec"] = _clock_sec(raw["ser_start"])
    raw["ser_exit_sec"] = _clock_sec(raw["ser_exit"])
    raw["q_time"] = raw["q_time"].astype(float)
    return raw


def servers_per_interval(records: pd.DataFrame) -> pd.Series:
    """Distinct agents serving in each 15-minute interval (index: local interval start)."""
    served = records[(records["outcome"] == "AGENT") & (records["server"] != "NO_SERVER")]
    start = served["ser_start_sec"].to_numpy()
    end = np.maximum(served["ser_exit_sec"].to_numpy(), start + 1)  # zero-length: its instant
    step = MINUTES * 60
    first, last = start // step, (end - 1) // step
    counts = last - first + 1
    rep = np.repeat(np.arange(len(served)), counts)
    k = first[rep] + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    pairs = pd.DataFrame(
        {
            "interval_start": served["day"].to_numpy()[rep] + pd.to_timedelta(k * step, unit="s"),
            "server": served["server"].to_numpy()[rep],
        }
    )
    out = pairs.drop_duplicates().groupby("interval_start")["server"].size()
    out.index = out.index.tz_localize(TZ)
    return out.rename("agents")


def main(data_dir: Path) -> None:
    t0 = time.perf_counter()
    actuals = read_actuals(
        data_dir / "anonymous_bank_feb1999_15min.csv", timezone=TZ, zero_aht="missing"
    ).frame
    extra = pd.read_csv(data_dir / "anonymous_bank_feb1999_15min.csv")
    extra["interval_start"] = pd.to_datetime(extra["interval_start"]).dt.tz_localize(TZ)
    extra["wait_time_answered_total_sec"] = (
        extra["mean_wait_answered_sec"].fillna(0) * extra["answered"]
    )
    extra["wait_time_abandoned_total_sec"] = (
        extra["mean_wait_abandoned_sec"].fillna(0) * extra["abandoned"]
    )
    frame = actuals.merge(
        extra[
            [
                "interval_start",
                "queue",
                "wait_time_answered_total_sec",
                "wait_time_abandoned_total_sec",
            ]
        ],
        on=["interval_start", "queue"],
        how="left",
    )
    records = read_records(data_dir / "anonymous_bank_february_1999_raw.txt")
    servers = servers_per_interval(records)

    # pool the six service types per interval
    sums = frame.groupby("interval_start")[
        [
            "offered",
            "answered",
            "abandoned",
            "answered_within_threshold",
            "handle_time_total_sec",
            "wait_time_answered_total_sec",
            "wait_time_abandoned_total_sec",
        ]
    ].sum()
    sums["agents"] = servers.reindex(sums.index).fillna(0.0)
    patience_sec = float(
        (sums["wait_time_answered_total_sec"].sum() + sums["wait_time_abandoned_total_sec"].sum())
        / sums["abandoned"].sum()
    )
    live = sums[(sums["offered"] > 0) & (sums["answered"] > 0)].copy()
    aht = live["handle_time_total_sec"] / live["answered"]
    traffic = live["offered"] * aht / (MINUTES * 60)
    n = live["agents"].to_numpy()
    sl_c = erlang.service_level(traffic.to_numpy(), n, aht.to_numpy(), THRESHOLD_SEC)
    asa_c = erlang.asa_sec(traffic.to_numpy(), n, aht.to_numpy())
    res_a = erlang.erlang_a(traffic.to_numpy(), n, aht.to_numpy(), patience_sec, THRESHOLD_SEC)
    live["c_within"] = sl_c * live["offered"]
    live["a_within"] = res_a.service_level * live["offered"]
    live["a_abandoned"] = res_a.p_abandon * live["offered"]
    live["a_wait"] = np.nan_to_num(res_a.asa_sec) * live["offered"] * (1 - res_a.p_abandon)
    live["a_answered"] = live["offered"] * (1 - res_a.p_abandon)
    stable = np.isfinite(asa_c)
    live["c_wait"] = np.where(stable, asa_c, 0.0) * live["offered"]
    live["c_stable_offered"] = np.where(stable, live["offered"], 0.0)
    live["unstable"] = (~stable).astype(float)

    kpi = kpi_table(frame, "day").set_index("day")
    local = live.index.tz_localize(None).normalize().date
    model = live.groupby(local)[
        [
            "offered",
            "c_within",
            "a_within",
            "a_abandoned",
            "a_wait",
            "a_answered",
            "c_wait",
            "c_stable_offered",
            "unstable",
        ]
    ].sum()
    model["agents_mean"] = live.groupby(local)["agents"].mean()
    table = pd.DataFrame(
        {
            "offered": kpi["offered"],
            "agents": model["agents_mean"],
            "sl_act": kpi["service_level"],
            "sl_C": model["c_within"] / model["offered"],
            "sl_A": model["a_within"] / model["offered"],
            "asa_act": kpi["asa_sec"],
            "asa_C": model["c_wait"] / model["c_stable_offered"],
            "asa_A": model["a_wait"] / model["a_answered"],
            "aband_act": kpi["abandonment_rate"],
            "aband_A": model["a_abandoned"] / model["offered"],
            "unst_C": model["unstable"],
        }
    )
    pd.set_option("display.width", 160)
    print("Anonymous Bank, February 1999: actual vs Erlang C / Erlang A, per day")
    print(
        f"(pooled queues; agents = distinct servers per 15 min, mean over intervals with calls; "
        f"patience {patience_sec:.0f} s = total queue time / abandoned; unst_C = intervals with "
        f"agents <= traffic, where Erlang C has SL 0 and infinite ASA, left out of asa_C)"
    )
    print(table.round(3).to_string())
    total = kpi_table(frame, "total").iloc[0]
    tot = model.sum()
    print()
    print(
        f"month: offered {total['offered']:.0f}, answered {total['answered']:.0f}, abandoned "
        f"{total['abandoned']:.0f}"
    )
    print(
        f"service level (20 s, of offered): actual {total['service_level']:.3f}, "
        f"Erlang C {tot['c_within'] / tot['offered']:.3f}, "
        f"Erlang A {tot['a_within'] / tot['offered']:.3f}"
    )
    print(
        f"ASA: actual {total['asa_sec']:.1f} s, "
        f"Erlang C {tot['c_wait'] / tot['c_stable_offered']:.1f} s "
        f"(stable intervals), Erlang A {tot['a_wait'] / tot['a_answered']:.1f} s"
    )
    print(
        f"abandonment: actual {total['abandonment_rate']:.3f}, Erlang A "
        f"{tot['a_abandoned'] / tot['offered']:.3f} (Erlang C assumes none)"
    )
    print(
        f"Erlang C unstable (agents <= traffic) in {int(tot['unstable'])} of {len(live)} "
        f"intervals with calls; mean patience {patience_sec:.1f} s"
    )
    print(f"run time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR)
