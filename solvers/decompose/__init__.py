"""Dantzig-Wolfe decomposition of a block-angular PuLP model: column generation and diving (HiGHS).

A roster model is block-angular: each agent's rules (one shift a day, weekly hours, days off,
rest, consecutive days) only touch that agent's variables, and a few *linking* rows (the pooled
shift counts, coverage, fairness) tie the agents together. Reformulated over whole agent weeks
(Dantzig 1960; Desaulniers, Desrosiers & Solomon 2005, *Column Generation*, ch. 1), the master is

.. math::

    \\min\\; c_M^\\top x_M + \\sum_k \\sum_{p \\in P_k} (c_k^\\top x^{kp}) \\lambda_{kp}
    \\quad\\text{s.t.}\\quad A_M x_M + \\sum_k \\sum_p (A_k x^{kp}) \\lambda_{kp} \\gtreqless b,
    \\quad \\sum_{p} \\lambda_{kp} = 1\\;\\forall k,

where :math:`x^{kp}` are feasible points of block ``k``'s own rows (weeks an agent may work). Its
LP relaxation is solved by column generation: with linking duals :math:`\\pi` and convexity duals
:math:`\\mu_k`, block ``k``'s pricing problem
:math:`\\min \\{(c_k - A_k^\\top \\pi)^\\top x : x \\in X_k\\}` is solved *exactly* as a
small MIP by HiGHS, and any week of negative reduced cost :math:`r_k = z_k - \\mu_k` joins the
master. At every iteration the Lagrangian bound

.. math:: z_{LB} = z_{RMP} + \\sum_k \\min(0, r_k) \\le z^*

holds (Lasdon 1970, ch. 8; with the pricing MIP's dual bound in place of :math:`z_k` when it
stopped early); at convergence it is at least the LP bound of the compact model, and the bound
kept is the larger of the two. Then blocks are fixed to columns by diving and the rest of the
master is solved as an integer program over the columns generated (a price-and-branch
heuristic), giving a point feasible for the original model; its gap is reported against the
bound, so it is honest.

Only :func:`matrix_of` reads PuLP; the rest works on arrays and ``highspy``.
"""

from solvers.decompose.master import (
    Blocks,
    Master,
    Pricer,
    lagrangian_bound,
    signed_duals,
    split_blocks,
)
from solvers.decompose.matrix import MatrixModel, matrix_of
from solvers.decompose.price_and_branch import DecomposedSolve, price_and_branch

__all__ = [
    "Blocks",
    "DecomposedSolve",
    "Master",
    "MatrixModel",
    "Pricer",
    "lagrangian_bound",
    "matrix_of",
    "price_and_branch",
    "signed_duals",
    "split_blocks",
]
