"""A network of synthetic contact centres for ``wfm demo --sites N``: the demo centre
(:func:`wfm.demo.build_demo`) again and again with other sizes, time zones and channel mixes.

Each site is the small demo (5 weeks of history, the same planning week) with its own agent
count, volume, time zone, queues and seed, so the sites' solves differ in size the way the
sites of an outsourcer or a bank do. Deterministic for a given ``n`` and ``seed``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np

from wfm.demo.build import Demo, build_demo
from wfm.demo.centre import SMALL, DemoSize, config_text

__all__ = ["CHANNEL_MIXES", "NETWORK_CITIES", "NetworkSite", "build_site", "network_sites"]

#: (city, time zone) of the sites, in turn: both sides of the Atlantic, a half-hour offset
#: (Kolkata), a southern-hemisphere summer (Sydney) and zones whose clocks change on other
#: dates than the UK's (New York, Chicago), all within the 5 weeks of history.
NETWORK_CITIES = (
    ("London", "Europe/London"),
    ("New York", "America/New_York"),
    ("Berlin", "Europe/Berlin"),
    ("Mumbai", "Asia/Kolkata"),
    ("Chicago", "America/Chicago"),
    ("Sydney", "Australia/Sydney"),
    ("Dublin", "Europe/Dublin"),
    ("Johannesburg", "Africa/Johannesburg"),
    ("Warsaw", "Europe/Warsaw"),
)
#: The queues of the demo a site keeps, by channel mix.
CHANNEL_MIXES = {
    "full": ("service", "sales", "chat", "email", "outbound"),
    "voice": ("service", "sales", "outbound"),
    "service+digital": ("service", "chat", "email"),
    "sales+chat": ("sales", "chat", "outbound"),
}
#: Agents per site to draw from: a small site has a third of the largest one's agents.
_AGENTS = (12, 16, 20, 24, 30, 36)
#: Agents the small demo has for its full queue mix, and its volume scale.
_BASE_AGENTS, _BASE_SCALE = SMALL.n_agents, SMALL.volume_scale
#: Share of the demo's peak workload (peak arrivals x AHT of ``wfm.demo.traffic``, outbound's
#: hours) in each mix's queues: the volume is scaled up by its inverse, so that a site's
#: workload fits its agents whatever queues it keeps.
_MIX_SHARE = {"full": 1.0, "voice": 0.78, "service+digital": 0.74, "sales+chat": 0.40}


@dataclass(frozen=True)
class NetworkSite:
    """One generated site: its name, folder name, size, time zone, queues and seed."""

    name: str
    folder: str
    size: DemoSize
    timezone: str
    mix: str
    seed: int
    priority: int = 0

    @property
    def queues(self) -> tuple[str, ...]:
        return CHANNEL_MIXES[self.mix]


def network_sites(n: int, seed: int = 2026) -> list[NetworkSite]:
    """``n`` sites of varied sizes, time zones and channel mixes.

    Every fifth site has priority 1 (a client whose rosters go out first); the others 0.
    """
    if n < 1:
        raise ValueError("a network has at least one site")
    rng = np.random.default_rng([seed, 7])
    mixes = tuple(CHANNEL_MIXES)
    sites = []
    for i in range(n):
        city, timezone = NETWORK_CITIES[i % len(NETWORK_CITIES)]
        mix = mixes[i % len(mixes)]
        agents = int(rng.choice(_AGENTS))
        scale = _BASE_SCALE * agents / _BASE_AGENTS / _MIX_SHARE[mix]
        number = f"{i + 1:02d}"
        sites.append(
            NetworkSite(
                name=f"{city} {number}",
                folder=f"{number}-{city.lower().replace(' ', '-')}",
                size=DemoSize(f"site-{number}", SMALL.history_weeks, agents, round(scale, 4)),
                timezone=timezone,
                mix=mix,
                seed=seed + i,
                priority=1 if i % 5 == 4 else 0,
            )
        )
    return sites


def _site_config_text(site: NetworkSite, time_limit_sec: float | None) -> str:
    """The demo's ``wfm.toml`` with the site's name, time zone, queues and time limit."""
    text = config_text(site.size)
    text = re.sub(r'(?m)^name = "Demo Contact Centre"$', f'name = "{site.name}"', text)
    text = re.sub(r'(?m)^timezone = ".*"$', f'timezone = "{site.timezone}"', text)
    if time_limit_sec is not None:
        text = re.sub(r"(?m)^time_limit_sec = .*$", f"time_limit_sec = {time_limit_sec:g}", text)
    # drop the [[queues]] tables the mix leaves out (each runs to the next blank line)
    blocks = text.split("\n\n")
    kept = []
    for block in blocks:
        found = re.match(r'\[\[queues\]\]\nname = "([^"]+)"', block.lstrip("\n"))
        if found is None or found.group(1) in site.queues:
            kept.append(block)
    return "\n\n".join(kept)


def build_site(site: NetworkSite, *, time_limit_sec: float | None = None) -> Demo:
    """The site's demo centre in memory (``time_limit_sec``: its ``[solver] time_limit_sec``,
    default the demo's)."""
    demo = build_demo(
        site.size, seed=site.seed, config_text=_site_config_text(site, time_limit_sec)
    )
    return dataclasses.replace(demo, readme=_readme(site, demo))


def _readme(site: NetworkSite, demo: Demo) -> str:
    start = demo.history["interval_start"].min()
    return f"""\
# {site.name} (wfm demo --sites, seed {site.seed})

A made-up contact centre of a generated network: the small demo centre with its own size,
time zone and queues. Unless written with `--files-only`, a workspace: `wfm.toml` and its
database, the files below imported.

- Time zone {site.timezone}; queues {", ".join(site.queues)} ({site.mix}).
- `history.csv`: {site.size.history_weeks} weeks from {start:%Y-%m-%d}; `actuals.csv`: the
  planning week from {demo.planning_week}; `agents.csv`: {len(demo.agents)} agents.

The network's sites file is `../sites.toml`: `wfm roster-all --sites ../sites.toml --week
{demo.planning_week}` rosters every site.
"""
