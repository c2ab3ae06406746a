"""PuLP integer programs for shift plans and rosters."""

from solvers.problem import (
    UNIVERSAL,
    AgentGroup,
    BreakOption,
    QueueDemand,
    ScheduleProblem,
    ShiftVariant,
    generate_variants,
    groups_from_agents,
    problem_from_requirements,
)
from solvers.result import ResultMixin, Shortfall, SolveOutcome, SolveStatus, Violation
from solvers.shift_plan import (
    SCHEDULE_EXPORT_COLUMNS,
    ShiftAssignment,
    ShiftPlanModel,
    ShiftPlanResult,
    build_model,
    coverage_frame,
    read_result,
    schedule_frame,
    solve,
    solve_problem,
)

__all__ = [
    "SCHEDULE_EXPORT_COLUMNS",
    "UNIVERSAL",
    "AgentGroup",
    "BreakOption",
    "QueueDemand",
    "ResultMixin",
    "ScheduleProblem",
    "ShiftAssignment",
    "ShiftPlanModel",
    "ShiftPlanResult",
    "ShiftVariant",
    "Shortfall",
    "SolveOutcome",
    "SolveStatus",
    "Violation",
    "build_model",
    "coverage_frame",
    "generate_variants",
    "groups_from_agents",
    "problem_from_requirements",
    "read_result",
    "schedule_frame",
    "solve",
    "solve_problem",
]
