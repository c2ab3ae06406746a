"""The HiGHS helpers on hand-solvable models (one thread, as the other solver tests: HiGHS
keeps the thread count of its first run in a process)."""

import highspy
import numpy as np
import pulp
from scipy import sparse

from solvers.highs import new_highs, pass_model, read_status, solve_lp_relaxation
from solvers.result import SolveStatus


def _lp() -> tuple[pulp.LpProblem, pulp.LpVariable]:
    lp = pulp.LpProblem("half", pulp.LpMinimize)
    x = pulp.LpVariable("x", lowBound=0, upBound=10, cat=pulp.LpInteger)
    lp += 2 * x + 3
    lp += 2 * x >= 3
    return lp, x


def test_lp_relaxation_bound_includes_the_constant() -> None:
    lp, x = _lp()
    assert abs(solve_lp_relaxation(lp, time_limit_sec=10, threads=1) - 6.0) < 1e-6
    assert abs(x.varValue - 1.5) < 1e-6


def test_read_status_of_a_mip() -> None:
    lp, _x = _lp()
    lp.solve(pulp.HiGHS(msg=False, threads=1))
    status, objective, bound = read_status(lp, pulp.value(lp.objective))
    assert status == SolveStatus.OPTIMAL
    assert abs(objective - 7.0) < 1e-6 and abs(bound - 7.0) < 1e-6


def test_pass_model_integer_columns() -> None:
    h = new_highs(threads=1, time_limit_sec=10)
    matrix = sparse.csr_matrix(np.array([[2.0]]))
    ones = np.ones(1)
    pass_model(h, 2 * ones, 0 * ones, 10 * ones, matrix, 3 * ones, np.inf * ones, ones > 0)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert abs(h.getSolution().col_value[0] - 2.0) < 1e-6
