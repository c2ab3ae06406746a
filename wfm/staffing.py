r"""Staffing per channel: from a forecast frame and the configuration to the requirements frame.

:func:`requirements` turns ``interval_start, queue, channel, interval_minutes, offered, aht_sec``
into ``interval_start, queue, channel, interval_minutes, offered, aht_sec, workload_erl,
agents_net, agents_gross, expected_service_level, expected_asa_sec, occupancy``, one row per queue
and interval, sorted by queue and time.

Channels
--------
**Voice.** Erlang C per interval, or Erlang A (M/M/n+M) when the queue has ``patience_sec``:
``agents_net`` is the minimum whole number of agents meeting the queue's service level
(``service_level`` answered within ``threshold_sec``, over offered), its optional
``asa_target_sec`` and its ``max_occupancy`` (:func:`wfm.erlang.required_agents`).
``workload_erl`` is the offered traffic :math:`A = \text{offered} \cdot h / \Delta`.

**Chat.** An agent handles up to ``concurrency`` (:math:`c`) chats at once, and each chat takes
longer the more chats the agent runs in parallel. We use the simplest member of the family of
models in which the per-chat service rate falls with the number of concurrent chats (Luo and
Zhang 2013, "Staffing and control of instant messaging contact centers", *Operations Research*
61(2), 328-343; Tezcan and Zhang 2014, "Routing and staffing in customer service chat systems
with impatient customers", *Operations Research* 62(4), 943-956): handle time grows linearly,

.. math:: h_c = h_1 \, (1 + \delta (c - 1)),

where :math:`h_1` is the forecast ``aht_sec`` (the handle time of a chat handled alone) and
:math:`\delta` = :data:`CHAT_SLOWDOWN` (0.25: three chats at once take 1.5 times as long each,
so an agent's throughput is twice that of one chat at a time). Each agent is :math:`c` slots, each
slot an M/M server with mean service :math:`h_c`; every agent is assumed to run at its cap when
the queue is busy (the conservative end of those models, which let agents take fewer chats). The
slots needed follow from Erlang C/A with AHT :math:`h_c` and the queue's targets, and
``agents_net = ceil(slots / c)``; the expected measures are those of ``agents_net * c`` slots.
``workload_erl`` is in agent-Erlangs: :math:`\text{offered} \cdot h_c / (c \Delta)`.
:math:`\delta` is a constant here for now; a per-queue key ``chat_slowdown`` is proposed.

**Email and back office** (deferrable, ``deadline_hours`` :math:`D`). The work arriving in an
interval, :math:`\text{offered} \cdot h` agent-seconds, must be finished within :math:`D` hours of
the interval's start. It is spread evenly over the queue's **open** time in
:math:`[t_i, t_i + D)` (the interval's own open time included); ``workload_erl`` of an interval
is the work **arriving** in it over its length (:math:`\text{offered} \cdot h / \Delta`, in
agent-Erlangs), and ``agents_net`` is the spread work over the interval divided by the queue's
``max_occupancy`` (agents are productive at most that share of their time), fractional. Work whose
window has no open time (closed for longer than :math:`D`) goes to the next open interval (the
deadline cannot be kept); at the end of the forecast horizon the window is cut at the last
interval. ``expected_service_level`` and ``expected_asa_sec`` are NaN (no queueing model);
``occupancy`` is ``max_occupancy`` where agents are needed, NaN otherwise.

**Outbound** (``hours_per_day`` :math:`H` agent-hours of calling per day). On each local day the
queue is open, :math:`H` is spread evenly over that day's open intervals: ``agents_net =
workload_erl = H / \text{open hours of the day}``, fractional (the agent-hours are logged-in
calling time, so no occupancy cap applies). The scheduler moves this work into quiet periods;
the even spread is the reference profile. An outbound queue without forecast rows gets rows on
the forecast's time axis (offered 0, ``aht_sec`` 0). SL, ASA and occupancy are NaN.

Common rules
------------
* Opening hours (``open_from``, ``open_until``, ``open_days``, local clock): outside them a
  queue needs nobody. Deferrable work that arrives while closed is carried into its window's open
  time; live contacts offered while closed are not answered (the forecast should be zero there).
* Shrinkage: ``agents_gross = agents_net / (1 - shrinkage)``, kept fractional. Net voice and chat
  agents are whole numbers from the Erlang search; deferrable channels stay fractional. Nothing is
  rounded per queue, so queues can be added up before the integer program rounds.
* ``expected_service_level`` / ``expected_asa_sec`` / ``occupancy`` are NaN where nothing is
  offered or nothing is needed (no contacts: nothing to measure).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm import erlang
from wfm.config import Config, Queue
from wfm.errors import InputError
from wfm.schemas import REQUIREMENTS_FRAME_COLUMNS as REQUIREMENT_COLUMNS

__all__ = ["CHAT_SLOWDOWN", "REQUIREMENT_COLUMNS", "chat_handle_time_sec", "requirements"]

#: Linear growth of a chat's handle time per extra parallel chat (delta in the module notes).
CHAT_SLOWDOWN = 0.25


def chat_handle_time_sec(aht_sec, concurrency: int, slowdown: float = CHAT_SLOWDOWN):
    r"""Handle time of one chat when an agent runs ``concurrency`` chats at once:
    :math:`h_c = h_1 (1 + \delta (c - 1))` (see the module notes)."""
    return np.asarray(aht_sec, dtype=float) * (1.0 + slowdown * (concurrency - 1))


def _live(frame: pd.DataFrame, queue: Queue, is_open: np.ndarray) -> dict[str, np.ndarray]:
    """Voice and chat: Erlang C/A per interval."""
    offered = frame["offered"].to_numpy(dtype=float)
    aht = frame["aht_sec"].to_numpy(dtype=float)
    minutes = frame["interval_minutes"].to_numpy(dtype=float)
    busy = is_open & (offered > 0)
    concurrency = queue.concurrency if queue.channel == "chat" else 1
    size = len(frame)
    out = {
        "workload_erl": np.zeros(size),
        "agents_net": np.zeros(size),
        "expected_service_level": np.full(size, np.nan),
        "expected_asa_sec": np.full(size, np.nan),
        "occupancy": np.full(size, np.nan),
    }
    if not busy.any():
        return out
    h = aht[busy]
    if queue.channel == "chat":
        h = chat_handle_time_sec(h, concurrency)
    traffic = offered[busy] * h / (minutes[busy] * 60.0)
    kwargs = {
        "asa_target_sec": queue.asa_target_sec,
        "max_occupancy": queue.max_occupancy,
        "patience_sec": queue.patience_sec,
    }
    res = erlang.required_agents(traffic, h, queue.service_level, queue.threshold_sec, **kwargs)
    slots = np.asarray(res.agents, dtype=float)
    agents = np.ceil(slots / concurrency)
    sl, asa, occ = res.service_level, res.asa_sec, res.occupancy
    if concurrency > 1:
        # the measures of the whole agents' slots (>= the slots needed, so targets still hold)
        full = agents * concurrency
        if queue.patience_sec is None:
            sl = erlang.service_level(traffic, full, h, queue.threshold_sec)
            asa = erlang.asa_sec(traffic, full, h)
            occ = erlang.occupancy(traffic, full)
        else:
            a = erlang.erlang_a(traffic, full, h, queue.patience_sec, queue.threshold_sec)
            sl, asa, occ = a.service_level, a.asa_sec, a.occupancy
    out["workload_erl"][busy] = traffic / concurrency
    out["agents_net"][busy] = agents
    out["expected_service_level"][busy] = sl
    out["expected_asa_sec"][busy] = asa
    out["occupancy"][busy] = occ
    return out


def _deferrable(frame: pd.DataFrame, queue: Queue, is_open: np.ndarray) -> dict[str, np.ndarray]:
    """Email and back office: work spread over the open time of its deadline window."""
    offered = frame["offered"].to_numpy(dtype=float)
    aht = np.nan_to_num(frame["aht_sec"].to_numpy(dtype=float))
    seconds = frame["interval_minutes"].to_numpy(dtype=float) * 60.0
    work = np.where(offered > 0, offered * aht, 0.0)  # agent-seconds arriving
    starts = frame["interval_start"]
    t = starts.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("datetime64[ns]")
    t = t.astype(np.int64)
    size = len(frame)
    deadline_ns = round(float(queue.deadline_hours) * 3600e9)
    end = np.searchsorted(t, t + deadline_ns, side="left")  # first interval past the window
    open_sec = np.where(is_open, seconds, 0.0)
    cum = np.concatenate([[0.0], np.cumsum(open_sec)])
    window_open = cum[end] - cum[np.arange(size)]
    rate = np.zeros(size + 1)  # agents (work per second) added over each window: difference array
    spread = np.zeros(size)
    has_window = window_open > 0
    todo = (work > 0) & has_window
    r = np.zeros(size)
    r[todo] = work[todo] / window_open[todo]
    np.add.at(rate, np.flatnonzero(todo), r[todo])
    np.add.at(rate, end[todo], -r[todo])
    spread += np.cumsum(rate[:size]) * is_open
    stranded = np.flatnonzero((work > 0) & ~has_window)
    if stranded.size:
        open_idx = np.flatnonzero(is_open)
        if not open_idx.size:
            raise InputError(
                f"queue {queue.name!r} has work but is never open in the forecast",
                column="open_days",
            )
        pos = np.searchsorted(open_idx, end[stranded], side="left")
        pos = np.minimum(pos, open_idx.size - 1)  # past the horizon: the last open interval
        target = open_idx[pos]
        np.add.at(spread, target, work[stranded] / seconds[target])
    agents = spread / queue.max_occupancy
    needed = agents > 0
    return {
        "workload_erl": work / seconds,
        "agents_net": agents,
        "expected_service_level": np.full(size, np.nan),
        "expected_asa_sec": np.full(size, np.nan),
        "occupancy": np.where(needed, queue.max_occupancy, np.nan),
    }


def _outbound(frame: pd.DataFrame, queue: Queue, is_open: np.ndarray) -> dict[str, np.ndarray]:
    """Outbound: hours_per_day spread over each local day's open intervals."""
    hours = frame["interval_minutes"].to_numpy(dtype=float) / 60.0
    day = frame["interval_start"].dt.date.to_numpy()
    open_hours = pd.Series(np.where(is_open, hours, 0.0)).groupby(day).transform("sum")
    open_hours = open_hours.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        agents = np.where(is_open & (open_hours > 0), float(queue.hours_per_day) / open_hours, 0.0)
    size = len(frame)
    return {
        "workload_erl": agents,
        "agents_net": agents,
        "expected_service_level": np.full(size, np.nan),
        "expected_asa_sec": np.full(size, np.nan),
        "occupancy": np.full(size, np.nan),
    }


def _prepare(forecast: pd.DataFrame, config: Config) -> pd.DataFrame:
    needed = ("interval_start", "queue", "offered")
    missing = [c for c in needed if c not in forecast.columns]
    if missing:
        raise InputError(f"the forecast lacks column {missing[0]!r}", column=missing[0])
    frame = forecast.copy()
    frame["queue"] = frame["queue"].astype(str)
    starts = pd.to_datetime(frame["interval_start"])
    if starts.dt.tz is None:
        starts = starts.dt.tz_localize(config.site.timezone)
    frame["interval_start"] = starts.dt.tz_convert(config.site.timezone)
    if "interval_minutes" not in frame.columns:
        frame["interval_minutes"] = float(config.site.interval_minutes)
    frame["interval_minutes"] = frame["interval_minutes"].fillna(config.site.interval_minutes)
    if "aht_sec" not in frame.columns:
        frame["aht_sec"] = np.nan
    unknown = sorted(set(frame["queue"]) - set(config.queue_names))
    if unknown:
        raise InputError(
            f"queue {unknown[0]!r} of the forecast is not in the configuration", column="queue"
        )
    frame["channel"] = frame["queue"].map({q.name: q.channel for q in config.queues})
    offered = pd.to_numeric(frame["offered"], errors="coerce")
    aht = pd.to_numeric(frame["aht_sec"], errors="coerce")
    bad = offered.isna() | (offered < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError("offered must be a number >= 0", row=row, column="offered")
    live = frame["channel"].isin(["voice", "chat", "email", "backoffice"]).to_numpy()
    bad = live & (offered > 0).to_numpy() & ~(aht > 0).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 2
        raise InputError(
            "aht_sec must be > 0 where contacts are offered", row=row, column="aht_sec"
        )
    frame["offered"] = offered.astype(float)
    frame["aht_sec"] = aht.astype(float)
    # Outbound queues without forecast rows: rows on the forecast's axis.
    extra = []
    axis = frame[["interval_start", "interval_minutes"]].drop_duplicates("interval_start")
    for queue in config.queues:
        if queue.channel == "outbound" and not (frame["queue"] == queue.name).any():
            rows = axis.copy()
            rows["queue"] = queue.name
            rows["channel"] = "outbound"
            rows["offered"] = 0.0
            rows["aht_sec"] = np.nan
            extra.append(rows)
    if extra:
        frame = pd.concat([frame, *extra], ignore_index=True)
    dupes = frame.duplicated(["queue", "interval_start"])
    if dupes.any():
        row = int(np.flatnonzero(dupes.to_numpy())[0]) + 2
        raise InputError("duplicate interval for a queue", row=row, column="interval_start")
    return frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)


def requirements(forecast: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Required agents per queue and interval (see the module notes for each channel).

    Parameters
    ----------
    forecast
        Forecast frame: ``interval_start`` (timezone-aware, or local to ``site.timezone``),
        ``queue``, ``offered``, ``aht_sec`` and optionally ``channel`` (taken from the
        configuration) and ``interval_minutes`` (default ``site.interval_minutes``).
    config
        The configuration; every queue of the forecast must be in it.

    Returns
    -------
    pandas.DataFrame
        :data:`REQUIREMENT_COLUMNS`, one row per queue and interval, sorted by queue and time.
    """
    frame = _prepare(forecast, config)
    parts = []
    for name, rows in frame.groupby("queue", sort=True):
        queue = config.queue(str(name))
        rows = rows.reset_index(drop=True)
        is_open = queue.open_at(rows["interval_start"])
        if queue.channel in ("voice", "chat"):
            values = _live(rows, queue, is_open)
        elif queue.channel in ("email", "backoffice"):
            values = _deferrable(rows, queue, is_open)
        else:
            values = _outbound(rows, queue, is_open)
        out = rows[["interval_start", "queue", "channel", "interval_minutes", "offered", "aht_sec"]]
        out = out.assign(**values)
        out["agents_gross"] = out["agents_net"] / (1.0 - queue.shrinkage)
        parts.append(out)
    if not parts:
        return pd.DataFrame({c: [] for c in REQUIREMENT_COLUMNS})
    result = pd.concat(parts, ignore_index=True)
    # No contacts, no handle time to report: 0 rather than empty (outbound, closed intervals).
    result["aht_sec"] = result["aht_sec"].mask(
        result["aht_sec"].isna() & (result["offered"] == 0), 0.0
    )
    return result[list(REQUIREMENT_COLUMNS)]
