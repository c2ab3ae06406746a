"""Dantzig-Wolfe decomposition (price-and-dive): valid bound, feasible point, blocks checked."""

from __future__ import annotations

import warnings

import numpy as np
import pulp
import pytest

from solvers.decompose import (
    lagrangian_bound,
    matrix_of,
    price_and_branch,
    signed_duals,
    split_blocks,
)
from solvers.roster import (
    RosterOptions,
    RosterParams,
    build_model,
    read_result,
    solve,
    solve_roster,
)
from solvers.shift_plan import SolveStatus
from tests._roster_data import assert_brackets, blended_two_days
from wfm.config import SolverOptions


def _assignment_model() -> tuple[pulp.LpProblem, list[list[str]]]:
    """Three workers each pick one of four jobs-sets (their block: exactly one set, at most 2
    jobs); linking rows: each job needs cover 1, shortage costs 10 per job."""
    lp = pulp.LpProblem("toy", pulp.LpMinimize)
    cost = {0: [3, 4, 6, 2], 1: [5, 1, 3, 4], 2: [2, 2, 5, 3]}
    z = {(w, j): pulp.LpVariable(f"z_{w}_{j}", cat=pulp.LpBinary) for w in cost for j in range(4)}
    short = {j: pulp.LpVariable(f"short_{j}", lowBound=0) for j in range(4)}
    lp += pulp.lpSum(cost[w][j] * z[w, j] for w, j in z) + 10 * pulp.lpSum(short.values())
    blocks = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for w in cost:
            lp.addConstraint(pulp.lpSum(z[w, j] for j in range(4)) <= 2, f"most_{w}")
            lp.addConstraint(z[w, 0] + z[w, 1] <= 1, f"pair_{w}")
            blocks.append([f"most_{w}", f"pair_{w}"])
        for j in range(4):
            lp.addConstraint(pulp.lpSum(z[w, j] for w in cost) + short[j] >= 1, f"cover_{j}")
    return lp, blocks


def test_decomposition_bound_and_point_bracket_the_optimum():
    lp, blocks = _assignment_model()
    model = matrix_of(lp)
    found = price_and_branch(
        model, blocks, time_limit_sec=20, gap=1e-6, params=RosterParams(dive_tail=1)
    )
    lp.solve(pulp.HiGHS(msg=False))
    optimum = pulp.value(lp.objective)
    assert found.x is not None
    assert found.bound <= optimum + 1e-6
    assert found.objective >= optimum - 1e-6
    # the point keeps every row of the original model
    activity = model.matrix @ found.x
    assert np.all(activity >= model.row_lower - 1e-6)
    assert np.all(activity <= model.row_upper + 1e-6)
    assert found.objective == pytest.approx(float(model.cost @ found.x))
    # the dive fixed each block once (all but the tail's one, or that too if its lambda is 1)
    assert len(found.dived) == len(set(found.dived)) >= len(blocks) - 1
    assert set(found.dived) <= set(range(len(blocks)))


@pytest.mark.parametrize("smoothing", [0.0, 0.98])
def test_smoothed_pricing_keeps_the_bound_valid_and_threads_do_not_change_the_point(smoothing):
    # pricing at duals smoothed toward the compact LP's still brackets the optimum, and pricing
    # on two threads gives the same columns, so the same dive and point, as on one
    lp, blocks = _assignment_model()
    model = matrix_of(lp)
    lp.solve(pulp.HiGHS(msg=False))
    optimum = pulp.value(lp.objective)
    points = []
    for workers in (1, 2):
        params = RosterParams(smoothing=smoothing, pricing_workers=workers)
        found = price_and_branch(model, blocks, time_limit_sec=20, gap=1e-6, params=params)
        assert found.bound <= optimum + 1e-6 <= found.objective + 2e-6
        points.append(found.x)
    assert np.array_equal(points[0], points[1])


def test_a_variable_in_two_blocks_is_refused():
    lp, blocks = _assignment_model()
    with pytest.raises(ValueError, match="two blocks"):
        price_and_branch(
            matrix_of(lp), [blocks[0] + ["cover_0"], blocks[1]], time_limit_sec=5, gap=0.01
        )


def test_roster_price_dive_bound_is_valid_and_the_export_checks():
    # blended and universal agents: the decomposition's bound is at most the one-stage optimum,
    # its roster at least it, and the exported roster keeps every rule and the coverage
    problem = blended_two_days()
    solver = SolverOptions(time_limit_sec=20, gap=1e-6)
    one = solve_roster(
        problem,
        RosterOptions(method="two_stage", start_step_min=None, lp_support=None, solver=solver),
    )
    model = build_model(
        problem, RosterOptions(start_step_min=None, method="price_dive", solver=solver)
    )
    dive = read_result(model, solve(model))
    assert model.stages["rounds"] >= 1  # the decomposition ran (no fallback)
    assert one.status == SolveStatus.OPTIMAL
    assert_brackets(dive, one.outcome.objective)


def test_lagrangian_bound_at_the_compact_duals_adds_the_blocks_integrality_gaps():
    # one worker may cover jobs 0 and 1 with 2 z0 + 2 z1 <= 3: one job as an integer, 0.75 of
    # each in the LP; a job left short costs 10. Compact LP: 1.5 + 2 * 0.25 * 10 = 6.5; the
    # optimum covers one job: 1 + 10 = 11. At the LP's duals (10 per job) the worker's integer
    # pricing problem is worth -9 against -13.5 relaxed: the Lagrangian bound is 11, the optimum.
    lp = pulp.LpProblem("gap", pulp.LpMinimize)
    z = [pulp.LpVariable(f"z_{j}", cat=pulp.LpBinary) for j in range(2)]
    short = [pulp.LpVariable(f"short_{j}", lowBound=0) for j in range(2)]
    lp += pulp.lpSum(z) + 10 * pulp.lpSum(short)
    lp.addConstraint(2 * z[0] + 2 * z[1] <= 3, "most")
    for j in range(2):
        lp.addConstraint(z[j] + short[j] >= 1, f"cover_{j}")
    model = matrix_of(lp)
    log: list[str] = []
    found = price_and_branch(model, [["most"]], time_limit_sec=20, gap=1e-6, log=log)
    assert any("compact LP 6.50, Lagrangian bound at its duals 11.00" in line for line in log)
    assert found.bound == pytest.approx(11.0)
    assert found.objective == pytest.approx(11.0)


def test_lagrangian_bound_is_minus_infinity_when_a_master_column_is_priced_unbounded():
    # cover: z + short >= 1, short (cost 10, no upper bound) in no block. At pi = 20 one more
    # unit of shortage "earns" 10 without end: the Lagrangian is -inf, never a wrong bound; at
    # pi = 10 it is 10 * 1 + min(0, 1 - 10) (the block) = 1, below the optimum (z = 1: cost 1).
    lp = pulp.LpProblem("unbounded", pulp.LpMinimize)
    z = pulp.LpVariable("z", cat=pulp.LpBinary)
    short = pulp.LpVariable("short", lowBound=0)
    lp += z + 10 * short
    lp.addConstraint(z <= 1, "own")
    lp.addConstraint(z + short >= 1, "cover")
    model = matrix_of(lp)
    parts = split_blocks(model, [["own"]])
    assert lagrangian_bound(model, parts, np.array([20.0]), [-19.0]) == -np.inf
    assert lagrangian_bound(model, parts, np.array([10.0]), [-9.0]) == pytest.approx(1.0)
    # a reduced cost of -1e-16 is the duals' rounding, not a ray: the bound stays finite
    assert lagrangian_bound(model, parts, np.array([10.0 + 1e-15]), [-9.0]) == pytest.approx(1.0)
    # a dual of the wrong sign on a >= row is set to 0 before it is used
    assert signed_duals(model, parts, np.array([-3.0])).tolist() == [0.0]
