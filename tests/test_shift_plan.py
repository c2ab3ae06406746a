"""Shift plan: hand-solvable instances with known optima; coverage recomputed from the export."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pulp
import pytest

from solvers.problem import (
    AgentGroup,
    QueueDemand,
    ScheduleProblem,
    generate_variants,
)
from solvers.shift_plan import (
    SolveStatus,
    build_model,
    schedule_frame,
    solve_problem,
)
from wfm.axis import week_axis
from wfm.config import BreakRule, Rules, ShiftTemplate, SolverOptions

WEEK = "2026-11-30"  # a Monday
HIGHS = SolverOptions(name="highs", time_limit_sec=30, gap=0.0, threads=1)
CBC = SolverOptions(name="cbc", time_limit_sec=30, gap=0.0, threads=1)


def make_problem(
    templates,
    queues,
    *,
    interval=60,
    cyclic=False,
    groups=None,
    rules=None,
    tz="UTC",
    week=WEEK,
):
    axis = week_axis(week, tz, interval)
    return ScheduleProblem(
        axis=axis,
        interval_minutes=interval,
        cyclic=cyclic,
        queues=tuple(q(axis) if callable(q) else q for q in queues),
        variants=generate_variants(templates, axis, interval, cyclic),
        groups=tuple(groups or (AgentGroup("all", ("*",)),)),
        rules=rules or Rules(understaff_penalty=1000, overstaff_penalty=1),
    )


def live(name, axis, spans, value=1.0, interval=60):
    """A live queue needing ``value`` agents over ``[(day, from_hour, to_hour), ...]`` (UTC)."""
    required = np.zeros(len(axis))
    per_hour = 60 // interval
    for day, start, end in spans:
        required[(day * 24 + start) * per_hour : (day * 24 + end) * per_hour] += value
    return QueueDemand(name, "voice", required)


def recompute_coverage(frame: pd.DataFrame, problem: ScheduleProblem) -> dict[str, np.ndarray]:
    """Coverage per queue and interval from the exported segments alone (minutes x share)."""
    n = problem.n_intervals
    step = pd.Timedelta(minutes=problem.interval_minutes)
    origin = problem.axis[0]
    out: dict[str, np.ndarray] = {q.name: np.zeros(n) for q in problem.queues}
    for row in frame[frame["activity"] == "work"].itertuples():
        t = row.activity_start
        while t < row.activity_end:
            k = int((t - origin) // step)
            bucket_end = origin + step * (k + 1)
            piece_end = min(bucket_end, row.activity_end)
            if problem.cyclic or 0 <= k < n:
                out[row.queue][k % n] += (piece_end - t) / step * row.share
            t = piece_end
    return out


def agent_load(frame: pd.DataFrame, problem: ScheduleProblem) -> pd.Series:
    """Share of each agent's time used per interval (must never exceed 1)."""
    step = pd.Timedelta(minutes=problem.interval_minutes)
    load: dict[tuple[int, int], float] = {}
    for row in frame[frame["activity"] == "work"].itertuples():
        k = int((row.activity_start - problem.axis[0]) // step)
        load[row.agent_id, k] = load.get((row.agent_id, k), 0.0) + row.share
    return pd.Series(load, dtype=float)


def scheduled(result, queue: str) -> np.ndarray:
    cov = result.coverage
    return cov.loc[cov["queue"] == queue, "scheduled"].to_numpy()


def test_overnight_shift_covers_next_morning():
    night = ShiftTemplate("night", "22:00", "22:00", (8.0,), days=("Mon",), cost=10)
    problem = make_problem([night], [lambda ax: live("service", ax, [(0, 22, 24), (1, 0, 6)])])
    result = solve_problem(problem, HIGHS)
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(10.0)
    frame = schedule_frame(result)
    assert frame["shift_start"].iloc[0] == pd.Timestamp("2026-11-30 22:00", tz="UTC")
    assert frame["shift_end"].iloc[0] == pd.Timestamp("2026-12-01 06:00", tz="UTC")
    cover = recompute_coverage(frame, problem)["service"]
    np.testing.assert_allclose(cover, problem.queues[0].required)
    np.testing.assert_allclose(cover, scheduled(result, "service"))


@pytest.mark.parametrize(("cyclic", "objective"), [(True, 10.0), (False, 10.0 + 6 * 1000)])
def test_cyclic_week_sunday_night_covers_monday_morning(cyclic, objective):
    night = ShiftTemplate("night", "22:00", "22:00", (8.0,), days=("Sun",), cost=10)
    problem = make_problem(
        [night],
        [lambda ax: live("service", ax, [(6, 22, 24), (0, 0, 6)])],
        cyclic=cyclic,
    )
    result = solve_problem(problem, HIGHS)
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(objective)
    cover = recompute_coverage(schedule_frame(result), problem)["service"]
    np.testing.assert_allclose(cover, scheduled(result, "service"))
    if not cyclic:  # without the wrap Monday morning stays short: no shift covers it
        assert {s.reason for s in result.shortfalls} == {"no shift covers it"}
        assert result.understaffed_intervals == 6


def test_agent_on_break_covers_nothing():
    lunch = BreakRule(60, paid=False, earliest_after_min=180, latest_after_min=300)
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10, breaks=(lunch,))
    problem = make_problem([day], [lambda ax: live("service", ax, [(0, 8, 16)], value=2.0)])
    result = solve_problem(problem, CBC)
    assert result.status == SolveStatus.OPTIMAL
    # 3 agents, lunches at 11, 12 and 13: 2 at work then, 3 (one over) in the 5 other hours.
    assert result.outcome.objective == pytest.approx(3 * 10 + 5 * 1)
    frame = schedule_frame(result)
    lunches = frame[frame["activity"] == "lunch"]
    assert sorted(lunches["activity_start"].dt.hour) == [11, 12, 13]
    assert not lunches["paid"].any()
    cover = recompute_coverage(frame, problem)["service"]
    np.testing.assert_allclose(cover, scheduled(result, "service"))
    assert cover[8:16].tolist() == [3, 3, 3, 2, 2, 2, 3, 3]
    assert result.paid_hours == pytest.approx(3 * 7)


def test_short_break_takes_its_share_of_a_long_interval():
    brk = BreakRule(15, paid=True, earliest_after_min=120, latest_after_min=120)
    day = ShiftTemplate("day", "08:00", "08:00", (4.0,), days=("Mon",), cost=10, breaks=(brk,))
    rules = Rules(understaff_penalty=20, overstaff_penalty=1)  # a second agent costs more
    problem = make_problem([day], [lambda ax: live("service", ax, [(0, 8, 12)])], rules=rules)
    result = solve_problem(problem, HIGHS)
    assert result.outcome.objective == pytest.approx(10 + 0.25 * 20)
    frame = schedule_frame(result)
    cover = recompute_coverage(frame, problem)["service"]
    assert cover[8:12].tolist() == pytest.approx([1.0, 1.0, 0.75, 1.0])
    np.testing.assert_allclose(cover, scheduled(result, "service"))


def test_universal_agent_never_counts_fully_toward_two_queues():
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    problem = make_problem(
        [day],
        [
            lambda ax: live("service", ax, [(0, 8, 16)], value=1.5),
            lambda ax: live("sales", ax, [(0, 8, 16)], value=0.5),
        ],
    )
    result = solve_problem(problem, HIGHS)
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(20.0)  # 2 agents, no deviation
    frame = schedule_frame(result)
    cover = recompute_coverage(frame, problem)
    for queue in ("service", "sales"):
        np.testing.assert_allclose(cover[queue], scheduled(result, queue), atol=1e-5)
        np.testing.assert_allclose(cover[queue], problem.queue(queue).required, atol=1e-5)
    assert agent_load(frame, problem).max() <= 1 + 1e-6


def test_specialists_and_blended_groups_split_by_skill():
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    groups = (
        AgentGroup("service", ("service",)),
        AgentGroup("blended", ("service", "outbound"), cost_factor=1.2),
    )
    outbound = QueueDemand("outbound", "outbound", np.zeros(168), hours_per_day=(4.0,) + (0.0,) * 6)
    problem = make_problem(
        [day],
        [lambda ax: live("service", ax, [(0, 8, 16)], value=1.5), outbound],
        groups=groups,
    )
    result = solve_problem(problem, HIGHS)
    assert result.status == SolveStatus.OPTIMAL
    frame = schedule_frame(result)
    cover = recompute_coverage(frame, problem)
    np.testing.assert_allclose(cover["service"], problem.queue("service").required, atol=1e-5)
    assert cover["outbound"].sum() == pytest.approx(4.0)  # 4 agent-hours placed on Monday
    assert set(frame.loc[frame["queue"] == "outbound", "team"]) == {"blended"}
    assert agent_load(frame, problem).max() <= 1 + 1e-6
    # one specialist + one blended agent (half service, half outbound) is optimal
    assert result.cost == pytest.approx(10 + 12)


def test_backlog_empties_by_its_deadline():
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    arrivals = np.zeros(168)
    arrivals[8] = 4.0  # 4 agent-hours of email arrive at 08:00, due within 4 hours
    email = QueueDemand("email", "email", np.zeros(168), arrivals=arrivals, deadline_intervals=4)
    problem = make_problem(
        [day], [lambda ax: live("service", ax, [(0, 8, 16)]), email], cyclic=False
    )
    result = solve_problem(problem, HIGHS)
    assert result.status == SolveStatus.OPTIMAL
    cov = result.coverage[result.coverage["queue"] == "email"]
    done = cov["scheduled"].to_numpy()
    backlog = cov["backlog"].to_numpy()
    # arrived during 08:00-09:00, due 4 h later: done by the end of the 12:00 interval
    assert done[8:13].sum() == pytest.approx(4.0)
    assert backlog[12:].max() == pytest.approx(0.0, abs=1e-6)
    assert not [v for v in result.violations if v.rule == "deadline"]
    assert result.outcome.objective == pytest.approx(2 * 10 + 4 * 1)  # 4 idle hours


def test_distinct_shift_penalty_reduces_distinct_shifts():
    template = ShiftTemplate("day", "06:00", "07:00", (8.0, 9.0), start_step_min=60, cost=10)
    queues = [lambda ax: live("service", ax, [(0, 6, 14), (1, 7, 15)])]
    free = solve_problem(make_problem([template], queues), HIGHS)
    assert free.outcome.objective == pytest.approx(20.0)
    assert free.distinct_shifts == 2
    rules = Rules(understaff_penalty=1000, overstaff_penalty=1, distinct_shift_penalty=50)
    fewer = solve_problem(make_problem([template], queues, rules=rules), HIGHS)
    assert fewer.distinct_shifts == 1  # 06:00 for 9 h on both days, one hour over each day
    assert fewer.outcome.objective == pytest.approx(2 * 10 + 2 * 1 + 50)
    assert {v.rule for v in fewer.violations} == {"overstaff", "distinct_shifts"}


@pytest.mark.parametrize("solver", [HIGHS, CBC], ids=["highs", "cbc"])
def test_hard_coverage_infeasible_names_the_intervals(solver):
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    rules = Rules(hard_coverage=True)
    problem = make_problem(
        [day], [lambda ax: live("service", ax, [(0, 8, 16), (0, 3, 4)])], rules=rules
    )
    result = solve_problem(problem, solver)
    assert result.status == SolveStatus.INFEASIBLE
    assert result.outcome.objective is None
    assert [(s.interval_start.hour, s.short, s.reason) for s in result.shortfalls] == [
        (3, pytest.approx(1.0), "no shift covers it")
    ]


def test_head_count_limits_and_is_named():
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    groups = (AgentGroup("service", ("service",), max_count=1),)
    problem = make_problem(
        [day], [lambda ax: live("service", ax, [(0, 8, 16)], value=2.0)], groups=groups
    )
    result = solve_problem(problem, HIGHS)
    assert result.understaffed_intervals == 8
    assert {s.reason for s in result.shortfalls} == {"not enough agents with the skill"}


@pytest.mark.parametrize("interval", [15, 30, 60])
def test_interval_lengths(interval):
    day = ShiftTemplate("day", "09:00", "10:00", (8.0,), start_step_min=15, days=("Tue",), cost=10)
    problem = make_problem(
        [day],
        [lambda ax: live("service", ax, [(1, 9, 17)], value=2.0, interval=interval)],
        interval=interval,
    )
    assert len(problem.axis) == 7 * 24 * 60 // interval
    result = solve_problem(problem, HIGHS)
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(20.0)
    cover = recompute_coverage(schedule_frame(result), problem)["service"]
    np.testing.assert_allclose(cover, problem.queues[0].required)


def test_dst_week_places_starts_by_local_clock():
    # Sunday 29 March 2026: Europe/London springs forward, the day has 92 quarter-hours.
    tz = "Europe/London"
    axis = week_axis("2026-03-23", tz, 15)
    assert len(axis) == 7 * 96 - 4
    required = np.zeros(len(axis))
    local = axis.tz_convert(tz)
    sunday = (
        (local.date == pd.Timestamp("2026-03-29").date()) & (local.hour >= 6) & (local.hour < 14)
    )
    required[sunday] = 1.0
    day = ShiftTemplate("day", "06:00", "06:00", (8.0,), days=("Sun",), cost=10)
    problem = make_problem(
        [day],
        [QueueDemand("service", "voice", required)],
        interval=15,
        tz=tz,
        week="2026-03-23",
    )
    result = solve_problem(problem, HIGHS)
    assert result.outcome.objective == pytest.approx(10.0)
    frame = schedule_frame(result)
    assert frame["shift_start"].iloc[0].tz_convert(tz).hour == 6
    cover = recompute_coverage(frame, problem)["service"]
    np.testing.assert_allclose(cover, required)


def test_model_has_named_constraints():
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    problem = make_problem([day], [lambda ax: live("service", ax, [(0, 8, 16)])])
    model = build_model(problem)
    names = set(model.lp.constraints)
    assert any(
        name.startswith("cover_service_2026_11_30T09:00") or "2026" in name for name in names
    )
    assert sum(name.startswith("cover_service") for name in names) == 168


def _relaxation(lp) -> float:
    lp.solve(pulp.HiGHS(msg=False, mip=False))
    return pulp.value(lp.objective)


def test_coverage_rounding_cuts_close_the_lp_gap_and_keep_the_optimum():
    # 1.5 agents needed 08-16: the LP buys 1.5 shifts (15), whole agents cost 2 shifts and half
    # an agent over in 8 hours (20 + 4). The rounding cut N + s / 0.5 >= 2 makes the LP pay 24.
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    problem = make_problem([day], [lambda ax: live("service", ax, [(0, 8, 16)], value=1.5)])
    result = solve_problem(problem, HIGHS)  # the integer optimum is the same
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(24.0)
    cut = build_model(problem).lp
    names = [name for name in cut.constraints if name.startswith("round_")]
    assert len(names) == 8  # one queue, eight hours with a fractional requirement
    plain = build_model(problem).lp
    for name in names:
        del plain.constraints[name]
    assert _relaxation(plain) == pytest.approx(15.0)
    assert _relaxation(cut) == pytest.approx(24.0)


def test_coverage_rounding_skips_whole_requirements_and_fractional_break_shares():
    day = ShiftTemplate("day", "08:00", "08:00", (8.0,), days=("Mon",), cost=10)
    whole = make_problem([day], [lambda ax: live("service", ax, [(0, 8, 16)], value=2.0)])
    assert not [n for n in build_model(whole).lp.constraints if n.startswith("round_")]
    # a 15-minute break in a 60-minute interval takes a quarter agent: no whole count there
    brk = BreakRule(15, paid=True, earliest_after_min=120, latest_after_min=120)
    short = ShiftTemplate("day", "08:00", "08:00", (4.0,), days=("Mon",), cost=10, breaks=(brk,))
    problem = make_problem([short], [lambda ax: live("service", ax, [(0, 8, 12)], value=1.5)])
    names = [n for n in build_model(problem).lp.constraints if n.startswith("round_")]
    clocks = {re.search(r"T(\d\d:\d\d)", n).group(1) for n in names}
    assert clocks == {"08:00", "09:00", "11:00"}  # not 10:00, the break's hour
