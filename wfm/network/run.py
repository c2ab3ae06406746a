"""The network's weekly job on a Dask cluster: one task per site, largest first.

Each site is one :func:`~wfm.network.task.roster_site` task submitted with ``priority=`` (the
order of :func:`~wfm.network.order.lpt_order`) and ``retries=``; results are read with
``as_completed`` as they arrive. A worker that dies mid-task has its tasks moved to another
worker by the scheduler (up to ``distributed.scheduler.allowed-failures`` times); the site's
run log then shows the abandoned run, which the next run takes over (:mod:`wfm.job`), and
its versions hold nothing of the killed run, since a version is written in one transaction.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from wfm.network.order import SiteSize, lpt_order, makespan_bound_sec, site_size
from wfm.network.sites import Site
from wfm.network.task import SiteResult, roster_site

__all__ = ["NetworkRun", "Progress", "run_network"]


@dataclass(frozen=True)
class Progress:
    """Counts when a site finishes: ``done`` (any outcome), ``running``, ``waiting``, ``failed``
    (failed or unacceptable)."""

    done: int
    running: int
    waiting: int
    failed: int
    total: int


@dataclass(frozen=True)
class NetworkRun:
    """What a network run did: the sites' results in run order (LPT), the makespan, the
    lower bound of the makespan from the measured site times, and the cluster's size."""

    results: list[SiteResult]
    order: list[str]
    makespan_sec: float
    bound_sec: float
    workers: int
    threads: int
    scheduler: str
    interrupted: bool = False
    sizes: dict[str, SiteSize] = field(default_factory=dict)


def _failure(site: Site, err: BaseException) -> SiteResult:
    """A task that raised after its retries (a crash, a worker lost too often): one line."""
    name = type(err).__name__
    if name == "KilledWorker":
        message = (
            "the workers running the site's task died too often "
            f"(distributed.scheduler.allowed-failures): {err}"
        )
    else:
        message = f"{name}: {err}"
    return SiteResult(
        name=site.name, workspace=site.workspace, status="failed", exit_code=1, message=message
    )


def _cancelled(site: Site) -> SiteResult:
    return SiteResult(
        name=site.name,
        workspace=site.workspace,
        status="failed",
        exit_code=130,
        message="interrupted before the site's run finished (its workspace keeps its last "
        "version; the next run takes over its run log)",
    )


class _Started:
    """The sites whose task has started on a worker (Dask events of the run's topic)."""

    def __init__(self) -> None:
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, event) -> None:
        _, message = event
        with self._lock:
            self._names.add(message["site"])

    def running(self, finished) -> int:
        with self._lock:
            return len(self._names - set(finished))


def run_network(
    client,
    sites: list[Site],
    week: str,
    *,
    force: bool = False,
    threads: int | None = 1,
    time_limit_sec: float | None = None,
    wait_sec: float = 0.0,
    retries: int = 2,
    on_result: Callable[[SiteResult, Progress], None] | None = None,
) -> NetworkRun:
    """Run every site's weekly job on ``client``'s cluster and collect the results.

    Parameters
    ----------
    client
        A connected :class:`distributed.Client`.
    sites
        The network (:func:`~wfm.network.sites.read_sites`).
    week
        ``next`` (each site's next week on its own clock) or a date of the week.
    threads
        Solver threads per site (HiGHS and the roster search); None: the sites' own
        ``[solver] threads``.
    retries
        Dask retries of a task that raised an unexpected error (bad input is not retried).
    on_result
        Called in the client as each site finishes, with the counts so far.

    A ``KeyboardInterrupt`` cancels the sites not finished yet and returns with
    ``interrupted`` set; those sites get exit code 130.
    """
    from distributed import as_completed

    info = client.scheduler_info()
    nthreads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
    sizes = {s.name: site_size(s) for s in sites}
    ordered = lpt_order(sites, sizes)
    token = uuid.uuid4().hex[:8]
    topic = f"wfm-roster-all-{token}"
    started_sites = _Started()
    client.subscribe_topic(topic, started_sites)
    started = time.perf_counter()
    futures = {}
    for rank, site in enumerate(ordered):
        future = client.submit(
            roster_site,
            site,
            week,
            force=force,
            threads=threads,
            time_limit_sec=time_limit_sec,
            wait_sec=wait_sec,
            topic=topic,
            key=f"roster-{site.name}-{token}",
            priority=len(ordered) - rank,
            retries=retries,
            pure=False,
        )
        futures[future] = site
    results: dict[str, SiteResult] = {}
    failed = 0
    interrupted = False
    try:
        for future in as_completed(futures):
            site = futures[future]
            try:
                result = future.result()
            except Exception as err:
                result = _failure(site, err)
            size = sizes[site.name]
            result = replace(result, agents=size.agents, intervals=size.intervals)
            results[site.name] = result
            failed += result.status in ("failed", "unacceptable")
            if on_result is not None:
                running = started_sites.running(results)
                waiting = max(0, len(ordered) - len(results) - running)
                on_result(result, Progress(len(results), running, waiting, failed, len(ordered)))
    except KeyboardInterrupt:
        interrupted = True
        client.cancel([f for f, s in futures.items() if s.name not in results])
        for site in ordered:
            results.setdefault(site.name, _cancelled(site))
    makespan = time.perf_counter() - started
    client.unsubscribe_topic(topic)
    measured = [r.sec for r in results.values() if r.sec]
    return NetworkRun(
        results=[results[s.name] for s in ordered],
        order=[s.name for s in ordered],
        makespan_sec=round(makespan, 3),
        bound_sec=round(makespan_bound_sec(measured, max(1, nthreads)), 3),
        workers=len(info.get("workers", {})),
        threads=nthreads,
        scheduler=str(info.get("address", "")),
        interrupted=interrupted,
        sizes=sizes,
    )
