"""What the dashboard's pages show, as pure functions over a workspace and its frames (no
``streamlit`` here: the pages in ``wfm_app/pages`` only lay these out).

======================  ====================================================================
page                    module
======================  ====================================================================
Overview                :mod:`wfm.views.week` (the week's comparison, KPI tiles, worst
                        intervals)
Forecast                :mod:`wfm.views.forecast`
Staffing                :mod:`wfm.views.staffing`
Intraday                :mod:`wfm.views.day` (one day of one queue)
Schedule                :mod:`wfm.views.versions`, :mod:`wfm.views.timeline` (timeline and
                        coverage), :mod:`wfm.views.jobs` (the weekly job)
Agents                  :mod:`wfm.views.agents`
Data                    :mod:`wfm.views.data`
======================  ====================================================================

Conventions
-----------
* A week's *current version* is its latest published version, else its latest draft.
* FTE: required gross agent-hours over the week divided by :data:`FTE_HOURS` contracted hours
  per full-time equivalent (``agents_gross`` covers shrinkage, so these are paid hours).
* Times keep the site's time zone; :func:`wall_clock` gives the local clock as naive times for
  charts (Vega-Lite would otherwise show them on the browser's clock), so a chart reads the
  same whatever the browser's time zone.
"""

from wfm.views.agents import (
    AVAILABILITY_COLUMNS,
    agent_roster,
    availability_csv,
    availability_frame,
    preference_totals,
    save_availability,
    shift_templates,
)
from wfm.views.common import wall_clock, week_days
from wfm.views.data import import_upload
from wfm.views.day import below_target, intraday, shortfall_reasons
from wfm.views.forecast import (
    PlanForecast,
    backtest_table,
    chosen_models,
    day_totals,
    history_window,
    plan_forecast,
)
from wfm.views.jobs import (
    RUNS_FOLDER,
    log_tail,
    roster_busy,
    run_progress,
    start_roster_process,
    stop_run,
    week_runs,
)
from wfm.views.staffing import (
    FTE_HOURS,
    fte_by_queue,
    required_fte,
    required_hours,
    what_if_requirements,
)
from wfm.views.timeline import (
    BREAK_COLOURS,
    agents_shown,
    coverage_chart,
    coverage_frame,
    filter_schedule,
    gantt_chart,
    gantt_frame,
    worst_gaps,
)
from wfm.views.versions import version_label, versions_table
from wfm.views.week import (
    KPI_TILES,
    Overview,
    current_version,
    kpi_tiles,
    overview,
    week_comparison,
    week_kpis,
    worst_table,
)

__all__ = [
    "AVAILABILITY_COLUMNS",
    "BREAK_COLOURS",
    "FTE_HOURS",
    "KPI_TILES",
    "RUNS_FOLDER",
    "Overview",
    "PlanForecast",
    "agent_roster",
    "agents_shown",
    "availability_csv",
    "availability_frame",
    "backtest_table",
    "below_target",
    "chosen_models",
    "coverage_chart",
    "coverage_frame",
    "current_version",
    "day_totals",
    "filter_schedule",
    "fte_by_queue",
    "gantt_chart",
    "gantt_frame",
    "history_window",
    "import_upload",
    "intraday",
    "kpi_tiles",
    "log_tail",
    "overview",
    "plan_forecast",
    "preference_totals",
    "required_fte",
    "required_hours",
    "roster_busy",
    "run_progress",
    "save_availability",
    "shift_templates",
    "shortfall_reasons",
    "start_roster_process",
    "stop_run",
    "version_label",
    "versions_table",
    "wall_clock",
    "week_comparison",
    "week_days",
    "week_kpis",
    "week_runs",
    "what_if_requirements",
    "worst_gaps",
    "worst_table",
]
