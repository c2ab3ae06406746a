"""The order the sites run in: priority first, then the longest-processing-time rule.

LPT (Graham 1969, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17)
starts the longest jobs first, each on the first free worker; its makespan is at most
:math:`(4/3 - 1/(3m))` times the optimum on :math:`m` workers, and the optimum is at least

.. math:: L = \\max\\left(\\frac{1}{m}\\sum_j p_j,\\; \\max_j p_j\\right).

A site's processing time is not known before it runs, so its size stands in for it:
agents x intervals of the week, the roster model's number of agent-interval cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfm.network.sites import Site

__all__ = ["SiteSize", "lpt_order", "makespan_bound_sec", "site_size"]


@dataclass(frozen=True)
class SiteSize:
    """A site's size: its agents and the intervals of a week (None: the workspace could not
    be read here; the site then runs last and its task reports why)."""

    agents: int | None
    intervals: int | None

    @property
    def cells(self) -> int:
        """agents x intervals, the LPT key (0 when unknown)."""
        return (self.agents or 0) * (self.intervals or 0)


def site_size(site: Site) -> SiteSize:
    """Agents in the site's workspace and intervals in its week (7 days of its interval)."""
    from wfm.network.task import open_site
    from wfm.store import row_counts

    try:
        ws = open_site(site)
        agents = int(row_counts(ws).get("agents", 0))
        intervals = 7 * 24 * 60 // ws.config.site.interval_minutes
        ws.engine.dispose()
    except Exception:
        return SiteSize(None, None)
    return SiteSize(agents, intervals)


def lpt_order(sites: list[Site], sizes: dict[str, SiteSize]) -> list[Site]:
    """Higher ``priority`` first; within a priority, larger sites (agents x intervals) first;
    ties in the file's order."""
    position = {s.name: i for i, s in enumerate(sites)}
    return sorted(sites, key=lambda s: (-s.priority, -sizes[s.name].cells, position[s.name]))


def makespan_bound_sec(times_sec: list[float], workers: int) -> float:
    """The lower bound :math:`L` on the makespan of jobs of ``times_sec`` on ``workers``."""
    if not times_sec or workers < 1:
        return 0.0
    return max(sum(times_sec) / workers, max(times_sec))
