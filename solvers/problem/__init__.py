"""The schedule problem: one continuous interval axis, queues, shift variants and agent groups.

Everything the shift-plan and roster models need, as frozen dataclasses over the positions
``0 .. T-1`` of one timezone-aware planning axis (:func:`wfm.axis.week_axis`):

- :class:`QueueDemand`: per queue, the gross agents required per interval (live work: voice,
  chat), or the workload arriving per interval with a deadline (email, back office), or the
  agent-hours to place each day (outbound).
- :class:`ShiftVariant`: one concrete shift (template, day, start position, length) with the
  positions it spans and, for each break rule, the allowed break placements.
- :class:`AgentGroup`: agents with the same skills (specialists, blended, universal).
- :class:`ScheduleProblem`: all of it plus the rules and solver options (and, in roster mode,
  the named agents).

Builders: :func:`generate_variants` (shift templates -> variants over the week) and
:func:`problem_from_requirements` (requirements frame + configuration -> problem).

Conventions
-----------
*Positions.* Shift starts are placed by the **local clock time of their day** (a 06:00 start on a
daylight-saving day is at 06:00 local time), and a shift then lasts its length in absolute time:
an 8-hour shift is ``8 * 60 / interval_minutes`` intervals even across a clock change. A shift
that runs past midnight covers the next morning on the same axis.

*Week end.* With ``cyclic`` (``site.cyclic_week``) the positions past the end of the week wrap to
its start: a Sunday-night shift covers Monday morning of the same week, and a Sunday start
window that crosses midnight wraps to Monday 00:xx. Without it, coverage past the end of the
week is simply dropped (the next week's plan covers it), and a start that falls after the end of
the week is not a variant of this week.

*Breaks.* A break starts on the interval grid inside its window (``earliest_after_min`` ..
``latest_after_min`` after the shift start, rounded inwards to whole intervals). A break shorter
than an interval takes a share of that interval: a 15-minute break in a 60-minute interval
removes 0.25 of the agent from it. The windows of the breaks of one template must not overlap
(checked), so the break counts of one shift can be chosen independently (the implicit-break
formulation of Bechtold & Jacobs 1990 and Aykin 1996).

*Requirements.* ``agents_gross`` of the requirements frame is what an interval needs **at
work** (net agents inflated by the shrinkage the schedule does not model). Chat requirements are
already in agents (the staffing step divided the workload by the queue's concurrency), so the
scheduler never applies the concurrency again; it is kept for reporting.
"""

from solvers.problem.build import groups_from_agents, problem_from_requirements
from solvers.problem.schedule import (
    UNIVERSAL,
    AgentGroup,
    BreakOption,
    QueueDemand,
    ScheduleProblem,
    ShiftVariant,
)
from solvers.problem.variants import generate_variants

__all__ = [
    "UNIVERSAL",
    "AgentGroup",
    "BreakOption",
    "QueueDemand",
    "ScheduleProblem",
    "ShiftVariant",
    "generate_variants",
    "groups_from_agents",
    "problem_from_requirements",
]
