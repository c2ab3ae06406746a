"""Large-neighbourhood search by skill groups over the whole week."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from solvers.decompose import MatrixModel
from solvers.roster.context import RosterContext
from solvers.roster.search.fix_optimise import fix_and_optimise
from solvers.roster.search.state import SearchResult, layout_of, understaffing
from wfm.roster_params import RosterParams

__all__ = ["group_neighbourhoods", "improve_by_groups"]


_DEFAULTS = RosterParams()


def group_neighbourhoods(ctx: RosterContext) -> list[tuple[int, ...]]:
    """The skill-group sets :func:`improve_by_groups` re-plans together: for every queue, all
    the groups that serve it; then every pair of groups that share a queue."""
    problem = ctx.problem
    served = [
        {q for q, queue in enumerate(problem.queues) if group.serves(queue.name)}
        for group in problem.groups
    ]
    hoods: list[tuple[int, ...]] = []
    for q in range(len(problem.queues)):
        hoods.append(tuple(g for g in range(len(served)) if q in served[g]))
    for g1 in range(len(served)):
        for g2 in range(g1 + 1, len(served)):
            if served[g1] & served[g2]:
                hoods.append((g1, g2))
    return [hood for hood in dict.fromkeys(hoods) if hood]


def improve_by_groups(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    support: np.ndarray,
    time_limit_sec: float,
    threads: int | None = None,
    per_hood_sec: float | None = None,
    thresholds: tuple[float, ...] | None = None,
    workers: int | None = None,
    log: Callable[[str], None] | None = None,
    target: float = -np.inf,
    params: RosterParams | None = None,
) -> SearchResult:
    """Large-neighbourhood search by skill groups over the whole week.

    Each step re-plans every agent of a few skill groups (:func:`group_neighbourhoods`: the groups
    serving one queue, or two groups sharing a queue) for the whole week at once: the roster MIP
    with the shifts and break counts of every other group fixed at the incumbent, solved by HiGHS
    from the incumbent (so never worse). Days off move between days and the agents of one skill set
    trade shifts, which neither :func:`~solvers.roster.search.local_search.improve` nor
    :func:`~solvers.roster.search.by_day.improve_by_day` can do. To keep each sub-MIP small enough
    to solve in seconds, an agent may only keep a shift of the incumbent or take one that the
    relaxation uses: the columns whose value in ``support`` (the compact LP's interior point,
    positive on every column some LP optimum uses) is at least the current threshold (relaxation
    induced neighbourhood search, Danna, Rothberg & Le Pape 2005, *Math. Program.* 102). A whole
    cycle over the neighbourhoods without a better roster lowers the threshold (``thresholds``, in
    order); the search ends after the last one or at the time limit. Neighbourhoods are taken in
    order of the understaffing cost on the queues they serve, and one already solved to optimality
    is skipped until the incumbent changes.

    ``workers`` sub-MIPs run at once on disjoint sets of groups and are merged as in
    :func:`~solvers.roster.search.fix_optimise.fix_and_optimise` (a merge is always a roster, as
    every agent and break count belongs to one group). ``per_hood_sec``, ``thresholds`` and
    ``workers`` (None: ``params.group_mip_sec``, ``params.group_thresholds``,
    ``params.search_workers``) and the sub-MIP gap come from ``params`` (None: the defaults)."""
    params = params or _DEFAULTS
    started = time.perf_counter()
    layout = layout_of(ctx, matrix)
    problem = ctx.problem
    owner = layout.group_of_col
    is_w = np.zeros(len(matrix.variables), dtype=bool)
    is_w[list(layout.w.values())] = True
    served = [
        [q for q, queue in enumerate(problem.queues) if group.serves(queue.name)]
        for group in problem.groups
    ]

    def urgency(x: np.ndarray, hood: tuple[int, ...]) -> float:
        queues = sorted({q for g in hood for q in served[g]})
        return understaffing(layout, x, queues, reference=support)

    def bounds(hood: tuple[int, ...], base: np.ndarray, threshold: float):
        lower = matrix.lower.copy()
        upper = matrix.upper.copy()
        other = (owner >= 0) & ~np.isin(owner, hood)
        lower[other] = upper[other] = base[other]
        upper[is_w & ~other & (base < 0.5) & (support < threshold)] = 0.0
        return lower, upper

    def label(hood: tuple[int, ...], threshold: float) -> str:
        return f"groups {'+'.join(problem.groups[g].name for g in hood)} (>= {threshold})"

    return fix_and_optimise(
        matrix,
        point,
        hoods=group_neighbourhoods(ctx),
        state=owner >= 0,
        members=lambda hood: np.isin(owner, hood),
        bounds=bounds,
        clash=lambda one, two: bool(set(one) & set(two)),
        urgency=urgency,
        stages=params.group_thresholds if thresholds is None else thresholds,
        time_limit_sec=time_limit_sec,
        per_hood_sec=params.group_mip_sec if per_hood_sec is None else per_hood_sec,
        workers=params.search_workers if workers is None else workers,
        sub_mip_gap=params.sub_mip_gap,
        threads=threads,
        label=label,
        log=log,
        started=started,
        target=target,
        names={
            "solved": "group_mips",
            "kept": "groups_improved",
            "merged": "groups_merged",
            "sec": "group_sec",
        },
    )
