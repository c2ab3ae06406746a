"""Improving a roster: dual-guided moves of agent shifts and breaks, each checked by an LP
(:func:`improve`), and fix-and-optimise sub-MIPs by skill groups over the week
(:func:`~solvers.roster.search.by_groups.improve_by_groups`), by day
(:func:`~solvers.roster.search.by_day.improve_by_day`) and by one skill group on two days
(:func:`~solvers.roster.search.two_days.improve_by_group_days`).

The roster model (:mod:`solvers.roster`) is an integer program in the agent-shift binaries
``w[a,v]``, the pooled counts ``x[v,g]`` and the pooled break counts ``b[v,g,k,i]``; once those are
fixed, what is left (the queue split of every group's time, the email backlog, outbound hours,
under- and over-staffing, the soft day-off and weekend terms) is a linear program. So an integer
point of the model is a *state* (every agent's week, every break count) and its objective is the
value of that LP, exactly.

:func:`improve` starts from a roster and repeats:

1. solve the LP of the state (dual simplex, warm from the previous basis);
2. read its row duals as the marginal value :math:`G_{g,t}` of one more agent of skill group ``g``
   at work in interval ``t`` (the dual of the row where ``g``'s time at ``t`` enters: its split
   row, or the coverage row of a single-queue group), so a shift ``v`` with breaks at
   :math:`i_k` is worth :math:`\\sum_{t \\in v} G_{g,t} - \\sum_k \\sum_{(t,s) \\in off(i_k)}
   s\\,G_{g,t}` against its price (paid cost and preference penalties of that agent). The duals
   only price *more* time: at a tight interval of this degenerate LP they may be 0 where one
   agent less means a shortage, so *less* time is priced from the LP's primal slack instead
   (:func:`removal_cost`: spare time at the overstaffing weight, the rest at the dearest
   understaffing weight of the queues the group serves there);
3. score every move by that first-order estimate on the net change of time (old shift out, new
   shift in): one agent's shift on one day changed, added or dropped (breaks placed where time
   is worth least), a day off moved (one day dropped and another worked), one break of a pooled
   count moved; keep those that keep every hard rule of the agent's week (hours, days off,
   rest, consecutive days; availability and skills through the agent's variant set);
4. try the moves in order of their estimate (also those estimated somewhat worse, as the
   estimate errs), at most ``tries`` a round: apply, re-solve, keep the first that lowers the
   objective, undo the others (an undone move is tried again only once its estimate is clearly
   better), back to 1.

It stops at the time limit, or when no move tried in a round improves (a local optimum for these
neighbourhoods). Every state is a feasible point of the whole model, so the objective
returned is that of a roster the caller can read back as any solve's, and any valid lower bound
of the model bounds its gap. This is the classic very-large-scale neighbourhood idea in its
simplest form: LP duals price the neighbours (as in column generation) and the LP is the exact
judge (Ahuja, Ergun, Orlin & Punnen 2002, *Discrete Appl. Math.* 123; Burke et al. 2004, *J.
Scheduling* 7, on nurse rostering by local search).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from solvers.decompose import MatrixModel
from solvers.roster.context import RosterContext
from solvers.roster.search.moves import Prices, candidate_moves, removal_cost
from solvers.roster.search.state import Evaluator, SearchResult, layout_of
from solvers.week_rules import WeekRules
from wfm.roster_params import RosterParams

__all__ = ["improve"]


_DEFAULTS = RosterParams()


def improve(
    ctx: RosterContext,
    matrix: MatrixModel,
    point: np.ndarray,
    time_limit_sec: float,
    threads: int | None = None,
    tries: int | None = None,
    log: Callable[[str], None] | None = None,
    params: RosterParams | None = None,
) -> SearchResult | None:
    """Improve the integer roster ``point`` (values over ``matrix.variables``, from the roster
    model's matrix) by local search (see the module notes). Returns None when the LP of the
    starting state does not solve. ``tries`` (None: ``params.move_tries``) and the move margins
    come from ``params`` (:class:`~wfm.roster_params.RosterParams`; None: the defaults)."""
    params = params or _DEFAULTS
    tries = params.move_tries if tries is None else tries
    started = time.perf_counter()
    layout = layout_of(ctx, matrix)
    problem = ctx.problem
    rules = problem.rules
    week_rules = WeekRules.from_context(ctx)
    apart_weight = (
        rules.consecutive_days_off_penalty
        if rules.days_off_per_week >= 2 and problem.n_days >= 2
        else 0.0
    )
    fixed = np.zeros(len(matrix.variables), dtype=bool)
    fixed[list(layout.w.values())] = True
    fixed[list(layout.x.values())] = True
    for options in layout.b.values():
        fixed[[j for _i, j in options]] = True
    evaluator = Evaluator(matrix, fixed, point, threads)
    current = evaluator.solve()
    if current is None:
        return None
    first = current
    value = np.round(point).astype(float)
    weeks: list[dict[int, int]] = [{} for _ in ctx.agents]
    for (a, v), j in layout.w.items():
        if value[j] > 0.5:
            weeks[a][week_rules.day[v]] = v
    by_day: list[dict[int, list[int]]] = []
    for a in range(len(ctx.agents)):
        days: dict[int, list[int]] = {}
        for v in ctx.by_agent.get(a, []):
            days.setdefault(week_rules.day[v], []).append(v)
        by_day.append(days)
    kept = tried = rounds = 0
    rejected: dict[tuple, float] = {}
    # an undone move is retried when its estimate has fallen by this much (money units)
    retry_margin = params.move_retry_margin
    # moves estimated a few agent-intervals of shortage worse are still tried: the
    # first-order estimate errs by about that much where the queue split can re-balance
    slack = params.move_slack_intervals * max(rules.understaff_penalty, 1.0)

    def deadline() -> bool:
        return time.perf_counter() - started > time_limit_sec

    while not deadline():
        rounds += 1
        duals = evaluator.duals()
        gain = np.zeros((layout.n_groups, layout.n_intervals))
        has = layout.row >= 0
        gain[has] = duals[layout.row[has]] * layout.coef[has]
        keep = removal_cost(layout, evaluator.point(), gain)
        prices = Prices(layout, gain, keep, value)
        moves = candidate_moves(ctx, layout, week_rules, weeks, by_day, prices, apart_weight, slack)
        # a move tried and undone is tried again only once its estimate is clearly better
        moves = [m for m in moves if m[1] not in rejected or m[0] < rejected[m[1]] - retry_margin]
        moves.sort(key=lambda m: m[0])
        improved = False
        for estimate, key, changes, new_weeks in moves[:tries]:
            if deadline():
                break
            cols = [j for j, _d in changes]
            old = [value[j] for j in cols]
            new = [value[j] + d for j, d in changes]
            basis = evaluator.h.getBasis()
            evaluator.set(cols, new)
            tried += 1
            objective = evaluator.solve()
            if objective is not None and objective < current - 1e-6:
                for j, v in zip(cols, new, strict=True):
                    value[j] = v
                for a, week in new_weeks.items():
                    weeks[a] = week
                if log:
                    log(f"move {key[0]}: {current:.1f} -> {objective:.1f} (est {estimate:.1f})")
                current = objective
                kept += 1
                improved = True
                break
            evaluator.set(cols, old)
            evaluator.h.setBasis(basis)
            rejected[key] = estimate
        if not improved:
            break
    evaluator.solve()  # the LP of the final state (the loop may have stopped after an undo)
    result = evaluator.point()
    result[fixed] = value[fixed]
    return SearchResult(
        x=result,
        objective=current,
        start_objective=first,
        stats={
            "moves": kept,
            "tries": tried,
            "move_rounds": rounds,
            "lp_solves": evaluator.solves,
            "move_lp_sec": round(evaluator.lp_sec, 3),
            "search_sec": round(time.perf_counter() - started, 3),
        },
    )
