"""Re-planning the whole weeks of a few agents at once by one RINS-restricted sub-MIP."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from solvers.decompose import MatrixModel
from solvers.roster.context import RosterContext
from solvers.roster.search.state import SearchResult, layout_of, rounded
from solvers.roster.search.sub_mip import fixed_outside, rins_bounds, sub_mip
from wfm.roster_params import RosterParams

__all__ = ["improve_agent_weeks"]


_EPS = 1e-6
_DEFAULTS = RosterParams()


def improve_agent_weeks(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    agents: Sequence[int],
    time_limit_sec: float,
    threads: int | None = None,
    log: Callable[[str], None] | None = None,
    params: RosterParams | None = None,
) -> SearchResult:
    """One RINS-restricted sub-MIP over the whole weeks of ``agents``: their shifts on every day and
    the pooled counts and break counts of their skill groups are free, everything else stays at
    ``point``; within that, the integer columns where the neighbourhood's LP relaxation agrees with
    ``point`` stay fixed too (:func:`~solvers.roster.search.sub_mip.rins_bounds`). Meant for the
    agents a dive fixed last: one at a time, each to the heaviest of the few weeks priced for it,
    they leave the holes the dive's master could no longer fill. Re-planned together, their weeks
    close those holes in one step, where the day MIPs repair them one day at a time and can stop in
    a local optimum (measured effect: docs/solver.md)."""
    started = time.perf_counter()
    layout = layout_of(ctx, matrix)
    x = rounded(matrix, point)
    first = float(matrix.cost @ x + matrix.constant)
    chosen = set(agents)
    members = np.zeros(len(matrix.variables), dtype=bool)
    for (a, _v), j in layout.w.items():
        members[j] = a in chosen
    groups = {layout.group_of[a] for a in chosen}
    pooled = [j for (_v, g), j in layout.x.items() if g in groups]
    pooled += [j for (_v, g, _k), opts in layout.b.items() if g in groups for _i, j in opts]
    members[pooled] = True
    found, value = x, first
    if chosen and time_limit_sec > 1.0:
        lower, upper = fixed_outside(matrix, layout.day_of >= 0, members, x)
        lower, upper = rins_bounds(matrix, lower, upper, x, threads)
        left = time_limit_sec - (time.perf_counter() - started)
        gap = (params or _DEFAULTS).sub_mip_gap
        point_found, objective, _optimal = sub_mip(matrix, lower, upper, x, left, threads, gap)
        if point_found is not None and objective < value - _EPS:
            found, value = rounded(matrix, point_found), objective
            if log:
                log(f"weeks of agents {sorted(chosen)}: {first:.1f} -> {value:.1f}")
    stats = {"agent_week_sec": round(time.perf_counter() - started, 3)}
    return SearchResult(x=found, objective=value, start_objective=first, stats=stats)
