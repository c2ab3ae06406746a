"""One checker for an agent's week (solvers.week_rules.WeekRules) agrees with the roster MIP."""

from __future__ import annotations

import numpy as np
import pulp

from solvers.roster import RosterOptions, build_model
from solvers.week_rules import WeekRules
from tests._roster_data import agent, agents_frame, demand, make_problem, template


def _random_model(rng: np.random.Generator):
    cyclic = bool(rng.integers(0, 2))
    rest = float(rng.choice([0.0, 11.0, 14.0]))
    agents = agents_frame(
        agent(
            "A",
            min_hours=float(rng.choice([0.0, 12.0, 24.0])),
            max_hours=float(rng.choice([24.0, 32.0, 40.0])),
        ),
        agent("B"),
    )
    shifts = (
        template("early", "06:00", (6.0, 8.0), latest="08:00", step=120),
        template("late", "14:00", 8.0, latest="16:00", step=120),
    )
    problem = make_problem(
        agents,
        shifts,
        demand("service", tuple(range(7)), (8, 20), 1.0),
        cyclic=cyclic,
        min_rest_hours=rest,
        max_consecutive_days=int(rng.integers(2, 6)),
        days_off_per_week=int(rng.integers(1, 4)),
    )
    return build_model(problem, RosterOptions(method="two_stage", start_step_min=None))


def _mip_feasible(model, a: int, week: dict[int, int]) -> bool:
    ctx = model.ctx
    for v in ctx.by_agent.get(a, []):
        var = ctx.w[a, v]
        var.lowBound = var.upBound = 1.0 if week.get(ctx.variant(v).day) == v else 0.0
    model.lp.solve(pulp.HiGHS(msg=False, timeLimit=20))
    return model.lp.solverModel.getModelStatus().name == "kOptimal"


def test_week_checker_says_ok_iff_the_roster_mip_with_that_week_is_feasible():
    verdicts = []
    for seed in range(8):
        verdicts += _agree_on_random_weeks(seed)
    assert True in verdicts and False in verdicts  # both answers were put to the test


def _agree_on_random_weeks(seed: int) -> list[bool]:
    rng = np.random.default_rng(seed)
    model = _random_model(rng)
    ctx = model.ctx
    rules = WeekRules.from_context(ctx)
    agent_info = ctx.agents[0]
    by_day: dict[int, list[int]] = {}
    for v in ctx.by_agent[0]:
        by_day.setdefault(ctx.variant(v).day, []).append(v)
    verdicts = []
    for _ in range(8):
        week = {}
        for d, options in by_day.items():
            if rng.random() < 0.7:
                week[d] = int(rng.choice(options))
        ok = rules.ok(week, agent_info.min_hours_week, agent_info.max_hours_week)
        assert ok == _mip_feasible(model, 0, week), (seed, week)
        verdicts.append(ok)
    return verdicts
