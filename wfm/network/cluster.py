"""The Dask cluster of a network run: an existing scheduler by address, or a
``LocalCluster`` of worker processes started for the run and closed after it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from wfm.errors import InputError

__all__ = ["WORKERS_WAIT_SEC", "network_client"]

#: Seconds to wait for a worker to join the scheduler before giving up.
WORKERS_WAIT_SEC = 120.0


@contextmanager
def network_client(
    scheduler: str | None = None,
    local: int | None = None,
    *,
    connect_timeout_sec: float = 30.0,
    workers_wait_sec: float = WORKERS_WAIT_SEC,
) -> Iterator:
    """A :class:`distributed.Client` on ``scheduler`` (``tcp://HOST:PORT``), else on a
    ``LocalCluster(n_workers=local, threads_per_worker=1, processes=True)``.

    One thread per worker: a worker runs one site at a time, whose solver has its own threads
    (``--threads-per-site``). Waits for at least one worker before handing the client out.
    """
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=connect_timeout_sec)
        except (OSError, TimeoutError) as err:
            raise InputError(
                f"--scheduler {scheduler}: cannot reach the Dask scheduler ({err}); is "
                f"`dask scheduler` running there?"
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=local,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # the workers' own log lines stay off the terminal: a task's error comes back with
            # its site, a lost worker is retried by the scheduler, and on Ctrl-C every worker
            # process (same process group) would otherwise print its interrupted event loop
            silence_logs=logging.CRITICAL,
        )
        client = Client(cluster)
    try:
        try:
            client.wait_for_workers(1, timeout=workers_wait_sec)
        except TimeoutError:
            raise InputError(
                f"no Dask worker joined the scheduler {client.scheduler.address} within "
                f"{workers_wait_sec:g} s: start some with `dask worker {client.scheduler.address}`"
            ) from None
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
