"""``wfm status``: what a workspace holds (data, versions per week, the last runs)."""

from __future__ import annotations

import argparse
import json

from wfm.cli._workspace import add_workspace_option, open_from_args

__all__ = ["register", "run", "status_data"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "status",
        help="what a workspace holds: data ranges, agents, schedule versions, last runs",
    )
    add_workspace_option(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="last N runs (default 5)")
    parser.set_defaults(func=run)


def status_data(ws, runs: int = 5) -> dict:
    """The status as plain data (what ``--json`` prints)."""
    from wfm.store.read import data_ranges, recent_imports, row_counts
    from wfm.store.versions import list_runs, list_versions

    ranges = data_ranges(ws)
    counts = row_counts(ws)
    return {
        "workspace": str(ws.folder),
        "database": ws.url,
        "site": ws.config.site.name,
        "timezone": ws.config.site.timezone,
        "data_version": ws.data_version,
        "data": [
            {**r, "first": r["first"].isoformat(), "last": r["last"].isoformat()}
            for r in ranges.to_dict("records")
        ],
        "agents": counts["agents"],
        "agent_states": counts["agent_states"],
        "imports": recent_imports(ws, 5).to_dict("records"),
        "versions": [
            {
                "week_start": v.week_start.isoformat(),
                "version": v.version,
                "status": v.status,
                "mode": v.mode,
                "solver_status": v.solver_status,
                "gap": v.gap,
                "cost": v.cost,
                "paid_hours": v.paid_hours,
                "understaffed_intervals": v.understaffed_intervals,
                "created_at": v.created_at,
                "published_at": v.published_at,
            }
            for v in list_versions(ws)
        ],
        "runs": [
            {
                k: r[k]
                for k in (
                    "run_id",
                    "command",
                    "week_start",
                    "status",
                    "exit_code",
                    "started_at",
                    "ended_at",
                    "solver_status",
                    "gap",
                    "message",
                    "stages",
                )
            }
            for r in list_runs(ws, runs)
        ],
    }


def _text(data: dict) -> str:
    lines = [
        f"workspace {data['workspace']} ({data['site']}, {data['timezone']})",
        f"database  {data['database']}",
        "",
        "data:",
    ]
    if not data["data"]:
        lines.append("  none imported yet (wfm import history FILE)")
    for r in data["data"]:
        lines.append(
            f"  {r['kind']:<8} {r['queue']:<12} {r['channel']:<9} "
            f"{r['first'][:10]} to {r['last'][:10]}  {r['rows']:>9,} rows"
        )
    lines.append(f"  agents   {data['agents']}; agent-state records {data['agent_states']:,}")
    lines += ["", "schedule versions:"]
    if not data["versions"]:
        lines.append("  none yet (wfm roster --week next)")
    for v in data["versions"]:
        gap = f"{100 * v['gap']:.2f}%" if v["gap"] is not None else "-"
        lines.append(
            f"  week {v['week_start']} v{v['version']:<3} {v['status']:<9} "
            f"{v['solver_status']:<10} gap {gap:>7}  cost {v['cost']:>12,.2f}  "
            f"{v['paid_hours']:>8,.1f} h  made {v['created_at']}"
        )
    lines += ["", "last runs:"]
    if not data["runs"]:
        lines.append("  none yet")
    for r in data["runs"]:
        code = "-" if r["exit_code"] is None else r["exit_code"]
        lines.append(
            f"  run {r['run_id']:<4} {r['command']} week {r['week_start']} "
            f"{r['status']:<10} exit {code}  {r['started_at']}  {r['message']}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from wfm.cli._options import check_number

    check_number("--runs", args.runs, low=0, whole=True)
    ws = open_from_args(args)
    data = status_data(ws, args.runs)
    print(json.dumps(data, indent=2, default=str) if args.json else _text(data))
    return 0
