"""The shift-plan integer program: :func:`build_model` and the variant bounds that tighten it.

See :mod:`solvers.shift_plan` for the formulation and the bounds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pulp

from solvers.problem import ScheduleProblem
from solvers.rules import RULES, ModelContext

__all__ = [
    "ShiftPlanModel",
    "build_model",
    "variant_upper_bounds",
]

_EPS = 1e-6


@dataclass
class ShiftPlanModel:
    """The PuLP problem and the handles the rules registered (variables, penalties)."""

    lp: pulp.LpProblem
    ctx: ModelContext

    @property
    def problem(self) -> ScheduleProblem:
        return self.ctx.problem


def variant_upper_bounds(
    problem: ScheduleProblem, zero_deviation: bool = False
) -> dict[tuple[int, int], int | None]:
    """``M[v,g]``: the most agents of group ``g`` that variant ``v`` can use (None: unbounded).

    See :mod:`solvers.shift_plan` for why the bound is valid. With ``zero_deviation``
    (coverage of live queues exact), a group that alone serves one live queue gets the much smaller
    ``floor(min_{t in core(v)} required[t])``: coverage never exceeds the requirement.
    """
    rules = problem.rules
    cost_ok = all(v.cost >= 0 for v in problem.variants) and all(
        g.cost_factor >= 0 for g in problem.groups
    )
    bounds: dict[tuple[int, int], int | None] = {}
    for g, group in enumerate(problem.groups):
        served = [q for q in problem.queues if group.serves(q.name)]
        live_only = all(q.kind == "live" for q in served)
        total = np.zeros(problem.n_intervals)
        for q in served:
            total = total + q.required
        for v, variant in enumerate(problem.variants):
            bound: int | None = group.max_count
            if live_only and rules.overstaff_penalty > 0 and cost_ok and not variant.breaks:
                peak = float(np.max(total[list(variant.cover)]))
                tight = max(0, math.ceil(peak - _EPS))
                bound = tight if bound is None else min(bound, tight)
            if zero_deviation and len(served) == 1 and served[0].kind == "live":
                others = [h for h in problem.groups if h is not group and h.serves(served[0].name)]
                core = variant.core() or variant.cover
                if not others and core:
                    low = math.floor(float(np.min(served[0].required[list(core)])) + _EPS)
                    bound = low if bound is None else min(bound, low)
            if not served:
                bound = 0
            bounds[v, g] = bound
    return bounds


def _unique_variants(problem: ScheduleProblem) -> list[int]:
    seen: set = set()
    keep = []
    for v, variant in enumerate(problem.variants):
        key = (
            variant.start,
            variant.length,
            variant.cover,
            variant.cost,
            variant.paid_minutes,
            variant.shift_key,
            tuple((b.paid, b.length_min, b.off) for b in variant.breaks),
        )
        if key not in seen:
            seen.add(key)
            keep.append(v)
    return keep


def build_model(problem: ScheduleProblem, *, zero_deviation: bool = False) -> ShiftPlanModel:
    """Build the shift-plan integer program of ``problem`` (rules: ``solvers.rules.RULES``).

    ``zero_deviation=True`` builds the restriction in which every live queue is covered exactly
    (its under- and overstaffing variables fixed at 0), the first step of
    :func:`solve_problem`'s ``zero_deviation_first`` strategy.
    """
    label = re.sub(r"\W+", "_", problem.name) or "week"
    lp = pulp.LpProblem(f"shift_plan_{label}", pulp.LpMinimize)
    n = problem.n_intervals
    upper = variant_upper_bounds(problem, zero_deviation)
    variants = _unique_variants(problem)
    x: dict[tuple[int, int], pulp.LpVariable] = {}
    b: dict[tuple[int, int, int, int], pulp.LpVariable] = {}
    terms: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
    span_terms: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
    for g, group in enumerate(problem.groups):
        for v in variants:
            bound = upper.get((v, g))
            if bound == 0:
                continue
            variant = problem.variants[v]
            var = pulp.LpVariable(f"x_{v}_{g}", lowBound=0, upBound=bound, cat=pulp.LpInteger)
            x[v, g] = var
            for t in variant.cover:
                terms.setdefault((g, t), []).append((var, 1.0))
                if group.max_count is not None:
                    span_terms.setdefault((g, t), []).append((var, 1.0))
            for k, option in enumerate(variant.breaks):
                for i, placement in enumerate(option.off):
                    bvar = pulp.LpVariable(
                        f"b_{v}_{g}_{k}_{i}", lowBound=0, upBound=bound, cat=pulp.LpInteger
                    )
                    b[v, g, k, i] = bvar
                    for t, share in placement:
                        terms.setdefault((g, t), []).append((bvar, -share))
    at_work = {key: pulp.LpAffineExpression(items) for key, items in terms.items()}
    spans = {key: pulp.LpAffineExpression(items) for key, items in span_terms.items()}
    ctx = ModelContext(
        problem=problem, lp=lp, variants=variants, x=x, b=b, at_work=at_work, spans=spans, a={}
    )
    ctx.upper = {key: upper.get(key) for key in x}
    for g, group in enumerate(problem.groups):
        served = [q for q, queue in enumerate(problem.queues) if group.serves(queue.name)]
        if len(served) == 1:
            ctx.direct.add(g)
            q = served[0]
            for t in range(n):
                if (g, t) in at_work:
                    ctx.a[g, q, t] = at_work[g, t]
            continue
        day = problem.day_of()
        for q in served:
            queue = problem.queues[q]
            for t in range(n):
                if (g, t) not in at_work:
                    continue
                if queue.kind == "live" and queue.required[t] <= 0:
                    continue
                if queue.kind == "daily" and not (queue.hours_per_day or ())[day[t]]:
                    continue
                ctx.a[g, q, t] = pulp.LpVariable(f"a_{g}_{q}_{t}", lowBound=0)
    for rule in RULES:
        rule.add(ctx)
    if zero_deviation:
        for penalty in ctx.penalties:
            if penalty.rule in ("understaff", "overstaff") and penalty.queue is not None:
                penalty.var.upBound = 0
        _start_end_cuts(ctx)
    lp += pulp.LpAffineExpression(
        [(p.var, p.weight) for p in ctx.penalties if isinstance(p.var, pulp.LpVariable)]
    ) + pulp.lpSum(
        p.weight * p.var for p in ctx.penalties if not isinstance(p.var, pulp.LpVariable)
    )
    return ShiftPlanModel(lp=lp, ctx=ctx)


def _start_end_cuts(ctx: ModelContext) -> None:
    """Valid inequalities of the exact-coverage restriction (distinct-shift links).

    When one group alone serves a live queue and its variants have no breaks, exact coverage
    means ``W[t] - W[t-1] = required[t] - required[t-1]``: where the requirement rises at ``t``,
    some shift starts at ``t``, and where it falls, some shift ends. So at least one distinct
    shift with that start clock (end clock) is used: ``sum_{s starts at clock(t)} y_s >= 1``.
    The integer program implies it; its LP relaxation does not (``y`` may be fractional).
    """
    problem = ctx.problem
    if not ctx.y:
        return
    n = problem.n_intervals
    for g in ctx.direct:
        group = problem.groups[g]
        queues = [q for q in problem.queues if group.serves(q.name)]
        if len(queues) != 1 or queues[0].kind != "live":
            continue
        if any(h is not group and h.serves(queues[0].name) for h in problem.groups):
            return
        if any(problem.variants[v].breaks for (v, gg) in ctx.x if gg == g):
            return
        required = np.asarray(queues[0].required, dtype=float)
        if np.any(np.abs(required - np.round(required)) > _EPS):
            return  # fractional requirements are never covered exactly
        starts: dict[int, set] = {}
        ends: dict[int, set] = {}
        for v, gg in ctx.x:
            if gg != g:
                continue
            variant = problem.variants[v]
            starts.setdefault(variant.start, set()).add(variant.shift_key)
            end = variant.start + variant.length
            ends.setdefault(end % n if problem.cyclic else end, set()).add(variant.shift_key)
        for t in range(n):
            if t == 0 and not problem.cyclic:
                continue
            delta = required[t] - required[t - 1]
            if delta > 0:
                keys = starts.get(t, set())
                kind = "start"
            elif delta < 0:
                keys = ends.get(t, set())
                kind = "end"
            else:
                continue
            if keys:
                ctx.add(pulp.lpSum(ctx.y[k] for k in sorted(keys)) >= 1, f"cut_{kind}_{t}")
