"""A PuLP model as arrays (:func:`matrix_of`), the only part of :mod:`solvers.decompose` that
reads PuLP; HiGHS models are passed from them with :mod:`solvers.highs`."""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pulp
from scipy import sparse

__all__ = ["INF", "MatrixModel", "matrix_of"]

INF = highspy.kHighsInf
#: Reduced costs below this (in objective units per unit of a column) are taken as 0 in the
#: Lagrangian bound; the error is at most this times the column's value.
_ZERO_REDUCED_COST = 1e-9


@dataclass(frozen=True, eq=False)
class MatrixModel:
    """A PuLP model as arrays: ``row_lower <= A x <= row_upper``, ``lower <= x <= upper``,
    minimise ``cost @ x + constant``."""

    variables: tuple[pulp.LpVariable, ...]
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    row_names: tuple[str, ...]
    row_lower: np.ndarray
    row_upper: np.ndarray
    matrix: sparse.csr_matrix
    constant: float = 0.0

    @property
    def row_index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.row_names)}


def matrix_of(lp: pulp.LpProblem) -> MatrixModel:
    """The arrays of a minimisation PuLP model (current variable bounds included)."""
    if lp.sense != pulp.LpMinimize:
        raise ValueError("matrix_of expects a minimisation model")
    variables = tuple(lp.variables())
    index = {id(v): j for j, v in enumerate(variables)}
    n = len(variables)
    cost = np.zeros(n)
    for var, coef in lp.objective.items():
        cost[index[id(var)]] += coef
    lower = np.array([-INF if v.lowBound is None else float(v.lowBound) for v in variables])
    upper = np.array([INF if v.upBound is None else float(v.upBound) for v in variables])
    integer = np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)
    rows, cols, vals = [], [], []
    names, row_lower, row_upper = [], [], []
    for i, (name, con) in enumerate(lp.constraints.items()):
        names.append(name)
        rhs = -float(con.constant or 0.0)
        row_lower.append(rhs if con.sense in (pulp.LpConstraintGE, pulp.LpConstraintEQ) else -INF)
        row_upper.append(rhs if con.sense in (pulp.LpConstraintLE, pulp.LpConstraintEQ) else INF)
        for var, coef in con.items():
            rows.append(i)
            cols.append(index[id(var)])
            vals.append(coef)
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(names), n))
    matrix.sum_duplicates()
    return MatrixModel(
        variables=variables,
        cost=cost,
        lower=lower,
        upper=upper,
        integer=integer,
        row_names=tuple(names),
        row_lower=np.array(row_lower, dtype=float),
        row_upper=np.array(row_upper, dtype=float),
        matrix=matrix,
        constant=float(lp.objective.constant or 0.0),
    )
