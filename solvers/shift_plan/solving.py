"""Solving a shift plan: :func:`solve` (HiGHS or CBC) and :func:`solve_problem` (all steps)."""

from __future__ import annotations

import dataclasses
import math
import re
import tempfile
import time
from pathlib import Path

import pulp

from solvers.highs import HighsWithStart, read_status
from solvers.problem import ScheduleProblem
from solvers.result import SolveOutcome, SolveStatus
from solvers.shift_plan.model import ShiftPlanModel, build_model
from solvers.shift_plan.readback import ShiftPlanResult, read_result
from wfm.config import SolverOptions

__all__ = [
    "solve",
    "solve_problem",
]


def _solver(
    options: SolverOptions, log_path: str | None, start: dict[str, float] | None = None
) -> pulp.LpSolver:
    if options.name == "highs":
        return HighsWithStart(
            start=start,
            msg=options.msg,
            timeLimit=options.time_limit_sec,
            gapRel=options.gap,
            threads=options.threads,
        )
    return pulp.PULP_CBC_CMD(
        warmStart=bool(start),
        msg=options.msg,
        timeLimit=options.time_limit_sec,
        gapRel=options.gap,
        threads=options.threads,
        logPath=log_path,
    )


def _rel_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9) if objective else 0.0


def solve(
    model: ShiftPlanModel,
    options: SolverOptions | None = None,
    start: dict[str, float] | None = None,
) -> SolveOutcome:
    """Solve ``model`` with the solver named in ``options`` (default: the problem's options).

    Returns the status on two axes: proven optimal (within the relative gap ``options.gap``) or
    feasible at the time limit (with the gap reached), infeasible, or no solution found.
    ``start`` (variable name -> value) is handed to the solver as a starting solution.
    """
    options = options or model.problem.solver
    lp = model.lp
    if start and options.name == "cbc":
        for var in lp.variables():
            if var.name in start:
                var.setInitialValue(start[var.name])
    with tempfile.TemporaryDirectory() as tmp:
        log_path = str(Path(tmp) / "cbc.log") if options.name == "cbc" else None
        solver = _solver(options, log_path, start)
        started = time.perf_counter()
        lp.solve(solver)
        elapsed = time.perf_counter() - started
        log = (
            Path(log_path).read_text(errors="replace")
            if log_path and Path(log_path).exists()
            else ""
        )
    objective = pulp.value(lp.objective)
    objective = float(objective) if objective is not None else None
    bound = None
    if options.name == "highs":
        status, objective, bound = read_status(lp, objective)
    else:
        if lp.status == pulp.LpStatusInfeasible:
            status = SolveStatus.INFEASIBLE
        elif lp.sol_status == pulp.LpSolutionOptimal:
            status = SolveStatus.OPTIMAL
        elif lp.sol_status == pulp.LpSolutionIntegerFeasible:
            status = SolveStatus.FEASIBLE
        else:
            status = SolveStatus.NOT_SOLVED
        match = re.findall(r"(?:Lower bound|best possible)[:\s]+(-?[\d.eE+-]+)", log)
        bound = (
            float(match[-1]) if match else (objective if status == SolveStatus.OPTIMAL else None)
        )
    if not status.has_solution:
        objective = None
    gap = _rel_gap(objective, bound) if status.has_solution else None
    if status == SolveStatus.OPTIMAL and gap is not None and gap > options.gap + 1e-9:
        status = SolveStatus.FEASIBLE  # stopped on a limit that the interface reports as optimal
    return SolveOutcome(status, objective, bound, gap, elapsed, options.name)


def _zero_deviation_start(
    problem: ScheduleProblem, options: SolverOptions, started: float, share: float
) -> dict[str, float] | None:
    """A starting plan that covers every live queue exactly, with few distinct shifts.

    Step 1 minimises the distinct shifts of the exact-coverage restriction for a third of its
    budget. If that is not proven optimal and the objective is the distinct-shift count alone
    (shifts cost nothing), the number of distinct shifts is then explored upwards from the
    proven lower bound ``S = ceil(bound / w)``: the restriction with ``sum_s y_s <= S`` is solved
    (a feasibility question that the solver settles much faster), and ``S`` grows by one while
    it is proven infeasible, until a plan better than step 1's is found or the budget is spent.
    """
    budget = options.time_limit_sec * share
    weight = problem.rules.distinct_shift_penalty
    pure_count = weight > 0 and all(
        v.cost * g.cost_factor == 0 for v in problem.variants for g in problem.groups
    )
    first = build_model(problem, zero_deviation=True)
    step_sec = budget / 3 if pure_count else budget
    outcome = solve(first, dataclasses.replace(options, time_limit_sec=max(1.0, step_sec)))
    start = None
    if outcome.status.has_solution:
        start = {var.name: float(var.value() or 0.0) for var in first.lp.variables()}
    if outcome.status != SolveStatus.FEASIBLE or not pure_count or outcome.bound is None:
        return start
    count = math.ceil(outcome.bound / weight - 1e-6)
    best = outcome.objective if outcome.objective is not None else math.inf
    while count * weight < best - 1e-6:
        left = budget - (time.perf_counter() - started)
        if left < 1.0:
            break
        capped = build_model(problem, zero_deviation=True)
        capped.lp += pulp.lpSum(capped.ctx.y.values()) <= count, "distinct_shift_cap"
        trial = solve(capped, dataclasses.replace(options, time_limit_sec=left))
        if trial.status.has_solution:
            return {var.name: float(var.value() or 0.0) for var in capped.lp.variables()}
        if trial.status != SolveStatus.INFEASIBLE:
            break  # out of time without an answer
        count += 1
    return start


def solve_problem(
    problem: ScheduleProblem,
    options: SolverOptions | None = None,
    *,
    zero_deviation_first: bool = False,
    first_share: float = 0.8,
) -> ShiftPlanResult:
    """Build, solve and read a shift plan.

    With ``zero_deviation_first`` the search is lexicographic in two steps: first the
    restriction where every live queue is covered exactly (:func:`build_model` with
    ``zero_deviation=True``: much smaller bounds, so it solves fast when such a plan exists;
    see :func:`_zero_deviation_start`), for at most ``first_share`` of the time limit; then the
    full model, started from that plan, for the rest of the time. The full model's optimum is
    never worse than the first step's.

    When ``hard_coverage`` makes the model infeasible, the same problem is solved once more with
    soft coverage to find out what cannot be covered; the result keeps the infeasible status and
    carries those shortfalls (queue, interval, agents short, reason).
    """
    options = options or problem.solver
    start = None
    started = time.perf_counter()
    if zero_deviation_first:
        start = _zero_deviation_start(problem, options, started, first_share)
    model = build_model(problem)
    remaining = options.time_limit_sec - (time.perf_counter() - started)
    outcome = solve(model, dataclasses.replace(options, time_limit_sec=max(1.0, remaining)), start)
    if zero_deviation_first:
        outcome = dataclasses.replace(outcome, solve_sec=time.perf_counter() - started)
    result = read_result(model, outcome)
    if outcome.status == SolveStatus.INFEASIBLE and problem.rules.hard_coverage:
        soft = problem.replace(rules=dataclasses.replace(problem.rules, hard_coverage=False))
        diagnosis_model = build_model(soft)
        diagnosis = read_result(diagnosis_model, solve(diagnosis_model, options))
        result = ShiftPlanResult(problem=problem, outcome=outcome, shortfalls=diagnosis.shortfalls)
    return result
