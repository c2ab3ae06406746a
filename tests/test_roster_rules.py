"""One test per roster rule: every rule holds in the exported roster (small instances)."""

from __future__ import annotations

import pandas as pd
import pytest

from solvers.roster import RosterOptions, solve_roster
from solvers.roster.rules import ROSTER_RULES
from solvers.shift_plan import SolveStatus
from tests._roster_data import (
    agent,
    agents_frame,
    demand,
    make_problem,
    recompute_coverage,
    shifts_of,
    template,
)
from wfm.config import BreakRule, Queue

WEEKDAYS = (0, 1, 2, 3, 4)
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
FULL = RosterOptions(start_step_min=None, break_step_min=None)


def solved(problem):
    result = solve_roster(problem, FULL)
    assert result.status == SolveStatus.OPTIMAL
    return result, result.segments()


def test_rules_are_listed_once_with_kind():
    names = [r.name for r in ROSTER_RULES]
    assert len(names) == len(set(names))
    assert {r.kind for r in ROSTER_RULES} == {"hard", "soft", "cut"}
    for expected in (
        "skills",
        "availability",
        "weekly_hours",
        "days_off",
        "min_rest",
        "max_consecutive_days",
        "one_shift_per_day",
        "consecutive_days_off",
        "preferred_shifts",
        "preferred_days_off",
        "weekend_fairness",
    ):
        assert expected in names


def test_skills_agents_only_work_their_queues():
    queues = (Queue("service", "voice"), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",)),
        agent("S2", ("sales",)),
        agent("B1", ("service", "sales")),
    )
    need = demand("service", WEEKDAYS, (9, 17), 1.5) | demand("sales", WEEKDAYS, (9, 17), 1.5)
    result, segments = solved(
        make_problem(agents, (template("day", "09:00"),), need, queues=queues)
    )
    skills = {"S1": {"service"}, "S2": {"sales"}, "B1": {"service", "sales"}}
    work = segments[segments["activity"] == "work"]
    assert len(work) > 0
    for row in work.itertuples():
        assert row.queue in skills[row.agent_id]
    # the blended agent's time is split between the queues, never more than 100%
    blended = work[work["agent_id"] == "B1"]
    assert set(blended["queue"]) == {"service", "sales"}
    coverage = recompute_coverage(segments, result.problem)
    assert coverage["service"].max() == pytest.approx(1.5, abs=1e-3)
    assert coverage["sales"].max() == pytest.approx(1.5, abs=1e-3)


def test_availability_days_and_hours_hold():
    agents = agents_frame(
        agent("A", days=("Mon", "Tue", "Wed"), from_min=9 * 60, until_min=15 * 60),
        agent("B"),
    )
    shifts = (template("early", "06:00", 6.0, latest="12:00"),)
    need = demand("service", ALL_DAYS, (6, 18), 2.0)
    _, segments = solved(make_problem(agents, shifts, need))
    mine = shifts_of(segments)
    a_shifts = mine[mine["agent_id"] == "A"]
    assert len(a_shifts) == 3  # as many as their days allow, all inside 09:00-15:00
    for row in a_shifts.itertuples():
        assert row.shift_start.day_name()[:3] in ("Mon", "Tue", "Wed")
        assert row.shift_start.hour >= 9
        assert row.shift_end <= row.shift_start.normalize() + pd.Timedelta(hours=15)


def test_min_and_max_weekly_hours_hold():
    agents = agents_frame(
        agent("LOW", min_hours=24.0, max_hours=24.0),  # exactly 3 shifts, with no demand needing it
        agent("CAP", max_hours=16.0),
        agent("BIG", max_hours=40.0, cost=50.0),
    )
    need = demand("service", WEEKDAYS, (9, 17), 1.0)
    result, segments = solved(make_problem(agents, (template("day", "09:00"),), need))
    hours = shifts_of(segments).groupby("agent_id")["paid_hours"].sum()
    assert hours["LOW"] == pytest.approx(24.0)
    assert hours["CAP"] <= 16.0 + 1e-9
    assert result.hours_by_agent()["CAP"] == pytest.approx(hours["CAP"])


def test_days_off_per_week_hold():
    agents = agents_frame(agent("A", max_hours=60), agent("B", max_hours=60))
    need = demand("service", ALL_DAYS, (9, 17), 2.0)
    _, segments = solved(
        make_problem(agents, (template("day", "09:00"),), need, days_off_per_week=3)
    )
    off = segments[segments["activity"] == "off"].groupby("agent_id").size()
    assert (off >= 3).all() and set(off.index) == {"A", "B"}


def test_min_rest_between_an_overnight_and_an_early_shift():
    # One agent; demand wants the Monday night shift (22:00-06:00) and the Tuesday early shift
    # (07:00-15:00): only 1 hour of rest between them, so one of the two is left short.
    agents = agents_frame(agent("A", max_hours=60))
    shifts = (template("night", "22:00", 8.0, days=("Mon",)), template("early", "07:00", 8.0))
    need = demand("service", (0,), (22, 24), 1.0) | demand("service", (1,), (0, 6), 1.0)
    need |= demand("service", (1,), (7, 15), 1.0)
    result, segments = solved(make_problem(agents, shifts, need, min_rest_hours=11))
    mine = shifts_of(segments).sort_values("shift_start")
    starts, ends = list(mine["shift_start"]), list(mine["shift_end"])
    for end, nxt in zip(ends, starts[1:], strict=False):
        assert (nxt - end) >= pd.Timedelta(hours=11)
    assert result.understaffed_intervals >= 8  # one of the two shifts could not be worked
    # without the rule both are worked
    relaxed, segments = solved(make_problem(agents, shifts, need, min_rest_hours=0))
    assert relaxed.understaffed_intervals == 0


def test_max_consecutive_working_days_hold():
    agents = agents_frame(agent("A", max_hours=60))
    need = demand("service", ALL_DAYS, (9, 17), 1.0)
    problem = make_problem(
        agents, (template("day", "09:00"),), need, max_consecutive_days=3, days_off_per_week=0
    )
    _, segments = solved(problem)
    days = sorted(pd.Timestamp(d).dayofweek for d in shifts_of(segments)["date"])
    assert len(days) == 6  # 7 days, at most 3 in a row: one day off in the middle
    run = best = 0
    for d in range(7):
        run = run + 1 if d in days else 0
        best = max(best, run)
    assert best <= 3


def test_one_shift_a_day_hold():
    agents = agents_frame(agent("A", max_hours=60))
    shifts = (template("morning", "06:00", 4.0), template("evening", "18:00", 4.0))
    need = demand("service", WEEKDAYS, (6, 10), 1.0) | demand("service", WEEKDAYS, (18, 22), 1.0)
    _, segments = solved(make_problem(agents, shifts, need, min_rest_hours=0, days_off_per_week=0))
    per_day = shifts_of(segments).groupby(["agent_id", "date"]).size()
    assert (per_day <= 1).all()
    assert len(per_day) == 5


def test_preferences_respected_when_free():
    agents = agents_frame(
        agent("E", prefs=("early",), days_off=("Mon",)),
        agent("L", prefs=("late",), days_off=("Fri",)),
    )
    shifts = (template("early", "06:00", 8.0), template("late", "14:00", 8.0))
    # each weekday one early and one late agent; Monday and Friday need only one agent
    need = demand("service", (1, 2, 3), (6, 22), 1.0)
    need |= demand("service", (0,), (14, 22), 1.0) | demand("service", (4,), (6, 14), 1.0)
    problem = make_problem(agents, shifts, need, preference_penalty=10.0, min_rest_hours=0)
    result, segments = solved(problem)
    mine = shifts_of(segments)
    mine["template"] = mine["shift_start"].dt.hour.map({6: "early", 14: "late"})
    assert set(mine.loc[mine["agent_id"] == "E", "template"]) == {"early"}
    assert set(mine.loc[mine["agent_id"] == "L", "template"]) == {"late"}
    days = {
        a: {pd.Timestamp(d).day_name()[:3] for d in g["date"]} for a, g in mine.groupby("agent_id")
    }
    assert "Mon" not in days["E"] and "Fri" not in days["L"]
    assert not result.agent_violations


def test_consecutive_days_off_preferred():
    agents = agents_frame(agent("A", max_hours=60))
    need = demand("service", ALL_DAYS, (9, 17), 1.0)
    problem = make_problem(
        agents, (template("day", "09:00"),), need, consecutive_days_off_penalty=20.0
    )
    _, segments = solved(problem)
    off = sorted(
        pd.Timestamp(d).dayofweek for d in segments.loc[segments["activity"] == "off", "date"]
    )
    assert len(off) == 2 and off[1] - off[0] == 1


def test_weekend_work_is_shared_fairly():
    agents = agents_frame(agent("A"), agent("B"))
    need = demand("service", (5, 6), (9, 17), 1.0)  # Saturday and Sunday, one agent each
    problem = make_problem(agents, (template("day", "09:00"),), need, weekend_fairness_penalty=5.0)
    _, segments = solved(problem)
    weekend = shifts_of(segments).groupby("agent_id").size()
    assert dict(weekend) == {"A": 1, "B": 1}


def test_breaks_inside_their_windows_and_cover_nothing():
    agents = agents_frame(agent("A"), agent("B"))
    breaks = (
        BreakRule(15, paid=True, earliest_after_min=60, latest_after_min=120),
        BreakRule(30, paid=False, earliest_after_min=180, latest_after_min=300),
    )
    shifts = (template("day", "09:00", 8.5, breaks=breaks),)
    need = demand("service", WEEKDAYS, (9, 17), 1.0)
    problem = make_problem(agents, shifts, need, interval_minutes=15)
    result, segments = solved(problem)
    for row in segments[segments["activity"].isin(["break", "lunch"])].itertuples():
        after = (row.activity_start - row.shift_start).total_seconds() / 60
        if row.activity == "break":
            assert 60 <= after <= 120 and row.paid
        else:
            assert 180 <= after <= 300 and not row.paid
    coverage = recompute_coverage(segments, problem)
    model = result.coverage[result.coverage["queue"] == "service"]["scheduled"].to_numpy()
    assert coverage["service"] == pytest.approx(model, abs=1e-6)


def test_a_preferred_shift_is_told_by_its_times_not_its_template():
    # "early" and "day" both make the 09:00 shift; "day" is cheaper. The agent prefers
    # "early": working the cheaper "day" variant at the same times is still on preference.
    from dataclasses import replace

    shifts = (
        replace(template("early", "07:00", latest="09:00"), cost=8.0),
        replace(template("day", "09:00", latest="11:00"), cost=5.0),
    )
    agents = agents_frame(agent("A", cost=0.0, prefs=("early",), max_hours=48))
    need = demand("service", WEEKDAYS, (9, 17), 1.0)
    result, segments = solved(make_problem(agents, shifts, need, preference_penalty=10.0))
    starts = {pd.Timestamp(s).strftime("%H:%M") for s in shifts_of(segments)["shift_start"]}
    assert starts == {"09:00"}
    assert "preferred_shifts" not in {v.rule for v in result.agent_violations}
    assert result.outcome.objective == pytest.approx(5 * 5.0)
