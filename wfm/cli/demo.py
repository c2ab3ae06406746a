"""``wfm demo``: write the built-in demo contact centre to a folder (and optionally run it)."""

from __future__ import annotations

import argparse
import sys

from wfm.errors import InputError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command."""
    from wfm.demo import DEFAULT, SIZES

    parser = subparsers.add_parser(
        "demo",
        help="write the built-in demo contact centre (history, actuals, agents, config)",
        description="Write the built-in demo contact centre to a folder: wfm.toml, history.csv "
        "(12 weeks), actuals.csv (the planning week), agents.csv and a README. The same size "
        "and seed always give the same files.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    parser.add_argument(
        "--size",
        choices=sorted(SIZES),
        default=DEFAULT.name,
        help=f"demo size (default {DEFAULT.name}: 12 weeks, 120 agents; small: 5 weeks, 30)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--run",
        action="store_true",
        help="then run the file pipeline on the folder (forecast, staff, schedule, report)",
    )
    parser.add_argument(
        "--files-only",
        action="store_true",
        help="write only the files, not the ready workspace (database, imports, roster)",
    )
    parser.add_argument(
        "--time-limit-sec",
        type=float,
        metavar="SEC",
        help="the solver's time limit for the workspace's published roster "
        "(default: [solver] time_limit_sec of the demo's wfm.toml); with --sites, every "
        "site's [solver] time_limit_sec",
    )
    parser.add_argument(
        "--sites",
        type=int,
        metavar="N",
        help="instead, a network of N synthetic sites (varied sizes, time zones and channel "
        "mixes), one workspace each in DIR, and DIR/sites.toml listing them for "
        "`wfm roster-all` (not rostered)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the demo, write it, and with ``--run`` hand the folder to the pipeline."""
    from wfm.cli._options import check_number
    from wfm.demo import build_demo
    from wfm.io.demo import write_demo

    check_number("--time-limit-sec", args.time_limit_sec, low=0, low_open=True)
    check_number("--seed", args.seed, low=0, whole=True)

    if args.sites is not None:
        return _network(args)
    demo = build_demo(args.size, seed=args.seed)
    try:
        paths = write_demo(demo, args.out)
    except OSError as err:
        raise InputError(f"cannot write the demo: {err.strerror}", file=args.out) from None
    history = demo.history
    print(
        f"wrote the demo contact centre ({demo.size.name}, seed {demo.seed}) to {args.out}: "
        f"{', '.join(p.name for p in paths)}\n"
        f"  history {history['interval_start'].min():%Y-%m-%d} to "
        f"{history['interval_start'].max():%Y-%m-%d}, {history['queue'].nunique()} queues, "
        f"{int(history['offered'].sum()):,} contacts; {len(demo.agents)} agents; "
        f"planning week from {demo.planning_week}"
    )
    if not args.files_only:
        code = _workspace(args, demo)
        if code:
            return code
    if not args.run:
        return 0
    try:
        from wfm.pipeline import run_demo
    except ImportError as err:
        print(f"wfm demo: the pipeline is not available yet ({err})", file=sys.stderr)
        return 1
    return int(run_demo(args.out) or 0)


def _workspace(args: argparse.Namespace, demo) -> int:
    """Make the folder a ready workspace: the files imported, the planning week rostered and
    published, its actuals loaded (what the dashboard opens on)."""
    from pathlib import Path

    from wfm.cli._progress import StageProgress
    from wfm.job import run_roster_job
    from wfm.store import import_file, init_workspace
    from wfm.store.versions import list_versions, publish_version

    ws, _, _ = init_workspace(args.out)
    for kind, name in (("history", "history.csv"), ("actuals", "actuals.csv"),
                       ("agents", "agents.csv")):  # fmt: skip
        report = import_file(ws, kind, Path(args.out) / name)
        print(f"  import {report.describe()}")
    week = demo.planning_week
    published = [v for v in list_versions(ws, week) if v.status == "published"]
    if published:
        print(f"  week {week}: {published[-1].label} already there")
        return 0
    print(f"  rostering the week of {week} (the solve takes up to the time limit) ...")
    result = run_roster_job(ws, week, time_limit_sec=args.time_limit_sec,
                            on_stage=StageProgress(prefix="wfm demo"))  # fmt: skip
    if result.version is None:
        print(f"wfm demo: {result.message}", file=sys.stderr)
        return result.exit_code or 1
    version = publish_version(ws, week, result.version.version)
    print(f"  {result.message}\n  published {version.label}")
    return 0


def _network(args: argparse.Namespace) -> int:
    """``--sites N``: N generated sites, each a workspace with its files imported, and the
    sites file."""
    from pathlib import Path

    from wfm.cli._options import check_number
    from wfm.demo.network import build_site, network_sites
    from wfm.io.demo import write_demo
    from wfm.io.files import atomic_write_text
    from wfm.network import Site, sites_toml
    from wfm.store import import_file, init_workspace

    check_number("--sites", args.sites, low=1, whole=True)
    if args.run:
        raise InputError("--run works on the single demo centre, not with --sites")
    out = Path(args.out).expanduser().resolve()
    listed = []
    for spec in network_sites(args.sites, seed=args.seed):
        demo = build_site(spec, time_limit_sec=args.time_limit_sec)
        folder = out / spec.folder
        try:
            write_demo(demo, folder)
        except OSError as err:
            raise InputError(f"cannot write the site: {err.strerror}", file=str(folder)) from None
        if not args.files_only:
            ws, _, _ = init_workspace(folder)
            for kind in ("history", "actuals", "agents"):
                import_file(ws, kind, folder / f"{kind}.csv")
            ws.engine.dispose()
        listed.append(Site(spec.name, str(folder), spec.priority))
        print(
            f"  {spec.name} ({spec.folder}): {spec.timezone}, {spec.mix} "
            f"({', '.join(spec.queues)}), {len(demo.agents)} agents, priority {spec.priority}"
        )
    path = atomic_write_text(out / "sites.toml", sites_toml(listed, base=out))
    kind = "folders" if args.files_only else "workspaces"
    print(
        f"wrote a network of {len(listed)} sites ({kind}, seed {args.seed}) to {out} and the "
        f"sites file {path}; planning week from {demo.planning_week}"
    )
    return 0
