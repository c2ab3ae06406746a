"""Improving a roster: dual-guided moves of agent shifts and breaks, each checked by an LP
(:func:`improve`), and fix-and-optimise sub-MIPs by skill groups over the week
(:func:`improve_by_groups`), by day (:func:`improve_by_day`) and by one skill group on two days
(:func:`improve_by_group_days`).

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
   (:func:`_removal_cost`: spare time at the overstaffing weight, the rest at the dearest
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
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import highspy
import numpy as np
import pulp

from solvers.decompose import MatrixModel, new_highs, pass_model
from solvers.roster_rules import RosterContext, off_together
from solvers.week_rules import WeekRules
from wfm.roster_params import RosterParams

__all__ = [
    "SearchResult",
    "group_neighbourhoods",
    "improve",
    "improve_agent_weeks",
    "improve_by_day",
    "improve_by_group_days",
    "improve_by_groups",
]

_EPS = 1e-6
_DEFAULTS = RosterParams()


@dataclass
class SearchResult:
    """What :func:`improve` reached: the point (over ``matrix.variables``), its objective, and
    counts (``moves`` kept, ``tries`` evaluated, ``move_lp_sec``)."""

    x: np.ndarray
    objective: float
    start_objective: float
    stats: dict[str, float] = field(default_factory=dict)


@dataclass
class _Layout:
    """Where the roster's quantities live in the matrix, and what each shift covers."""

    n_groups: int
    n_intervals: int
    group_of: list[int]  # agent -> group
    w: dict[tuple[int, int], int]  # (agent, variant) -> column
    x: dict[tuple[int, int], int]  # (variant, group) -> column
    b: dict[tuple[int, int, int], list[tuple[int, int]]]  # (v, g, k) -> [(start index, column)]
    row: np.ndarray  # (group, t) -> row where the group's time at t enters, -1 if none
    coef: np.ndarray  # its coefficient of x there
    cover: dict[int, np.ndarray]  # variant -> positions spanned
    off: dict[tuple[int, int, int], np.ndarray]  # (v, k, i) -> dense (T,) shares taken by a break
    price: dict[tuple[int, int], float]  # (agent, variant) -> objective coefficient of w
    idle: np.ndarray  # (group, t) -> column of the group's idle time, -1 if none
    over: np.ndarray  # (queue, t) -> column of overstaffing, -1 if none
    under_w: np.ndarray  # (queue, t) -> understaffing weight (0: no live requirement there)
    under: np.ndarray  # (queue, t) -> column of understaffing, -1 if none
    share: np.ndarray  # (group, queue, t) -> column of a[g,q,t] on a live queue, -2 direct, -1 none
    overstaff_w: float
    day_of: np.ndarray  # column -> day of its variant for w, x and b columns, -1 for the rest
    group_of_col: np.ndarray  # column -> group of w, x and b columns, -1 for the rest


def _layout(ctx: RosterContext, matrix: MatrixModel) -> _Layout:
    column = {id(var): j for j, var in enumerate(matrix.variables)}
    problem = ctx.problem
    n_t = problem.n_intervals
    plan = ctx.plan
    w = {key: column[id(var)] for key, var in ctx.w.items()}
    x = {key: column[id(var)] for key, var in plan.x.items()}
    b: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    for (v, g, k, i), var in plan.b.items():
        j = column.get(id(var))
        if j is None or matrix.upper[j] <= 0:
            continue  # a placeholder of a break start the model leaves out
        b.setdefault((v, g, k), []).append((i, j))
    for options in b.values():
        options.sort()
    cover = {v: np.asarray(problem.variants[v].cover, dtype=np.int64) for v in ctx.variants}
    rows = matrix.row_index
    clean = str.maketrans("-+[] ->/", "________")  # PuLP's name sanitising

    def find(name: str) -> int:
        return rows.get(name, rows.get(name.translate(clean), -1))

    n_g, n_q = len(problem.groups), len(problem.queues)
    row = np.full((n_g, n_t), -1, dtype=np.int64)
    coef = np.zeros((n_g, n_t))
    live = [q for q, queue in enumerate(problem.queues) if queue.kind == "live"]
    for g, group in enumerate(problem.groups):
        served = [q for q in range(n_q) if group.serves(problem.queues[q].name)]
        for t in range(n_t):
            if g in plan.direct:
                name = f"cover_{problem.queues[served[0]].name}_{plan.stamp(t)}"
            else:
                name = f"split_{group.name}_{plan.stamp(t)}"
            row[g, t] = find(name)
    # the coefficient of x[v,g] in the row of (g, t): read from the matrix
    csr = matrix.matrix.tocsr()
    for (v, g), j in x.items():
        for t in problem.variants[v].cover:
            if row[g, t] >= 0 and coef[g, t] == 0.0:
                coef[g, t] = csr[row[g, t], j]
    # primal slack: idle time, over- and understaffing per queue and interval
    idle = np.full((n_g, n_t), -1, dtype=np.int64)
    over = np.full((n_q, n_t), -1, dtype=np.int64)
    under_w = np.zeros((n_q, n_t))
    under = np.full((n_q, n_t), -1, dtype=np.int64)
    queue_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    group_index = {group.name: g for g, group in enumerate(problem.groups)}
    for p in plan.penalties:
        if not isinstance(p.var, pulp.LpVariable) or p.position is None:
            continue
        j = column.get(id(p.var))
        if j is None:
            continue
        if p.rule == "overstaff" and p.group is not None:
            idle[group_index[p.group], p.position] = j
        elif p.rule == "overstaff" and p.queue is not None:
            over[queue_index[p.queue], p.position] = j
        elif p.rule == "understaff" and p.queue is not None:
            under_w[queue_index[p.queue], p.position] = p.weight
            under[queue_index[p.queue], p.position] = j
    share = np.full((n_g, n_q, n_t), -1, dtype=np.int64)  # a[g,q,t] columns (-2: direct)
    for (g, q, t), var in plan.a.items():
        if q not in live:
            continue
        share[g, q, t] = -2 if g in plan.direct else column.get(id(var), -1)
    off = {}
    for v in ctx.variants:
        for k, option in enumerate(problem.variants[v].breaks):
            for i, placement in enumerate(option.off):
                dense = np.zeros(n_t)
                for t, part in placement:
                    dense[t] += part
                off[v, k, i] = dense
    price = {key: float(matrix.cost[j]) for key, j in w.items()}
    day_of = np.full(len(matrix.variables), -1, dtype=np.int64)
    group_of_col = np.full(len(matrix.variables), -1, dtype=np.int64)
    group_of = [agent.group for agent in ctx.agents]
    for (a, v), j in w.items():
        day_of[j], group_of_col[j] = problem.variants[v].day, group_of[a]
    for (v, g), j in x.items():
        day_of[j], group_of_col[j] = problem.variants[v].day, g
    for (v, g, _k), options in b.items():
        for _i, j in options:
            day_of[j], group_of_col[j] = problem.variants[v].day, g
    return _Layout(
        idle=idle,
        over=over,
        under_w=under_w,
        under=under,
        share=share,
        overstaff_w=float(problem.rules.overstaff_penalty),
        day_of=day_of,
        group_of_col=group_of_col,
        n_groups=len(problem.groups),
        n_intervals=n_t,
        group_of=group_of,
        w=w,
        x=x,
        b=b,
        row=row,
        coef=coef,
        cover=cover,
        off=off,
        price=price,
    )


def _removal_cost(layout: _Layout, point: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Cost of one unit less of a group's time at an interval, from the LP's primal slack: the
    dual (``gain``) is the value of one unit *more*, and at a tight interval of a degenerate LP it
    says nothing of the cost of one less. Spare time (idle, or work on an overstaffed live
    queue) goes for the overstaffing weight; the rest would be short on the dearest live queue
    the group serves there. Never below ``gain`` (the LP value is convex in the time given)."""

    def at(cols):
        return np.where(cols >= 0, point[np.maximum(cols, 0)], 0.0)

    spare = at(layout.idle)
    over = at(layout.over)  # (q, t)
    work = np.where(layout.share == -2, np.inf, at(layout.share))  # (g, q, t)
    served = layout.share != -1
    spare = spare + np.where(served, np.minimum(work, over[None, :, :]), 0.0).sum(axis=1)
    dearest = np.where(served, layout.under_w[None, :, :], 0.0).max(axis=1)  # (g, t)
    spare = np.clip(spare, 0.0, 1.0)
    cost = -layout.overstaff_w * spare + dearest * (1.0 - spare)
    return np.where(dearest > 0, np.maximum(gain, cost), gain)


def _days_apart(week: dict[int, int], n_days: int, cyclic: bool) -> bool:
    """Whether the week has no two consecutive days off (the soft rule's charge)."""
    return not off_together(set(range(n_days)) - set(week), n_days, cyclic)


class _Evaluator:
    """The LP of a state: the model with ``w``, ``x`` and ``b`` fixed; warm-started re-solves."""

    def __init__(self, matrix: MatrixModel, fixed: np.ndarray, point: np.ndarray, threads):
        self.h = new_highs(threads)
        lower = matrix.lower.copy()
        upper = matrix.upper.copy()
        lower[fixed] = upper[fixed] = np.round(point[fixed])
        pass_model(
            self.h, matrix.cost, lower, upper, matrix.matrix, matrix.row_lower, matrix.row_upper
        )
        self.h.setOptionValue("solver", "simplex")
        self.constant = matrix.constant
        self.lp_sec = 0.0
        self.solves = 0

    def set(self, cols: list[int], values: list[float]) -> None:
        arr = np.asarray(values, dtype=float)
        self.h.changeColsBounds(len(cols), np.asarray(cols, dtype=np.int32), arr, arr)

    def solve(self) -> float | None:
        started = time.perf_counter()
        self.h.run()
        self.lp_sec += time.perf_counter() - started
        self.solves += 1
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(self.h.getInfo().objective_function_value) + self.constant

    def duals(self) -> np.ndarray:
        return np.asarray(self.h.getSolution().row_dual, dtype=float)

    def point(self) -> np.ndarray:
        return np.asarray(self.h.getSolution().col_value, dtype=float)


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
    layout = _layout(ctx, matrix)
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
    evaluator = _Evaluator(matrix, fixed, point, threads)
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
        keep = _removal_cost(layout, evaluator.point(), gain)
        prices = _Prices(layout, gain, keep, value)
        moves = _moves(ctx, layout, week_rules, weeks, by_day, prices, apart_weight, slack)
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


def _profile(layout: _Layout, v: int, picks) -> np.ndarray:
    """At-work time of one agent on ``v`` with breaks ``picks`` ((k, i, column)), per interval."""
    out = np.zeros(layout.n_intervals)
    out[layout.cover[v]] = 1.0
    for k, i, _j in picks:
        out -= layout.off[v, k, i]
    return out


class _Prices:
    """Per round: the value of adding (``gain``) and the cost of removing (``keep``) one unit of a
    group's time at an interval, and the shift profiles that follow, cached per (v, g)."""

    def __init__(self, layout: _Layout, gain: np.ndarray, keep: np.ndarray, value: np.ndarray):
        self.layout, self.gain, self.keep, self.value = layout, gain, keep, value
        self._add: dict[tuple[int, int], tuple] = {}
        self._del: dict[tuple[int, int], tuple] = {}

    def add(self, v: int, g: int):
        """One more agent of ``g`` on ``v``, breaks where time is worth least:
        (profile, columns)."""
        if (v, g) not in self._add:
            layout, gain = self.layout, self.gain[g]
            picks = []
            k = 0
            while (v, g, k) in layout.b:
                options = layout.b[v, g, k]
                worth = [float(layout.off[v, k, i] @ gain) for i, _j in options]
                best = int(np.argmin(worth))
                picks.append((k, options[best][0], options[best][1]))
                k += 1
            cols = [(layout.x[v, g], 1.0)] + [(j, 1.0) for _k, _i, j in picks]
            self._add[v, g] = (_profile(layout, v, picks), cols)
        return self._add[v, g]

    def remove(self, v: int, g: int):
        """One agent of ``g`` fewer on ``v`` (the pooled breaks whose removal gives back the most
        valuable time): (profile, columns)."""
        if (v, g) not in self._del:
            layout, keep = self.layout, self.keep[g]
            picks = []
            k = 0
            while (v, g, k) in layout.b:
                options = [(i, j) for i, j in layout.b[v, g, k] if self.value[j] > 0.5]
                worth = [float(layout.off[v, k, i] @ keep) for i, _j in options]
                best = int(np.argmax(worth))
                picks.append((k, options[best][0], options[best][1]))
                k += 1
            cols = [(layout.x[v, g], -1.0)] + [(j, -1.0) for _k, _i, j in picks]
            self._del[v, g] = (_profile(layout, v, picks), cols)
        return self._del[v, g]

    def estimate(self, g: int, delta: np.ndarray) -> np.ndarray:
        """First-order objective change of at-work changes ``delta`` (rows) of group ``g``."""
        up = np.clip(delta, 0.0, None)
        down = np.clip(-delta, 0.0, None)
        return down @ self.keep[g] - up @ self.gain[g]


def _moves(ctx, layout, week_rules, weeks, by_day, prices: _Prices, apart_weight, slack):
    """Every move with its estimated objective change: ``(estimate, key, [(column, delta)],
    {agent: new week})``."""
    out = []
    n_days = week_rules.n_days
    value = prices.value
    for a, agent in enumerate(ctx.agents):
        g = layout.group_of[a]
        week = weeks[a]
        days = by_day[a]
        if not days:
            continue
        lo, hi = agent.min_hours_week, agent.max_hours_week
        apart = _days_apart(week, n_days, week_rules.cyclic) if apart_weight else False

        def soft(new_week, apart=apart):
            if not apart_weight:
                return 0.0
            return apart_weight * (_days_apart(new_week, n_days, week_rules.cyclic) - apart)

        drops = {}
        for d, v in week.items():
            profile, cols = prices.remove(v, g)
            est = float(prices.estimate(g, -profile[None, :])[0]) - layout.price[a, v]
            drops[d] = (est, [(layout.w[a, v], -1.0), *cols], profile)
        adds: dict[int, tuple] = {}
        for d, variants in days.items():
            options = [v for v in variants if week.get(d) != v]
            if not options:
                continue
            made = [prices.add(v, g) for v in options]
            profiles = np.stack([m[0] for m in made])
            price = np.array([layout.price[a, v] for v in options])
            est_add = prices.estimate(g, profiles) + price
            best = int(np.argmin(est_add))
            if d not in week:
                v = options[best]
                adds[d] = (float(est_add[best]), [(layout.w[a, v], 1.0), *made[best][1]], v)
                continue
            old = week[d]
            est_change = prices.estimate(g, profiles - drops[d][2][None, :]) + (
                price - layout.price[a, old]
            )
            for n in np.flatnonzero(est_change < slack):
                v = options[n]
                new_week = {**week, d: v}
                if week_rules.ok(new_week, lo, hi):
                    changes = _merge(drops[d][1], [(layout.w[a, v], 1.0), *made[n][1]])
                    out.append((float(est_change[n]), ("change", a, d, v), changes, {a: new_week}))
        for d, (est, changes, v) in adds.items():
            new_week = {**week, d: v}
            if est < slack and week_rules.ok(new_week, lo, hi):
                out.append((est + soft(new_week), ("add", a, d, v), changes, {a: new_week}))
        for d, (est, changes, _p) in drops.items():
            new_week = {k: u for k, u in week.items() if k != d}
            if est < slack and week_rules.ok(new_week, lo, hi):
                out.append((est + soft(new_week), ("drop", a, d), changes, {a: new_week}))
        for d1, (est1, ch1, _p) in drops.items():
            for d2, (est2, ch2, v) in adds.items():
                if est1 + est2 >= slack:
                    continue
                new_week = {k: u for k, u in week.items() if k != d1}
                new_week[d2] = v
                if week_rules.ok(new_week, lo, hi):
                    out.append(
                        (
                            est1 + est2 + soft(new_week),
                            ("swap", a, d1, d2, v),
                            _merge(ch1, ch2),
                            {a: new_week},
                        )
                    )
    # move one break of a pooled count
    for (v, g, k), options in layout.b.items():
        if len(options) < 2 or value[layout.x[v, g]] < 0.5:
            continue
        held = [n for n, (_i, j) in enumerate(options) if value[j] > 0.5]
        back = [float(layout.off[v, k, i] @ prices.gain[g]) for i, _j in options]
        cost = [float(layout.off[v, k, i] @ prices.keep[g]) for i, _j in options]
        src = max(held, key=lambda n: back[n])
        dst = int(np.argmin(cost))
        est = cost[dst] - back[src]
        if dst != src and est < slack:
            out.append(
                (
                    est,
                    ("break", v, g, k, options[src][0], options[dst][0]),
                    [(options[src][1], -1.0), (options[dst][1], 1.0)],
                    {},
                )
            )
    return out


def _merge(first: list[tuple[int, float]], second: list[tuple[int, float]]):
    """Column deltas of two changes, summed per column."""
    total: dict[int, float] = {}
    for j, d in [*first, *second]:
        total[j] = total.get(j, 0.0) + d
    return [(j, d) for j, d in total.items() if d != 0.0]


def _restrict(
    matrix: MatrixModel, lower: np.ndarray, upper: np.ndarray, h: highspy.Highs, integer: bool
) -> np.ndarray:
    """Pass ``h`` the model within ``lower``/``upper`` with its fixed columns taken out (their
    activity moved into the row bounds) and only the rows that touch a free column; the free
    columns' indices. HiGHS's presolve would find the same model, in 0.5-1 s of each demo-week
    sub-MIP (the whole 64,637-column model passed each time)."""
    free = np.flatnonzero(lower < upper)
    fixed = np.flatnonzero(lower >= upper)
    activity = matrix.matrix[:, fixed] @ lower[fixed]
    part = matrix.matrix[:, free].tocsr()
    rows = np.flatnonzero(np.diff(part.indptr))
    pass_model(
        h,
        matrix.cost[free],
        lower[free],
        upper[free],
        part[rows],
        matrix.row_lower[rows] - activity[rows],
        matrix.row_upper[rows] - activity[rows],
        matrix.integer[free] if integer else None,
    )
    return free


def _sub_mip(
    matrix: MatrixModel,
    lower: np.ndarray,
    upper: np.ndarray,
    start: np.ndarray,
    limit_sec: float,
    threads: int | None,
    gap: float = _DEFAULTS.sub_mip_gap,
) -> tuple[np.ndarray | None, float, bool]:
    """The roster MIP within the column bounds ``lower``/``upper`` (a neighbourhood of ``start``,
    which must lie in it), solved by HiGHS from ``start``: (point or None, objective, whether
    proven optimal, within the relative ``gap``)."""
    h = new_highs(threads)
    free = _restrict(matrix, lower, upper, h, integer=True)
    first = highspy.HighsSolution()
    first.col_value = list(start[free])
    first.value_valid = True
    h.setSolution(first)
    h.setOptionValue("time_limit", float(limit_sec))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.run()
    solution = h.getSolution()
    if not solution.value_valid:
        return None, np.inf, False
    found = lower.astype(float).copy()
    found[free] = np.asarray(solution.col_value, dtype=float)
    value = float(matrix.cost @ found + matrix.constant)
    return found, value, h.getModelStatus() == highspy.HighsModelStatus.kOptimal


def _rins_bounds(
    matrix: MatrixModel,
    lower: np.ndarray,
    upper: np.ndarray,
    base: np.ndarray,
    threads: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """RINS bounds (Danna, Rothberg and Le Pape 2005, *Math. Program.* 102): within
    ``lower``/``upper``, the integer columns whose LP relaxation value equals the incumbent
    ``base`` are fixed there, the rest stay free. On the demo week's day neighbourhoods the LP
    takes about 1 s and the restricted MIP 1-3 s, and it finds 95% of what the whole day MIP
    finds in 4-18 s (which spends them on root cuts around a point the LP already shows)."""
    h = new_highs(threads)
    free = _restrict(matrix, lower, upper, h, integer=False)
    # interior point with crossover: 0.9 s for a demo day's LP, 2.4 s for two days (dual
    # simplex 1.0 s and 5.8 s)
    h.setOptionValue("solver", "ipm")
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return lower, upper
    relaxed = lower.astype(float).copy()
    relaxed[free] = np.asarray(h.getSolution().col_value, dtype=float)
    agree = matrix.integer.astype(bool) & (np.abs(relaxed - base) < 1e-6) & (lower < upper)
    lower, upper = lower.copy(), upper.copy()
    lower[agree] = upper[agree] = base[agree]
    return lower, upper


def _fixed_outside(
    matrix: MatrixModel, state: np.ndarray, members: np.ndarray, base: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds of a neighbourhood: every ``state`` column outside ``members`` fixed at
    ``base``, the rest within the model's bounds."""
    lower = matrix.lower.copy()
    upper = matrix.upper.copy()
    other = state & ~members
    lower[other] = upper[other] = base[other]
    return lower, upper


def _understaffing(
    layout: _Layout,
    x: np.ndarray,
    queues: Sequence[int] | slice,
    span: slice = slice(None),
    reference: np.ndarray | None = None,
) -> float:
    """The understaffing cost of the roster ``x`` on ``queues`` in the intervals ``span``: what
    the fix-and-optimise searches take first. With ``reference`` (a relaxed point) only the
    understaffing beyond the reference's counts: what the LP leaves short no roster covers
    either, as far as it can see (on the demo week four sales intervals are short in the LP
    and in every roster; ranked by them, the searches spent their time on Monday and
    Thursday while Sunday's service shortage, which a whole Sunday MIP removes, waited)."""
    cols = layout.under[queues, span]
    safe = np.maximum(cols, 0)
    taken = np.where(cols >= 0, x[safe], 0.0)
    if reference is not None:
        taken = np.maximum(taken - np.where(cols >= 0, reference[safe], 0.0), 0.0)
    return float((taken * layout.under_w[queues, span]).sum())


def _fix_and_optimise(
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

    With ``rins``, a neighbourhood is first solved restricted (:func:`_rins_bounds`: its
    integer columns where its LP relaxation agrees with the incumbent stay fixed), and only
    once that finds nothing at the incumbent, whole (never with ``whole`` False; with
    ``whole_if_urgent`` only while its ``urgency`` is positive).

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
    x = _rounded(matrix, point)
    current = float(matrix.cost @ x + matrix.constant)
    first = current
    exact = not bool((matrix.integer & ~state).any())
    workers = max(1, workers if exact else 1)
    evaluator = _Evaluator(matrix, state, x, threads) if exact else None
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
        return _fixed_outside(matrix, state, members(hood), base)

    def solve(hood: tuple[int, ...], base: np.ndarray, stage: float, restrict: bool, limit: float):
        lower, upper = (bounds or fix_the_rest)(hood, base, stage)
        if restrict:
            lower, upper = _rins_bounds(matrix, lower, upper, base, threads)
        return _sub_mip(matrix, lower, upper, base, limit, threads, sub_mip_gap)

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
            x = _rounded(matrix, found)
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
    """One RINS-restricted sub-MIP over the whole weeks of ``agents``: their shifts on every
    day and the pooled counts and break counts of their skill groups are free, everything else
    stays at ``point``; within that, the integer columns where the neighbourhood's LP
    relaxation agrees with ``point`` stay fixed too (:func:`_rins_bounds`). Meant for the
    agents a dive fixed last: one at a time, each to the heaviest of the few weeks priced for
    it, they leave the holes the dive's master could no longer fill (demo week: the master LP
    rose from 58,771 with six agents free to 61,704 with none). Their weeks re-planned
    together took five dives of 59,816-61,819 to 59,697-60,551 in 3.5-9 s; replayed with the
    searches after it (36 s in all), 9 of 10 runs ended within 1% against 4 of 5 without it
    (the day MIPs repair the same holes one day at a time, sometimes into a local optimum
    above 1%: 1.27-1.54% from the 61,704 dive)."""
    started = time.perf_counter()
    layout = _layout(ctx, matrix)
    x = _rounded(matrix, point)
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
        lower, upper = _fixed_outside(matrix, layout.day_of >= 0, members, x)
        lower, upper = _rins_bounds(matrix, lower, upper, x, threads)
        left = time_limit_sec - (time.perf_counter() - started)
        gap = (params or _DEFAULTS).sub_mip_gap
        point_found, objective, _optimal = _sub_mip(matrix, lower, upper, x, left, threads, gap)
        if point_found is not None and objective < value - _EPS:
            found, value = _rounded(matrix, point_found), objective
            if log:
                log(f"weeks of agents {sorted(chosen)}: {first:.1f} -> {value:.1f}")
    stats = {"agent_week_sec": round(time.perf_counter() - started, 3)}
    return SearchResult(x=found, objective=value, start_objective=first, stats=stats)


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
    """Fix-and-optimise by day: the roster MIP with every shift and break count of the other
    days fixed at ``point``, solved by HiGHS from ``point`` (so never worse), one day at a time,
    the days with the most understaffing cost first, pass after pass until a whole pass finds
    nothing better or the time limit. A day's sub-MIP re-plans every agent's shift and breaks
    that day together (chains of moves the single-agent search cannot make), within each
    agent's week as fixed on the other days. ``workers`` days that are not neighbours (so no
    rest rule links them) are solved at once and merged (see :func:`_fix_and_optimise`).
    With ``rins`` (the default) a day is first solved restricted to where its LP relaxation
    disagrees with the incumbent (:func:`_rins_bounds`), whole only once that finds nothing:
    from four dived demo rosters, 20 s of day MIPs end at 59,057-60,023 (mean 59,479) where
    whole days alone end at 58,878-66,517 (mean 62,034); a whole day MIP spends 4-18 s on
    root cuts. ``per_day_sec``, ``workers`` and ``repeat_gain`` (None: ``params.day_mip_sec``,
    ``params.search_workers``, ``params.day_repeat_gain``) and the sub-MIP gap come from
    ``params`` (None: the defaults)."""
    params = params or _DEFAULTS
    started = time.perf_counter()
    layout = _layout(ctx, matrix)
    day_of = layout.day_of
    problem = ctx.problem
    n_days = problem.n_days
    starts = [*problem.day_starts, problem.n_intervals]

    def urgency(x: np.ndarray, hood: tuple[int, ...]) -> float:
        span = slice(starts[hood[0]], starts[hood[0] + 1])
        return _understaffing(layout, x, slice(None), span, reference)

    def clash(one: tuple[int, ...], two: tuple[int, ...]) -> bool:
        gap = abs(one[0] - two[0])
        return gap <= 1 or (problem.cyclic and gap >= n_days - 1)

    return _fix_and_optimise(
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
    units: Callable[[_Layout], list[_Unit]],
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
    layout = _layout(ctx, matrix)
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
            _understaffing(layout, x, queues, slice(starts[d], starts[d + 1]), reference)
            for d in hood[1:]
        )

    return _fix_and_optimise(
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
    ``point`` except the shifts, breaks and pooled counts of group ``g`` on days ``d1`` and
    ``d2``. Its agents may trade a day off between the two days (a day MIP cannot: with the
    other days fixed an agent's days off stay where they are) and re-time their shifts on both
    days together. The sub-MIPs are small (one group, two days: about a second each on the
    demo week), so there are many, taken in order of the understaffing cost of the group's
    queues on the two days, cycle after cycle until one finds nothing. ``workers`` run at once
    for different groups on different days and are merged through the LP (every agent belongs
    to one group, so a merge is always a roster; see :func:`_fix_and_optimise`). On the demo
    week after the day MIPs: 61,120 -> 60,199 in 60 s where 90 s of whole two-day MIPs found
    nothing. ``per_hood_sec`` and ``workers`` (None: ``params.hood_mip_sec``,
    ``params.search_workers``) and the sub-MIP gap come from ``params`` (None: the defaults)."""
    params = params or _DEFAULTS
    problem = ctx.problem

    def units(layout: _Layout) -> list[_Unit]:
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
    """Fix-and-optimise by one queue on two days: the roster MIP with everything fixed at
    ``point`` except the shifts, breaks and pooled counts, on days ``d1`` and ``d2``, of every
    skill group serving queue ``q``. Agents of several groups may trade days off and shifts
    together to cover one queue (a group-day sub-MIP moves one group at a time, and a move
    that pays only with another group's is then out of reach). Solved RINS-restricted
    (:func:`_rins_bounds`; whole only with ``whole``: a whole one takes 8-10 s on the demo
    week, a restricted one 1-3 s), the queues and days with the most understaffing cost
    first. On the demo week after the day MIPs, from 59,279: the first sub-MIP (sales on
    Monday and Wednesday) gives 58,850 in 2.6 s, where the group-day search needs three
    sub-MIPs of three groups for it. ``per_hood_sec`` and ``workers`` (None:
    ``params.hood_mip_sec``, ``params.search_workers``) and the sub-MIP gap come from ``params``
    (None: the defaults)."""
    params = params or _DEFAULTS
    problem = ctx.problem
    n_days = problem.n_days

    def units(layout: _Layout) -> list[_Unit]:
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


def _rounded(matrix: MatrixModel, point: np.ndarray) -> np.ndarray:
    """A copy of ``point`` with its integer columns rounded."""
    x = np.asarray(point, dtype=float).copy()
    x[matrix.integer] = np.round(x[matrix.integer])
    return x


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

    Each step re-plans every agent of a few skill groups (:func:`group_neighbourhoods`: the
    groups serving one queue, or two groups sharing a queue) for the whole week at once: the
    roster MIP with the shifts and break counts of every other group fixed at the incumbent,
    solved by HiGHS from the incumbent (so never worse). Days off move between days and the
    agents of one skill set trade shifts, which neither :func:`improve` nor
    :func:`improve_by_day` can do. To keep each sub-MIP small enough to solve in seconds, an
    agent may only keep a shift of the incumbent or take one that the relaxation uses: the
    columns whose value in ``support`` (the compact LP's interior point, positive on every
    column some LP optimum uses) is at least the current threshold (relaxation induced
    neighbourhood search, Danna, Rothberg & Le Pape 2005, *Math. Program.* 102). A whole cycle
    over the neighbourhoods without a better roster lowers the threshold (``thresholds``, in
    order); the search ends after the last one or at the time limit. Neighbourhoods are taken
    in order of the understaffing cost on the queues they serve, and one already solved to
    optimality is skipped until the incumbent changes.

    ``workers`` sub-MIPs run at once on disjoint sets of groups and are merged as in
    :func:`_fix_and_optimise` (a merge is always a roster, as every agent and break count
    belongs to one group). ``per_hood_sec``, ``thresholds`` and ``workers`` (None:
    ``params.group_mip_sec``, ``params.group_thresholds``, ``params.search_workers``) and the
    sub-MIP gap come from ``params`` (None: the defaults).
    """
    params = params or _DEFAULTS
    started = time.perf_counter()
    layout = _layout(ctx, matrix)
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
        return _understaffing(layout, x, queues, reference=support)

    def bounds(hood: tuple[int, ...], base: np.ndarray, threshold: float):
        lower = matrix.lower.copy()
        upper = matrix.upper.copy()
        other = (owner >= 0) & ~np.isin(owner, hood)
        lower[other] = upper[other] = base[other]
        upper[is_w & ~other & (base < 0.5) & (support < threshold)] = 0.0
        return lower, upper

    def label(hood: tuple[int, ...], threshold: float) -> str:
        return f"groups {'+'.join(problem.groups[g].name for g in hood)} (>= {threshold})"

    return _fix_and_optimise(
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
