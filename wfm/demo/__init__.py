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
  a quarter part-time (16-30 h); minimum hours add up to less and maximum hours to more than
  the paid hours of the pooled shift plan. Some have availability limits and preferences;
  cost 12.50-19.00 per hour. The binding resource of this week is agent-days (at most five
  shifts each), not hours: see ``benchmarks/bench_roster_demo.py``.

Modules: :mod:`wfm.demo.centre` (sizes, dates, the ``wfm.toml`` template ``wfm/demo/wfm.toml``),
:mod:`wfm.demo.traffic` (the simulated interval history), :mod:`wfm.demo.agents` (the
workforce), :mod:`wfm.demo.build` (the whole centre) and :mod:`wfm.demo.network` (a network of
such centres with other sizes, time zones and queues, ``wfm demo --sites N``).
"""

from wfm.demo.build import Demo, build_demo, peak_net_agents
from wfm.demo.centre import (
    DEFAULT,
    HOLIDAY,
    HOLIDAY_FACTOR,
    INTERVAL_MINUTES,
    PLANNING_WEEK,
    SIZES,
    SMALL,
    TIMEZONE,
    DemoSize,
    config_text,
)

__all__ = [
    "DEFAULT",
    "HOLIDAY",
    "HOLIDAY_FACTOR",
    "INTERVAL_MINUTES",
    "PLANNING_WEEK",
    "SIZES",
    "SMALL",
    "TIMEZONE",
    "Demo",
    "DemoSize",
    "build_demo",
    "config_text",
    "peak_net_agents",
]
