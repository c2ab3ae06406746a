"""Column names of the tidy frames that flow between the stages (one row per queue and interval).

Every frame has ``interval_start`` as a timezone-aware timestamp (the site's zone) and ``queue``.
"""

from __future__ import annotations

__all__ = [
    "ACTUALS_OPTIONAL",
    "AGENTS_OPTIONAL",
    "AGENTS_REQUIRED",
    "COVERAGE_COLUMNS",
    "FORECAST_COLUMNS",
    "FORECAST_FRAME_COLUMNS",
    "FORECAST_OPTIONAL",
    "HISTORY_FRAME_COLUMNS",
    "HISTORY_OPTIONAL",
    "HISTORY_REQUIRED",
    "REQUIREMENTS_COLUMNS",
    "REQUIREMENTS_FRAME_COLUMNS",
    "REQUIREMENTS_OPTIONAL",
    "SCHEDULE_COLUMNS",
    "SCHEDULE_OPTIONAL",
]

#: History and actuals (ACD interval export).
HISTORY_REQUIRED = ("interval_start", "queue", "offered")
HISTORY_OPTIONAL = (
    "channel",
    "interval_minutes",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "handle_time_total_sec",
    "aht_sec",
    "staffed_agents",
    "abandoned_within_threshold",
    "wait_time_answered_total_sec",
)
ACTUALS_OPTIONAL = HISTORY_OPTIONAL
#: Column order of a parsed history / actuals frame (absent optional columns are NaN).
HISTORY_FRAME_COLUMNS = (*HISTORY_REQUIRED[:2], *HISTORY_OPTIONAL[:2], "offered",
                         *HISTORY_OPTIONAL[2:])  # fmt: skip

#: Forecast: volume and AHT per queue and interval (+ 80% prediction interval on volume).
FORECAST_COLUMNS = ("interval_start", "queue", "channel", "offered", "aht_sec")
FORECAST_OPTIONAL = ("interval_minutes", "offered_lo", "offered_hi", "model", "adjustment_pct")
#: Column order of a forecast frame as the forecasting stage returns it.
FORECAST_FRAME_COLUMNS = (*FORECAST_COLUMNS[:3], "interval_minutes", *FORECAST_COLUMNS[3:],
                          *FORECAST_OPTIONAL[1:])  # fmt: skip

#: Requirements: what staffing needs per queue and interval. ``workload_erl`` and the agent
#: columns stay fractional where the maths makes them so (deferrable work); queues are only
#: rounded inside the integer program.
REQUIREMENTS_COLUMNS = (
    "interval_start",
    "queue",
    "channel",
    "offered",
    "aht_sec",
    "workload_erl",
    "agents_net",
    "agents_gross",
    "expected_service_level",
    "expected_asa_sec",
    "occupancy",
)
REQUIREMENTS_OPTIONAL = ("interval_minutes",)
#: Column order of a requirements frame as the staffing stage returns it.
REQUIREMENTS_FRAME_COLUMNS = (*REQUIREMENTS_COLUMNS[:3], "interval_minutes",
                              *REQUIREMENTS_COLUMNS[3:])  # fmt: skip

AGENTS_REQUIRED = (
    "agent_id",
    "name",
    "skills",
    "team",
    "min_hours_week",
    "max_hours_week",
    "cost_per_hour",
)
#: ``available_days`` ("Mon|Tue|..."), ``available_from``/``available_until`` ("HH:MM"),
#: ``preferred_shifts`` (template names, "|"-separated), ``contract`` (label, e.g. full-time).
AGENTS_OPTIONAL = (
    "available_days",
    "available_from",
    "available_until",
    "preferred_shifts",
    "preferred_days_off",
    "contract",
)

SCHEDULE_COLUMNS = (
    "agent_id",
    "agent_name",
    "team",
    "date",
    "shift_start",
    "shift_end",
    "activity",
    "activity_start",
    "activity_end",
    "paid",
    "queue",
)

#: ``share``: the share of the agent's time in the segment spent on ``queue`` (a multi-skilled
#: agent splits an interval between queues; 1.0 when absent).
SCHEDULE_OPTIONAL = ("share",)

COVERAGE_COLUMNS = ("interval_start", "queue", "required", "scheduled", "gap")
