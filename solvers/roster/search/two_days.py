"""Fix-and-optimise over two days of one skill group (:func:`improve_by_group_days`) or
of every group serving one queue (:func:`improve_by_queue_days`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solvers.decompose import MatrixModel
from solvers.roster.context import RosterContext
from solvers.roster.search.fix_optimise import fix_and_optimise
from solvers.roster.search.state import Layout, SearchResult, layout_of, understaffing
from wfm.roster_params import RosterParams

__all__ = ["improve_by_group_days", "improve_by_queue_days"]


_DEFAULTS = RosterParams()


@dataclass(frozen=True)
class _Unit:
    """What a two-day neighbourhood frees: these skill groups' shifts, breaks and pooled
    counts, ranked by the understaffing cost of these queues."""

    name: str
    groups: frozenset[int]
    queues: tuple[int, ...]


def _on_two_days(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    time_limit_sec: float,
    *,
    units: Callable[[Layout], list[_Unit]],
    clash: Callable[[_Unit, _Unit, tuple[int, ...], tuple[int, ...]], bool],
    prefix: str,
    threads: int | None,
    per_hood_sec: float,
    workers: int,
    log: Callable[[str], None] | None,
    target: float,
    rins: bool = False,
    whole: bool = True,
    reference: np.ndarray | None = None,
    sub_mip_gap: float = _DEFAULTS.sub_mip_gap,
) -> SearchResult:
    """Fix-and-optimise over (unit, day, later day): the group-day and queue-day searches.
    Everything of the other groups and days stays fixed at ``point``; the neighbourhoods are
    taken in order of their queues' understaffing cost on the two days; ``clash(one, two,
    days, days)`` keeps two that would be refused at the merge from running at once. The counts
    are reported as ``{prefix}_day_mips`` and the like."""
    started = time.perf_counter()
    layout = layout_of(ctx, matrix)
    day_of, owner = layout.day_of, layout.group_of_col
    problem = ctx.problem
    starts = [*problem.day_starts, problem.n_intervals]
    parts = units(layout)
    n_days = problem.n_days
    hoods = [
        (u, d1, d2)
        for u in range(len(parts))
        for d1 in range(n_days)
        for d2 in range(d1 + 1, n_days)
    ]

    def members(hood: tuple[int, ...]) -> np.ndarray:
        return np.isin(owner, list(parts[hood[0]].groups)) & np.isin(day_of, hood[1:])

    def urgency(x: np.ndarray, hood: tuple[int, ...]) -> float:
        queues = list(parts[hood[0]].queues)
        return sum(
            understaffing(layout, x, queues, slice(starts[d], starts[d + 1]), reference)
            for d in hood[1:]
        )

    return fix_and_optimise(
        matrix,
        point,
        hoods=hoods,
        state=day_of >= 0,
        members=members,
        clash=lambda one, two: clash(parts[one[0]], parts[two[0]], one[1:], two[1:]),
        urgency=urgency,
        time_limit_sec=time_limit_sec,
        per_hood_sec=per_hood_sec,
        workers=workers,
        threads=threads,
        label=lambda hood, _stage: f"{parts[hood[0]].name} on days {hood[1]}, {hood[2]}",
        log=log,
        started=started,
        target=target,
        names={
            "solved": f"{prefix}_day_mips",
            "kept": f"{prefix}_days_improved",
            "merged": f"{prefix}_days_merged",
            "refused": f"{prefix}_day_merges_refused",
            "sec": f"{prefix}_day_sec",
        },
        rins=rins,
        whole=whole,
        sub_mip_gap=sub_mip_gap,
    )


def improve_by_group_days(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    time_limit_sec: float,
    threads: int | None = None,
    per_hood_sec: float | None = None,
    workers: int | None = None,
    log: Callable[[str], None] | None = None,
    target: float = -np.inf,
    reference: np.ndarray | None = None,
    params: RosterParams | None = None,
) -> SearchResult:
    """Fix-and-optimise by one skill group on two days: the roster MIP with everything fixed at
    ``point`` except the shifts, breaks and pooled counts of group ``g`` on days ``d1`` and ``d2``.
    Its agents may trade a day off between the two days (a day MIP cannot: with the other days fixed
    an agent's days off stay where they are) and re-time their shifts on both days together. The
    sub-MIPs are small (one group, two days: about a second each on the demo week), so there are
    many, taken in order of the understaffing cost of the group's queues on the two days, cycle
    after cycle until one finds nothing. ``workers`` run at once for different groups on different
    days and are merged through the LP (every agent belongs to one group, so a merge is always a
    roster; see :func:`~solvers.roster.search.fix_optimise.fix_and_optimise`); they find gains where
    whole two-day MIPs stall (measured effect: docs/solver.md).
    ``per_hood_sec`` and ``workers`` (None: ``params.hood_mip_sec``, ``params.search_workers``) and
    the sub-MIP gap come from ``params`` (None: the defaults)."""
    params = params or _DEFAULTS
    problem = ctx.problem

    def units(layout: Layout) -> list[_Unit]:
        return [
            _Unit(
                problem.groups[g].name,
                frozenset([g]),
                tuple(
                    q
                    for q, queue in enumerate(problem.queues)
                    if problem.groups[g].serves(queue.name)
                ),
            )
            for g in sorted(set(layout.group_of))
        ]

    def clash(one: _Unit, two: _Unit, days: tuple[int, ...], other: tuple[int, ...]) -> bool:
        # one group's agents are in one sub-MIP at a time; two groups on one day would often
        # fix the same shortage twice (a refused merge)
        return one.groups == two.groups or bool(set(days) & set(other))

    return _on_two_days(
        ctx,
        matrix,
        point,
        time_limit_sec,
        units=units,
        clash=clash,
        prefix="group",
        threads=threads,
        per_hood_sec=params.hood_mip_sec if per_hood_sec is None else per_hood_sec,
        workers=params.search_workers if workers is None else workers,
        log=log,
        target=target,
        sub_mip_gap=params.sub_mip_gap,
        reference=reference,
    )


def improve_by_queue_days(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    time_limit_sec: float,
    threads: int | None = None,
    per_hood_sec: float | None = None,
    workers: int | None = None,
    log: Callable[[str], None] | None = None,
    target: float = -np.inf,
    whole: bool = False,
    reference: np.ndarray | None = None,
    params: RosterParams | None = None,
) -> SearchResult:
    """Fix-and-optimise by one queue on two days: the roster MIP with everything fixed at ``point``
    except the shifts, breaks and pooled counts, on days ``d1`` and ``d2``, of every skill group
    serving queue ``q``. Agents of several groups may trade days off and shifts together to cover
    one queue (a group-day sub-MIP moves one group at a time, and a move that pays only with another
    group's is then out of reach). Solved RINS-restricted
    (:func:`~solvers.roster.search.sub_mip.rins_bounds`; whole only with ``whole``, several times
    slower), the queues and days with the most understaffing cost first: one such sub-MIP makes
    a move the group-day search needs several sub-MIPs of several groups for. ``per_hood_sec``
    and ``workers`` (None:
    ``params.hood_mip_sec``, ``params.search_workers``) and the sub-MIP gap come from ``params``
    (None: the defaults)."""
    params = params or _DEFAULTS
    problem = ctx.problem
    n_days = problem.n_days

    def units(layout: Layout) -> list[_Unit]:
        staffed = set(layout.group_of)
        servers = [
            frozenset(
                g for g, group in enumerate(problem.groups) if g in staffed and group.serves(q.name)
            )
            for q in problem.queues
        ]
        return [
            _Unit(queue.name, servers[q], (q,))
            for q, queue in enumerate(problem.queues)
            if servers[q]
        ]

    def clash(one: _Unit, two: _Unit, days: tuple[int, ...], other: tuple[int, ...]) -> bool:
        # the same agents on neighbouring days: rest rules link them (a refused merge)
        if not one.groups & two.groups:
            return False
        gaps = [abs(a - b) for a in days for b in other]
        return min(gaps) <= 1 or (problem.cyclic and max(gaps) >= n_days - 1)

    return _on_two_days(
        ctx,
        matrix,
        point,
        time_limit_sec,
        units=units,
        clash=clash,
        prefix="queue",
        threads=threads,
        per_hood_sec=params.hood_mip_sec if per_hood_sec is None else per_hood_sec,
        workers=params.search_workers if workers is None else workers,
        log=log,
        target=target,
        sub_mip_gap=params.sub_mip_gap,
        rins=True,
        whole=whole,
        reference=reference,
    )
