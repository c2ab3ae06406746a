"""Shift plan: how many agents of each group start each shift variant, at minimum cost.

Three steps, each usable alone (a model can be inspected with ``model.lp.writeLP(path)``):

- :func:`build_model` ``(problem) -> ShiftPlanModel``: the PuLP integer program;
- :func:`solve` ``(model, options) -> SolveOutcome``: HiGHS (default, ``pulp.HiGHS`` on highspy)
  or CBC (``pulp.PULP_CBC_CMD``) with time limit, relative gap, threads;
- :func:`read_result` ``(model, outcome) -> ShiftPlanResult``: counts, break placements, queue
  assignment, coverage, violated soft rules and the shortfalls with their reasons.

:func:`solve_problem` runs the three (and explains an infeasible hard-coverage model).

Formulation
-----------
Implicit breaks (Bechtold & Jacobs 1990; Aykin 1996): integer shift counts ``x[v,g]`` per variant
and agent group, and integer break-start counts ``b[v,g,k,i]`` per break rule ``k`` with
``sum_i b[v,g,k,i] = x[v,g]``. Agents at work
``W[g,t] = sum_{v spans t} x[v,g] - sum share_t(v,k,i) b[v,g,k,i]``. Multi-skilled groups split
``W`` between queues with continuous ``a[g,q,t]`` (``sum_q a <= W``); see :mod:`solvers.rules`
for every constraint and penalty. Objective: paid cost + ``understaff_penalty * priority`` per
agent-interval short + ``overstaff_penalty`` per agent-interval over or idle + optional
``distinct_shift_penalty`` per distinct (start clock, length) shift used.

Tightening: each ``x[v,g]`` of a variant without breaks gets the upper bound ``M[v,g] =
ceil(max_{t in span(v)} sum_{q in skills(g)} required[q,t])``, valid when the group only works
live queues, overstaffing costs > 0 and shifts cost >= 0: with more agents than that, every
interval of the shift is overstaffed for that group and dropping one agent strictly improves the
objective. (With breaks the argument fails, as the extra agent may cover a colleague's break.)
Variants with ``M = 0`` are left out, and
``M`` is the big-M of the distinct-shift link ``sum_g x[v,g] <= M_v y_s`` (per day, not one
global maximum).
"""

from solvers.result import Shortfall, SolveOutcome, SolveStatus, Violation, summary_common
from solvers.shift_plan.export import SCHEDULE_EXPORT_COLUMNS, schedule_frame
from solvers.shift_plan.model import ShiftPlanModel, build_model, variant_upper_bounds
from solvers.shift_plan.readback import (
    ShiftAssignment,
    ShiftPlanResult,
    coverage_frame,
    read_result,
)
from solvers.shift_plan.solving import solve, solve_problem

__all__ = [
    "SCHEDULE_EXPORT_COLUMNS",
    "ShiftAssignment",
    "ShiftPlanModel",
    "ShiftPlanResult",
    "Shortfall",
    "SolveOutcome",
    "SolveStatus",
    "Violation",
    "build_model",
    "coverage_frame",
    "read_result",
    "schedule_frame",
    "solve",
    "solve_problem",
    "summary_common",
    "variant_upper_bounds",
]
