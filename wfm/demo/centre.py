"""The demo centre's fixed facts: its sizes, its dates and its ``wfm.toml``.

The configuration is the package file ``wfm/demo/wfm.toml``; only the outbound queue's
``hours_per_day`` depends on the size (``$outbound_hours`` in the template). The time zone,
interval length and bank holiday below are the ones that file states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from string import Template

__all__ = [
    "DEFAULT",
    "HOLIDAY",
    "HOLIDAY_FACTOR",
    "INTERVAL_MINUTES",
    "PLANNING_WEEK",
    "SIZES",
    "SMALL",
    "TIMEZONE",
    "DemoSize",
    "config_text",
]

TIMEZONE = "Europe/London"
INTERVAL_MINUTES = 15
#: First day of the planning week (a Monday); the history ends the day before.
PLANNING_WEEK = dt.date(2026, 11, 23)
HOLIDAY = dt.date(2026, 8, 31)
HOLIDAY_FACTOR = 0.35


@dataclass(frozen=True)
class DemoSize:
    """How big the demo centre is: weeks of history, agents, and a volume scale."""

    name: str
    history_weeks: int
    n_agents: int
    volume_scale: float


#: A small centre for fast tests: 5 weeks (still crossing the October clock change), 30 agents.
# Volumes are scaled so that the agents can staff the week (5 shifts a week at most, 30%
# shrinkage, breaks): the pooled shift plan's paid hours stay below the contract hours. The
# small centre is a quarter of the default.
SMALL = DemoSize("small", history_weeks=5, n_agents=30, volume_scale=0.2)
#: The real demo: 12 weeks from the August bank holiday, 120 agents.
DEFAULT = DemoSize("default", history_weeks=12, n_agents=120, volume_scale=0.8)
SIZES = {s.name: s for s in (SMALL, DEFAULT)}


def config_text(size: DemoSize = DEFAULT) -> str:
    """The demo's ``wfm.toml`` for ``size`` (the package template, filled in)."""
    template = resources.files("wfm.demo").joinpath("wfm.toml").read_text(encoding="utf-8")
    return Template(template).substitute(outbound_hours=round(30 * size.volume_scale, 1))
