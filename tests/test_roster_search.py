"""Local search and fix-and-optimise by day on a roster (solvers.roster_search), real HiGHS."""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from solvers.decompose import matrix_of
from solvers.roster import RosterOptions, _complete, build_model, check_roster, read_result
from solvers.roster_search import improve, improve_by_day
from solvers.shift_plan import SolveOutcome, SolveStatus
from tests._roster_data import agent, agents_frame, make_problem, template
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
    start, _ = _complete(model, SOLVER, chosen, 20.0)
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
