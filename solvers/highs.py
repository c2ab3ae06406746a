"""HiGHS set-up in one place: silent instances, matrices passed in, LP relaxations, warm starts.

Two levels are used by the solvers: ``highspy.Highs`` on arrays (:func:`new_highs`,
:func:`pass_model`) and PuLP models solved by ``pulp.HiGHS`` (:func:`solve_lp_relaxation`,
:class:`HighsWithStart`, :func:`read_status`).
"""

from __future__ import annotations

import math

import highspy
import numpy as np
import pulp
from scipy import sparse

from solvers.result import SolveStatus

__all__ = [
    "HighsWithStart",
    "lp_relaxation_solver",
    "new_highs",
    "pass_model",
    "read_status",
    "solve_lp_relaxation",
]


def new_highs(threads: int | None = None, time_limit_sec: float | None = None) -> highspy.Highs:
    """A silent ``highspy.Highs`` with ``threads`` (None: HiGHS's default) and a time limit."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if threads:
        h.setOptionValue("threads", int(threads))
    if time_limit_sec is not None:
        h.setOptionValue("time_limit", float(time_limit_sec))
    return h


def pass_model(
    h: highspy.Highs,
    cost: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    matrix: sparse.spmatrix,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    integer: np.ndarray | None = None,
) -> None:
    """Pass ``h`` the model ``min cost x, row_lower <= matrix x <= row_upper, lower <= x <=
    upper`` (columns flagged in ``integer`` integral; without it, the LP)."""
    csc = sparse.csc_matrix(matrix)
    lp = highspy.HighsLp()
    lp.num_col_ = int(csc.shape[1])
    lp.num_row_ = int(csc.shape[0])
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    if integer is not None and integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in integer
        ]
    h.passModel(lp)


def lp_relaxation_solver(
    time_limit_sec: float, threads: int | None = None, msg: bool = False
) -> pulp.HiGHS:
    """``pulp.HiGHS`` for the LP relaxation of a PuLP model: interior point, no crossover (the
    bound and a relaxed point are wanted, not a basis)."""
    return pulp.HiGHS(
        mip=False,
        msg=msg,
        timeLimit=time_limit_sec,
        threads=threads,
        solver="ipm",
        run_crossover="off",
    )


def solve_lp_relaxation(
    lp: pulp.LpProblem, time_limit_sec: float, threads: int | None = None, msg: bool = False
) -> float | None:
    """Solve the LP relaxation of ``lp`` in place (variables keep the relaxed values); its
    optimal objective, constant included, or None when HiGHS does not prove it optimal."""
    lp.solve(lp_relaxation_solver(time_limit_sec, threads, msg))
    if lp.solverModel.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(lp.solverModel.getInfo().objective_function_value) + float(
        lp.objective.constant or 0
    )


class HighsWithStart(pulp.HiGHS):
    """``pulp.HiGHS`` that hands HiGHS a starting solution (variable name -> value)."""

    def __init__(self, *args, start: dict[str, float] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.start = start

    def callSolver(self, lp: pulp.LpProblem) -> None:  # noqa: N802 (PuLP's name)
        if self.start:
            solution = highspy.HighsSolution()
            values = [0.0] * lp.solverModel.getNumCol()
            for var in lp.variables():
                values[var.index] = float(self.start.get(var.name, 0.0))
            solution.col_value = values
            solution.value_valid = True
            lp.solverModel.setSolution(solution)
        super().callSolver(lp)


def read_status(
    lp: pulp.LpProblem, objective: float | None
) -> tuple[SolveStatus, float | None, float | None]:
    """``(status, objective, bound)`` of ``lp`` just solved by ``pulp.HiGHS``; the objective
    and bound include the objective's constant (``objective`` is PuLP's value, kept when HiGHS
    has no primal solution)."""
    highs = lp.solverModel
    info = highs.getInfo()
    model_status = highs.getModelStatus()
    has_solution = info.primal_solution_status == 2
    if model_status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        status = SolveStatus.INFEASIBLE
    elif model_status == highspy.HighsModelStatus.kOptimal:
        status = SolveStatus.OPTIMAL
    elif has_solution:
        status = SolveStatus.FEASIBLE
    else:
        status = SolveStatus.NOT_SOLVED
    constant = float(lp.objective.constant or 0)
    if has_solution:
        objective = float(info.objective_function_value) + constant
    has_integers = any(v.cat == pulp.LpInteger for v in lp.variables())
    bound = float(info.mip_dual_bound) if has_integers else objective
    if bound is not None and not math.isfinite(bound):
        bound = None
    elif bound is not None:
        bound += constant
    return status, objective, bound
