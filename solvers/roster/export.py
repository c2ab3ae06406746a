"""The schedule export: per-agent activity segments, their coverage, and the consistency check."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from solvers.problem import ScheduleProblem
from solvers.roster.read_back import _break_pieces
from solvers.roster.types import RosterResult
from wfm.schemas import SCHEDULE_COLUMNS

# --------------------------------------------------------------------------- export


def _activity(name: str, paid: bool) -> str:
    return name if name in ("break", "lunch") else ("break" if paid else "lunch")


def roster_segments(result: RosterResult) -> pd.DataFrame:
    """The schedule export: one row per agent activity segment (``wfm.schemas.SCHEDULE_COLUMNS``).

    Each shift is cut into ``work`` (with its queue), ``break`` and ``lunch`` segments; each day
    without a shift is one ``off`` row (local midnight to midnight). Within an interval, a break
    shorter than the interval comes first, then the agent's queue shares in order, each lasting
    its share of the interval (to the second); consecutive pieces with the same activity and
    queue are merged. A shift running past the end of a non-cyclic week is exported whole (the
    part beyond the week counts towards no coverage of this week).
    """
    problem = result.problem
    if result.assignment is None:
        return pd.DataFrame(columns=list(SCHEDULE_COLUMNS))
    n, iv = problem.n_intervals, problem.interval_minutes
    origin = problem.axis[0]
    step = pd.Timedelta(minutes=iv)
    queues = [queue.name for queue in problem.queues]

    def clock(raw: int, frac: float) -> pd.Timestamp:
        return (origin + step * raw + pd.Timedelta(seconds=round(frac * iv * 60))).tz_convert(
            problem.axis.tz
        )

    rows = []
    worked_days: dict[int, set[int]] = {}
    for s in result.shifts:
        agent = result.agents[s.agent]
        variant = problem.variants[s.variant]
        worked_days.setdefault(s.agent, set()).add(variant.day)
        start = variant.start
        if problem.cyclic and start < problem.day_starts[variant.day]:
            start += n
        end = start + variant.length
        breaks = {}
        for p, share, k in _break_pieces(problem, s, start):
            breaks[p] = (share, k)
        shift_start, shift_end = clock(start, 0.0), clock(end, 0.0)
        pieces: list[list] = []  # [activity, queue, paid, begin raw+frac, end raw+frac]
        skills = [q for q, name in enumerate(queues) if problem.groups[agent.group].serves(name)]
        last_q = skills[0] if skills else None
        for p in range(start, end):
            pos = p % n if problem.cyclic else p
            cursor = 0.0
            parts = []
            if p in breaks:
                share, k = breaks[p]
                option = variant.breaks[k]
                parts.append((_activity(option.name, option.paid), None, option.paid, share))
            if pos < n:
                shares = result.assignment[s.agent, :, pos]
                order = sorted(np.flatnonzero(shares > 1e-9), key=lambda q: q != last_q)
                for q in order:
                    parts.append(("work", queues[q], True, float(shares[q])))
                if order:
                    last_q = order[-1]
            else:
                rest = 1.0 - sum(part[3] for part in parts)
                if rest > 1e-9 and last_q is not None:
                    parts.append(("work", queues[last_q], True, rest))
            for activity, queue, paid, share in parts:
                begin, finish = cursor, min(1.0, cursor + share)
                cursor = finish
                if (
                    pieces
                    and pieces[-1][:3] == [activity, queue, paid]
                    and pieces[-1][4]
                    == (
                        p,
                        begin,
                    )
                ):
                    pieces[-1][4] = (p, finish)
                else:
                    pieces.append([activity, queue, paid, (p, begin), (p, finish)])
                if finish >= 1.0 - 1e-12:
                    pieces[-1][4] = (p + 1, 0.0)
        for activity, queue, paid, begin, finish in pieces:
            a_start, a_end = clock(*begin), clock(*finish)
            if a_end <= a_start:
                continue
            rows.append(
                {
                    "agent_id": agent.agent_id,
                    "agent_name": agent.name,
                    "team": agent.team,
                    "date": problem.axis[problem.day_starts[variant.day]].date().isoformat(),
                    "shift_start": shift_start,
                    "shift_end": shift_end,
                    "activity": activity,
                    "activity_start": a_start,
                    "activity_end": a_end,
                    "paid": bool(paid),
                    "queue": queue,
                }
            )
    starts = [*problem.day_starts, n]
    for agent in result.agents:
        for d in range(problem.n_days):
            if d in worked_days.get(agent.index, set()):
                continue
            rows.append(
                {
                    "agent_id": agent.agent_id,
                    "agent_name": agent.name,
                    "team": agent.team,
                    "date": problem.axis[starts[d]].date().isoformat(),
                    "shift_start": pd.NaT,
                    "shift_end": pd.NaT,
                    "activity": "off",
                    "activity_start": clock(starts[d], 0.0),
                    "activity_end": clock(starts[d + 1], 0.0),
                    "paid": False,
                    "queue": None,
                }
            )
    frame = pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS))
    # share of the agent's time in the segment on ``queue`` (the shift-plan export's column):
    # a roster segment is wholly on its queue
    frame["share"] = (frame["activity"] == "work").astype(float)
    for column in ("shift_start", "shift_end", "activity_start", "activity_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(problem.axis.tz)
    return frame.sort_values(["agent_id", "activity_start"], kind="stable").reset_index(drop=True)


def export_coverage(segments: pd.DataFrame, problem: ScheduleProblem) -> np.ndarray:
    """Agents at work per queue and interval recomputed from an export: ``[q, t]`` = the seconds
    of ``work`` segments on queue ``q`` inside interval ``t`` / interval seconds (a cyclic week
    folds times past its end back onto its start)."""
    n, iv = problem.n_intervals, problem.interval_minutes
    origin = problem.axis[0]
    seconds = iv * 60.0
    q_index = {queue.name: q for q, queue in enumerate(problem.queues)}
    out = np.zeros((len(problem.queues), n))
    work = segments[segments["activity"] == "work"]
    begins = ((work["activity_start"] - origin).dt.total_seconds() / seconds).to_numpy()
    ends = ((work["activity_end"] - origin).dt.total_seconds() / seconds).to_numpy()
    for queue, begin, end in zip(work["queue"], begins, ends, strict=True):
        q = q_index[queue]
        p = math.floor(begin + 1e-9)
        while p < end - 1e-9:
            overlap = min(end, p + 1) - max(begin, p)
            pos = p % n if problem.cyclic else p
            if 0 <= pos < n and overlap > 0:
                out[q, pos] += overlap
            p += 1
    return out


def check_roster(result: RosterResult, tolerance: float = 1e-3) -> list[str]:
    """Recompute coverage from the export and compare with the model; check every agent's time.

    Returns a list of problems (empty when the roster is consistent): an agent over 100% of an
    interval, per-agent time not adding up to the group's at-work agents of the model, or export
    coverage differing from ``result.coverage`` by more than ``tolerance`` (plus the rounding of
    segment times to whole seconds).
    """
    problems = []
    if result.assignment is None:
        return problems
    problem = result.problem
    total = result.assignment.sum(axis=1)
    if np.any(total > 1 + 1e-9) or np.any(result.assignment < -1e-9):
        a, t = np.unravel_index(int(np.argmax(total)), total.shape)
        problems.append(f"agent {result.agents[a].agent_id} works {total[a, t]:.3f} at {t}")
    if np.any(np.abs(total - result.at_work) > 1e-6):
        problems.append("queue shares do not add up to the time at work")
    segments = roster_segments(result)
    recomputed = export_coverage(segments, problem)
    scheduled = (
        result.coverage["scheduled"].to_numpy().reshape(len(problem.queues), problem.n_intervals)
    )
    worst = float(np.max(np.abs(recomputed - scheduled), initial=0.0))
    pieces = max(1, len(result.problem.queues) + 2)
    allowed = tolerance + len(result.agents) * pieces / (problem.interval_minutes * 60)
    if worst > allowed:
        problems.append(f"export coverage differs from the model's by {worst:.4f} agents")
    return problems


def schedule_frame(result: RosterResult) -> pd.DataFrame:
    """``wfm schedule --agents`` export frame (same as :func:`roster_segments`)."""
    return roster_segments(result)
