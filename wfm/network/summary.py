"""What ``wfm roster-all`` reports: one progress line per site, a table, a JSON summary and
the exit code of the whole run."""

from __future__ import annotations

import datetime as dt

from wfm.network.run import NetworkRun, Progress
from wfm.network.task import SITE_STATUSES, SiteResult

__all__ = [
    "EXIT_SITE_FAILED",
    "network_exit_code",
    "progress_line",
    "summary_dict",
    "summary_table",
]

#: Exit code of a network run in which some site got no roster at all.
EXIT_SITE_FAILED = 5


def network_exit_code(results: list[SiteResult], *, interrupted: bool = False) -> int:
    """130 interrupted; 5 some site failed; 3 some site's schedule is not acceptable; else 0."""
    if interrupted:
        return 130
    statuses = {r.status for r in results}
    if "failed" in statuses:
        return EXIT_SITE_FAILED
    return 3 if "unacceptable" in statuses else 0


def _gap(gap: float | None) -> str:
    return f"{100 * gap:.2f}%" if gap is not None else "-"


def progress_line(result: SiteResult, progress: Progress) -> str:
    """``[3/16 done, 2 running, 11 waiting, 0 failed] London 01: done, version 2 (draft),
    feasible, gap 0.80%, 41.2 s``; failures end with their message."""
    counts = (
        f"[{progress.done}/{progress.total} done, {progress.running} running, "
        f"{progress.waiting} waiting, {progress.failed} failed]"
    )
    parts = [result.status]
    if result.version is not None:
        parts.append(f"version {result.version} ({result.version_status})")
    if result.solver_status:
        parts.append(result.solver_status)
    if result.gap is not None:
        parts.append(f"gap {_gap(result.gap)}")
    parts.append(f"{result.sec:.1f} s")
    line = f"{counts} {result.name}: {', '.join(parts)}"
    if result.status in ("failed", "unacceptable"):
        line += f": {result.message}"
    return line


def summary_table(run: NetworkRun) -> str:
    """The sites in run order: status, week, version, solver status, gap, agents, seconds."""
    header = ("site", "status", "week", "version", "solver", "gap", "agents", "sec")
    rows = [
        (
            r.name,
            r.status,
            r.week or "-",
            f"{r.version} {r.version_status}" if r.version is not None else "-",
            r.solver_status or "-",
            _gap(r.gap),
            "-" if r.agents is None else str(r.agents),
            f"{r.sec:.1f}",
        )
        for r in run.results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    right = {"agents", "sec", "gap"}

    def line(cells) -> str:
        return "  ".join(
            c.rjust(w) if h in right else c.ljust(w)
            for c, w, h in zip(cells, widths, header, strict=True)
        ).rstrip()

    counts = {s: sum(r.status == s for r in run.results) for s in SITE_STATUSES}
    total = sum(r.sec for r in run.results)
    footer = (
        f"{len(run.results)} sites: "
        + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        + f"; makespan {run.makespan_sec:.1f} s on {run.threads} worker threads "
        f"(lower bound {run.bound_sec:.1f} s, site time {total:.1f} s in all)"
    )
    return "\n".join([line(header), *(line(row) for row in rows), footer])


def summary_dict(run: NetworkRun, *, week: str, sites_file: str) -> dict:
    """The JSON summary: the run's figures, its exit code and each site's result."""
    results = run.results
    return {
        "sites_file": sites_file,
        "week": week,
        "finished_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "exit_code": network_exit_code(results, interrupted=run.interrupted),
        "interrupted": run.interrupted,
        "scheduler": run.scheduler,
        "workers": run.workers,
        "threads": run.threads,
        "makespan_sec": run.makespan_sec,
        "makespan_bound_sec": run.bound_sec,
        "site_sec_total": round(sum(r.sec for r in results), 3),
        "counts": {s: sum(r.status == s for r in results) for s in SITE_STATUSES},
        "failed": [r.name for r in results if r.status == "failed"],
        "unacceptable": [r.name for r in results if r.status == "unacceptable"],
        "sites": [r.as_dict() for r in results],
    }
