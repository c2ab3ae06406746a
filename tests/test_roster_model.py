"""Roster model: known optima, export coverage equals the model's, infeasibility reasons."""

from __future__ import annotations

import itertools

import numpy as np
import pulp
import pytest

from solvers.roster import (
    RosterOptions,
    build_model,
    check_roster,
    read_result,
    solve,
    solve_roster,
)
from solvers.shift_plan import SolveStatus
from tests._roster_data import (
    agent,
    agents_frame,
    assert_brackets,
    blended_two_days,
    demand,
    make_problem,
    recompute_coverage,
    template,
)
from wfm.config import BreakRule, Queue, SolverOptions

FULL = RosterOptions(start_step_min=None, break_step_min=None)


def test_hand_solvable_week_has_the_known_optimum():
    # Demand: one agent 09-17 Mon-Fri. Two agents: 10/h and 12/h. Optimum: the cheaper agent
    # works the five 8-hour shifts: cost 5 * 8 * 10 = 400, nothing short or over.
    agents = agents_frame(agent("CHEAP", cost=10.0), agent("DEAR", cost=12.0))
    need = demand("service", (0, 1, 2, 3, 4), (9, 17), 1.0)
    problem = make_problem(agents, (template("day", "09:00"),), need)
    result = solve_roster(problem, FULL)
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(400.0)
    assert result.cost == pytest.approx(400.0)
    assert result.hours_by_agent() == {"CHEAP": 40.0, "DEAR": 0.0}
    assert result.understaffed_intervals == 0


def test_cyclic_week_sunday_night_covers_monday_morning():
    agents = agents_frame(agent("N", cost=10.0))
    shifts = (template("night", "22:00", 8.0, days=("Sun",)),)
    need = demand("service", (6,), (22, 24), 1.0) | demand("service", (0,), (0, 6), 1.0)
    problem = make_problem(agents, shifts, need, cyclic=True)
    result = solve_roster(problem, FULL)
    assert result.status == SolveStatus.OPTIMAL
    assert result.outcome.objective == pytest.approx(80.0)  # one night shift, nothing short
    assert result.understaffed_intervals == 0
    covered = result.coverage.set_index("interval_start")["scheduled"]
    assert covered.iloc[0] == pytest.approx(1.0)  # Monday 00:00 of the same week
    assert not check_roster(result)


def test_export_coverage_equals_model_with_breaks_and_blended_agents():
    queues = (Queue("service", "voice", priority=2.0), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",)),
        agent("S2", ("service",)),
        agent("B1", ("service", "sales")),
        agent("B2", ("service", "sales"), min_hours=16.0),
        agent("U1", ("*",), cost=14.0),
    )
    breaks = (
        BreakRule(15, paid=True, earliest_after_min=90, latest_after_min=150),
        BreakRule(30, paid=False, earliest_after_min=210, latest_after_min=300),
    )
    shifts = (template("day", "08:00", 8.5, latest="10:00", step=30, breaks=breaks),)
    need = {}
    for d in range(3):
        for t in range(8 * 4, 18 * 4):
            need["service", d * 96 + t] = 2.0 + (t % 7) / 3
            need["sales", d * 96 + t] = 1.0 + (t % 5) / 4
    problem = make_problem(agents, shifts, need, queues=queues, interval_minutes=15)
    options = RosterOptions(start_step_min=60, solver=SolverOptions(time_limit_sec=20, gap=0.01))
    result = solve_roster(problem, options)
    assert result.status.has_solution
    segments = result.segments()
    recomputed = recompute_coverage(segments, problem)
    for queue in ("service", "sales"):
        model = result.coverage.loc[result.coverage["queue"] == queue, "scheduled"].to_numpy()
        assert recomputed[queue] == pytest.approx(model, abs=0.01)
    # no agent is at more than 100% of an interval (work + breaks), from the export alone
    seconds = problem.interval_minutes * 60
    for _agent_id, rows in segments[segments["activity"] != "off"].groupby("agent_id"):
        total = np.zeros(problem.n_intervals)
        for row in rows.itertuples():
            for t, start in enumerate(problem.axis):
                end = start + (problem.axis[1] - problem.axis[0])
                overlap = (
                    min(row.activity_end, end) - max(row.activity_start, start)
                ).total_seconds()
                if overlap > 0:
                    total[t] += overlap / seconds
        assert total.max() <= 1 + 1e-6
    assert result.assignment.sum(axis=1).max() <= 1 + 1e-9
    assert not check_roster(result)


def test_infeasible_hard_coverage_names_the_reason():
    agents = agents_frame(agent("A"))
    need = demand("service", (0,), (3, 4), 1.0)  # 03:00, no shift covers it
    problem = make_problem(agents, (template("day", "09:00"),), need, hard_coverage=True)
    result = solve_roster(problem, FULL)
    assert result.status == SolveStatus.INFEASIBLE
    assert result.shortfalls
    first = result.shortfalls[0]
    assert first.queue == "service" and first.interval_start.hour == 3
    assert first.reason == "no shift covers it"
    assert first.short == pytest.approx(1.0)


def test_shortfall_reasons_skill_and_availability():
    queues = (Queue("service", "voice"), Queue("sales", "voice"))
    agents = agents_frame(agent("A", ("service",), days=("Mon",)))
    need = demand("sales", (0,), (9, 17), 1.0) | demand("service", (1,), (9, 17), 1.0)
    problem = make_problem(agents, (template("day", "09:00"),), need, queues=queues)
    result = solve_roster(problem, FULL)
    reasons = {(s.queue, s.interval_start.dayofweek): s.reason for s in result.shortfalls}
    assert reasons["sales", 0] == "no agent has the skill"
    assert reasons["service", 1].startswith("availability")


def test_two_stage_bound_is_valid_and_matches_the_one_stage_optimum():
    # blended and universal agents: the two-stage solve (LP bound, MIP on the LP's shifts) reports
    # a bound no larger than the one-stage optimum and an objective no smaller
    problem = blended_two_days()
    solver = SolverOptions(time_limit_sec=20, gap=1e-6)
    one = solve_roster(
        problem,
        RosterOptions(method="two_stage", start_step_min=None, lp_support=None, solver=solver),
    )
    two = solve_roster(
        problem,
        RosterOptions(method="two_stage", start_step_min=None, lp_support=0.05, solver=solver),
    )
    assert one.status == SolveStatus.OPTIMAL
    assert_brackets(two, one.outcome.objective)


def test_lp_rounded_roster_keeps_agent_rules_and_deals_out_symmetric_agents():
    # four identical agents, two start times each needed by two agents every weekday: an
    # interior-point LP gives all four the same spread values; the rounding must deal the
    # pooled plan out (two early, two late) and keep hours, days off, rest, consecutive days
    import pulp

    from solvers.roster import build_model, complete_roster, lp_rounded_roster

    agents = agents_frame(*(agent(f"A{i}", min_hours=32.0, max_hours=40.0) for i in range(4)))
    shifts = (template("day", "06:00", 8.0, latest="14:00", step=480),)
    need = demand("service", (0, 1, 2, 3, 4), (6, 22), 2.0)
    problem = make_problem(agents, shifts, need)
    model = build_model(problem, FULL)
    model.lp.solve(pulp.HiGHS(mip=False, msg=False, solver="ipm", run_crossover="off"))
    lp_values = {key: float(var.varValue or 0.0) for key, var in model.ctx.w.items()}
    chosen = lp_rounded_roster(model.ctx, lp_values)
    ctx = model.ctx
    rest = problem.rules.min_rest_hours * 60 / problem.interval_minutes
    for a, info in enumerate(ctx.agents):
        week = sorted((v for aa, v in chosen if aa == a), key=lambda v: ctx.start[v])
        days = [ctx.variant(v).day for v in week]
        hours = sum(ctx.variant(v).paid_minutes for v in week) / 60
        assert len(set(days)) == len(days) <= 7 - problem.rules.days_off_per_week
        assert info.min_hours_week - 1e-9 <= hours <= info.max_hours_week + 1e-9
        assert all(ctx.start[u] >= ctx.end[v] + rest for v, u in itertools.pairwise(week))
        assert all(days[i + 5] - days[i] > 5 for i in range(len(days) - 5))
    counts = {}
    for _a, v in chosen:
        key = (ctx.variant(v).day, ctx.variant(v).start_clock_min)
        counts[key] = counts.get(key, 0) + 1
    assert max(counts.values()) <= 2  # dealt out, not all four on one shift
    start, _sec = complete_roster(model, SolverOptions(time_limit_sec=10, gap=0.0), chosen, 10.0)
    assert start is not None  # the rounded roster is feasible for the whole model
    one = solve_roster(
        problem, RosterOptions(method="two_stage", start_step_min=None, lp_support=None)
    )
    two = solve_roster(
        problem, RosterOptions(method="two_stage", start_step_min=None, lp_support=0.05)
    )
    assert two.outcome.bound <= one.outcome.objective + 1e-6 <= two.outcome.objective + 2e-6
    assert two.understaffed_intervals == one.understaffed_intervals == 0


def test_plan_then_assign_gives_a_feasible_roster_at_the_optimum():
    # the plan-then-assign primal (shift plan, then agents assigned to its shifts) on blended
    # agents with breaks: a roster that keeps every rule, objective >= the LP bound, and here
    # (the plan's shifts fit the agents) the one-stage optimum
    queues = (Queue("service", "voice", priority=2.0), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",)),
        agent("S2", ("service",), min_hours=8.0),
        agent("B1", ("service", "sales"), min_hours=16.0),
        agent("U1", ("*",), cost=14.0),
    )
    lunch = BreakRule(30, paid=False, earliest_after_min=180, latest_after_min=300, name="lunch")
    shifts = (template("day", "08:00", 8.0, latest="10:00", step=60, breaks=(lunch,)),)
    need = {}
    for d in range(2):
        for t in range(8, 18):
            need["service", d * 24 + t] = 1.0 + (t % 3) / 2
            need["sales", d * 24 + t] = 0.5 + (t % 2) / 2
    problem = make_problem(agents, shifts, need, queues=queues)
    solver = SolverOptions(time_limit_sec=20, gap=1e-6)
    one = solve_roster(
        problem,
        RosterOptions(method="two_stage", start_step_min=None, lp_support=None, solver=solver),
    )
    model = build_model(
        problem,
        RosterOptions(
            method="two_stage",
            start_step_min=None,
            plan_assign="plan",
            dive_rounds=1,
            solver=solver,
        ),
    )
    pta = read_result(model, solve(model))
    assert "plan_sec" in model.stages and model.stages["missed_plan_shifts"] == 0
    assert one.status == SolveStatus.OPTIMAL and pta.status.has_solution
    assert pta.outcome.bound <= one.outcome.objective + 1e-6
    assert pta.outcome.objective >= pta.outcome.bound - 1e-6
    assert pta.outcome.objective == pytest.approx(one.outcome.objective, rel=1e-6)
    assert not check_roster(pta)
    hours = pta.hours_by_agent()
    assert hours["B1"] >= 16.0 - 1e-9 and hours["S2"] >= 8.0 - 1e-9


def _with_and_without(problem, prefix: str):
    """The roster model with and without its constraints named ``prefix...`` (a cut rule):
    (those names, [integer optimum with, without], [LP relaxation with, without]); both
    integer solves must be optimal."""
    options = RosterOptions(method="two_stage", start_step_min=None, lp_support=None)
    cut, plain = build_model(problem, options), build_model(problem, options)
    names = [name for name in cut.lp.constraints if name.startswith(prefix)]
    for name in names:
        del plain.lp.constraints[name]
    solver = SolverOptions(time_limit_sec=20, gap=0.0)
    outcomes = [solve(m, solver) for m in (cut, plain)]
    assert all(o.status == SolveStatus.OPTIMAL for o in outcomes)
    relaxed = []
    for m in (cut, plain):
        m.lp.solve(pulp.HiGHS(msg=False, mip=False))
        relaxed.append(pulp.value(m.lp.objective))
    return names, [o.objective for o in outcomes], relaxed


def test_coverage_rounding_cuts_keep_the_roster_optimum_and_raise_the_lp_bound():
    # 1.25 service and 0.5 sales agents 08-16 on two days: a service specialist, a service+sales
    # agent and a universal agent; 1.75 agents in the LP, two whole agents in a roster. The
    # rounding cuts over {service}, {sales} and both leave the integer optimum as it is and
    # lift the LP relaxation to it.
    queues = (Queue("service", "voice", priority=2.0), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",)), agent("B1", ("service", "sales")), agent("U1", ("*",), cost=14.0)
    )
    need = {**demand("service", (0, 1), (8, 16), 1.25), **demand("sales", (0, 1), (8, 16), 0.5)}
    problem = make_problem(agents, (template("day", "08:00", 8.0),), need, queues=queues)
    names, best, relaxed = _with_and_without(problem, "round_")
    assert {n.split("_")[1] for n in names} == {"service", "sales"}
    assert any(n.startswith("round_service_sales_") for n in names)
    assert best[0] == pytest.approx(best[1])
    assert relaxed[1] < relaxed[0] - 1.0
    assert relaxed[0] == pytest.approx(best[0])


def test_day_patterns_keep_the_roster_optimum_and_close_the_days_off_gap():
    # Work on Tue and Thu-Sun, none on Mon and Wed: a roster either takes Mon and Wed off (apart,
    # 20) or works a day with nothing to do and leaves one short. The pair formulation's LP
    # works Tue and Wed half each and calls both pairs half off (7.6); no mix of weeks does
    # that, and with the working-day patterns the LP is the integer optimum (11.2).
    agents = agents_frame(agent("A", max_hours=60, cost=0.1))
    need = demand("service", (1, 3, 4, 5, 6), (9, 17), 1.0)
    problem = make_problem(
        agents,
        (template("day", "09:00"),),
        need,
        consecutive_days_off_penalty=20.0,
        understaff_penalty=1.0,
        overstaff_penalty=1.0,
    )
    names, best, relaxed = _with_and_without(problem, "pattern_")
    assert "pattern_apart_A" in names and len(names) == 1 + 7 + 1
    assert best == pytest.approx([11.2, 11.2])
    assert relaxed == pytest.approx([11.2, 7.6])
