"""The demo's interval history: arrivals, handle times and outcomes, simulated per queue."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasts.calendar import open_mask
from wfm.config import Queue
from wfm.demo.centre import HOLIDAY, HOLIDAY_FACTOR, INTERVAL_MINUTES, DemoSize
from wfm.erlang import erlang_a

__all__ = ["QUEUE_TRAFFIC", "simulate_queue"]

#: Per queue: channel, peak arrivals per 15 min on an average weekday (DEFAULT scale), base AHT
#: (s), weekly profile Mon..Sun, intraday peaks (hour, weight, width h). Opening hours are the
#: configured queue's (``wfm.toml``).
QUEUE_TRAFFIC = {
    "service": {
        "channel": "voice",
        "peak": 56.0,
        "aht_sec": 330.0,
        "week": (1.25, 1.08, 1.0, 0.97, 0.93, 0.55, 0.35),
        "peaks": ((10.25, 1.0, 1.3), (14.5, 0.8, 1.5), (18.5, 0.35, 1.2)),
        "patience_sec": 180.0,
        "threshold_sec": 20.0,
    },
    "sales": {
        "channel": "voice",
        "peak": 15.0,
        "aht_sec": 450.0,
        "week": (1.1, 1.05, 1.0, 1.0, 1.0, 0.7, 0.0),
        "peaks": ((11.0, 0.9, 1.5), (15.0, 1.0, 1.6), (18.0, 0.45, 1.0)),
        "patience_sec": 120.0,
        "threshold_sec": 30.0,
    },
    "chat": {
        "channel": "chat",
        "peak": 11.0,
        "aht_sec": 900.0,
        "week": (1.15, 1.05, 1.0, 1.0, 0.95, 0.8, 0.7),
        "peaks": ((11.0, 0.9, 1.8), (15.0, 0.8, 1.8), (20.0, 0.75, 1.5)),
        "patience_sec": 600.0,  # only for the simulation; staffing uses concurrency
        "threshold_sec": 60.0,
        "concurrency": 2,
    },
    "email": {
        "channel": "email",
        "peak": 6.5,
        "aht_sec": 480.0,
        "week": (1.3, 1.1, 1.0, 1.0, 0.95, 0.5, 0.45),
        "peaks": ((10.0, 1.0, 2.0), (14.5, 0.9, 2.0), (19.5, 0.5, 2.0)),
        "deadline_hours": 24.0,
    },
}
_BACKLOG_AT_OPEN = 4.0  # email: the overnight backlog released at 07:00, in peak intervals


def _clock_hours(axis: pd.DatetimeIndex) -> np.ndarray:
    return axis.hour.to_numpy() + axis.minute.to_numpy() / 60.0


def _intraday(hours: np.ndarray, spec: dict) -> np.ndarray:
    """Sum of bumps (morning peak, afternoon, evening tail) over a small base; peak = 1."""
    curve = np.full_like(hours, 0.12)
    for centre, weight, width in spec["peaks"]:
        curve = curve + weight * np.exp(-0.5 * ((hours + 0.125 - centre) / width) ** 2)
    grid = np.arange(0, 24, 0.25)
    top = 0.12 + sum(w * np.exp(-0.5 * ((grid + 0.125 - c) / s) ** 2) for c, w, s in spec["peaks"])
    return curve / top.max()


def _aht_factor(hours: np.ndarray) -> np.ndarray:
    """Longer handle times early (fewer experienced staff, complex calls) and late (tired)."""
    return (
        1.0
        + 0.10 * np.exp(-0.5 * ((hours - 8.0) / 1.2) ** 2)
        + 0.08 * np.clip((hours - 17.0) / 4.0, 0, 1)
        - 0.04 * np.exp(-0.5 * ((hours - 13.0) / 1.5) ** 2)
    )


def simulate_queue(
    queue: Queue,
    axis: pd.DatetimeIndex,
    size: DemoSize,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The interval history of ``queue`` over ``axis`` (the history frame's columns).

    Arrivals are Poisson around the expected volume (:data:`QUEUE_TRAFFIC`) while the queue is
    open; live queues are staffed by square-root staffing and served as Erlang A, email is worked
    to its deadline.
    """
    name, spec = queue.name, QUEUE_TRAFFIC[queue.name]
    interval_sec = INTERVAL_MINUTES * 60
    hours = _clock_hours(axis)
    local_days = axis.normalize().tz_localize(None)
    unique_days = local_days.unique()
    day_index = unique_days.get_indexer(local_days)
    weekday = axis.dayofweek.to_numpy()
    week_no = np.floor(day_index / 7.0)
    is_open = open_mask(axis, queue)

    day_noise = rng.lognormal(0.0, 0.06, size=len(unique_days))[day_index]
    holiday = np.where(local_days.date == HOLIDAY, HOLIDAY_FACTOR, 1.0)
    trend = 1.0 + 0.004 * week_no
    weekly = np.asarray(spec["week"])[weekday]
    expected = (
        spec["peak"]
        * size.volume_scale
        * weekly
        * _intraday(hours, spec)
        * trend
        * day_noise
        * holiday
        * is_open
    )
    if spec["channel"] == "email":
        first = is_open & ~np.r_[False, is_open[:-1]]
        expected = expected + first * _BACKLOG_AT_OPEN * spec["peak"] * size.volume_scale * weekly
    offered = rng.poisson(expected).astype(float)

    aht_mean = spec["aht_sec"] * _aht_factor(hours) * rng.lognormal(0.0, 0.04, len(axis))
    out = {
        "interval_start": axis,
        "queue": name,
        "channel": spec["channel"],
        "interval_minutes": INTERVAL_MINUTES,
        "offered": offered,
    }
    if spec["channel"] == "email":
        answered = offered.copy()
        abandoned = np.zeros_like(offered)
        within = rng.binomial(answered.astype(int), rng.uniform(0.96, 1.0, len(axis)))
        workload = expected * aht_mean / interval_sec
        staffed = np.where(is_open, np.round(workload / 0.85 + rng.normal(0, 0.5, len(axis))), 0)
        staffed = np.maximum(staffed, np.where(is_open, 1.0, 0.0))
        wait = np.full(len(axis), np.nan)  # email has no queue wait to report
    else:
        concurrency = spec.get("concurrency", 1)
        traffic = expected * aht_mean / interval_sec  # Erlangs, from the expected volume
        beta = np.clip(rng.normal(0.9, 0.45, len(axis)), -0.3, 2.2)
        sessions = np.ceil(traffic + beta * np.sqrt(traffic))
        agents = np.ceil(np.maximum(sessions, 1.0) / concurrency)
        agents = np.where(is_open, np.maximum(agents, 1.0), 0.0)
        realised = offered * aht_mean / interval_sec
        result = erlang_a(
            realised,
            agents * concurrency,
            aht_mean,
            spec["patience_sec"],
            spec["threshold_sec"],
        )
        p_ab = np.nan_to_num(np.asarray(result.p_abandon, dtype=float), nan=1.0)
        sl_ans = np.nan_to_num(np.asarray(result.service_level_of_answered, dtype=float), nan=0)
        abandoned = rng.binomial(offered.astype(int), np.clip(p_ab, 0, 1)).astype(float)
        answered = offered - abandoned
        within = rng.binomial(answered.astype(int), np.clip(sl_ans, 0, 1))
        # total wait of the answered contacts: the expected ASA with +/-20% noise
        asa = np.nan_to_num(np.asarray(result.asa_sec, dtype=float), nan=0.0, posinf=0.0)
        wait = np.round(answered * asa * rng.uniform(0.8, 1.2, len(axis)))
        staffed = agents
    # Sum of `answered` handle times: Gamma with the mean AHT and a coefficient of variation of
    # 0.8 per contact (so the interval's AHT is noisier when few are answered).
    cv2 = 0.8**2
    shape = np.maximum(answered, 1) / cv2
    total = np.where(answered > 0, rng.gamma(shape, aht_mean * cv2), 0.0)
    # at least a second for any answered contact (a rounded-down Gamma draw at tiny volumes)
    total = np.where(answered > 0, np.maximum(np.round(total), 1.0), 0.0)
    out.update(
        answered=answered.astype(float),
        abandoned=abandoned.astype(float),
        answered_within_threshold=np.asarray(within, dtype=float),
        handle_time_total_sec=total,
        aht_sec=np.where(answered > 0, total / np.maximum(answered, 1), np.nan),
        staffed_agents=np.asarray(staffed, dtype=float),
        abandoned_within_threshold=np.full(len(axis), np.nan),
        wait_time_answered_total_sec=wait,
    )
    return pd.DataFrame(out)
