"""The schedule export of a shift plan: one row per agent position and activity segment."""

from __future__ import annotations

import pandas as pd

from solvers.shift_plan.readback import ShiftPlanResult
from wfm.schemas import SCHEDULE_COLUMNS, SCHEDULE_OPTIONAL

__all__ = [
    "SCHEDULE_EXPORT_COLUMNS",
    "schedule_frame",
]

_EPS = 1e-6


def schedule_frame(result: ShiftPlanResult) -> pd.DataFrame:
    """The schedule export (one row per activity segment) of a shift plan.

    Columns: ``agent_id`` (position number), ``agent_name``, ``team`` (the agent group), ``date``
    (local date the shift starts), ``shift_start``, ``shift_end``, ``activity`` (``work`` or the
    break's label), ``activity_start``, ``activity_end``, ``paid``, ``queue`` and ``share``: the
    share of the agent's time in that segment spent on ``queue`` (1.0 for a single-skilled agent;
    a multi-skilled agent's shares in one segment add up to at most 1, the rest is idle time).
    Work segments are split at breaks and wherever the queue split changes.
    """
    problem = result.problem
    columns = [*SCHEDULE_EXPORT_COLUMNS]
    if not result.shifts:
        return pd.DataFrame(columns=columns)
    n = problem.n_intervals
    step = pd.Timedelta(minutes=problem.interval_minutes)
    group_index = {g.name: i for i, g in enumerate(problem.groups)}
    queue_names = [q.name for q in problem.queues]
    assert result.assignment is not None and result.at_work is not None
    rows = []
    for number, group_name, v, break_starts in result.positions():
        g = group_index[group_name]
        variant = problem.variants[v]
        start = problem.axis[variant.start]
        end = start + step * variant.length
        breaks = []
        for option, position in zip(variant.breaks, break_starts, strict=True):
            offset = (position - variant.start) % n if problem.cyclic else position - variant.start
            b_start = start + step * offset
            breaks.append((b_start, b_start + pd.Timedelta(minutes=option.length_min), option))
        base = {
            "agent_id": number,
            "agent_name": f"{group_name} position {number}",
            "team": group_name,
            "date": start.date().isoformat(),
            "shift_start": start,
            "shift_end": end,
        }
        pieces: list[list] = []  # [piece start, piece end, shares]
        for i in range(variant.length):
            t0, t1 = start + step * i, start + step * (i + 1)
            raw = variant.start + i
            pos = None if raw >= n and not problem.cyclic else raw % n
            shares = _shares(result, g, pos, queue_names)
            cuts = [(t0, t1)]
            for b0, b1, _ in breaks:
                cuts = [
                    piece
                    for c0, c1 in cuts
                    for piece in ((c0, min(c1, b0)), (max(c0, b1), c1))
                    if piece[1] > piece[0]
                ]
            for c0, c1 in cuts:
                if pieces and pieces[-1][1] == c0 and pieces[-1][2] == shares:
                    pieces[-1][1] = c1
                else:
                    pieces.append([c0, c1, shares])
        for c0, c1, shares in pieces:
            for queue, share in shares:
                rows.append(
                    {
                        **base,
                        "activity": "work",
                        "activity_start": c0,
                        "activity_end": c1,
                        "paid": True,
                        "queue": queue,
                        "share": share,
                    }
                )
        for b0, b1, option in breaks:
            rows.append(
                {
                    **base,
                    "activity": option.name,
                    "activity_start": b0,
                    "activity_end": b1,
                    "paid": option.paid,
                    "queue": "",
                    "share": 0.0,
                }
            )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["agent_id", "activity_start", "queue"], kind="stable").reset_index(
        drop=True
    )


#: Columns of the schedule export (the contract's columns + ``share``).
SCHEDULE_EXPORT_COLUMNS = (*SCHEDULE_COLUMNS, *SCHEDULE_OPTIONAL)


def _shares(
    result: ShiftPlanResult, g: int, pos: int | None, queue_names: list[str]
) -> tuple[tuple[str, float], ...]:
    """``((queue, share), ...)`` of one agent of group ``g`` at position ``pos``: every agent of
    the group at work there gets the same split ``a[g,q,t] / W[g,t]``."""
    if pos is None:
        return ()
    work = float(result.at_work[g, pos])
    if work <= _EPS:
        return ()
    shares = []
    for q, name in enumerate(queue_names):
        value = float(result.assignment[g, q, pos])
        if value > _EPS:
            shares.append((name, round(min(1.0, value / work), 6)))
    return tuple(shares)
