"""Improving a roster in place: a dual-guided local search of single-agent moves checked by an
LP, and fix-and-optimise sub-MIPs by day, by skill groups over the week, by one group or one
queue on two days, and over the whole weeks of a few agents.

Modules: :mod:`~solvers.roster.search.state` (matrix layout, the LP of a fixed roster, the
result type), :mod:`~solvers.roster.search.moves` and :mod:`~solvers.roster.search.local_search`
(:func:`improve`), :mod:`~solvers.roster.search.sub_mip` (sub-MIPs and RINS bounds),
:mod:`~solvers.roster.search.fix_optimise` (the loop the neighbourhood searches share),
:mod:`~solvers.roster.search.by_day`, :mod:`~solvers.roster.search.two_days`,
:mod:`~solvers.roster.search.by_groups` and :mod:`~solvers.roster.search.agent_weeks`.
"""

from solvers.roster.search.agent_weeks import improve_agent_weeks
from solvers.roster.search.by_day import improve_by_day
from solvers.roster.search.by_groups import group_neighbourhoods, improve_by_groups
from solvers.roster.search.local_search import improve
from solvers.roster.search.state import SearchResult
from solvers.roster.search.sub_mip import rins_bounds, sub_mip
from solvers.roster.search.two_days import improve_by_group_days, improve_by_queue_days

__all__ = [
    "SearchResult",
    "group_neighbourhoods",
    "improve",
    "improve_agent_weeks",
    "improve_by_day",
    "improve_by_group_days",
    "improve_by_groups",
    "improve_by_queue_days",
    "rins_bounds",
    "sub_mip",
]
