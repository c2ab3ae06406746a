"""An independent check of a schedule export against every hard rule of the configuration.

:func:`check_schedule` reads the schedule frame as it is exported (one row per activity segment,
:data:`wfm.schemas.SCHEDULE_COLUMNS`), the configuration and, for a roster, the agents frame, and
re-derives each hard rule from them. It shares no code with the solvers, so a solver bug cannot
pass it by agreeing with itself: ``wfm schedule`` writes nothing and ``wfm roster`` stores no
version when it fails.

Each rule is one small function over one agent's shifts, named in :data:`SHIFT_PLAN_RULES` or
:data:`ROSTER_RULES`. Times are compared on the site's clock, to the second; where the
configuration is rounded to the interval grid (start times rounded up to the grid, lengths and
rest to whole intervals, a break window narrower than an interval to its nearest grid point),
the check rounds the same documented way.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.check.result import ROSTER_RULES, SHIFT_PLAN_RULES, CheckResult, Violation
from wfm.config import Config, ShiftTemplate

__all__ = ["check_schedule"]

_TOL_SEC = 1.0  # segment times are exported to the second
_TOL_H = 1e-6


@dataclass(frozen=True)
class _Shift:
    agent_id: str
    date: dt.date
    start: pd.Timestamp
    end: pd.Timestamp
    rows: pd.DataFrame  # its break and work segments

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


class _Checker:
    def __init__(self, frame, config: Config, agents, week_start) -> None:
        self.config = config
        self.tz = config.site.timezone
        self.iv = config.site.interval_minutes
        self.queues = set(config.queue_names)
        self.agents = None
        if agents is not None:
            self.agents = {str(row["agent_id"]): row for _, row in agents.iterrows()}
        dates = pd.to_datetime(frame["date"]).dt.date if len(frame) else pd.Series([], dtype=object)
        self.week_start = week_start or (min(dates) if len(dates) else None)
        self.violations: list[Violation] = []
        self._starts: dict[tuple[str, dt.date], set[pd.Timestamp]] = {}
        self.shifts: dict[str, list[_Shift]] = {}
        self.off: dict[str, set[dt.date]] = {}
        for agent_id, rows in frame.groupby(frame["agent_id"].astype(str), sort=True):
            off = rows["activity"] == "off"
            self.off[agent_id] = set(pd.to_datetime(rows.loc[off, "date"]).dt.date)
            shifts = []
            for (start, end), part in rows[~off].groupby(["shift_start", "shift_end"], sort=True):
                day = pd.Timestamp(part["date"].iloc[0]).date()
                shifts.append(_Shift(agent_id, day, start, end, part))
            self.shifts[agent_id] = shifts

    def flag(self, rule: str, agent_id: str, day: dt.date | None, message: str) -> None:
        self.violations.append(Violation(rule, agent_id, day.isoformat() if day else "", message))

    def wall_min(self, ts: pd.Timestamp, day: dt.date) -> float:
        """Minutes on the local clock from midnight of ``day`` to ``ts``."""
        naive = ts.tz_convert(self.tz).tz_localize(None)
        return (naive - pd.Timestamp(day)).total_seconds() / 60

    def allowed_starts(self, template: ShiftTemplate, day: dt.date) -> set[pd.Timestamp]:
        """Start instants of ``template`` on ``day``: its window, step and the grid (rounded up)."""
        key = (template.name, day)
        if key not in self._starts:
            out = set()
            grid = {math.ceil(m / self.iv - 1e-9) * self.iv for m in template.start_minutes()}
            for minute in sorted(grid):
                naive = pd.Timestamp(day) + pd.Timedelta(minutes=minute)
                for ambiguous in (True, False):  # both instants of a repeated hour
                    out.add(
                        naive.tz_localize(self.tz, ambiguous=ambiguous, nonexistent="shift_forward")
                    )
            self._starts[key] = out
        return self._starts[key]

    def lengths_min(self, template: ShiftTemplate) -> set[int]:
        return {max(1, round(h * 60 / self.iv)) * self.iv for h in template.length_hours}

    # ------------------------------------------------------------------ rules of a shift

    def template_and_breaks(self, shift: _Shift, roster: bool) -> None:
        """shift_template: day, start and length of some template; breaks: that template's."""
        days = [shift.date] if roster else [shift.date, shift.date - dt.timedelta(days=1)]
        candidates = [
            t
            for t in self.config.shifts
            for day in days
            if DAY_NAMES[day.weekday()] in t.days
            and shift.start in self.allowed_starts(t, day)
            and round(shift.minutes) in self.lengths_min(t)
            and abs(shift.minutes - round(shift.minutes)) * 60 < _TOL_SEC
        ]
        if not candidates:
            self.flag(
                "shift_template",
                shift.agent_id,
                shift.date,
                f"no shift template starts at {shift.start:%H:%M} on "
                f"{DAY_NAMES[shift.date.weekday()]} for {shift.minutes / 60:g} h "
                f"({shift.start:%Y-%m-%d %H:%M} to {shift.end:%Y-%m-%d %H:%M})",
            )
            return
        problems = [self.break_problems(shift, t) for t in candidates]
        if not any(not p for p in problems):
            for message in problems[0]:
                self.flag("breaks", shift.agent_id, shift.date, message)

    def break_problems(self, shift: _Shift, template: ShiftTemplate) -> list[str]:
        rows = shift.rows[~shift.rows["activity"].isin(["work", "off"])]
        rows = rows.sort_values("activity_start")
        rules = sorted(template.breaks, key=lambda r: r.earliest_after_min)
        half, tol = self.iv / 2, pd.Timedelta(seconds=_TOL_SEC)
        out, i = [], 0
        for _, row in rows.iterrows():
            cursor, end = row["activity_start"], row["activity_end"]
            if cursor < shift.start - tol or end > shift.end + tol:
                out.append(
                    f"{row['activity']} {cursor:%H:%M}-{end:%H:%M} is outside the shift "
                    f"{shift.start:%H:%M}-{shift.end:%H:%M}"
                )
                continue
            matched = False
            while i < len(rules) and (end - cursor).total_seconds() > _TOL_SEC:
                rule = rules[i]
                after = (cursor - shift.start).total_seconds() / 60
                if not rule.earliest_after_min - half <= after <= rule.latest_after_min + half:
                    out.append(
                        f"{rule.label} starts {after:g} min after the shift start "
                        f"({cursor:%H:%M}), outside its window of {rule.earliest_after_min}-"
                        f"{rule.latest_after_min} min (template {template.name!r})"
                    )
                if bool(row["paid"]) != rule.paid:
                    out.append(
                        f"{rule.label} at {cursor:%H:%M} is {'paid' if row['paid'] else 'unpaid'}"
                        f", the template's is {'paid' if rule.paid else 'unpaid'}"
                    )
                cursor = cursor + pd.Timedelta(minutes=rule.length_min)
                i, matched = i + 1, True
            if not matched or abs((end - cursor).total_seconds()) > _TOL_SEC:
                minutes = (row["activity_end"] - row["activity_start"]).total_seconds() / 60
                out.append(
                    f"{row['activity']} of {minutes:g} min at {row['activity_start']:%H:%M} is "
                    f"not a break of template {template.name!r}"
                )
        for rule in rules[i:]:
            out.append(f"the shift has no {rule.label} (template {template.name!r})")
        return out

    def activities(self, shift: _Shift) -> None:
        """Every segment inside its shift, a known activity, never more than one at a time."""
        names = self.config.activity_names - {"off"}
        tol = pd.Timedelta(seconds=_TOL_SEC)
        events = []
        rows = shift.rows
        shares = rows["share"] if "share" in rows else pd.Series(1.0, index=rows.index)
        for begin, end, what, share in zip(
            rows["activity_start"], rows["activity_end"], rows["activity"], shares, strict=True
        ):
            if what not in names:
                self.flag("activities", shift.agent_id, shift.date, f"unknown activity {what!r}")
            if end <= begin or begin < shift.start - tol or end > shift.end + tol:
                self.flag(
                    "activities",
                    shift.agent_id,
                    shift.date,
                    f"{what} {begin:%H:%M}-{end:%H:%M} is not inside the shift "
                    f"{shift.start:%H:%M}-{shift.end:%H:%M}",
                )
                continue
            share = float(share) if what == "work" and share == share else 1.0
            events += [(begin + tol, share), (end, -share)]
        load = 0.0
        for when, delta in sorted(events, key=lambda e: (e[0], e[1])):
            load += delta
            if load > 1 + 1e-5:  # shares are exported to 6 decimals
                self.flag(
                    "activities",
                    shift.agent_id,
                    shift.date,
                    f"overlapping activities at {when:%H:%M} (more than the whole agent)",
                )
                break

    def skills(self, shift: _Shift, skills: Iterable[str] | None) -> None:
        """Work only on configured queues the agent (or the position's group) is skilled for."""
        allowed = None if skills is None or "*" in skills else set(skills)
        work = shift.rows[shift.rows["activity"] == "work"]
        for queue in sorted(set(work["queue"].astype(str))):
            if queue not in self.queues:
                self.flag("skills", shift.agent_id, shift.date, f"{queue!r} is not a queue")
            elif allowed is not None and queue not in allowed:
                self.flag(
                    "skills",
                    shift.agent_id,
                    shift.date,
                    f"works on {queue!r}, not one of the skills {'|'.join(sorted(allowed))}",
                )

    def availability(self, shift: _Shift, agent) -> None:
        """The shift's day is an available day, its start and end inside the daily window."""
        day = DAY_NAMES[shift.date.weekday()]
        if day not in tuple(agent["available_days"]):
            self.flag("availability", shift.agent_id, shift.date, f"not available on {day}")
            return
        low, high = int(agent["available_from_min"]), int(agent["available_until_min"])
        if low <= 0 and high >= 1440:
            return  # no daily window: a night shift may run past midnight
        begin = self.wall_min(shift.start, shift.date)
        if begin < low or begin + shift.minutes > high:
            self.flag(
                "availability",
                shift.agent_id,
                shift.date,
                f"shift {shift.start:%H:%M}-{shift.end:%H:%M} is outside the available hours "
                f"{low // 60:02d}:{low % 60:02d}-{high // 60:02d}:{high % 60:02d}",
            )

    # ------------------------------------------------------------------ rules of a week

    def paid_hours(self, shift: _Shift) -> float:
        unpaid = shift.rows[(shift.rows["activity"] != "work") & ~shift.rows["paid"].astype(bool)]
        seconds = (unpaid["activity_end"] - unpaid["activity_start"]).dt.total_seconds().sum()
        return (shift.minutes - seconds / 60) / 60

    def can_work(self, agent) -> bool:
        """Whether any shift of the templates fits the agent's skills, days and hours at all."""
        skills = tuple(agent["skills"])
        if "*" not in skills and not set(skills) & self.queues:
            return False
        low, high = int(agent["available_from_min"]), int(agent["available_until_min"])
        for t in self.config.shifts:
            if not set(t.days) & set(agent["available_days"]):
                continue
            shortest = min(self.lengths_min(t))
            if any(low <= m and m + shortest <= high for m in t.start_minutes()):
                return True
        return False

    def week(self, agent_id: str, shifts: list[_Shift], agent) -> None:
        """weekly_hours, days_off, max_consecutive_days and min_rest over the agent's week."""
        rules = self.config.rules
        hours = sum(self.paid_hours(s) for s in shifts)
        low, high = float(agent["min_hours_week"]), float(agent["max_hours_week"])
        if hours > high + _TOL_H or (hours < low - _TOL_H and self.can_work(agent)):
            self.flag(
                "weekly_hours",
                agent_id,
                None,
                f"{hours:g} paid hours, outside {low:g}-{high:g} (min/max_hours_week)",
            )
        days = sorted({(s.date - self.week_start).days for s in shifts})
        limit = 7 - rules.days_off_per_week
        if len(days) > limit:
            self.flag(
                "days_off",
                agent_id,
                None,
                f"works {len(days)} days, at most {limit} (rules.days_off_per_week = "
                f"{rules.days_off_per_week})",
            )
        m, worked = rules.max_consecutive_days, set(days)
        cyclic = self.config.site.cyclic_week
        for first in range(7 if cyclic else 7 - m):
            run = [(first + k) % 7 for k in range(m + 1)]
            if m < 7 and all(d in worked for d in run):
                start = self.week_start + dt.timedelta(days=first)
                self.flag(
                    "max_consecutive_days",
                    agent_id,
                    start,
                    f"works {m + 1} days in a row from {start}, at most {m} "
                    "(rules.max_consecutive_days)",
                )
                break
        rest_min = round(rules.min_rest_hours * 60 / self.iv) * self.iv
        ordered = sorted(shifts, key=lambda s: s.start)
        pairs = list(itertools.pairwise(ordered))
        if cyclic and len(ordered) > 1:
            pairs.append((ordered[-1], ordered[0]))
        span = _week_span(self.week_start, self.tz)
        for before, after in pairs:
            start = after.start if after.start > before.start else after.start + span
            gap_min = (start - before.end).total_seconds() / 60
            if gap_min < rest_min - _TOL_SEC / 60:
                self.flag(
                    "min_rest",
                    agent_id,
                    after.date,
                    f"{gap_min / 60:g} h between the shift ending {before.end:%a %H:%M} and the "
                    f"one starting {after.start:%a %H:%M}, at least {rest_min / 60:g} h "
                    "(rules.min_rest_hours)",
                )

    def run(self) -> CheckResult:
        roster = self.agents is not None
        for agent_id, shifts in self.shifts.items():
            agent = self.agents.get(agent_id) if roster else None
            if roster and agent is None:
                self.flag("known_agent", agent_id, None, "not in the agents file")
            by_day: dict[dt.date, int] = {}
            for shift in shifts:
                by_day[shift.date] = by_day.get(shift.date, 0) + 1
                self.template_and_breaks(shift, roster)
                self.activities(shift)
                if roster:
                    self.skills(shift, tuple(agent["skills"]) if agent is not None else None)
                    if agent is not None:
                        self.availability(shift, agent)
                else:
                    team = str(shift.rows["team"].iloc[0])
                    parts = team.split("|")
                    self.skills(shift, parts if set(parts) <= self.queues else None)
            for day, count in sorted(by_day.items()):
                if count > 1 or day in self.off.get(agent_id, set()):
                    what = f"{count} shifts" if count > 1 else "a shift and a day off"
                    self.flag("one_shift_a_day", agent_id, day, f"{what} on one day")
            if roster and agent is not None:
                self.week(agent_id, shifts, agent)
        if roster:
            for agent_id, agent in self.agents.items():
                if agent_id not in self.shifts:
                    self.week(agent_id, [], agent)
        return CheckResult(ROSTER_RULES if roster else SHIFT_PLAN_RULES, tuple(self.violations))


def _week_span(week_start: dt.date, tz: str) -> pd.Timedelta:
    """The real length of the week (168 h, or an hour less or more over a clock change)."""
    first = pd.Timestamp(week_start).tz_localize(tz)
    return pd.Timestamp(week_start + dt.timedelta(days=7)).tz_localize(tz) - first


def check_schedule(
    frame: pd.DataFrame,
    config: Config,
    agents: pd.DataFrame | None = None,
    *,
    week_start: dt.date | None = None,
) -> CheckResult:
    """Check a schedule export against every hard rule of ``config`` (and ``agents``).

    Parameters
    ----------
    frame
        The schedule export frame (timezone-aware times), as ``wfm schedule`` writes it.
    config
        The configuration: site clock and interval, queues, shift templates, rules.
    agents
        The agents frame (:func:`wfm.parse.parse_agents`): the schedule is a roster of named
        agents and the rules of :data:`ROSTER_RULES` apply; None: a shift plan of positions
        (:data:`SHIFT_PLAN_RULES`).
    week_start
        First day of the planning week (default: the earliest ``date`` of the frame).

    Returns
    -------
    CheckResult
        The rules checked and every violation, each naming the rule, agent and day.

    Notes
    -----
    - shift_template: a template whose ``days`` hold the shift's day has the shift's start
      (its window every ``start_step_min``, rounded up to the interval grid) and length.
    - breaks: the template's breaks, each once, of its length and paid flag, starting inside
      its window (within half an interval: the grid point nearest to a narrower window).
    - activities: segments inside the shift, never overlapping (work shares add up to at most 1).
    - skills: work only on configured queues the agent is skilled for.
    - one_shift_a_day: one shift a day, and no shift on a day exported as off.
    - availability: the shift's day is an ``available_days`` day and, when the agent has a
      daily window, the shift starts and ends inside ``available_from``-``available_until``.
    - weekly_hours: paid hours (shift length less unpaid breaks) within ``min_hours_week`` and
      ``max_hours_week``; an agent no template fits at all is not held to the minimum.
    - days_off, max_consecutive_days: at most ``7 - days_off_per_week`` days worked, never
      ``max_consecutive_days + 1`` in a row (wrapping in a cyclic week).
    - min_rest: ``min_rest_hours`` (to whole intervals) from a shift's end to the next start.
    """
    return _Checker(frame, config, agents, week_start).run()
