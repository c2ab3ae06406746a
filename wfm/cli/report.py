"""``wfm report``: scheduled against actual, per interval and queue, and the KPI summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from wfm.cli._options import add_zero_aht_option, check_number, check_output
from wfm.compare import compare, worst_intervals
from wfm.errors import InputError
from wfm.io.actuals import read_agent_states, read_schedule, write_comparison
from wfm.io.files import read_config
from wfm.io.tables import read_actuals, read_agents, read_forecast, read_requirements
from wfm.kpis import SL_DEFINITIONS, format_kpi, format_kpi_table, kpi_table

__all__ = ["register", "run"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "report",
        help="compare schedule and actuals per interval; print the KPIs",
        description=(
            "Per interval and queue: forecast and actual volume and AHT; required, scheduled "
            "and actual agents; the service level expected with the scheduled and with the "
            "actual staff beside the actual one and the target. Writes the comparison CSV and "
            "prints the KPIs per queue, day and week and the intervals that missed the target "
            "by the most contacts."
        ),
    )
    p.add_argument("--requirements", required=True, help="requirements CSV (the plan)")
    p.add_argument("--schedule", required=True, help="schedule export CSV")
    p.add_argument("--actuals", required=True, help="actuals CSV (ACD interval export)")
    p.add_argument("--agent-states", help="agent-state log CSV: agent_id, state, start, end")
    p.add_argument("--config", help="wfm.toml (default: wfm.toml beside the requirements file)")
    p.add_argument("--forecast", help="forecast CSV (default: the requirements' volume and AHT)")
    p.add_argument("--agents", help="agents CSV: cost_per_hour per agent for the cost KPI")
    p.add_argument("--cost-per-hour", type=float, help="one paid rate for every agent")
    p.add_argument(
        "--sl-definition",
        choices=SL_DEFINITIONS,
        default="offered",
        help="how abandoned contacts count in the service-level KPI (default: offered)",
    )
    p.add_argument("--top", type=int, default=10, help="how many worst intervals to list")
    p.add_argument("--out", required=True, help="comparison CSV to write")
    add_zero_aht_option(p)
    p.set_defaults(func=run)


def _config_path(args) -> Path:
    if args.config:
        return Path(args.config)
    beside = Path(args.requirements).resolve().parent / "wfm.toml"
    if beside.is_file():
        return beside
    raise InputError("needs --config (no wfm.toml beside the requirements file)")


def _check_overlap(actuals, schedule, actuals_file: str, schedule_file: str) -> None:
    """The actuals must cover some of the scheduled time: actuals of another week compare
    nothing with nothing (every KPI empty), which is a wrong file, not a result."""
    begin, end = schedule["activity_start"].min(), schedule["activity_end"].max()
    starts = actuals["interval_start"]
    if not ((starts >= begin) & (starts < end)).any():
        raise InputError(
            f"no interval falls in the schedule of {schedule_file} "
            f"({begin:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}); the actuals run from "
            f"{starts.min():%Y-%m-%d} to {starts.max():%Y-%m-%d}: are they of another week?",
            file=actuals_file,
            row=2,
            column="interval_start",
        )


def run(args: argparse.Namespace) -> int:
    check_output("--out", args.out)
    check_number("--cost-per-hour", args.cost_per_hour, low=0)
    check_number("--top", args.top, low=0, whole=True)
    config = read_config(_config_path(args))
    tz = config.site.timezone
    requirements = read_requirements(args.requirements, config)
    actuals = read_actuals(args.actuals, config, zero_aht=args.zero_aht)
    schedule = read_schedule(
        args.schedule,
        tz,
        queues=config.queue_names,
        activities=config.activity_names,
        site_offsets=True,
    )
    _check_overlap(actuals.frame, schedule, args.actuals, args.schedule)
    notes = [*requirements.notes, *actuals.notes]
    forecast = None
    if args.forecast:
        fc = read_forecast(args.forecast, config)
        forecast, notes = fc.frame, [*notes, *fc.notes]
    states = (
        read_agent_states(args.agent_states, tz, queues=config.queue_names)
        if args.agent_states
        else None
    )
    cost_per_hour = args.cost_per_hour
    if args.agents:
        agents = read_agents(args.agents, config).frame
        cost_per_hour = dict(
            zip(agents["agent_id"].astype(str), agents["cost_per_hour"].astype(float), strict=True)
        )
    result = compare(
        requirements.frame,
        actuals.frame,
        config,
        schedule=schedule,
        forecast=forecast,
        agent_states=states,
        cost_per_hour=cost_per_hour,
    )
    write_comparison(result.frame, args.out)
    frame = result.frame
    for note in [*notes, *result.notes]:
        print(f"note: {note}")
    print(f"wrote {args.out}: {len(frame)} rows ({frame['queue'].nunique()} queues)")
    print(f"\nKPIs (service level = {args.sl_definition} definition)")
    total = kpi_table(frame, "total", sl_definition=args.sl_definition).rename(
        columns={"group": "total"}
    )
    print(format_kpi_table(total, "total"))
    print()
    print(format_kpi_table(kpi_table(frame, "queue", sl_definition=args.sl_definition), "queue"))
    print()
    print(format_kpi_table(kpi_table(frame, "day", sl_definition=args.sl_definition), "day"))
    weeks = kpi_table(frame, "week", sl_definition=args.sl_definition)
    if len(weeks) > 1:
        print()
        print(format_kpi_table(weeks, "week"))
    live = frame[frame["sl_target"].notna()]
    if len(live):
        exp = live["sl_expected_actual"] * live["offered"]
        ok = exp.notna() & live["answered_within_threshold"].notna()
        sched = live["sl_expected_scheduled"] * live["offered_forecast"]
        oks = sched.notna()
        offered = live.loc[ok, "offered"].sum()
        actual_sl = live.loc[ok, "answered_within_threshold"].sum() / offered if offered else None
        expected_sl = exp[ok].sum() / offered if offered else None
        planned = live.loc[oks, "offered_forecast"].sum()
        planned_sl = sched[oks].sum() / planned if planned else None
        print(
            f"\nlive queues: service level actual {format_kpi(actual_sl, 'pct')}, "
            f"expected with the actual staff {format_kpi(expected_sl, 'pct')}, "
            f"expected with the schedule and the forecast {format_kpi(planned_sl, 'pct')}"
        )
    worst = worst_intervals(frame, args.top)
    if len(worst):
        print(f"\nintervals that missed the target by the most contacts (top {len(worst)}):")
        show = worst[
            [
                "interval_start",
                "queue",
                "offered",
                "sl_target",
                "sl_actual",
                "sl_expected_actual",
                "agents_required_net",
                "agents_scheduled_net",
                "agents_actual",
                "contacts_short_of_target",
            ]
        ].copy()
        show["interval_start"] = show["interval_start"].map(
            lambda t: t.strftime("%a %Y-%m-%d %H:%M")
        )
        print(show.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    else:
        print("\nno interval missed its service-level target")
    return 0
