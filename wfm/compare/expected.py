"""Expected service (service level, ASA, abandonment) from the Erlang models, for fractional
(time-weighted) agents: linear between the two neighbouring whole numbers of agents."""

from __future__ import annotations

import numpy as np

from wfm.config import Queue

__all__ = ["expected_service"]


def _erlang_whole(
    traffic_erl: np.ndarray,
    agents: np.ndarray,
    aht_sec: np.ndarray,
    threshold_sec: float,
    patience_sec: float | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(service level, ASA seconds, abandonment probability) for whole numbers of agents."""
    from wfm import erlang

    if patience_sec is None:
        sl = erlang.service_level(traffic_erl, agents, aht_sec, threshold_sec)
        asa = erlang.asa_sec(traffic_erl, agents, aht_sec)
        return np.asarray(sl, float), np.asarray(asa, float), np.full(np.shape(sl), np.nan)
    res = erlang.erlang_a(traffic_erl, agents, aht_sec, patience_sec, threshold_sec)
    return (
        np.asarray(res.service_level, float),
        np.asarray(res.asa_sec, float),
        np.asarray(res.p_abandon, float),
    )


def expected_service(
    queue: Queue,
    offered,
    aht_sec,
    agents,
    interval_minutes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected service level, ASA (s) and abandonment rate for fractional agents.

    Erlang C (or Erlang A with the queue's ``patience_sec``) at the two neighbouring whole
    numbers of agents, interpolated linearly. Chat: ``agents * concurrency`` servers. Zero
    offered: NaN (nothing to serve). Deferrable channels: NaN.

    Parameters
    ----------
    queue
        The configured queue (model, threshold, patience, concurrency).
    offered, aht_sec, agents
        Arrays per interval (net agents: those on contacts).
    interval_minutes
        Interval length; traffic ``A = offered * aht_sec / (interval_minutes * 60)`` Erlangs.
    """
    offered = np.asarray(offered, dtype=float)
    aht = np.asarray(aht_sec, dtype=float)
    n = np.asarray(agents, dtype=float) * (queue.concurrency if queue.channel == "chat" else 1)
    shape = np.broadcast(offered, aht, n).shape
    nan = np.full(shape, np.nan)
    if queue.deferrable:
        return nan, nan.copy(), nan.copy()
    offered, aht, n = np.broadcast_arrays(offered, aht, n)
    ok = (offered > 0) & (aht > 0) & np.isfinite(n) & (n >= 0)
    sl, asa, ab = nan.copy(), nan.copy(), nan.copy()
    if not ok.any():
        return sl, asa, ab
    traffic = offered[ok] * aht[ok] / (interval_minutes * 60.0)
    lo = np.floor(n[ok] + 1e-9)
    w = np.clip(n[ok] - lo, 0.0, 1.0)
    vals_lo = _erlang_whole(traffic, lo, aht[ok], queue.threshold_sec, queue.patience_sec)
    vals_hi = _erlang_whole(traffic, lo + 1, aht[ok], queue.threshold_sec, queue.patience_sec)
    outs = []
    for a, b in zip(vals_lo, vals_hi, strict=True):
        # an unstable queue (ASA infinite) at the lower count is infinite unless w == 1
        with np.errstate(invalid="ignore"):
            mixed = np.where(w > 0, (1 - w) * a + w * b, a)
        mixed = np.where(w >= 1, b, mixed)
        outs.append(mixed)
    sl[ok], asa[ok], ab[ok] = outs
    return sl, asa, ab
