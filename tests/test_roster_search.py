"""Local search, fix-and-optimise by day and by skill groups on a roster (solvers.roster.search),
real HiGHS."""

from __future__ import annotations

import dataclasses

import numpy as np
import pulp
import pytest

from solvers.decompose import matrix_of
from solvers.roster import (
    RosterOptions,
    RosterParams,
    build_model,
    check_roster,
    complete_roster,
    read_result,
    solve,
)
from solvers.roster.search import (
    group_neighbourhoods,
    improve,
    improve_agent_weeks,
    improve_by_day,
    improve_by_group_days,
    improve_by_groups,
    improve_by_queue_days,
    rins_bounds,
    sub_mip,
)
from solvers.roster.search.state import layout_of, understaffing
from solvers.shift_plan import SolveOutcome, SolveStatus
from tests._roster_data import agent, agents_frame, demand, make_problem, mixed_week, template
from wfm.config import BreakRule, Queue, SolverOptions

SOLVER = SolverOptions(time_limit_sec=20, gap=1e-6)


def _late_peak_model():
    """Two days, service 1 agent all day and 3 from 12:00 to 20:00, sales 1 agent 14:00-20:00;
    four agents (two service specialists, a service+sales and a universal agent) on 8-hour
    shifts starting 08:00-12:00 with a 60-minute break 2-4 hours in."""
    queues = (Queue("service", "voice", priority=2.0), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",)),
        agent("S2", ("service",), cost=11.0),
        agent("B1", ("service", "sales"), min_hours=8.0),
        agent("U1", ("*",), cost=14.0),
    )
    lunch = BreakRule(60, paid=False, earliest_after_min=120, latest_after_min=240)
    shifts = (template("day", "08:00", 8.0, latest="12:00", step=60, breaks=(lunch,)),)
    need = {}
    for d in range(2):
        for t in range(8, 20):
            need["service", d * 24 + t] = 3.0 if t >= 12 else 1.0
        for t in range(14, 20):
            need["sales", d * 24 + t] = 1.0
    problem = make_problem(agents, shifts, need, queues=queues)
    return build_model(problem, RosterOptions(start_step_min=None, solver=SOLVER))


def _early_start(model):
    """Everyone on the 08:00 shift both days (breaks and queue split solved): a poor roster."""
    ctx = model.ctx
    chosen = set()
    for a in range(len(ctx.agents)):
        first = {}
        for v in ctx.by_agent[a]:
            d = ctx.variant(v).day
            if d >= 2:
                continue  # the demand days only (days off elsewhere)
            if d not in first or ctx.start[v] < ctx.start[first[d]]:
                first[d] = v
        chosen.update((a, v) for v in first.values())
    start, _ = complete_roster(model, SOLVER, chosen, 20.0)
    assert start is not None
    matrix = matrix_of(model.lp)
    return matrix, np.array([start[v.name] for v in matrix.variables])


def _feasible(matrix, x, tol=1e-6) -> bool:
    activity = matrix.matrix @ x
    rows = (activity >= matrix.row_lower - tol).all() and (activity <= matrix.row_upper + tol).all()
    cols = (x >= matrix.lower - tol).all() and (x <= matrix.upper + tol).all()
    whole = np.abs(x[matrix.integer] - np.round(x[matrix.integer])).max() <= tol
    return bool(rows and cols and whole)


def _read(model, matrix, x, objective):
    for var, value in zip(matrix.variables, x, strict=True):
        var.varValue = float(value)
    outcome = SolveOutcome(
        status=SolveStatus.FEASIBLE,
        objective=objective,
        bound=None,
        gap=None,
        solve_sec=0.0,
        solver="highs",
    )
    return read_result(model, outcome)


def test_local_search_improves_a_poor_roster_and_keeps_it_feasible():
    model = _late_peak_model()
    matrix, start = _early_start(model)
    start_objective = float(matrix.cost @ start + matrix.constant)
    found = improve(model.ctx, matrix, start, time_limit_sec=30)
    assert found is not None
    assert found.start_objective == pytest.approx(start_objective, rel=1e-9)
    # the everyone-early roster leaves the afternoon short: moving shifts later must pay
    assert found.objective < start_objective - 1000
    assert found.stats["moves"] >= 1
    # the objective reported is the point's own value, and the point is feasible for the
    # whole model (every agent rule, break count and coverage row), integral where it must be
    assert float(matrix.cost @ found.x + matrix.constant) == pytest.approx(found.objective)
    assert _feasible(matrix, found.x)
    result = _read(model, matrix, found.x, found.objective)
    assert not check_roster(result)  # coverage recomputed from the export matches the model's


def test_fix_and_optimise_by_day_improves_and_never_worsens():
    model = _late_peak_model()
    matrix, start = _early_start(model)
    start_objective = float(matrix.cost @ start + matrix.constant)
    found = improve_by_day(model.ctx, matrix, start, time_limit_sec=30)
    assert found.objective < start_objective - 1000
    assert found.stats["days_improved"] >= 1
    assert float(matrix.cost @ found.x + matrix.constant) == pytest.approx(found.objective)
    assert _feasible(matrix, found.x)
    # the optimum of the whole model is a lower bound of any roster found
    model.lp.solve(pulp.HiGHS(msg=False, timeLimit=30))
    optimum = float(model.lp.objective.value())
    assert found.objective >= optimum - 1e-6
    again = improve_by_day(model.ctx, matrix, found.x, time_limit_sec=30)
    assert again.objective <= found.objective + 1e-6
    result = _read(model, matrix, found.x, found.objective)
    assert not check_roster(result)


def test_rins_bounds_fix_only_what_the_lp_relaxation_agrees_on():
    model = _late_peak_model()
    matrix, start = _early_start(model)
    lower, upper = rins_bounds(matrix, matrix.lower, matrix.upper, start, None)
    newly = (lower == upper) & (matrix.lower < matrix.upper)
    assert newly.any() and (matrix.integer & (lower < upper)).any()
    assert matrix.integer[newly].all()  # continuous columns stay free
    assert (start >= lower).all() and (start <= upper).all()  # the incumbent stays feasible
    assert (lower >= matrix.lower).all() and (upper <= matrix.upper).all()
    found, value, _optimal = sub_mip(matrix, lower, upper, start, 20.0, None)
    assert found is not None and _feasible(matrix, found)
    assert value <= float(matrix.cost @ start + matrix.constant) + 1e-6
    assert value == pytest.approx(float(matrix.cost @ found + matrix.constant))
    fixed = lower == upper  # taken out of the sub-MIP and put back as they were
    assert np.array_equal(found[fixed], lower[fixed])


def test_day_search_solves_restricted_days_first_then_whole_days():
    # with ``rins`` a day is first re-planned within what its LP agrees on; once that finds
    # nothing the whole day MIP runs, so the search still ends with every day optimal
    model = _late_peak_model()
    matrix, start = _early_start(model)
    start_objective = float(matrix.cost @ start + matrix.constant)
    found = improve_by_day(model.ctx, matrix, start, time_limit_sec=60, rins=True)
    whole = improve_by_day(model.ctx, matrix, start, time_limit_sec=60, rins=False)
    assert found.objective < start_objective - 1000 and whole.objective < start_objective - 1000
    assert found.stats["day_mips"] > whole.stats["day_mips"]  # the restricted ones as well
    assert _feasible(matrix, found.x)
    again = improve_by_day(model.ctx, matrix, found.x, time_limit_sec=60, rins=False)
    assert again.stats["days_improved"] == 0
    assert again.objective == pytest.approx(found.objective)


def _count_sub_mips(monkeypatch) -> dict[str, int]:
    """Count the RINS LPs (``rins``) and sub-MIPs (``mip``) the searches solve, through the
    real functions."""
    import solvers.roster.search.fix_optimise as loop

    calls = {"rins": 0, "mip": 0}
    rins, mip = loop.rins_bounds, loop.sub_mip

    def counted_rins(*args):
        calls["rins"] += 1
        return rins(*args)

    def counted_mip(*args):
        calls["mip"] += 1
        return mip(*args)

    monkeypatch.setattr(loop, "rins_bounds", counted_rins)
    monkeypatch.setattr(loop, "sub_mip", counted_mip)
    return calls


def test_day_search_restricted_only_and_one_cycle_when_gains_are_small(monkeypatch):
    # ``whole=False`` solves every day restricted and never whole; a ``repeat_gain`` above
    # what a cycle gains ends it after one cycle (at most one sub-MIP a day)
    model = _late_peak_model()
    matrix, start = _early_start(model)
    calls = _count_sub_mips(monkeypatch)
    only = improve_by_day(model.ctx, matrix, start, time_limit_sec=60, whole=False)
    assert calls["mip"] == calls["rins"] == only.stats["day_mips"] > 0
    assert only.objective < float(matrix.cost @ start + matrix.constant) - 1000
    calls.update(rins=0, mip=0)
    improve_by_day(model.ctx, matrix, start, time_limit_sec=60)
    assert calls["mip"] > calls["rins"] > 0  # whole days after the restricted ones
    once = improve_by_day(model.ctx, matrix, start, time_limit_sec=60, whole=False, repeat_gain=1.0)
    assert 0 < once.stats["day_mips"] <= model.ctx.problem.n_days < only.stats["day_mips"]


def test_whole_day_mips_only_where_understaffed_beyond_the_reference(monkeypatch):
    # the searches rank by understaffing beyond a reference point (what the LP leaves short
    # no roster covers): none beyond the roster itself, all of it beyond a point short nowhere;
    # with ``whole_if_urgent`` a day is solved whole only while it is short beyond it
    model = _late_peak_model()
    matrix, start = _early_start(model)
    layout = layout_of(model.ctx, matrix)
    short = understaffing(layout, start, slice(None))
    assert short > 1000  # the early roster leaves the afternoons short
    assert understaffing(layout, start, slice(None), reference=start) == 0.0
    nowhere = start.copy()
    nowhere[layout.under[layout.under >= 0]] = 0.0
    assert understaffing(layout, start, slice(None), reference=nowhere) == short
    calls = _count_sub_mips(monkeypatch)
    ctx = model.ctx
    everywhere = start.copy()  # a reference as short as can be: no day is ever urgent
    everywhere[layout.under[layout.under >= 0]] = 1e9
    found = improve_by_day(ctx, matrix, start, 60, whole_if_urgent=True, reference=everywhere)
    assert calls["mip"] == calls["rins"] > 0  # restricted days only
    assert found.objective < float(matrix.cost @ start + matrix.constant) - 1000
    assert _feasible(matrix, found.x)


def test_fix_and_optimise_stops_at_the_target_objective():
    # a roster within the gap asked for ends the search: at a target above the start nothing
    # is solved; at one a little below it the search stops once the roster is there
    model = _late_peak_model()
    matrix, start = _early_start(model)
    start_objective = float(matrix.cost @ start + matrix.constant)
    idle = improve_by_day(model.ctx, matrix, start, time_limit_sec=30, target=start_objective)
    assert idle.stats["day_mips"] == 0 and idle.objective == pytest.approx(start_objective)
    full = improve_by_day(model.ctx, matrix, start, time_limit_sec=30)
    target = start_objective - 1000
    assert full.objective < target
    early = improve_by_day(model.ctx, matrix, start, time_limit_sec=30, target=target)
    assert early.objective <= target
    assert early.stats["day_mips"] <= full.stats["day_mips"]


def _wrong_day_model():
    """Demand on Tuesday only (service 2 agents, sales 1, 08:00-16:00), three agents who each
    work exactly one 8-hour shift a week (two service specialists and a service+sales agent),
    and a start roster with all three on Monday: a day MIP can neither drop Monday's shift (the
    weekly minimum) nor add Tuesday's (the maximum), only a week-long neighbourhood can move it."""
    queues = (Queue("service", "voice"), Queue("sales", "voice"))
    agents = agents_frame(
        agent("S1", ("service",), min_hours=8.0, max_hours=8.0),
        agent("S2", ("service",), min_hours=8.0, max_hours=8.0),
        agent("B1", ("service", "sales"), min_hours=8.0, max_hours=8.0),
    )
    shifts = (template("day", "08:00", 8.0),)
    need = {**demand("service", (1,), (8, 16), 2.0), **demand("sales", (1,), (8, 16), 1.0)}
    problem = make_problem(agents, shifts, need, queues=queues)
    model = build_model(problem, RosterOptions(start_step_min=None, solver=SOLVER))
    ctx = model.ctx
    monday = {(a, v) for a in range(3) for v in ctx.by_agent[a] if ctx.variant(v).day == 0}
    start, _ = complete_roster(model, SOLVER, monday, 20.0)
    assert start is not None
    matrix = matrix_of(model.lp)
    model.lp.solve(pulp.HiGHS(mip=False, msg=False, solver="ipm", run_crossover="off"))
    support = np.array([float(v.varValue or 0.0) for v in matrix.variables])
    return model, matrix, np.array([start[v.name] for v in matrix.variables]), support


def _assert_moved_to_tuesday(model, matrix, start, found) -> None:
    """Every shift of the Monday roster moved to Tuesday (24 agent-intervals no longer short):
    the whole model's optimum, feasible, and the export re-checks."""
    start_objective = float(matrix.cost @ start + matrix.constant)
    assert found.objective < start_objective - 20_000
    assert float(matrix.cost @ found.x + matrix.constant) == pytest.approx(found.objective)
    assert _feasible(matrix, found.x)
    model.lp.solve(pulp.HiGHS(msg=False, timeLimit=30))
    assert found.objective == pytest.approx(float(model.lp.objective.value()), abs=1e-6)
    result = _read(model, matrix, found.x, found.objective)
    assert not check_roster(result)
    assert {model.ctx.variant(shift.variant).day for shift in result.shifts} == {1}


def test_group_neighbourhoods_cover_every_queue_and_pair_sharing_one():
    model = _late_peak_model()
    problem = model.ctx.problem
    hoods = group_neighbourhoods(model.ctx)
    names = [g.name for g in problem.groups]
    # service, a service specialist group and the universal one (service+sales is every queue)
    assert sorted(names) == ["service", "universal"]
    service, universal = names.index("service"), names.index("universal")
    assert (universal,) in hoods  # sales: served by the universal group only
    assert tuple(sorted((service, universal))) in hoods  # service; also the one sharing pair
    assert len(hoods) == len(set(hoods)) == 2


def test_group_neighbourhoods_move_shifts_across_days_where_day_mips_cannot():
    model, matrix, start, support = _wrong_day_model()
    start_objective = float(matrix.cost @ start + matrix.constant)
    by_day = improve_by_day(model.ctx, matrix, start, time_limit_sec=30)
    assert by_day.objective == pytest.approx(start_objective)  # stuck on Monday
    found = improve_by_groups(model.ctx, matrix, start, support, time_limit_sec=30)
    assert found.stats["groups_improved"] >= 1
    _assert_moved_to_tuesday(model, matrix, start, found)


def test_group_day_pairs_move_days_off_where_day_mips_cannot():
    # the same Monday roster: one skill group on Monday and Tuesday may trade the day off, so
    # the service specialists' pair and the service+sales agent each move to Tuesday
    model, matrix, start, _support = _wrong_day_model()
    found = improve_by_group_days(model.ctx, matrix, start, time_limit_sec=30)
    assert found.stats["group_days_improved"] == 2  # one sub-MIP per group, nothing else to do
    _assert_moved_to_tuesday(model, matrix, start, found)
    again = improve_by_group_days(model.ctx, matrix, found.x, time_limit_sec=30)
    assert again.objective == pytest.approx(found.objective)
    assert again.stats["group_days_improved"] == 0


def test_queue_day_pairs_move_every_group_of_a_queue_at_once():
    # the same Monday roster: the service queue on Monday and Tuesday frees both groups that
    # serve it, so one restricted sub-MIP moves all three agents to Tuesday
    model, matrix, start, _support = _wrong_day_model()
    found = improve_by_queue_days(model.ctx, matrix, start, time_limit_sec=30)
    assert found.stats["queue_days_improved"] == 1
    _assert_moved_to_tuesday(model, matrix, start, found)
    again = improve_by_queue_days(model.ctx, matrix, found.x, time_limit_sec=30, whole=True)
    assert again.objective == pytest.approx(found.objective)
    assert again.stats["queue_days_improved"] == 0


def test_agent_weeks_re_plan_the_chosen_agents_whole_weeks_together():
    # the Monday roster: the three agents' weeks freed together move to Tuesday in one
    # sub-MIP (a day MIP cannot: each agent works exactly one shift a week)
    model, matrix, start, _support = _wrong_day_model()
    found = improve_agent_weeks(model.ctx, matrix, start, [0, 1, 2], time_limit_sec=30)
    _assert_moved_to_tuesday(model, matrix, start, found)
    assert found.start_objective == pytest.approx(float(matrix.cost @ start + matrix.constant))


def test_agent_weeks_leave_the_other_agents_as_they_were():
    model, matrix, start, _support = _wrong_day_model()
    ctx = model.ctx
    found = improve_agent_weeks(ctx, matrix, start, [1], time_limit_sec=30)
    assert found.objective < found.start_objective - 1000  # S2 alone to Tuesday
    assert _feasible(matrix, found.x)
    column = {id(var): j for j, var in enumerate(matrix.variables)}
    days = {}
    for (a, v), var in ctx.w.items():
        j = column[id(var)]
        if found.x[j] > 0.5:
            days[a] = ctx.variant(v).day
        if a != 1:
            assert found.x[j] == pytest.approx(start[j])
    assert days == {0: 0, 1: 1, 2: 0}
    none = improve_agent_weeks(ctx, matrix, start, [], time_limit_sec=30)
    assert none.objective == pytest.approx(none.start_objective)
    assert np.array_equal(none.x, start)


def test_group_neighbourhoods_never_worsen_a_roster():
    model = _late_peak_model()
    matrix, start = _early_start(model)
    model.lp.solve(pulp.HiGHS(mip=False, msg=False, solver="ipm", run_crossover="off"))
    support = np.array([float(v.varValue or 0.0) for v in matrix.variables])
    start_objective = float(matrix.cost @ start + matrix.constant)
    found = improve_by_groups(model.ctx, matrix, start, support, time_limit_sec=30)
    assert found.objective < start_objective - 1000
    again = improve_by_groups(model.ctx, matrix, found.x, support, time_limit_sec=30)
    assert again.objective <= found.objective + 1e-6
    assert _feasible(matrix, again.x)


@pytest.mark.parametrize(("max_hours", "merged", "refused"), [(16.0, 1, 0), (8.0, 0, 1)])
def test_parallel_day_mips_merge_only_what_the_agent_week_allows(max_hours, merged, refused):
    # service is needed Monday and Friday 08-16; the only agent starts the week off. The Monday
    # and Friday MIPs run at once from that roster and both give the agent a shift. With 16
    # weekly hours the second is merged into the first; with 8 the merged week breaks the
    # agent's maximum, the LP refuses it, and the roster keeps one shift: the optimum either way.
    agents = agents_frame(agent("A1", ("service",), max_hours=max_hours))
    need = demand("service", (0, 4), (8, 16))
    problem = make_problem(agents, (template("day", "08:00", 8.0),), need)
    model = build_model(problem, RosterOptions(start_step_min=None, solver=SOLVER))
    start, _ = complete_roster(model, SOLVER, set(), 20.0)
    matrix = matrix_of(model.lp)
    x0 = np.array([start[v.name] for v in matrix.variables])
    found = improve_by_day(model.ctx, matrix, x0, time_limit_sec=30, workers=2)
    assert found.stats["days_merged"] == merged
    assert found.stats["merges_refused"] == refused
    assert _feasible(matrix, found.x)
    assert float(matrix.cost @ found.x + matrix.constant) == pytest.approx(found.objective)
    model.lp.solve(pulp.HiGHS(msg=False, timeLimit=30))
    assert found.objective == pytest.approx(float(model.lp.objective.value()))
    assert not check_roster(_read(model, matrix, found.x, found.objective))


def _price_dive_stages(params: RosterParams | None) -> tuple[dict, float]:
    problem = mixed_week(6)
    # a limit far above the second it takes, so the stages' time shares never decide
    solver = SolverOptions(time_limit_sec=120, gap=0.0, threads=1)
    if params is not None:
        solver = dataclasses.replace(solver, roster=params)
    model = build_model(problem, RosterOptions(method="price_dive", solver=solver))
    outcome = solve(model)
    return model.stages, outcome.objective


def test_roster_params_steer_the_price_dive_stages():
    # the dive does not reach the optimum on this week: by default the single-agent moves and
    # the day MIPs run after it; a share of 0 skips a stage (no objective, no counts of it)
    stages, objective = _price_dive_stages(None)
    assert stages["dive_objective"] > stages["lp_bound"] + 1.0
    assert {"search_objective", "tries", "day_objective", "day_mips"} <= set(stages)
    no_moves, _ = _price_dive_stages(RosterParams(moves_share=0.0, final_moves_share=0.0))
    assert "search_objective" not in no_moves and "tries" not in no_moves
    assert "day_objective" in no_moves
    no_days, _ = _price_dive_stages(RosterParams(day_share=0.0, whole_day_share=0.0))
    assert "day_objective" not in no_days and "whole_day_objective" not in no_days
    assert "search_objective" in no_days
    # with every search skipped the roster is the dive's
    off = RosterParams(
        moves_share=0.0,
        repaired_agents=0,
        day_share=0.0,
        queue_day_share=0.0,
        group_day_share=0.0,
        whole_day_share=0.0,
        groups_share=0.0,
        final_moves_share=0.0,
    )
    dived, dived_objective = _price_dive_stages(off)
    assert not {key for key in dived if key.endswith("_objective")} - {"dive_objective"}
    assert dived_objective == dived["dive_objective"] > objective
