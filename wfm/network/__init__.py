"""A network of sites: the weekly roster job of many workspaces at once, on Dask distributed
(``wfm roster-all``).

:mod:`wfm.network.sites` reads the sites file, :mod:`wfm.network.task` is one site's job as a
Dask task (:func:`wfm.job.run_roster_job` on the site's workspace), :mod:`wfm.network.order`
the order they run in (priority, then longest processing time first),
:mod:`wfm.network.cluster` the cluster, :mod:`wfm.network.run` the run and
:mod:`wfm.network.summary` the report.
"""

from wfm.network.cluster import network_client
from wfm.network.order import SiteSize, lpt_order, makespan_bound_sec, site_size
from wfm.network.run import NetworkRun, Progress, run_network
from wfm.network.sites import (
    SITE_COLUMNS,
    Site,
    parse_sites_csv,
    parse_sites_toml,
    read_sites,
    sites_toml,
)
from wfm.network.summary import (
    EXIT_SITE_FAILED,
    network_exit_code,
    progress_line,
    summary_dict,
    summary_table,
)
from wfm.network.task import SITE_STATUSES, SiteResult, open_site, roster_site, site_status

__all__ = [
    "EXIT_SITE_FAILED",
    "SITE_COLUMNS",
    "SITE_STATUSES",
    "NetworkRun",
    "Progress",
    "Site",
    "SiteResult",
    "SiteSize",
    "lpt_order",
    "makespan_bound_sec",
    "network_client",
    "network_exit_code",
    "open_site",
    "parse_sites_csv",
    "parse_sites_toml",
    "progress_line",
    "read_sites",
    "roster_site",
    "run_network",
    "site_size",
    "site_status",
    "sites_toml",
    "summary_dict",
    "summary_table",
]
