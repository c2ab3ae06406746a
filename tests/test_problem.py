"""Schedule problem types: shift variants on the continuous axis, and requirements -> problem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from solvers.problem import (
    generate_variants,
    groups_from_agents,
    problem_from_requirements,
)
from wfm.axis import week_axis
from wfm.config import BreakRule, Config, Queue, ShiftTemplate, Site
from wfm.errors import InputError


def test_window_crossing_midnight_and_cyclic_wrap():
    night = ShiftTemplate("night", "23:00", "01:00", (8.0,), start_step_min=60, days=("Sun",))
    axis = week_axis("2026-11-30", "UTC", 60)
    cyclic = generate_variants([night], axis, 60, cyclic=True)
    assert [(v.start, v.start_clock_min) for v in cyclic] == [(167, 1380), (0, 0), (1, 60)]
    assert cyclic[0].cover == (167, *range(7))  # Sunday 23:00 runs into Monday morning
    flat = generate_variants([night], axis, 60, cyclic=False)
    assert [v.start for v in flat] == [167]  # starts after the week's end are next week's
    assert flat[0].cover == (167,)  # coverage past the end of the week is dropped


def test_dst_days_place_starts_by_local_clock():
    tz = "Europe/London"
    day = ShiftTemplate("day", "06:00", "06:00", (8.0,), days=("Sun",))
    spring = week_axis("2026-03-23", tz, 15)
    autumn = week_axis("2026-10-19", tz, 15)
    assert (len(spring), len(autumn)) == (668, 676)
    for axis in (spring, autumn):
        (variant,) = generate_variants([day], axis, 15, cyclic=False)
        assert axis[variant.start].hour == 6 and axis[variant.start].day_name() == "Sunday"
        assert variant.length == 32


def test_breaks_shares_and_paid_minutes():
    lunch = BreakRule(30, paid=False, earliest_after_min=240, latest_after_min=240)
    day = ShiftTemplate(
        "day", "08:00", "08:00", (8.0,), days=("Mon",), cost_per_hour=10, breaks=(lunch,)
    )
    (variant,) = generate_variants([day], week_axis("2026-11-30", "UTC", 60), 60, False)
    assert variant.paid_minutes == 450 and variant.cost == pytest.approx(75.0)
    assert variant.breaks[0].off == (((12, 0.5),),)


def test_overlapping_break_windows_are_rejected():
    a = BreakRule(15, earliest_after_min=60, latest_after_min=120)
    b = BreakRule(30, paid=False, earliest_after_min=100, latest_after_min=200)
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), breaks=(a, b))
    with pytest.raises(InputError, match="overlap"):
        generate_variants([day], week_axis("2026-11-30", "UTC", 60), 60, False)


def test_problem_from_requirements_channels():
    config = Config(
        site=Site(timezone="UTC", interval_minutes=60),
        queues=(
            Queue("service", "voice"),
            Queue("email", "email", deadline_hours=4),
            Queue("calls", "outbound", hours_per_day=6, open_days=("Mon", "Tue")),
        ),
        shifts=(ShiftTemplate("day", "08:00", "08:00", (8.0,)),),
    )
    axis = week_axis("2026-11-30", "UTC", 60)
    frame = pd.DataFrame(
        {
            "interval_start": list(axis[9:11]) * 2,
            "queue": ["service", "service", "email", "email"],
            "channel": ["voice", "voice", "email", "email"],
            "agents_gross": [2.5, 3.0, 0.4, 0.6],
        }
    )
    problem = problem_from_requirements(frame, config)
    service, email, calls = problem.queues
    assert service.kind == "live" and service.required[9:11].tolist() == [2.5, 3.0]
    assert email.kind == "backlog" and email.arrivals[9:11].tolist() == [0.4, 0.6]
    assert email.deadline_intervals == 4 and email.required.sum() == 0
    assert calls.kind == "daily" and calls.hours_per_day == (6.0, 6.0, 0, 0, 0, 0, 0)
    assert [g.kind for g in problem.groups] == ["universal"]
    assert len(problem.variants) == 7


def test_groups_from_agents():
    agents = pd.DataFrame(
        {
            "skills": [("service",), ("service",), ("service", "sales"), ("*",)],
            "cost_per_hour": [10.0, 10.0, 12.0, 16.0],
        }
    )
    groups = groups_from_agents(agents, ["service", "sales"])
    kinds = {g.name: (g.kind, g.max_count, round(g.cost_factor, 3)) for g in groups}
    assert kinds == {
        "service": ("specialist", 2, 0.833),
        "universal": ("universal", 2, 1.167),
    }  # "service|sales" covers every queue: universal too
    assert np.isclose(sum(g.max_count for g in groups), 4)


def test_deferrable_arrivals_come_from_the_workload_not_the_spread_requirement():
    # staffing spreads email work over its deadline window in agents_gross; the scheduler must
    # place the work itself, so it takes the arriving workload: 1.8 Erlangs / 0.9 / (1 - 0.25)
    config = Config(
        site=Site(timezone="UTC", interval_minutes=60),
        queues=(Queue("email", "email", deadline_hours=4, max_occupancy=0.9, shrinkage=0.25),),
        shifts=(ShiftTemplate("day", "08:00", "08:00", (8.0,)),),
    )
    axis = week_axis("2026-11-30", "UTC", 60)
    frame = pd.DataFrame(
        {
            "interval_start": list(axis[9:13]),
            "queue": ["email"] * 4,
            "channel": ["email"] * 4,
            "workload_erl": [1.8, 0.0, 0.0, 0.0],
            "agents_gross": [0.67, 0.67, 0.67, 0.67],  # the same work spread over 4 hours
        }
    )
    (email,) = problem_from_requirements(frame, config).queues
    assert email.arrivals[9:13] == pytest.approx([1.8 / 0.9 / 0.75, 0.0, 0.0, 0.0])
    assert email.arrivals.sum() == pytest.approx(2.6666666666666665)
