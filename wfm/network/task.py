"""One site's weekly job as a Dask task: :func:`roster_site` opens the site's workspace and
calls :func:`wfm.job.run_roster_job` on it, in whichever worker process runs it.

A module-level function of an installed module, so worker processes started on their own
(``dask worker``) unpickle it by name. The job's lock, versions and run log are the
workspace's own, exactly as for ``wfm roster``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import time
from dataclasses import dataclass

from wfm.errors import InputError, WfmError
from wfm.network.sites import Site

__all__ = ["SITE_STATUSES", "SiteResult", "open_site", "roster_site", "site_status"]

#: What became of a site: a new version (``done``), inputs unchanged since the last version
#: (``unchanged``), a schedule that is not acceptable (``unacceptable``, exit 3), or no
#: roster at all (``failed``: bad input, a locked week, a crash).
SITE_STATUSES = ("done", "unchanged", "unacceptable", "failed")


@dataclass(frozen=True)
class SiteResult:
    """The outcome of one site's job, as the summary reports it.

    ``exit_code`` is what ``wfm roster`` would have exited with on the site; ``message`` its
    last line (or the error). ``version`` and ``version_status`` name the week's version the
    run wrote or found; ``sec`` is the task's wall time on ``worker`` (host and pid).
    """

    name: str
    workspace: str
    status: str
    exit_code: int
    message: str
    week: str | None = None
    run_id: int | None = None
    version: int | None = None
    version_status: str | None = None
    solver_status: str | None = None
    gap: float | None = None
    sec: float = 0.0
    worker: str = ""
    agents: int | None = None
    intervals: int | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def site_status(exit_code: int, new_version: bool) -> str:
    """The :data:`SITE_STATUSES` entry for a job's exit code."""
    if exit_code == 0:
        return "done" if new_version else "unchanged"
    return "unacceptable" if exit_code == 3 else "failed"


def open_site(site: Site):
    """The site's workspace (:class:`wfm.store.Workspace`), on its ``database_url`` if set."""
    from pathlib import Path

    import sqlalchemy as sa

    from wfm.io.files import read_config, read_text
    from wfm.store import open_workspace
    from wfm.store.schema import SCHEMA_VERSION
    from wfm.store.workspace import Workspace, engine_for

    if not site.database_url:
        return open_workspace(site.workspace)
    folder = Path(site.workspace).expanduser().resolve()
    toml = folder / "wfm.toml"
    config = read_config(toml)
    database = dataclasses.replace(config.database, url=site.database_url)
    config = dataclasses.replace(config, database=database)
    ws = Workspace(folder, config, read_text(toml), engine_for(folder, config))
    try:
        version = int(ws.meta().get("schema_version", "0"))
    except sa.exc.SQLAlchemyError:
        version = 0
    if version != SCHEMA_VERSION:
        raise InputError(
            f"the database {ws.url} is not a workspace of this wfm (schema {version}, this wfm "
            f"uses {SCHEMA_VERSION}): run `wfm init` on it",
            column="database_url",
        )
    return ws


def _with_threads(ws, threads: int | None):
    """The workspace with its solver on ``threads`` threads (HiGHS and the roster search)."""
    if threads is None:
        return ws
    solver = ws.config.solver
    params = dataclasses.replace(solver.roster, search_workers=threads)
    solver = dataclasses.replace(solver, threads=threads, roster=params)
    return dataclasses.replace(ws, config=dataclasses.replace(ws.config, solver=solver))


def _announce(topic: str, name: str) -> None:
    from distributed import get_worker

    # not on a worker (called directly): nobody to tell
    with contextlib.suppress(ValueError):
        get_worker().log_event(topic, {"site": name, "event": "start"})


def roster_site(
    site: Site,
    week: str,
    *,
    force: bool = False,
    threads: int | None = 1,
    time_limit_sec: float | None = None,
    wait_sec: float = 0.0,
    topic: str | None = None,
) -> SiteResult:
    """Run the weekly roster job of ``site`` for ``week`` (``next`` on the site's own clock,
    or a date) and say what became of it.

    The errors a user can act on (bad input, a locked week, no acceptable schedule) come back
    as a :class:`SiteResult` with their one-line message; anything else propagates, so that
    Dask retries the task (``retries=``) and reports it if it fails again. With ``topic``, the
    task announces its start on the worker as a Dask event of that topic (the client counts
    the sites running from them).
    """
    from wfm.job import resolve_week, run_roster_job

    if topic:
        _announce(topic, site.name)
    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    base = {"name": site.name, "workspace": site.workspace, "worker": worker}
    shown_week = None
    try:
        ws = _with_threads(open_site(site), threads)
        monday = resolve_week(week, ws.config.site.timezone)
        shown_week = monday.isoformat()
        result = run_roster_job(
            ws, monday, force=force, wait_sec=wait_sec, time_limit_sec=time_limit_sec
        )
    except WfmError as err:  # bad input (2), no acceptable schedule (3), locked (4)
        return SiteResult(
            **base,
            status=site_status(err.exit_code, False),
            exit_code=err.exit_code,
            message=str(err),
            week=shown_week,
            sec=round(time.perf_counter() - started, 3),
        )
    version = result.version
    summary = result.summary or {}
    return SiteResult(
        **base,
        status=site_status(result.exit_code, result.summary is not None),
        exit_code=result.exit_code,
        message=result.message,
        week=shown_week,
        run_id=result.run_id,
        version=getattr(version, "version", None),
        version_status=getattr(version, "status", None),
        solver_status=summary.get("status", getattr(version, "solver_status", None)),
        gap=summary.get("gap", getattr(version, "gap", None)),
        sec=round(time.perf_counter() - started, 3),
    )
