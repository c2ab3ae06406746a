"""The knobs of the roster heuristic (``[solver.roster]`` of ``wfm.toml``).

One frozen dataclass, :class:`RosterParams`, read by :mod:`solvers.roster`,
:mod:`solvers.roster.search` and :func:`solvers.decompose.price_and_branch`. It lives in
``wfm`` (imported by :mod:`wfm.config`, re-exported by :mod:`solvers.roster`) so that the
configuration can load it without importing the solvers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from wfm.errors import InputError

__all__ = ["RosterParams"]

_KEY = "solver.roster"


@dataclass(frozen=True)
class RosterParams:
    """How the roster heuristic spends its time limit and how large its steps are.

    The defaults are the tuned values; a share is of the time still left when the step starts
    unless it says otherwise, and a share of 0 skips that step.

    Attributes
    ----------
    price_floor_sec
        ``price_dive``: the decomposition gets at least this many seconds (capped by
        ``price_floor_share`` of the limit) even when ``search_share`` would leave it less: cut
        short, its bound and dive are worth little.
    price_floor_share
        ``price_dive``: cap of ``price_floor_sec``, share of the whole time limit.
    moves_share
        ``price_dive``: share of the time left for the first single-agent local search.
    min_search_sec
        ``price_dive``: a search step starts only with more than this many seconds left.
    repaired_agents
        ``price_dive``: number of agents the dive fixed last whose weeks are re-planned together
        in one sub-MIP (0: skip that step).
    agent_week_sec
        ``price_dive``: most seconds for that sub-MIP.
    agent_week_share
        ``price_dive``: share of the time left for that sub-MIP (capped by ``agent_week_sec``).
    day_share
        ``price_dive``: share of the time left for the RINS-restricted day MIPs.
    queue_day_share
        ``price_dive``: share of the time left for each turn of queue-day MIPs.
    group_day_share
        ``price_dive``: share of the time left for each turn of group-day MIPs.
    whole_day_share
        ``price_dive``: share of the time left (less ``reserve_sec``) for the whole day MIPs.
    groups_share
        ``price_dive``: share of the time left (less ``reserve_sec``) for the skill-group MIPs
        over the week.
    final_moves_share
        ``price_dive``: share of the time left for the last single-agent local search.
    reserve_sec
        ``price_dive``: seconds kept back from the whole-day and skill-group MIPs for reading
        the roster back.
    move_tries
        Local search: moves tried per round, best estimate first.
    move_retry_margin
        Local search: a move tried and undone is tried again once its estimate has fallen by
        this much (objective units).
    move_slack_intervals
        Local search: moves estimated up to this many agent-intervals of understaffing worse
        are still tried (the first-order estimate errs by about that much).
    day_mip_sec
        Most seconds for one day MIP.
    hood_mip_sec
        Most seconds for one queue-day or group-day MIP.
    group_mip_sec
        Most seconds for one skill-group MIP.
    group_thresholds
        Skill-group MIPs: the LP-support thresholds, in order; a cycle without gain moves to
        the next (shares of one agent-shift, each in (0, 1]).
    search_workers
        Neighbourhood MIPs solved at once (one HiGHS thread each).
    day_repeat_gain
        Day MIPs: another pass runs while a pass gains more than this share of the objective.
    sub_mip_gap
        Relative gap at which a neighbourhood MIP stops.
    compact_share
        Decomposition: share of its budget for the compact LP (interior point).
    lp_share
        Decomposition: column generation stops before a round that would end past this share
        of its budget (after ``min_rounds`` rounds).
    min_rounds
        Decomposition: column-generation rounds always run (if the master does not converge).
    smoothing
        Decomposition: Wentges weight of the compact LP's duals in the pricing duals, in [0, 1).
    dive_share
        Decomposition: share of the free blocks fixed per dive step (at least two).
    dive_sure
        Decomposition: a block whose heaviest column has at least this weight is fixed at once.
    dive_pricing_rounds
        Decomposition: pricing rounds after each dive step.
    dive_tail
        Decomposition: the dive stops with this many blocks free (the completion MIP decides).
    endgame
        Decomposition: the last this many blocks are fixed one at a time.
    endgame_rounds
        Decomposition: pricing rounds after each endgame step.
    pricing_workers
        Decomposition: blocks priced at once (one HiGHS thread each).
    pricing_stop_share
        Decomposition: past this share of its budget the dive goes on without pricing.
    first_pricing_sec
        Decomposition: most seconds for a block's first pricing MIP (at the original costs).
    pricing_sec
        Decomposition: most seconds for one pricing MIP afterwards.
    pricing_min_sec
        Decomposition: least seconds for one pricing MIP, even past the round's share of the
        budget (so the columns, and the dive, do not depend on the clock).
    master_gap_factor
        Decomposition: column generation stops, and the completion MIP stops, within this
        factor of the target gap.
    two_stage_lp_share
        ``two_stage``: share of the whole time limit for the LP relaxation.
    plan_assign_share
        ``two_stage`` with ``plan_assign``: share of the whole time limit for plan-then-assign
        (less the LP's time).
    plan_assign_min_sec
        ``two_stage`` with ``plan_assign``: at least this many seconds for it.
    stage2_gap_factor
        ``two_stage``: the integer program on the LP support stops within this factor of the
        target gap.
    dive_late_share
        ``two_stage`` LP diving: once this share of the whole time limit is spent, every agent
        left is rounded at once; the LP re-solves end there too.
    complete_sec
        Completing a fixed roster (breaks, queue split): most seconds.
    complete_share
        Completing a fixed roster: share of the budget given to it.
    complete_gap_factor
        Completing a fixed roster: stops within this factor of the target gap...
    complete_min_gap
        ...but not below this relative gap.
    """

    price_floor_sec: float = 50.0
    price_floor_share: float = 0.8
    moves_share: float = 0.4
    min_search_sec: float = 2.0
    repaired_agents: int = 5
    agent_week_sec: float = 8.0
    agent_week_share: float = 0.3
    day_share: float = 0.75
    queue_day_share: float = 0.7
    group_day_share: float = 0.5
    whole_day_share: float = 1.0
    groups_share: float = 1.0
    final_moves_share: float = 1.0
    reserve_sec: float = 1.0
    move_tries: int = 40
    move_retry_margin: float = 50.0
    move_slack_intervals: float = 2.0
    day_mip_sec: float = 15.0
    hood_mip_sec: float = 10.0
    group_mip_sec: float = 8.0
    group_thresholds: tuple[float, ...] = (0.3, 0.1, 0.03)
    search_workers: int = 2
    day_repeat_gain: float = 1e-3
    sub_mip_gap: float = 1e-4
    compact_share: float = 0.6
    lp_share: float = 0.55
    min_rounds: int = 2
    smoothing: float = 0.98
    dive_share: float = 0.25
    dive_sure: float = 0.999
    dive_pricing_rounds: int = 0
    dive_tail: int = 0
    endgame: int = 12
    endgame_rounds: int = 3
    pricing_workers: int = 2
    pricing_stop_share: float = 0.97
    first_pricing_sec: float = 10.0
    pricing_sec: float = 5.0
    pricing_min_sec: float = 1.0
    master_gap_factor: float = 0.25
    two_stage_lp_share: float = 0.5
    plan_assign_share: float = 0.5
    plan_assign_min_sec: float = 10.0
    stage2_gap_factor: float = 0.5
    dive_late_share: float = 0.6
    complete_sec: float = 30.0
    complete_share: float = 0.25
    complete_gap_factor: float = 0.25
    complete_min_gap: float = 0.001

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            key = f"{_KEY}.{f.name}"
            if f.name == "group_thresholds":
                _check(
                    len(value) > 0 and all(_real(t) and 0 < t <= 1 for t in value),
                    "group_thresholds needs one or more shares in (0, 1]",
                    key,
                )
            elif f.type == "int":
                _check(
                    isinstance(value, int) and not isinstance(value, bool) and value >= 0,
                    f"{f.name} must be a whole number >= 0, got {value!r}",
                    key,
                )
            else:
                _check(_real(value) and value >= 0, f"{f.name} must be >= 0, got {value!r}", key)
        for name in (
            "price_floor_share",
            "moves_share",
            "agent_week_share",
            "day_share",
            "queue_day_share",
            "group_day_share",
            "whole_day_share",
            "groups_share",
            "final_moves_share",
            "compact_share",
            "lp_share",
            "dive_share",
            "dive_sure",
            "pricing_stop_share",
            "two_stage_lp_share",
            "plan_assign_share",
            "dive_late_share",
            "complete_share",
        ):
            value = getattr(self, name)
            _check(value <= 1, f"{name} must be in [0, 1], got {value}", f"{_KEY}.{name}")
        for name in (
            "master_gap_factor",
            "stage2_gap_factor",
            "complete_gap_factor",
            "first_pricing_sec",
            "pricing_sec",
            "day_mip_sec",
            "hood_mip_sec",
            "group_mip_sec",
        ):
            value = getattr(self, name)
            _check(value > 0, f"{name} must be > 0, got {value}", f"{_KEY}.{name}")
        _check(self.smoothing < 1, "smoothing must be in [0, 1)", f"{_KEY}.smoothing")
        _check(self.sub_mip_gap < 1, "sub_mip_gap must be in [0, 1)", f"{_KEY}.sub_mip_gap")
        for name in ("search_workers", "pricing_workers"):
            _check(getattr(self, name) >= 1, f"{name} must be >= 1", f"{_KEY}.{name}")


def _real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(condition: bool, message: str, key: str) -> None:
    if not condition:
        raise InputError(message, column=key)
