"""Benchmark: ``wfm.erlang.required_agents`` at scale, and against pyworkforce side by side.

(a) One year of 15-minute intervals for 100 queues (3,504,000 intervals), traffic 0 to 2,000
    Erlangs, AHT 2-10 minutes, 80/20 to 90/15 targets and 85-95 % occupancy caps.
(b) The same 10,000 intervals through ``pyworkforce.queuing.ErlangC(...).required_positions``
    (one object per interval, minutes as it expects) and through ``wfm``; both times, the ratio
    and the agreement of the answers.

Run: ``.venv/bin/python benchmarks/bench_erlang.py``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import platform
import time

import numpy as np

from wfm.erlang import required_agents

QUEUES = 100
INTERVALS_PER_YEAR = 365 * 96
SEED = 2026


def year_of_intervals(rng: np.random.Generator):
    """Traffic with an intraday shape per queue, peaks spread over 0..2,000 Erlangs."""
    peaks = rng.uniform(0.0, 2000.0, QUEUES)
    slot = np.arange(INTERVALS_PER_YEAR) % 96
    shape = np.clip(np.sin(np.pi * (slot - 28) / 60), 0.0, None) ** 1.5  # 07:00-22:00
    noise = rng.gamma(50.0, 1 / 50.0, (QUEUES, INTERVALS_PER_YEAR))
    traffic = np.minimum(peaks[:, None] * shape[None, :] * noise, 2000.0)
    aht = rng.uniform(120.0, 600.0, QUEUES)[:, None]
    target = rng.choice([0.8, 0.85, 0.9], QUEUES)[:, None]
    threshold = rng.choice([15.0, 20.0, 30.0], QUEUES)[:, None]
    occupancy = rng.choice([0.85, 0.9, 0.95], QUEUES)[:, None]
    return traffic, aht, target, threshold, occupancy


def main() -> None:
    rng = np.random.default_rng(SEED)
    print(f"python {platform.python_version()}, numpy {np.__version__}, cpus {os.cpu_count()}")

    traffic, aht, target, threshold, occupancy = year_of_intervals(rng)
    n = traffic.size
    required_agents(traffic[:1, :1000], aht[:1], target[:1], threshold[:1], max_occupancy=0.9)
    start = time.perf_counter()
    res = required_agents(traffic, aht, target, threshold, max_occupancy=occupancy)
    wall = time.perf_counter() - start
    print(
        f"(a) required_agents: {n:,} intervals ({QUEUES} queues x {INTERVALS_PER_YEAR:,}), "
        f"traffic {traffic.min():.0f}..{traffic.max():.0f} Erlangs: {wall:.2f} s "
        f"({wall / n * 1e9:.0f} ns per interval); agents {res.agents.min()}..{res.agents.max()}, "
        f"zero-traffic intervals {int((traffic == 0).sum()):,}"
    )
    flat = rng.uniform(0.0, 2000.0, traffic.shape)  # worst case: every interval live
    start = time.perf_counter()
    res = required_agents(flat, aht, target, threshold, max_occupancy=occupancy)
    wall = time.perf_counter() - start
    print(
        f"    uniform 0..2,000 Erlangs in every interval: {wall:.2f} s "
        f"({wall / n * 1e9:.0f} ns per interval)"
    )

    # (b) side by side on the same 10,000 intervals
    from pyworkforce.queuing import ErlangC

    m = 10_000
    live = np.flatnonzero(traffic.ravel() > 0)  # pyworkforce rejects zero transactions
    pick = rng.choice(live, m, replace=False)
    q = pick // INTERVALS_PER_YEAR
    tr = traffic.ravel()[pick]
    aht_min = aht[q, 0] / 60.0
    interval_min = 15.0
    transactions = tr * interval_min / aht_min
    thr_min = threshold[q, 0] / 60.0
    tgt, occ = target[q, 0], occupancy[q, 0]

    start = time.perf_counter()
    theirs = np.array(
        [
            ErlangC(transactions=t, aht=h, asa=s, interval=interval_min).required_positions(
                service_level=g, max_occupancy=o
            )["raw_positions"]
            for t, h, s, g, o in zip(transactions, aht_min, thr_min, tgt, occ, strict=True)
        ]
    )
    t_pyworkforce = time.perf_counter() - start

    intensity = (transactions / interval_min) * aht_min  # pyworkforce's own traffic figure
    start = time.perf_counter()
    ours = required_agents(intensity, aht_min * 60, tgt, thr_min * 60, max_occupancy=occ).agents
    t_wfm = time.perf_counter() - start
    same = int((ours == theirs).sum())
    one_more = int((theirs == ours + 1).sum())
    print(
        f"(b) {pick.size:,} intervals: pyworkforce {t_pyworkforce:.2f} s, "
        f"wfm {t_wfm * 1e3:.1f} ms, ratio {t_pyworkforce / t_wfm:,.0f}x; identical answers "
        f"{same:,}, pyworkforce one agent more {one_more}, other {pick.size - same - one_more}"
    )


if __name__ == "__main__":
    main()
