"""Contact-centre KPIs, each defined in one place, and their correct aggregation.

Every KPI here is a ratio of two *additive* quantities (counts, seconds, money). The functions
below take those quantities -- for one interval or summed over any group -- and return the
ratio. :func:`kpi_table` sums the numerators and the denominators per day, week, queue (or the
total) and only then divides, so a busy interval weighs more than a quiet one; ratios are never
averaged.

Input frame (one row per interval and queue; the comparison frame of :mod:`wfm.compare` has all
of these, an actuals frame most of them). Missing columns simply leave their KPIs empty.

``interval_start`` (tz-aware), ``queue``, ``interval_minutes``, ``offered``, ``answered``,
``abandoned``, ``answered_within_threshold``, optionally ``abandoned_within_threshold``,
``handle_time_total_sec``, ``wait_time_answered_total_sec`` (total queue time of the answered
contacts, for the ASA), ``agents_actual`` (staffed agents, time-weighted; an actuals frame's
``staffed_agents`` where absent), ``agents_scheduled``,
``offered_forecast``, ``aht_forecast_sec``, ``cost``, ``email_due``, ``email_within_deadline``
(see :func:`deadline_components`), ``adherent_sec`` and ``adherence_scheduled_sec`` (see
:func:`wfm.agent_states.adherence_by_interval`).

Modules: :mod:`wfm.kpis.formulas` (one function per KPI), :mod:`wfm.kpis.table` (the
aggregation) and :mod:`wfm.kpis.text` (text output).
"""

from wfm.kpis.formulas import (
    SL_DEFINITIONS,
    SlDefinition,
    abandonment_rate,
    aht_wape,
    asa_sec,
    cost_per_contact,
    deadline_components,
    occupancy,
    response_within_deadline,
    schedule_adherence,
    service_level,
    staff_hours_ratio,
    volume_wape,
)
from wfm.kpis.table import ADDITIVE_COLUMNS, KPI_COLUMNS, additive_components, kpi_table
from wfm.kpis.text import format_kpi, format_kpi_table

__all__ = [
    "ADDITIVE_COLUMNS",
    "KPI_COLUMNS",
    "SL_DEFINITIONS",
    "SlDefinition",
    "abandonment_rate",
    "additive_components",
    "aht_wape",
    "asa_sec",
    "cost_per_contact",
    "deadline_components",
    "format_kpi",
    "format_kpi_table",
    "kpi_table",
    "occupancy",
    "response_within_deadline",
    "schedule_adherence",
    "service_level",
    "staff_hours_ratio",
    "volume_wape",
]
