"""Fix-and-optimise by day: every shift and break count of one day re-planned together."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from solvers.decompose import MatrixModel
from solvers.roster.context import RosterContext
from solvers.roster.search.fix_optimise import fix_and_optimise
from solvers.roster.search.state import SearchResult, layout_of, understaffing
from wfm.roster_params import RosterParams

__all__ = ["improve_by_day"]


_DEFAULTS = RosterParams()


def improve_by_day(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    time_limit_sec: float,
    threads: int | None = None,
    per_day_sec: float | None = None,
    workers: int | None = None,
    log: Callable[[str], None] | None = None,
    target: float = -np.inf,
    rins: bool = True,
    whole: bool = True,
    repeat_gain: float | None = None,
    reference: np.ndarray | None = None,
    whole_if_urgent: bool = False,
    params: RosterParams | None = None,
) -> SearchResult:
    """Fix-and-optimise by day: the roster MIP with every shift and break count of the other days
    fixed at ``point``, solved by HiGHS from ``point`` (so never worse), one day at a time, the days
    with the most understaffing cost first, pass after pass until a whole pass finds nothing better
    or the time limit. A day's sub-MIP re-plans every agent's shift and breaks that day together
    (chains of moves the single-agent search cannot make), within each agent's week as fixed on the
    other days. ``workers`` days that are not neighbours (so no rest rule links them) are solved at
    once and merged (see :func:`~solvers.roster.search.fix_optimise.fix_and_optimise`). With
    ``rins`` (the default) a day is first solved restricted to where its LP relaxation disagrees
    with the incumbent (:func:`~solvers.roster.search.sub_mip.rins_bounds`), whole only once that
    finds nothing: a whole day MIP spends most of its time on root cuts, a restricted one moves
    at once (measured effect: docs/solver.md). ``per_day_sec``, ``workers`` and ``repeat_gain``
    (None: ``params.day_mip_sec``,
    ``params.search_workers``, ``params.day_repeat_gain``) and the sub-MIP gap come from ``params``
    (None: the defaults)."""
    params = params or _DEFAULTS
    started = time.perf_counter()
    layout = layout_of(ctx, matrix)
    day_of = layout.day_of
    problem = ctx.problem
    n_days = problem.n_days
    starts = [*problem.day_starts, problem.n_intervals]

    def urgency(x: np.ndarray, hood: tuple[int, ...]) -> float:
        span = slice(starts[hood[0]], starts[hood[0] + 1])
        return understaffing(layout, x, slice(None), span, reference)

    def clash(one: tuple[int, ...], two: tuple[int, ...]) -> bool:
        gap = abs(one[0] - two[0])
        return gap <= 1 or (problem.cyclic and gap >= n_days - 1)

    return fix_and_optimise(
        matrix,
        point,
        hoods=[(d,) for d in range(n_days)],
        state=day_of >= 0,
        members=lambda hood: day_of == hood[0],
        clash=clash,
        urgency=urgency,
        time_limit_sec=time_limit_sec,
        per_hood_sec=params.day_mip_sec if per_day_sec is None else per_day_sec,
        workers=params.search_workers if workers is None else workers,
        threads=threads,
        label=lambda hood, _stage: f"day {hood[0]}",
        log=log,
        started=started,
        target=target,
        names={
            "solved": "day_mips",
            "kept": "days_improved",
            "merged": "days_merged",
            "refused": "merges_refused",
            "sec": "day_sec",
        },
        rins=rins,
        whole=whole,
        whole_if_urgent=whole_if_urgent,
        repeat_gain=params.day_repeat_gain if repeat_gain is None else repeat_gain,
        sub_mip_gap=params.sub_mip_gap,
    )
