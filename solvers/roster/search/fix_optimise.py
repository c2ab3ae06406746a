"""The fix-and-optimise loop shared by the day, queue-day, group-day and skill-group
searches: sub-MIPs over neighbourhoods, run side by side and merged through the LP."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import numpy as np

from solvers.decompose import MatrixModel
from solvers.roster.search.state import Evaluator, SearchResult, rounded
from solvers.roster.search.sub_mip import fixed_outside, rins_bounds, sub_mip
from wfm.roster_params import RosterParams

__all__ = ["fix_and_optimise"]


_DEFAULTS = RosterParams()


def fix_and_optimise(
    matrix: MatrixModel,
    point: np.ndarray,
    *,
    hoods: list[tuple[int, ...]],
    state: np.ndarray,
    members: Callable[[tuple[int, ...]], np.ndarray],
    clash: Callable[[tuple[int, ...], tuple[int, ...]], bool],
    urgency: Callable[[np.ndarray, tuple[int, ...]], float],
    time_limit_sec: float,
    per_hood_sec: float,
    workers: int,
    threads: int | None,
    label: Callable[[tuple[int, ...], float], str],
    log: Callable[[str], None] | None,
    started: float,
    names: dict[str, str],
    target: float = -np.inf,
    bounds: Callable[[tuple[int, ...], np.ndarray, float], tuple[np.ndarray, np.ndarray]]
    | None = None,
    stages: Sequence[float] = (0.0,),
    rins: bool = False,
    whole: bool = True,
    whole_if_urgent: bool = False,
    repeat_gain: float = 0.0,
    sub_mip_gap: float = _DEFAULTS.sub_mip_gap,
) -> SearchResult:
    """The fix-and-optimise loop shared by the day, queue-day, group-day and skill-group searches.

    ``state`` marks the integer columns of a roster (``w``, ``x``, ``b``); a neighbourhood
    ``hood`` re-optimises the columns ``members(hood)`` within ``bounds(hood, base, stage)``
    (every other state column fixed at ``base``: what ``bounds=None`` does) by a HiGHS
    sub-MIP started from ``base``, so never worse. Per stage, cycles over the neighbourhoods
    (most ``urgency`` first) repeat while a cycle improves the objective by more than
    ``repeat_gain`` of it; a neighbourhood proven optimal is skipped until the incumbent
    changes.

    With ``rins``, a neighbourhood is first solved restricted
    (:func:`~solvers.roster.search.sub_mip.rins_bounds`: its integer columns where its LP relaxation
    agrees with the incumbent stay fixed), and only once that finds nothing at the incumbent, whole
    (never with ``whole`` False; with ``whole_if_urgent`` only while its ``urgency`` is positive).

    ``workers`` sub-MIPs run at once (HiGHS releases the GIL; one thread each) on neighbourhoods
    that do not ``clash``. One that finishes after the incumbent changed is merged: its members
    replace theirs in the new incumbent and the LP of the rest decides; the merge is refused
    (counted in ``refused``) when that LP is infeasible (an agent's week rows break) or no
    better. With integer columns outside ``state`` (the distinct-shift binaries)
    the LP cannot decide: then one sub-MIP at a time, its point taken as it is. A refused
    sub-MIP that was better than its base is solved again at once from the new incumbent.

    The search stops at the time limit (which runs from ``started``) or once the incumbent is
    at or below ``target`` (a roster within the gap the caller asks for); the counts
    (``solved``, ``kept``, ``merged``, ``refused``, ``sec``) are reported under the caller's
    ``names``.
    """
    x = rounded(matrix, point)
    current = float(matrix.cost @ x + matrix.constant)
    first = current
    exact = not bool((matrix.integer & ~state).any())
    workers = max(1, workers if exact else 1)
    evaluator = Evaluator(matrix, state, x, threads) if exact else None
    counts = {"solved": 0, "kept": 0, "merged": 0, "refused": 0}
    version = 0  # incumbents so far; a neighbourhood proven optimal at this version is skipped
    proven: dict[tuple[tuple[int, ...], float], int] = {}
    restricted: dict[tuple[tuple[int, ...], float], int] = {}  # RINS tried at that version
    retry: list[tuple[int, ...]] = []  # better than their base, refused at the merge

    def left() -> float:
        return time_limit_sec - (time.perf_counter() - started)

    def going() -> bool:
        return left() > 1.0 and current > target

    def fix_the_rest(hood: tuple[int, ...], base: np.ndarray, _stage: float):
        return fixed_outside(matrix, state, members(hood), base)

    def solve(hood: tuple[int, ...], base: np.ndarray, stage: float, restrict: bool, limit: float):
        lower, upper = (bounds or fix_the_rest)(hood, base, stage)
        if restrict:
            lower, upper = rins_bounds(matrix, lower, upper, base, threads)
        return sub_mip(matrix, lower, upper, base, limit, threads, sub_mip_gap)

    def accept(hood, stage, restrict, based_on, base_value, found, value, optimal) -> None:
        """Keep a sub-MIP's point if it betters the incumbent (merged into it when the
        incumbent moved on while the sub-MIP ran: the neighbourhoods in flight do not clash)."""
        nonlocal x, current, version
        if found is None or value >= base_value - 1e-6:
            if based_on == version:
                if restrict:  # a heuristic: nothing better from it, the whole hood next
                    restricted[hood, stage] = version
                elif optimal:
                    proven[hood, stage] = version
            return
        if evaluator is None:
            if log:
                log(f"{label(hood, stage)}: {current:.1f} -> {value:.1f}")
            x = rounded(matrix, found)
        else:
            cols = np.flatnonzero(members(hood))
            new = np.round(found[cols])
            old = list(x[cols])
            basis = evaluator.h.getBasis()
            evaluator.set(list(cols), list(new))
            objective = evaluator.solve()
            if objective is None or objective >= current - 1e-6:
                counts["refused"] += based_on != version
                evaluator.set(list(cols), old)
                evaluator.h.setBasis(basis)
                evaluator.solve()
                if based_on != version:  # better than its base: worth solving again at once
                    retry.append(hood)
                return
            counts["merged"] += based_on != version
            if log:
                log(f"{label(hood, stage)}: {current:.1f} -> {objective:.1f}")
            x = evaluator.point()
            x[cols] = new
            x[state] = np.round(x[state])
        current = float(matrix.cost @ x + matrix.constant)
        counts["kept"] += 1
        version += 1

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for stage in stages:
            improved = tried = True
            # a cycle that improves nothing ends the stage, unless it ran restricted sub-MIPs:
            # then the next cycle solves those neighbourhoods whole
            while (improved or (tried and whole)) and going():
                tried = False
                cycle_start = current
                queue = sorted(hoods, key=lambda h: -urgency(x, h))
                running: dict = {}
                while queue or running:  # once out of time, only the sub-MIPs in flight
                    while queue and len(running) < workers and going():
                        busy = [hood for hood, *_rest in running.values()]
                        pick = next((h for h in queue if not any(clash(h, o) for o in busy)), None)
                        if pick is None:
                            break
                        queue.remove(pick)
                        if proven.get((pick, stage)) == version:
                            continue
                        restrict = rins and restricted.get((pick, stage)) != version
                        # positive beyond the reference point's rounding
                        urgent = not whole_if_urgent or urgency(x, pick) > 1e-6 * abs(current)
                        if not (restrict or (whole and urgent)):
                            continue
                        tried |= restrict
                        limit = min(per_hood_sec, left())
                        future = pool.submit(solve, pick, x.copy(), stage, restrict, limit)
                        running[future] = (pick, restrict, version, current)
                    if not running:
                        break
                    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in done:
                        hood, restrict, based_on, base_value = running.pop(future)
                        counts["solved"] += 1
                        accept(hood, stage, restrict, based_on, base_value, *future.result())
                        queue[:0] = [h for h in retry if h not in queue]
                        retry.clear()
                improved = cycle_start - current > repeat_gain * abs(cycle_start) + 1e-6
    counts["sec"] = round(time.perf_counter() - started, 3)
    stats = {names[key]: value for key, value in counts.items() if key in names}
    return SearchResult(x=x, objective=current, start_objective=first, stats=stats)
