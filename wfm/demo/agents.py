"""The demo's workforce: specialists, blended, multi-skilled and universal agents."""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np
import pandas as pd

from wfm.axis import DAY_NAMES
from wfm.demo.centre import DemoSize
from wfm.parse import AGENTS_FRAME_COLUMNS

__all__ = ["make_agents"]

# group, skills, share of the workforce, team name, base cost per hour. Sized to the planning
# week's gross requirement per queue (paid hours of the pooled shift plan), the multi-skilled
# groups filling in between the queues. The service+sales group is large enough to cover the
# voice peaks (mid-morning and early evening on weekdays).
_AGENT_GROUPS = (
    ("service", ("service",), 30, "Service", 13.5),
    ("sales", ("sales",), 9, "Sales", 14.5),
    ("chat", ("chat",), 18, "Digital", 13.5),
    ("email", ("email",), 6, "Digital", 13.0),
    ("service+out", ("service", "outbound"), 12, "Service", 14.5),
    ("sales+out", ("sales", "outbound"), 7, "Sales", 15.5),
    ("voice", ("service", "sales"), 16, "Service", 15.5),
    ("digital", ("chat", "email"), 10, "Digital", 14.5),
    ("universal", ("*",), 12, "Universal", 17.5),
)
#: Share of each group on a part-time contract (the rest full-time).
_PART_TIME_SHARE = 0.25
_FIRST = (
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Arthur",
    "Ivy",
    "Leo",
    "Freya",
    "Oscar",
    "Lily",
    "Harry",
    "Grace",
    "Jack",
    "Sophia",
    "Charlie",
    "Ella",
    "Theo",
    "Evie",
    "Henry",
    "Rosie",
    "Finley",
    "Poppy",
    "Alfie",
    "Aisha",
    "Mohammed",
    "Priya",
    "Arjun",
    "Zara",
    "Yusuf",
    "Chloe",
    "Ethan",
    "Niamh",
    "Callum",
    "Sian",
    "Rhys",
    "Fatima",
    "Tomasz",
    "Ewa",
    "Kwame",
    "Ama",
    "Mei",
    "Hannah",
    "Liam",
)
_LAST = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Hughes",
    "Lewis",
    "Ahmed",
    "Murphy",
    "Kowalski",
    "Okafor",
    "Chen",
    "Singh",
    "Begum",
    "Campbell",
    "Kelly",
    "Morgan",
)


def make_agents(
    size: DemoSize, rng: np.random.Generator, *, queues: Collection[str] | None = None
) -> pd.DataFrame:
    """``size.n_agents`` agents in the groups of :data:`_AGENT_GROUPS` (the agents frame).

    With ``queues``, skills outside it are dropped and so are the groups left without one
    (universal agents stay); the remaining groups share the agents in their proportions.
    """
    groups = _AGENT_GROUPS
    if queues is not None:
        kept = set(queues) | {"*"}
        groups = tuple(
            (g[0], tuple(s for s in g[1] if s in kept), *g[2:])
            for g in _AGENT_GROUPS
            if any(s in kept for s in g[1])
        )
    total_share = sum(g[2] for g in groups)
    counts = [max(1, round(g[2] * size.n_agents / total_share)) for g in groups]
    biggest = counts.index(max(counts))
    counts[biggest] += size.n_agents - sum(counts)  # rounding goes to the biggest group
    rows = []
    number = 0
    for (_group, skills, _, team, base_cost), count in zip(groups, counts, strict=True):
        for k in range(count):
            number += 1
            # every 4th agent of a group (deterministic, so each group has its share)
            part_time = math.floor((k + 1) * _PART_TIME_SHARE) > math.floor(k * _PART_TIME_SHARE)
            if part_time:
                low = float(rng.choice([16.0, 20.0, 24.0]))
                high = min(30.0, low + float(rng.choice([6.0, 8.0, 10.0])))
                contract = "part-time"
            else:
                # a 37.5 or 40 h contract, rostered between 5 h under it (flexi-time banked
                # across weeks) and 42.5 h (five 8.5 h paid shifts, paid overtime)
                hours = float(rng.choice([37.5, 37.5, 40.0]))
                low, high = hours - 5.0, 42.5
                contract = "full-time"
            days, start, end = DAY_NAMES, 0, 1440
            prefs: tuple[str, ...] = ()
            days_off: tuple[str, ...] = ()
            draw = rng.random()
            if part_time and draw < 0.35:
                days, start, end = DAY_NAMES[:5], 9 * 60 + 30, 15 * 60  # school hours
                prefs = ("part-time",)
            elif part_time and draw < 0.55:
                start, prefs = 15 * 60, ("evening",)  # evenings and weekends
            elif draw < 0.15:
                days = DAY_NAMES[:6]  # never Sundays
            elif draw < 0.30:
                prefs = ("early",)
            elif draw < 0.40:
                prefs = ("late",)
            if rng.random() < 0.25:
                days_off = ("Sat", "Sun")
            cost = base_cost + float(rng.choice([0.0, 0.5, 1.0, 1.5])) - (0.5 if part_time else 0)
            rows.append(
                {
                    "agent_id": f"A{number:03d}",
                    "name": f"{_FIRST[(number * 7) % len(_FIRST)]} "
                    f"{_LAST[(number * 11 + k) % len(_LAST)]}",
                    "skills": skills,
                    "team": f"{team} {1 + k // 12}",
                    "min_hours_week": low,
                    "max_hours_week": high,
                    "cost_per_hour": round(cost, 2),
                    "available_days": days,
                    "available_from_min": start,
                    "available_until_min": end,
                    "preferred_shifts": prefs,
                    "preferred_days_off": days_off,
                    "contract": contract,
                }
            )
    frame = pd.DataFrame(rows, columns=list(AGENTS_FRAME_COLUMNS))
    frame["available_from_min"] = frame["available_from_min"].astype(np.int64)
    frame["available_until_min"] = frame["available_until_min"].astype(np.int64)
    return frame
