"""Which solver runs and how it searches (``[solver]``, ``[solver.roster]``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from wfm.config.common import (
    check,
)
from wfm.roster_params import RosterParams

#: The shift-plan search strategies of ``[solver] strategy``.
PLAN_STRATEGIES = ("auto", "weighted", "zero_deviation_first")


@dataclass(frozen=True)
class SolverOptions:
    """Which MIP solver PuLP calls, and how long it may search.

    ``roster`` holds the knobs of the roster heuristic (the ``[solver.roster]`` table, see
    :class:`~wfm.roster_params.RosterParams`).
    """

    name: str = "highs"
    time_limit_sec: float = 60.0
    gap: float = 0.005
    threads: int | None = None
    msg: bool = False
    #: How a roster of named agents is solved (see ``solvers.roster.RosterOptions.method``).
    roster_method: str = "price_dive"
    #: How a shift plan is searched: ``weighted`` (one solve of the weighted objective),
    #: ``zero_deviation_first`` (first the plans that cover every live queue exactly, for
    #: ``first_share`` of the time limit, then the full model from the best of them) or ``auto``
    #: (zero-deviation first when ``rules.distinct_shift_penalty > 0``, else weighted).
    strategy: str = "auto"
    #: The roster heuristic's knobs, ``[solver.roster]`` (:class:`wfm.roster_params.RosterParams`).
    roster: RosterParams = field(default_factory=RosterParams)

    def __post_init__(self) -> None:
        check(
            self.strategy in PLAN_STRATEGIES,
            f"strategy must be one of {', '.join(PLAN_STRATEGIES)}, got {self.strategy!r}",
            "solver.strategy",
        )
        check(
            self.roster_method in ("two_stage", "price_dive"),
            f"roster_method must be two_stage or price_dive, got {self.roster_method!r}",
            "solver.roster_method",
        )
        check(
            self.name in ("highs", "cbc"),
            f"solver must be highs or cbc, got {self.name!r}",
            "solver.name",
        )
        check(self.time_limit_sec > 0, "time_limit_sec must be > 0", "solver.time_limit_sec")
        check(0 <= self.gap < 1, "gap must be in [0, 1)", "solver.gap")
        check(self.threads is None or self.threads >= 1, "threads must be >= 1", "solver.threads")
