"""What the roster rules see: one named agent (:class:`AgentInfo`) and what the rules share
while the model is built (:class:`RosterContext`: the problem, the pooled shift-plan context,
the agent-shift variables, the per-agent constraint blocks)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulp

from solvers.problem import ScheduleProblem, ShiftVariant
from solvers.rules import ModelContext, Penalty

__all__ = ["WEEKEND", "AgentInfo", "RosterContext"]


WEEKEND = ("Sat", "Sun")


@dataclass(frozen=True)
class AgentInfo:
    """One named agent as the rules see it (from a row of the agents frame)."""

    index: int
    agent_id: str
    name: str
    team: str
    skills: tuple[str, ...]
    group: int
    min_hours_week: float
    max_hours_week: float
    cost_per_hour: float
    available_days: tuple[str, ...]
    available_from_min: int
    available_until_min: int
    preferred_shifts: tuple[str, ...] = ()
    preferred_days_off: tuple[str, ...] = ()

    @property
    def limited_hours(self) -> bool:
        """Whether the agent has a daily availability window (other than 00:00-24:00)."""
        return not (self.available_from_min <= 0 and self.available_until_min >= 1440)


@dataclass
class RosterContext:
    """What the roster rules share while the model is built.

    ``plan`` is the shift-plan :class:`~solvers.rules.ModelContext` over the pooled counts
    ``x[g,v]``; the coverage rules of :mod:`solvers.rules` run on it unchanged.
    """

    problem: ScheduleProblem
    plan: ModelContext
    agents: list[AgentInfo]
    #: Variant indices the roster may use (after the start-step reduction).
    variants: list[int]
    day_names: list[str]
    #: Unwrapped start / end positions of every variant in ``variants``.
    start: dict[int, int] = field(default_factory=dict)
    end: dict[int, int] = field(default_factory=dict)
    w: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)
    by_agent: dict[int, list[int]] = field(default_factory=dict)
    worked: dict[tuple[int, int], pulp.LpAffineExpression] = field(default_factory=dict)
    #: Penalties charged to one agent: ``(agent index, penalty)``.
    agent_penalties: list[tuple[int, Penalty]] = field(default_factory=list)
    #: Names of the constraints that concern one agent only (agent index -> names): the blocks
    #: of the decomposition in :mod:`solvers.decompose`.
    local: dict[int, list[str]] = field(default_factory=dict)
    #: ``miss[a]``: agent ``a`` has no two days off together (the soft rule's variable).
    apart: dict[int, pulp.LpVariable] = field(default_factory=dict)
    #: Template name -> the (day, start, length) of its variants (built on first use).
    _times: dict[str, set[tuple[int, int, int]]] | None = field(
        default=None, init=False, repr=False
    )

    @property
    def lp(self) -> pulp.LpProblem:
        return self.plan.lp

    def add(self, constraint: pulp.LpConstraint, name: str) -> None:
        """Add a named constraint."""
        self.plan.add(constraint, name)

    def add_agent(self, a: int, constraint: pulp.LpConstraint, name: str) -> None:
        """Add a named constraint over agent ``a``'s own variables only."""
        self.plan.add(constraint, name)
        self.local.setdefault(a, []).append(name)

    def penalize_agent(self, a: int, penalty: Penalty) -> None:
        """Register a soft term charged to agent ``a`` (also part of the objective)."""
        self.agent_penalties.append((a, penalty))
        self.plan.penalize(penalty)

    def variant(self, v: int) -> ShiftVariant:
        return self.problem.variants[v]

    def day_name(self, v: int) -> str:
        """``Mon`` .. ``Sun``: the local day the variant starts on."""
        return self.day_names[self.variant(v).day]

    def off_preference(self, agent: AgentInfo, v: int) -> bool:
        """Whether shift ``v`` is off ``agent``'s preferred templates.

        A shift is on preference when a preferred template has a shift on the same day, at the
        same start and of the same length: templates whose windows touch make the same shift,
        and the schedule a planner reads names its times, not its template.
        """
        if not agent.preferred_shifts:
            return False
        if self._times is None:
            self._times = {}
            for variant in self.problem.variants:
                key = (variant.day, variant.start, variant.length)
                self._times.setdefault(variant.template, set()).add(key)
        variant = self.variant(v)
        key = (variant.day, variant.start, variant.length)
        return not any(key in self._times.get(t, ()) for t in agent.preferred_shifts)

    def weekend_days(self) -> list[int]:
        return [d for d, name in enumerate(self.day_names) if name in WEEKEND]
