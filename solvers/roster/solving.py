"""Solving a roster model: :func:`solve` picks the method; :func:`solve_roster` and
:func:`solve_problem` build, solve and read back."""

from __future__ import annotations

import dataclasses

from solvers.problem import ScheduleProblem
from solvers.roster.export import check_roster
from solvers.roster.model import build_model
from solvers.roster.price_dive import solve_price_dive
from solvers.roster.read_back import read_result
from solvers.roster.two_stage import _warm_start, solve_two_stage
from solvers.roster.types import RosterModel, RosterOptions, RosterResult
from solvers.shift_plan import (
    ShiftPlanModel,
    Shortfall,
    SolveOutcome,
    SolveStatus,
)
from solvers.shift_plan import solve as solve_plan
from wfm.config import SolverOptions

# --------------------------------------------------------------------------- solve


def solve(model: RosterModel, options: SolverOptions | None = None) -> SolveOutcome:
    """Solve with the solver named in ``options`` (default: the model's, then the problem's).

    With ``RosterOptions.warm_start`` the solver starts from a greedy roster (see
    :func:`greedy_roster`) completed by solving the model with those shifts fixed; the time
    spent on that is part of ``solve_sec`` and of the time limit.
    """
    options = options or model.options.solver or model.problem.solver
    plan_model = ShiftPlanModel(lp=model.lp, ctx=model.ctx.plan)
    if model.options.method not in ("two_stage", "price_dive"):
        raise ValueError(f"unknown roster method {model.options.method!r}")
    if model.options.method == "price_dive" and options.name == "highs":
        outcome = solve_price_dive(model, options)
        if outcome is not None:
            return outcome
    if model.options.lp_support is not None and options.name == "highs":
        outcome = solve_two_stage(model, options)
        if outcome is not None:
            return outcome
    start = None
    spent = 0.0
    if model.options.warm_start:
        start, spent = _warm_start(model, options)
    if start is not None:
        options = dataclasses.replace(
            options, time_limit_sec=max(1.0, options.time_limit_sec - spent)
        )
    outcome = solve_plan(plan_model, options, start=start)
    return dataclasses.replace(outcome, solve_sec=outcome.solve_sec + spent)


def solve_roster(problem: ScheduleProblem, options: RosterOptions | None = None) -> RosterResult:
    """Build, solve and read a roster (the entry point of ``wfm schedule --agents``).

    When ``hard_coverage`` makes the model infeasible, the same roster is solved once more with
    soft coverage to find out what cannot be covered; the result keeps the infeasible status and
    carries those shortfalls (queue, interval, agents short, reason).
    """
    options = options or RosterOptions()
    model = build_model(problem, options)
    outcome = solve(model)
    result = read_result(model, outcome)
    if options.check and result.status.has_solution:
        problems = check_roster(result)
        if problems:
            raise RuntimeError("roster read-back does not match the model: " + problems[0])
    if outcome.status == SolveStatus.INFEASIBLE and problem.rules.hard_coverage:
        soft = problem.replace(rules=dataclasses.replace(problem.rules, hard_coverage=False))
        diagnosis_model = build_model(soft, options)
        diagnosis = read_result(diagnosis_model, solve(diagnosis_model))
        shortfalls = diagnosis.shortfalls
        if not diagnosis.status.has_solution:
            shortfalls = (
                Shortfall(
                    queue="",
                    interval_start=problem.axis[0],
                    short=0.0,
                    unit="agents",
                    reason="the roster rules cannot all hold together (minimum hours, "
                    "availability, days off, rest, consecutive days)",
                ),
            )
        result = dataclasses.replace(result, shortfalls=shortfalls)
    return result


def solve_problem(problem: ScheduleProblem, options: RosterOptions | None = None) -> RosterResult:
    """``wfm schedule --agents`` entry point (:func:`solve_roster`; without ``options``, the
    method is ``[solver] roster_method`` of the configuration)."""
    return solve_roster(problem, options or RosterOptions(method=problem.solver.roster_method))
