"""The roster's options, model handle and result types."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from solvers.problem import ScheduleProblem
from solvers.result import (
    ResultMixin,
    Shortfall,
    SolveOutcome,
    Violation,
    summary_common,
)
from solvers.roster.context import AgentInfo, RosterContext
from wfm.config import SolverOptions

_EPS = 1e-6
_AGENT_RULES = (
    "paid_cost",
    "consecutive_days_off",
    "preferred_shifts",
    "preferred_days_off",
)


@dataclass(frozen=True)
class RosterOptions:
    """How the roster is built and solved.

    Attributes
    ----------
    start_step_min
        Step between the shift starts a roster may use, minutes from each template's earliest
        start (the latest start is always kept); a template whose own step is coarser keeps its
        own. None: every start the template allows.
    break_step_min
        Step between the break starts a roster may use inside each break window, minutes from
        the window's first start (its last start is always kept). None: every interval.
    solver
        Solver options; None: the problem's (``[solver]`` of the configuration).
    warm_start
        Start the solver from a greedy roster (HiGHS and CBC).
    check
        Recompute coverage from the per-agent export and raise if it differs from the model's.
    lp_support
        Two-stage solve (HiGHS): stage 1 solves the LP relaxation of the whole model with the
        interior-point method; stage 2 solves the integer program with the agent-shift binaries
        whose LP value is below ``lp_support`` fixed to 0. The reported bound is the stage-1 LP
        value, a valid lower bound of the whole model (so the gap is honest; stage 2's own bound
        is not, it is that of a restriction). None: one solve of the whole model.
    dive_rounds
        Two-stage solve: rounds of LP diving before stage 2 (1: round the first LP at once).
    method
        ``"price_dive"`` (HiGHS): the Dantzig-Wolfe decomposition of :mod:`solvers.decompose`,
        each agent a block (the rows of :attr:`RosterContext.local`): bound = the larger of the
        compact LP and the Lagrangian bound of column generation over agent weeks; roster by
        diving on the agents' week columns and a final MIP over the last agents and the break
        counts, then improved by local search. ``"two_stage"``: see ``lp_support``. None (the
        default): the problem's ``[solver] roster_method`` (``price_dive`` unless configured).
    search_share
        ``price_dive``: share of the time limit kept for improving the dived roster by local
        search and fix-and-optimise by skill groups and by day (:mod:`solvers.roster.search`);
        0: none.
    plan_assign
        Two-stage solve: the primal roster comes from :func:`plan_then_assign` instead of LP
        diving: ``"plan"`` assigns the agents to the shifts of a pooled shift plan, ``"lp"`` to
        the pooled counts of the roster's LP relaxation; the diving roster stays the fallback
        when that finds nothing. None: LP diving.
    """

    method: str | None = None
    start_step_min: int | None = 60
    break_step_min: int | None = 30
    solver: SolverOptions | None = None
    check: bool = True
    warm_start: bool = True
    lp_support: float | None = 0.05
    dive_rounds: int = 8
    plan_assign: str | None = None
    search_share: float = 0.25


@dataclass
class RosterModel:
    """The PuLP problem and the handles the rules registered."""

    ctx: RosterContext
    options: RosterOptions
    #: Timings and values of the two-stage solve (``lp_sec``, ``lp_bound``, ``rounded_objective``).
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def lp(self) -> pulp.LpProblem:
        return self.ctx.lp

    @property
    def problem(self) -> ScheduleProblem:
        return self.ctx.problem

    def size(self) -> dict[str, int]:
        """Variables (all, integer), constraints, agent-shift binaries of the model."""
        variables = self.lp.variables()
        return {
            "variables": len(variables),
            "integer_variables": sum(1 for v in variables if v.cat == pulp.LpInteger),
            "constraints": len(self.lp.constraints),
            "agent_shift_variables": len(self.ctx.w),
            "variants": len(self.ctx.variants),
        }


@dataclass(frozen=True)
class AgentShift:
    """Agent ``agent`` (index) works variant ``variant``; ``breaks[k]`` is the index of the
    allowed start its break rule ``k`` takes (into ``variant.breaks[k].starts``)."""

    agent: int
    agent_id: str
    variant: int
    breaks: tuple[int, ...] = ()


@dataclass(frozen=True)
class AgentViolation:
    """A soft rule bent for one agent: ``amount`` (in ``unit``) costing ``penalty``."""

    rule: str
    agent_id: str
    amount: float
    unit: str
    penalty: float
    day: str | None = None


@dataclass(frozen=True, eq=False)
class RosterResult(ResultMixin):
    """A solved (or not) roster.

    ``assignment[a, q, t]`` is the share of agent ``a``'s interval ``t`` spent on queue ``q`` and
    ``at_work[a, t]`` the share at work (1, less a break's share, 0 off shift): ``sum_q
    assignment[a, q, t] == at_work[a, t] <= 1``. ``coverage`` is the tidy coverage frame
    (``interval_start, queue, required, scheduled, gap``; email also ``backlog``).
    """

    problem: ScheduleProblem
    outcome: SolveOutcome
    agents: tuple[AgentInfo, ...] = ()
    shifts: tuple[AgentShift, ...] = ()
    assignment: np.ndarray | None = None
    at_work: np.ndarray | None = None
    coverage: pd.DataFrame | None = None
    violations: tuple[Violation, ...] = ()
    agent_violations: tuple[AgentViolation, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()
    objective_terms: dict[str, float] = field(default_factory=dict)
    model_size: dict[str, int] = field(default_factory=dict)

    def hours_by_agent(self) -> dict[str, float]:
        """Paid hours per agent id (0 for agents without a shift)."""
        out = {agent.agent_id: 0.0 for agent in self.agents}
        for s in self.shifts:
            out[s.agent_id] += self.problem.variants[s.variant].paid_minutes / 60
        return out

    def summary(self) -> dict:
        """The summary JSON of the contract (+ model size, bent rules, shortfalls)."""
        summary = summary_common(
            self,
            (*self.violations, *self.agent_violations),
            agents=len(self.agents),
            agents_rostered=len({s.agent for s in self.shifts}),
            shifts=len(self.shifts),
        )
        summary["model"] = dict(self.model_size)
        return {"mode": "roster", **summary}

    def segments(self) -> pd.DataFrame:
        """The schedule export frame (see :func:`roster_segments`)."""
        from solvers.roster.export import roster_segments  # the export reads this type

        return roster_segments(self)
