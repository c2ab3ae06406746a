"""Small roster instances for the roster tests, and an independent coverage recomputation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from solvers.problem import ScheduleProblem, problem_from_requirements
from wfm.axis import DAY_NAMES, week_axis
from wfm.config import BreakRule, Config, Queue, Rules, ShiftTemplate, Site, SolverOptions
from wfm.parse import AGENTS_FRAME_COLUMNS

WEEK = dt.date(2024, 1, 1)  # a Monday, UTC: no clock change
TZ = "UTC"


def template(
    name: str,
    start: str,
    hours: float | tuple[float, ...] = 8.0,
    latest: str | None = None,
    step: int = 60,
    days: tuple[str, ...] = DAY_NAMES,
    breaks: tuple[BreakRule, ...] = (),
) -> ShiftTemplate:
    lengths = hours if isinstance(hours, tuple) else (hours,)
    return ShiftTemplate(
        name=name,
        earliest_start=start,
        latest_start=latest or start,
        length_hours=lengths,
        start_step_min=step,
        days=days,
        breaks=breaks,
    )


def agent(agent_id: str, skills=("service",), **kw) -> dict:
    row = {
        "agent_id": agent_id,
        "name": f"Agent {agent_id}",
        "skills": tuple(skills),
        "team": kw.pop("team", "T"),
        "min_hours_week": kw.pop("min_hours", 0.0),
        "max_hours_week": kw.pop("max_hours", 40.0),
        "cost_per_hour": kw.pop("cost", 10.0),
        "available_days": tuple(kw.pop("days", DAY_NAMES)),
        "available_from_min": kw.pop("from_min", 0),
        "available_until_min": kw.pop("until_min", 1440),
        "preferred_shifts": tuple(kw.pop("prefs", ())),
        "preferred_days_off": tuple(kw.pop("days_off", ())),
        "contract": "full-time",
    }
    assert not kw, kw
    return row


def agents_frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(AGENTS_FRAME_COLUMNS))


def demand(
    queue: str, days: tuple[int, ...], hours: tuple[int, int], agents: float = 1.0
) -> dict[tuple[str, int], float]:
    """``{(queue, position): agents}`` for hours [from, until) on day indices (60-min axis)."""
    out = {}
    for d in days:
        for h in range(*hours):
            out[queue, d * 24 + h] = agents
    return out


def make_problem(
    agents: pd.DataFrame,
    shifts: tuple[ShiftTemplate, ...],
    need: dict[tuple[str, int], float],
    queues: tuple[Queue, ...] = (Queue("service", "voice"),),
    interval_minutes: int = 60,
    cyclic: bool = False,
    **rules,
) -> ScheduleProblem:
    rules.setdefault("consecutive_days_off_penalty", 0.0)
    rules.setdefault("weekend_fairness_penalty", 0.0)
    rules.setdefault("preference_penalty", 0.0)
    config = Config(
        site=Site(name="test", timezone=TZ, interval_minutes=interval_minutes, cyclic_week=cyclic),
        queues=queues,
        shifts=shifts,
        rules=Rules(**rules),
        solver=SolverOptions(time_limit_sec=30, gap=0.0),
    )
    axis = week_axis(WEEK, TZ, interval_minutes)
    rows = []
    for queue in queues:
        if queue.channel == "outbound":
            continue
        for t, start in enumerate(axis):
            rows.append(
                {
                    "interval_start": start,
                    "queue": queue.name,
                    "channel": queue.channel,
                    "agents_gross": float(need.get((queue.name, t), 0.0)),
                }
            )
    return problem_from_requirements(pd.DataFrame(rows), config, WEEK, agents=agents)


def recompute_coverage(segments: pd.DataFrame, problem: ScheduleProblem) -> dict[str, np.ndarray]:
    """Agents at work per queue and interval from the export alone: the seconds of each work
    segment inside each interval of the axis, divided by the interval's seconds."""
    axis = problem.axis
    seconds = problem.interval_minutes * 60.0
    out = {q.name: np.zeros(len(axis)) for q in problem.queues}
    ends = [*axis[1:], axis[-1] + pd.Timedelta(minutes=problem.interval_minutes)]
    for row in segments[segments["activity"] == "work"].itertuples():
        for t, (t0, t1) in enumerate(zip(axis, ends, strict=True)):
            overlap = (min(row.activity_end, t1) - max(row.activity_start, t0)).total_seconds()
            if overlap > 0:
                out[row.queue][t] += overlap / seconds
    return out


def shifts_of(segments: pd.DataFrame) -> pd.DataFrame:
    """One row per worked shift: agent_id, date, shift_start, shift_end, paid hours."""
    work = segments[segments["activity"] != "off"].copy()
    work["paid_sec"] = np.where(
        work["paid"], (work["activity_end"] - work["activity_start"]).dt.total_seconds(), 0.0
    )
    return work.groupby(["agent_id", "date", "shift_start", "shift_end"], as_index=False).agg(
        paid_hours=("paid_sec", lambda s: s.sum() / 3600)
    )


def blended_two_days() -> ScheduleProblem:
    """Two days of service and sales demand (uneven, hourly), a specialist, a service+sales
    agent with 16 minimum hours and a universal agent; 8-hour day shifts starting 08:00-10:00,
    no breaks: small enough for a proven optimum, with a multi-skill split."""
    queues = (Queue("service", "voice", priority=2.0), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",)),
        agent("B1", ("service", "sales"), min_hours=16.0),
        agent("U1", ("*",), cost=14.0),
    )
    shifts = (template("day", "08:00", 8.0, latest="10:00", step=60),)
    need = {}
    for d in range(2):
        for t in range(8, 18):
            need["service", d * 24 + t] = 1.0 + (t % 3) / 2
            need["sales", d * 24 + t] = 0.5 + (t % 2) / 2
    return make_problem(agents, shifts, need, queues=queues)


def assert_brackets(result, optimum: float) -> None:
    """A roster's reported bound is at most ``optimum`` and its objective at least it, its gap
    is ``(objective - bound) / objective``, and its export re-checks (coverage, rules)."""
    from solvers.roster import check_roster

    outcome = result.outcome
    assert result.status.has_solution
    assert outcome.bound <= optimum + 1e-6
    assert outcome.objective >= optimum - 1e-6
    assert outcome.gap == pytest.approx((outcome.objective - outcome.bound) / outcome.objective)
    assert not check_roster(result)


def mixed_week(n_agents: int = 8, n_days: int = 7, seed: int = 7) -> ScheduleProblem:
    """A cyclic week of random hourly service and sales demand (seeded), specialists, blended
    and universal agents on early and late shifts: large enough that the dive of ``price_dive``
    does not land on the optimum, so its searches have something to do."""
    rng = np.random.default_rng(seed)
    queues = (Queue("service", "voice", priority=2.0), Queue("sales", "voice"))
    kinds = [("service",), ("sales",), ("service", "sales"), ("*",)]
    rows = [
        agent(
            f"A{i}",
            kinds[i % 4],
            max_hours=40.0 if i % 3 else 24.0,
            min_hours=16.0 if i % 5 == 0 else 0.0,
            cost=10.0 + i % 4,
        )
        for i in range(n_agents)
    ]
    shifts = (
        template("early", "06:00", 8.0, latest="09:00"),
        template("late", "12:00", (6.0, 8.0), latest="14:00"),
    )
    need = {}
    for d in range(n_days):
        for t in range(6, 22):
            need["service", d * 24 + t] = float(rng.integers(1, 5))
            need["sales", d * 24 + t] = float(rng.integers(0, 3))
    return make_problem(agents_frame(*rows), shifts, need, queues=queues, cyclic=True)
