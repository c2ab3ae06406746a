"""The single-agent and break moves of :func:`~solvers.roster.search.local_search.improve`,
priced to first order by the LP's duals and primal slack (:class:`Prices`,
:func:`removal_cost`) and kept within every agent's week rules (:func:`candidate_moves`)."""

from __future__ import annotations

import numpy as np

from solvers.roster.day_patterns import off_together
from solvers.roster.search.state import Layout

__all__ = ["Prices", "candidate_moves", "removal_cost"]


def removal_cost(layout: Layout, point: np.ndarray, gain: np.ndarray) -> np.ndarray:
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


def _profile(layout: Layout, v: int, picks) -> np.ndarray:
    """At-work time of one agent on ``v`` with breaks ``picks`` ((k, i, column)), per interval."""
    out = np.zeros(layout.n_intervals)
    out[layout.cover[v]] = 1.0
    for k, i, _j in picks:
        out -= layout.off[v, k, i]
    return out


class Prices:
    """Per round: the value of adding (``gain``) and the cost of removing (``keep``) one unit of a
    group's time at an interval, and the shift profiles that follow, cached per (v, g)."""

    def __init__(self, layout: Layout, gain: np.ndarray, keep: np.ndarray, value: np.ndarray):
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


def candidate_moves(ctx, layout, week_rules, weeks, by_day, prices: Prices, apart_weight, slack):
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
