"""Roster: named agents get at most one shift a day (or a day off), breaks, and queue time.

Three steps, each usable alone, as in :mod:`solvers.shift_plan`:

- :func:`build_model` ``(problem, options) -> RosterModel``: the PuLP integer program;
- :func:`solve` ``(model, solver_options) -> SolveOutcome``: the shift-plan solve (HiGHS by
  default, CBC by name; time limit, relative gap, threads), same status enum;
- :func:`read_result` ``(model, outcome) -> RosterResult``: per-agent shifts with their breaks,
  the per-agent, per-interval queue assignment, coverage, bent soft rules, shortfalls with reasons.

:func:`solve_roster` runs the three (and explains an infeasible hard-coverage model);
:func:`roster_segments` is the schedule export frame (one row per agent activity segment);
:func:`check_roster` recomputes coverage from that export and compares it with the model's.

Formulation (compact; rules in :mod:`solvers.roster.rules`)
-----------------------------------------------------------
- Binary ``w[a,v]`` per agent and shift variant, on a **reduced variant set**: the start times of
  each template and day taken every ``start_step_min`` (default 60 min) from the earliest start,
  plus the latest start; variants the agent's rules forbid (availability, hours, skills) are not
  created, and of variants identical but for their template an agent gets the cheapest one.
- Pooled counts ``x[g,v] = sum_{a in g} w[a,v]`` per skill group ``g`` (agents with identical
  skills). Breaks are implicit (Bechtold & Jacobs 1990; Aykin 1996) on the pooled counts:
  integer ``b[g,v,k,i]`` agents of ``g`` on ``v`` taking break ``k`` at its ``i``-th start,
  ``sum_i b[g,v,k,i] = x[g,v]``. This is the shift-plan model of :mod:`solvers.shift_plan` over
  ``x``, and its coverage rules (multi-skill time split, live coverage, email deadlines, outbound
  hours, distinct shifts) are reused unchanged.
- Read-back (disaggregation), exact: the break starts of the ``x[g,v]`` agents on ``v`` are dealt
  to them in order (any order is valid: coverage only depends on the counts), and the group's
  queue time ``a[g,q,t]`` is shared out between its agents at work with a greedy transport
  (an agent keeps the queue of the previous interval when it can, then north-west corner), so
  that no agent works more than its at-work share of an interval (1, or 1 minus a break's share).
  A multi-skilled group's idle time (``W - sum_q a``, charged as overstaffing) is reported as
  work on one of its queues (overstaffing there, the same weight).

The gap reported is relative to a lower bound of this model (the reduced variant set included):
the larger of the compact LP and the Lagrangian bound in the ``price_dive`` solve (the default,
:func:`solve_price_dive`); the LP relaxation's value in the two-stage solve
(``RosterOptions.lp_support``, see :func:`solve_two_stage`: LP bound, LP diving with the pooled
LP plan dealt out to the agents, then the integer program on the LP support from that roster);
the solver's own bound in a one-stage solve.

Modules: :mod:`~solvers.roster.types` (options, model handle, result),
:mod:`~solvers.roster.model` (agents, variants, :func:`build_model`),
:mod:`~solvers.roster.solving` (:func:`solve`, :func:`solve_roster`),
:mod:`~solvers.roster.price_dive` and :mod:`~solvers.roster.two_stage` (the methods),
:mod:`~solvers.roster.greedy` (greedy and LP-rounded weeks), :mod:`~solvers.roster.plan_assign`,
:mod:`~solvers.roster.read_back`, :mod:`~solvers.roster.shortfalls` (reasons) and
:mod:`~solvers.roster.export` (segments, coverage check); the rules in
:mod:`~solvers.roster.rules` (``ROSTER_RULES``), :mod:`~solvers.roster.day_patterns` and
:mod:`~solvers.roster.context` (``AgentInfo``, ``RosterContext``); the improvement searches in
:mod:`solvers.roster.search`. The heuristic's knobs are
:class:`~wfm.roster_params.RosterParams`.
"""

from solvers.roster.export import check_roster, export_coverage, roster_segments, schedule_frame
from solvers.roster.greedy import greedy_roster, lp_rounded_roster
from solvers.roster.model import build_model, roster_agents, roster_variants
from solvers.roster.plan_assign import plan_then_assign
from solvers.roster.price_dive import PRICE_DIVE_STAGES, SearchCycle, SearchStage, solve_price_dive
from solvers.roster.read_back import read_result
from solvers.roster.solving import solve, solve_problem, solve_roster
from solvers.roster.two_stage import complete_roster, solve_two_stage
from solvers.roster.types import (
    AgentShift,
    AgentViolation,
    RosterModel,
    RosterOptions,
    RosterResult,
)
from wfm.roster_params import RosterParams

__all__ = [
    "PRICE_DIVE_STAGES",
    "AgentShift",
    "AgentViolation",
    "RosterModel",
    "RosterOptions",
    "RosterParams",
    "RosterResult",
    "SearchCycle",
    "SearchStage",
    "build_model",
    "check_roster",
    "complete_roster",
    "export_coverage",
    "greedy_roster",
    "lp_rounded_roster",
    "plan_then_assign",
    "read_result",
    "roster_agents",
    "roster_segments",
    "roster_variants",
    "schedule_frame",
    "solve",
    "solve_price_dive",
    "solve_problem",
    "solve_roster",
    "solve_two_stage",
]
