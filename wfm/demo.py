"""The built-in demo contact centre: a seeded, deterministic, multichannel UK centre.

Pure: :func:`build_demo` returns the configuration text and the frames in memory; writing them
to a folder is :func:`wfm.io.demo.write_demo` (``wfm demo --out DIR``).

The centre (size :data:`DEFAULT`)
---------------------------------
- Site "Demo Contact Centre", Europe/London, 15-minute intervals, no night shift.
- Queues: ``service`` (voice, 80/20, Erlang A patience 180 s, 08:00-20:00 every day),
  ``sales`` (voice, 80/30, patience 120 s, 09:00-19:00 Mon-Sat), ``chat`` (concurrency 2,
  80/60, 08:00-22:00 every day), ``email`` (24-hour deadline, arrivals 07:00-22:00 with the
  overnight backlog released at 07:00) and ``outbound`` (30 agent-hours a day, 10:00-20:00
  Mon-Fri; workload only, so it has no rows in the history).
- History: 12 weeks, Mon 2026-08-31 (the Summer bank holiday, 35% of normal volume) to Sun
  2026-11-22, crossing the 2026-10-25 clock change (a 100-interval day). Then the planning week
  Mon 2026-11-23 to Sun 2026-11-29, whose ``actuals`` are what "really happened".
- Volume: expected arrivals per interval are a weekly profile (Monday highest, weekend low)
  times an intraday curve (morning peak, lunch dip, afternoon shoulder, evening tail) times a
  mild growth trend (0.4% a week) times a day-level random factor (log-normal, 6%); the count
  is Poisson around it. AHT is longer early and late in the day and varies at random.
- Outcomes: agents staffed per interval follow square-root staffing
  :math:`n = \\lceil A + \\beta\\sqrt{A} \\rceil` with :math:`\\beta` drawn around 0.9 (so
  service levels scatter around target, some intervals fail). Abandonment, service level and
  the answered count come from Erlang A (M/M/n+M, :func:`wfm.erlang.erlang_a`) with binomial
  sampling; chat is served as :math:`n \\times` concurrency parallel sessions; email is
  worked to its deadline (answered within threshold = within the deadline, 96-100%).
- Agents: 120 (specialists, voice+outbound blended, multi-skilled and universal ``*``), sized
  to the planning week: three quarters full-time (37.5 or 40 h contracts rostered 32.5-42.5 h),
  a quarter part-time (16-30 h); minimum hours add up to about 0.86x and maximum hours to about
  1.12x the paid hours of the pooled shift plan. Some have availability limits and preferences;
  cost 12.50-19.00 per hour. The binding resource of this week is agent-days (at most five
  shifts each), not hours: see ``benchmarks/bench_roster_demo.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES, interval_axis
from wfm.config import Config, parse_config
from wfm.erlang import erlang_a
from wfm.parse import AGENTS_FRAME_COLUMNS, HISTORY_FRAME_COLUMNS

__all__ = ["DEFAULT", "SIZES", "SMALL", "Demo", "DemoSize", "build_demo", "config_text"]

TIMEZONE = "Europe/London"
INTERVAL_MINUTES = 15
#: First day of the planning week (a Monday); the history ends the day before.
PLANNING_WEEK = dt.date(2026, 11, 23)
HOLIDAY = dt.date(2026, 8, 31)
HOLIDAY_FACTOR = 0.35


@dataclass(frozen=True)
class DemoSize:
    """How big the demo centre is: weeks of history, agents, and a volume scale."""

    name: str
    history_weeks: int
    n_agents: int
    volume_scale: float


#: A small centre for fast tests: 5 weeks (still crossing the October clock change), 30 agents.
# Volumes are scaled so that the agents can staff the week (5 shifts a week at most, 30%
# shrinkage, breaks): the default's pooled shift plan needs about 3,500 paid hours against
# 3,600-4,700 contract hours. The small centre is a quarter of it.
SMALL = DemoSize("small", history_weeks=5, n_agents=30, volume_scale=0.2)
#: The real demo: 12 weeks from the August bank holiday, 120 agents.
DEFAULT = DemoSize("default", history_weeks=12, n_agents=120, volume_scale=0.8)
SIZES = {s.name: s for s in (SMALL, DEFAULT)}


@dataclass(frozen=True)
class Demo:
    """The demo centre in memory.

    Attributes
    ----------
    config_text
        ``wfm.toml`` as text; ``config`` is it parsed.
    history
        The history frame (as :func:`wfm.parse.parse_history` returns it), inbound queues.
    actuals
        What happened in the planning week, same columns.
    agents
        The agents frame (as :func:`wfm.parse.parse_agents` returns it).
    readme
        A short description of the folder.
    """

    size: DemoSize
    seed: int
    config_text: str
    config: Config
    history: pd.DataFrame
    actuals: pd.DataFrame
    agents: pd.DataFrame
    readme: str

    @property
    def history_start(self) -> dt.date:
        return PLANNING_WEEK - dt.timedelta(weeks=self.size.history_weeks)

    @property
    def planning_week(self) -> dt.date:
        return PLANNING_WEEK


# --------------------------------------------------------------------------- the queues

# name, channel, peak arrivals per 15 min on an average weekday (DEFAULT scale), base AHT (s),
# opening (from, until, days), weekly profile Mon..Sun, intraday peaks (hour, weight, width h).
_QUEUES = {
    "service": {
        "channel": "voice",
        "peak": 56.0,
        "aht_sec": 330.0,
        "open": ("08:00", "20:00", DAY_NAMES),
        "week": (1.25, 1.08, 1.0, 0.97, 0.93, 0.55, 0.35),
        "peaks": ((10.25, 1.0, 1.3), (14.5, 0.8, 1.5), (18.5, 0.35, 1.2)),
        "patience_sec": 180.0,
        "threshold_sec": 20.0,
    },
    "sales": {
        "channel": "voice",
        "peak": 15.0,
        "aht_sec": 450.0,
        "open": ("09:00", "19:00", DAY_NAMES[:6]),
        "week": (1.1, 1.05, 1.0, 1.0, 1.0, 0.7, 0.0),
        "peaks": ((11.0, 0.9, 1.5), (15.0, 1.0, 1.6), (18.0, 0.45, 1.0)),
        "patience_sec": 120.0,
        "threshold_sec": 30.0,
    },
    "chat": {
        "channel": "chat",
        "peak": 11.0,
        "aht_sec": 900.0,
        "open": ("08:00", "22:00", DAY_NAMES),
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
        "open": ("07:00", "22:00", DAY_NAMES),
        "week": (1.3, 1.1, 1.0, 1.0, 0.95, 0.5, 0.45),
        "peaks": ((10.0, 1.0, 2.0), (14.5, 0.9, 2.0), (19.5, 0.5, 2.0)),
        "deadline_hours": 24.0,
    },
}
_BACKLOG_AT_OPEN = 4.0  # email: the overnight backlog released at 07:00, in peak intervals


def config_text(size: DemoSize = DEFAULT) -> str:
    """The demo's ``wfm.toml``."""
    scale = size.volume_scale
    outbound_hours = round(30 * scale, 1)
    return f"""\
# The built-in demo contact centre (wfm demo). Every key is documented in the README.
[site]
name = "Demo Contact Centre"
timezone = "{TIMEZONE}"
interval_minutes = {INTERVAL_MINUTES}
cyclic_week = false

[[queues]]
name = "service"
channel = "voice"
service_level = 0.80
threshold_sec = 20
max_occupancy = 0.85
shrinkage = 0.30
patience_sec = 180
priority = 2.0
open_from = "08:00"
open_until = "20:00"

[[queues]]
name = "sales"
channel = "voice"
service_level = 0.80
threshold_sec = 30
max_occupancy = 0.85
shrinkage = 0.30
patience_sec = 120
priority = 1.5
open_from = "09:00"
open_until = "19:00"
open_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

[[queues]]
name = "chat"
channel = "chat"
service_level = 0.80
threshold_sec = 60
max_occupancy = 0.85
shrinkage = 0.30
concurrency = 2
open_from = "08:00"
open_until = "22:00"

[[queues]]
name = "email"
channel = "email"
service_level = 0.90
threshold_sec = 86400
max_occupancy = 0.90
shrinkage = 0.25
deadline_hours = 24
open_from = "07:00"
open_until = "22:00"

[[queues]]
name = "outbound"
channel = "outbound"
service_level = 0.80
max_occupancy = 0.90
shrinkage = 0.25
hours_per_day = {outbound_hours}
priority = 0.5
open_from = "10:00"
open_until = "20:00"
open_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]

# Shifts: a 15-minute paid break and, on shifts over 6 hours, a 30-minute unpaid lunch.
[[shifts]]
name = "early"
earliest_start = "07:00"
latest_start = "09:00"
start_step_min = 15
length_hours = [8.5, 9.0]
cost_per_hour = 15.0
breaks = [
  {{ length_min = 15, paid = true, earliest_after_min = 90, latest_after_min = 150 }},
  {{ length_min = 30, paid = false, earliest_after_min = 210, latest_after_min = 300 }},
]

[[shifts]]
name = "day"
earliest_start = "09:00"
latest_start = "11:00"
start_step_min = 15
length_hours = [8.5]
cost_per_hour = 15.0
breaks = [
  {{ length_min = 15, paid = true, earliest_after_min = 90, latest_after_min = 150 }},
  {{ length_min = 30, paid = false, earliest_after_min = 210, latest_after_min = 300 }},
]

[[shifts]]
name = "late"
earliest_start = "11:00"
latest_start = "13:30"
start_step_min = 15
length_hours = [8.5]
cost_per_hour = 15.5
breaks = [
  {{ length_min = 15, paid = true, earliest_after_min = 90, latest_after_min = 150 }},
  {{ length_min = 30, paid = false, earliest_after_min = 210, latest_after_min = 300 }},
]

[[shifts]]
name = "evening"
earliest_start = "15:00"
latest_start = "17:00"
start_step_min = 15
length_hours = [5.0, 6.0]
cost_per_hour = 16.0
breaks = [
  {{ length_min = 15, paid = true, earliest_after_min = 120, latest_after_min = 180 }},
]

[[shifts]]
name = "part-time"
earliest_start = "08:00"
latest_start = "16:00"
start_step_min = 30
length_hours = [4.0, 5.0, 6.0]
cost_per_hour = 14.5
breaks = [
  {{ length_min = 15, paid = true, earliest_after_min = 90, latest_after_min = 150 }},
]

[rules]
min_rest_hours = 11
max_consecutive_days = 5
days_off_per_week = 2
hard_coverage = false
understaff_penalty = 1000
overstaff_penalty = 1
distinct_shift_penalty = 0

[solver]
name = "highs"
# the roster of the 120 agents: within 1% of optimal in 84-96 s (0.75-0.90% in the last
# runs; the solve stops once within `gap`; README, Figures)
time_limit_sec = 110
gap = 0.01
# column generation over agent weeks, then local search and day, queue-day and group-day
# MIPs (two at once); the default two_stage method reaches 78-84% on this week
roster_method = "price_dive"

[forecast]
model = "auto"
n_windows = 4
step_days = 7
interval_level = 0.80

[[calendar.holidays]]
date = {HOLIDAY.isoformat()}
name = "Summer bank holiday"
factor = {HOLIDAY_FACTOR}

[[calendar.holidays]]
date = 2026-12-25
name = "Christmas Day"
factor = 0.0

[[calendar.holidays]]
date = 2026-12-26
name = "Boxing Day"
factor = 0.0
"""


# --------------------------------------------------------------------------- volumes


def _clock_hours(axis: pd.DatetimeIndex) -> np.ndarray:
    return axis.hour.to_numpy() + axis.minute.to_numpy() / 60.0


def _open_mask(axis: pd.DatetimeIndex, spec: dict) -> np.ndarray:
    opens, closes, days = spec["open"]
    h0 = int(opens[:2]) + int(opens[3:]) / 60
    h1 = int(closes[:2]) + int(closes[3:]) / 60
    hours = _clock_hours(axis)
    weekday = np.isin(axis.dayofweek.to_numpy(), [DAY_NAMES.index(d) for d in days])
    return (hours >= h0) & (hours < h1) & weekday


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


def _simulate_queue(
    name: str,
    spec: dict,
    axis: pd.DatetimeIndex,
    size: DemoSize,
    rng: np.random.Generator,
) -> pd.DataFrame:
    interval_sec = INTERVAL_MINUTES * 60
    hours = _clock_hours(axis)
    local_days = axis.normalize().tz_localize(None)
    unique_days = local_days.unique()
    day_index = unique_days.get_indexer(local_days)
    weekday = axis.dayofweek.to_numpy()
    week_no = np.floor(day_index / 7.0)
    is_open = _open_mask(axis, spec)

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
    total = np.round(total)
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


# --------------------------------------------------------------------------- agents

# group, skills, share of the workforce, team name, base cost per hour. Sized to the planning
# week's gross requirement (paid hours of the pooled shift plan: service ~42%, chat ~26%, sales
# ~17%, email ~10%, outbound ~5%), the multi-skilled groups filling in between the queues. The
# service+sales group is large enough that the voice peaks (09:45 and 18:15 on weekdays) can be
# covered: with 10 such agents even the roster's LP relaxation was short there.
_AGENT_GROUPS = (
    ("service", ("service",), 30, "Service", 13.5),
    ("sales", ("sales",), 9, "Sales", 14.5),
    ("chat", ("chat",), 18, "Digital", 13.5),
    ("email", ("email",), 6, "Digital", 13.0),
    ("service+out", ("service", "outbound"), 12, "Service", 14.5),
    ("sales+out", ("sales", "outbound"), 7, "Sales", 15.5),
    ("voice", ("service", "sales"), 16, "Service", 15.5),
    ("digital", ("chat", "email"), 10, "Digital", 14.5),
    ("universal", ("*",), 12, "Universal", 17.5),
)
#: Share of each group on a part-time contract (the rest full-time).
_PART_TIME_SHARE = 0.25
_FIRST = (
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Arthur",
    "Ivy",
    "Leo",
    "Freya",
    "Oscar",
    "Lily",
    "Harry",
    "Grace",
    "Jack",
    "Sophia",
    "Charlie",
    "Ella",
    "Theo",
    "Evie",
    "Henry",
    "Rosie",
    "Finley",
    "Poppy",
    "Alfie",
    "Aisha",
    "Mohammed",
    "Priya",
    "Arjun",
    "Zara",
    "Yusuf",
    "Chloe",
    "Ethan",
    "Niamh",
    "Callum",
    "Sian",
    "Rhys",
    "Fatima",
    "Tomasz",
    "Ewa",
    "Kwame",
    "Ama",
    "Mei",
    "Hannah",
    "Liam",
)
_LAST = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Hughes",
    "Lewis",
    "Ahmed",
    "Murphy",
    "Kowalski",
    "Okafor",
    "Chen",
    "Singh",
    "Begum",
    "Campbell",
    "Kelly",
    "Morgan",
)


def _agents(size: DemoSize, rng: np.random.Generator) -> pd.DataFrame:
    total_share = sum(g[2] for g in _AGENT_GROUPS)
    counts = [max(1, round(g[2] * size.n_agents / total_share)) for g in _AGENT_GROUPS]
    counts[0] += size.n_agents - sum(counts)  # rounding goes to the biggest group
    rows = []
    number = 0
    for (_group, skills, _, team, base_cost), count in zip(_AGENT_GROUPS, counts, strict=True):
        for k in range(count):
            number += 1
            # every 4th agent of a group (deterministic, so each group has its share)
            part_time = math.floor((k + 1) * _PART_TIME_SHARE) > math.floor(k * _PART_TIME_SHARE)
            if part_time:
                low = float(rng.choice([16.0, 20.0, 24.0]))
                high = min(30.0, low + float(rng.choice([6.0, 8.0, 10.0])))
                contract = "part-time"
            else:
                # a 37.5 or 40 h contract, rostered between 5 h under it (flexi-time banked
                # across weeks) and 42.5 h (five 8.5 h paid shifts, paid overtime)
                hours = float(rng.choice([37.5, 37.5, 40.0]))
                low, high = hours - 5.0, 42.5
                contract = "full-time"
            days, start, end = DAY_NAMES, 0, 1440
            prefs: tuple[str, ...] = ()
            days_off: tuple[str, ...] = ()
            draw = rng.random()
            if part_time and draw < 0.35:
                days, start, end = DAY_NAMES[:5], 9 * 60 + 30, 15 * 60  # school hours
                prefs = ("part-time",)
            elif part_time and draw < 0.55:
                start, prefs = 15 * 60, ("evening",)  # evenings and weekends
            elif draw < 0.15:
                days = DAY_NAMES[:6]  # never Sundays
            elif draw < 0.30:
                prefs = ("early",)
            elif draw < 0.40:
                prefs = ("late",)
            if rng.random() < 0.25:
                days_off = ("Sat", "Sun")
            cost = base_cost + float(rng.choice([0.0, 0.5, 1.0, 1.5])) - (0.5 if part_time else 0)
            rows.append(
                {
                    "agent_id": f"A{number:03d}",
                    "name": f"{_FIRST[(number * 7) % len(_FIRST)]} "
                    f"{_LAST[(number * 11 + k) % len(_LAST)]}",
                    "skills": skills,
                    "team": f"{team} {1 + k // 12}",
                    "min_hours_week": low,
                    "max_hours_week": high,
                    "cost_per_hour": round(cost, 2),
                    "available_days": days,
                    "available_from_min": start,
                    "available_until_min": end,
                    "preferred_shifts": prefs,
                    "preferred_days_off": days_off,
                    "contract": contract,
                }
            )
    frame = pd.DataFrame(rows, columns=list(AGENTS_FRAME_COLUMNS))
    frame["available_from_min"] = frame["available_from_min"].astype(np.int64)
    frame["available_until_min"] = frame["available_until_min"].astype(np.int64)
    return frame


# --------------------------------------------------------------------------- the whole demo


def _readme(size: DemoSize, seed: int, start: dt.date) -> str:
    end = PLANNING_WEEK - dt.timedelta(days=1)
    week_end = PLANNING_WEEK + dt.timedelta(days=6)
    return f"""\
# Demo Contact Centre (wfm demo, size {size.name}, seed {seed})

A made-up UK multichannel contact centre (Europe/London, 15-minute intervals), generated by
`wfm demo`. The same size and seed always give the same files.

- `wfm.toml`: the site; queues `service` and `sales` (voice, Erlang A patience), `chat`
  (concurrency 2), `email` (24-hour deadline) and `outbound` (weekdays 10:00-20:00); shift
  templates with breaks and lunches; rules; solver; holidays.
- `history.csv`: {size.history_weeks} weeks of ACD interval history, {start} to {end}, one row
  per queue and interval over all 24 hours (zeros while closed): offered, answered, abandoned,
  answered within the service-level threshold, total handle time, AHT, staffed agents. Times
  carry their UTC offset; 2026-10-25 (the clocks go back) has 100 intervals. {HOLIDAY} is a
  bank holiday with low volume.
- `actuals.csv`: what really happened in the planning week, {PLANNING_WEEK} to {week_end};
  the same columns.
- `agents.csv`: {size.n_agents} agents: specialists, voice + outbound blended, multi-skilled
  and universal (`*`); full- and part-time; availability limits and preferences; cost per hour.

Try, in this folder:

    wfm forecast --history history.csv --config wfm.toml --horizon-days 7 \\
        --start {PLANNING_WEEK} --out forecast.csv
    wfm staff --forecast forecast.csv --config wfm.toml --out requirements.csv
    wfm schedule --requirements requirements.csv --config wfm.toml --agents agents.csv \\
        --out schedule.csv
"""


def build_demo(size: DemoSize | str = DEFAULT, seed: int = 2026) -> Demo:
    """Build the demo centre in memory (deterministic for a given ``size`` and ``seed``).

    Parameters
    ----------
    size
        :data:`DEFAULT` (12 weeks, 120 agents) or :data:`SMALL` (5 weeks, 30 agents, a
        quarter of the default's volume), or their names.
    seed
        Seed of the random generator.
    """
    if isinstance(size, str):
        if size not in SIZES:
            raise ValueError(f"unknown demo size {size!r}; use {', '.join(SIZES)}")
        size = SIZES[size]
    start = PLANNING_WEEK - dt.timedelta(weeks=size.history_weeks)
    n_days = size.history_weeks * 7 + 7
    axis = interval_axis(start, n_days, TIMEZONE, INTERVAL_MINUTES)
    text = config_text(size)
    config = parse_config(text, file="wfm.toml")
    frames = []
    for offset, (name, spec) in enumerate(_QUEUES.items()):
        rng = np.random.default_rng([seed, offset])
        frames.append(_simulate_queue(name, spec, axis, size, rng))
    everything = pd.concat(frames, ignore_index=True)[list(HISTORY_FRAME_COLUMNS)]
    everything["interval_minutes"] = everything["interval_minutes"].astype(np.int64)
    cut = pd.Timestamp(PLANNING_WEEK).tz_localize(TIMEZONE)
    in_history = everything["interval_start"] < cut

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(["queue", "interval_start"], kind="stable").reset_index(drop=True)

    agents = _agents(size, np.random.default_rng([seed, 99]))
    return Demo(
        size=size,
        seed=seed,
        config_text=text,
        config=config,
        history=tidy(everything[in_history]),
        actuals=tidy(everything[~in_history]),
        agents=agents,
        readme=_readme(size, seed, start),
    )


def peak_net_agents(demo: Demo) -> float:
    """Rough check of the sizing: the most agents staffed at once over all queues (history)."""
    per_interval = demo.history.groupby("interval_start")["staffed_agents"].sum()
    return float(per_interval.max()) if len(per_interval) else math.nan
