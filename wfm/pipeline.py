"""The pipeline: the one place that joins forecasting (``forecasts``) and solving (``solvers``).

    History -> Forecast -> Requirements -> ScheduleProblem -> Schedule -> Comparison

Each stage is a pure function of the previous stage's output and the configuration; the CLI
commands call them one at a time, :func:`run_folder` calls them in a row on a folder laid out as
``wfm demo`` writes it (``wfm.toml``, ``history.csv``, ``agents.csv``, ``actuals.csv``).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wfm.check import CheckResult, check_schedule
from wfm.config import Config
from wfm.errors import InfeasibleError

__all__ = [
    "ScheduleRun",
    "forecast",
    "make_schedule",
    "plan_strategy",
    "requirements",
    "run_demo",
    "run_folder",
]


def forecast(
    history: pd.DataFrame, config: Config, *, start: dt.date | None, horizon_days: int = 7
):
    """Forecast every queue of ``history`` (the configured model, ``auto`` by default).

    Spikes far above a queue's usual peak and stray rows cut off by a gap of weeks are left out
    of training (:func:`wfm.parse.plausibility.without_implausible`); the notes say so.
    """
    import dataclasses

    from forecasts import forecast_history
    from wfm.parse.plausibility import without_implausible

    history, left_out = without_implausible(history)
    result = forecast_history(
        history, horizon_days, start=start, model=config.forecast.model, config=config
    )
    return dataclasses.replace(result, notes=(*left_out, *result.notes)) if left_out else result


def requirements(forecast_frame: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Required agents per queue and interval (:func:`wfm.staffing.requirements`)."""
    from wfm.staffing import requirements as staffing_requirements

    return staffing_requirements(forecast_frame, config)


@dataclass(frozen=True)
class ScheduleRun:
    """A solved schedule: the solver's result, the export frame and the summary.

    ``frame`` is None when there is no schedule (infeasible); ``summary`` always says why.
    ``check`` is the independent hard-rule check of ``frame``
    (:func:`wfm.check.check_schedule`), also in ``summary["check"]``.
    """

    result: Any
    frame: pd.DataFrame | None
    summary: dict
    mode: str  # "shift plan" or "roster"
    check: CheckResult | None = None

    @property
    def coverage(self) -> pd.DataFrame | None:
        return self.result.coverage

    def check_rules(self) -> None:
        """Raise :class:`InfeasibleError` (exit 3) when the schedule breaks a hard rule, naming
        the agent, day and rule of each violation: such a schedule is never written."""
        if self.check is not None and not self.check.ok:
            raise InfeasibleError(
                f"the {self.mode} fails the independent check of the hard rules and is not "
                f"written: {self.check.describe()}"
            )

    def check_acceptable(self, config: Config) -> None:
        """Raise :class:`InfeasibleError` (exit 3) when there is no schedule, or when it is
        understaffed beyond ``rules.understaff_tolerance``; the message names where."""
        result = self.result
        shortfalls = list(result.shortfalls)
        if not result.status.has_solution:
            reasons = "; ".join(
                f"{s.queue} {s.interval_start:%a %Y-%m-%d %H:%M} short {s.short:.2f} ({s.reason})"
                for s in shortfalls[:3]
            )
            raise InfeasibleError(
                f"no schedule: {result.status.value}" + (f"; e.g. {reasons}" if reasons else "")
            )
        short = result.understaff_agent_intervals
        tolerance = config.rules.understaff_tolerance
        if short > tolerance + 1e-9:
            first = shortfalls[0] if shortfalls else None
            detail = (
                f"; first: {first.queue} at {first.interval_start.isoformat()} short "
                f"{first.short:.2f} ({first.reason})"
                if first
                else ""
            )
            raise InfeasibleError(
                f"understaffed by {short:.2f} agent-intervals, beyond the tolerance of "
                f"{tolerance:g} (rules.understaff_tolerance){detail}"
            )


def make_schedule(
    requirements_frame: pd.DataFrame,
    config: Config,
    *,
    week_start: dt.date | None = None,
    agents: pd.DataFrame | None = None,
) -> ScheduleRun:
    """Build and solve the schedule problem: a shift plan, or with ``agents`` a roster."""
    from solvers.problem import problem_from_requirements

    problem = problem_from_requirements(requirements_frame, config, week_start, agents=agents)
    if agents is not None:
        from solvers import roster as solver

        mode = "roster"
        result = solver.solve_problem(problem)
        summary = result.summary()
    else:
        from solvers import shift_plan as solver

        mode = "shift plan"
        strategy = plan_strategy(problem.solver.strategy, problem.rules.distinct_shift_penalty)
        result = solver.solve_problem(
            problem, zero_deviation_first=strategy == "zero_deviation_first"
        )
        summary = {**result.summary(), "strategy": strategy}
    frame = solver.schedule_frame(result) if result.status.has_solution else None
    check = None
    if frame is not None:
        check = check_schedule(frame, config, agents, week_start=problem.axis[0].date())
        summary = {**summary, "check": check.as_dict()}
    return ScheduleRun(result=result, frame=frame, summary=summary, mode=mode, check=check)


def plan_strategy(strategy: str, distinct_shift_penalty: float) -> str:
    """The shift-plan search that ``[solver] strategy`` names, with ``auto`` resolved.

    With a penalty per distinct shift the weighted model's LP bound is weak (the distinct-shift
    indicators relax to tiny fractions), and the exact-coverage restriction, much smaller, finds
    the good plans fast; the full model then starts from the best of them. Without that penalty
    one weighted solve is the better use of the time.
    """
    if strategy != "auto":
        return strategy
    return "zero_deviation_first" if distinct_shift_penalty > 0 else "weighted"


def _has(folder: Path, name: str) -> bool:
    return (folder / name).is_file()


def _first_day(frame: pd.DataFrame) -> dt.date:
    return frame["interval_start"].min().date()


def run_folder(folder: str | os.PathLike, *, out: str | os.PathLike | None = None) -> int:
    """Run the whole chain on a folder (``wfm.toml``, ``history.csv``, ``agents.csv`` and,
    optionally, ``actuals.csv``) and write every stage's file beside them (or into ``out``).

    The planning week is the week of ``actuals.csv`` when there is one, else the day after the
    history. Prints a short summary of each stage; returns the exit code.
    """
    from wfm.compare import compare
    from wfm.io.actuals import read_schedule, write_comparison
    from wfm.io.files import read_config
    from wfm.io.schedule import write_coverage, write_schedule, write_summary
    from wfm.io.tables import (
        read_actuals,
        read_agents,
        read_history,
        write_forecast,
        write_requirements,
    )
    from wfm.kpis import format_kpi_table, kpi_table

    src = Path(folder)
    dst = Path(out) if out is not None else src
    config = read_config(src / "wfm.toml")
    history = read_history(src / "history.csv", config).frame
    agents = (
        read_agents(src / "agents.csv", config).frame if (src / "agents.csv").is_file() else None
    )
    actuals = (
        read_actuals(src / "actuals.csv", config).frame if (src / "actuals.csv").is_file() else None
    )
    week = _first_day(actuals) if actuals is not None else None

    clock = time.perf_counter()
    fc = forecast(history, config, start=week)
    write_forecast(fc.frame, dst / "forecast.csv")
    week = _first_day(fc.frame)
    print(
        f"1. forecast  {week} + 7 days -> {dst / 'forecast.csv'} "
        f"({time.perf_counter() - clock:.1f} s)"
    )
    for _, choice in fc.choices.iterrows():
        wape = choice["backtest_wape"]
        shown = f"backtest WAPE {100 * wape:.1f}%" if pd.notna(wape) else "no backtest"
        total = fc.frame.loc[fc.frame["queue"] == choice["queue"], "offered"].sum()
        print(f"   {choice['queue']:<10} {choice['model']:<24} {shown:<22} offered {total:,.0f}")

    clock = time.perf_counter()
    req = requirements(fc.frame, config)
    write_requirements(req, dst / "requirements.csv")
    peak = req.groupby("interval_start")["agents_gross"].sum().max()
    print(
        f"2. staff     {len(req):,} queue-intervals, peak {peak:.1f} gross agents -> "
        f"{dst / 'requirements.csv'} ({time.perf_counter() - clock:.1f} s)"
    )

    clock = time.perf_counter()
    run = make_schedule(req, config, week_start=week, agents=agents)
    write_summary(run.summary, dst / "summary.json")
    run.check_rules()
    s = run.summary
    print(
        f"3. schedule  {run.mode}: {s['status']}, gap {100 * (s.get('gap') or 0):.2f}%, "
        f"{s['paid_hours']:,.1f} paid hours, cost {s['cost']:,.2f}, "
        f"{s['understaffed_intervals']} understaffed queue-intervals "
        f"({time.perf_counter() - clock:.1f} s)"
    )
    run.check_acceptable(config)
    write_schedule(run.frame, dst / "schedule.csv")
    if run.coverage is not None:
        write_coverage(run.coverage, dst / "coverage.csv")
    print(f"   -> {dst / 'schedule.csv'}, {dst / 'coverage.csv'}, {dst / 'summary.json'}")

    if actuals is None:
        return 0
    clock = time.perf_counter()
    schedule = read_schedule(dst / "schedule.csv", config.site.timezone)
    cost_per_hour = None
    if agents is not None:
        cost_per_hour = dict(
            zip(agents["agent_id"].astype(str), agents["cost_per_hour"].astype(float), strict=True)
        )
    result = compare(
        req, actuals, config, schedule=schedule, forecast=fc.frame, cost_per_hour=cost_per_hour
    )
    write_comparison(result.frame, dst / "comparison.csv")
    print(f"4. compare   -> {dst / 'comparison.csv'} ({time.perf_counter() - clock:.1f} s)")
    print(format_kpi_table(kpi_table(result.frame, "queue"), "queue"))
    return 0


def run_demo(folder: str | os.PathLike) -> int:
    """``wfm demo --run``: the whole chain on the demo folder just written."""
    return run_folder(folder)
