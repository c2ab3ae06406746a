"""Scheduled against actual: the per-interval comparison frame.

One row per interval and queue of the plan (the requirements), with what was forecast, required,
scheduled and what really happened, and what the Erlang model expects from the scheduled and
from the actual staff:

=============================  ==============================================================
column                         meaning
=============================  ==============================================================
``offered_forecast``           contacts forecast (the requirements' ``offered``, or the
                               forecast file's when one is given)
``aht_forecast_sec``           forecast AHT
``offered``, ``answered``,     actual counts (actuals CSV)
``abandoned``,
``answered_within_threshold``
``aht_sec``                    actual AHT
``agents_required_net``        agents on contacts the requirement needs (``agents_net``)
``agents_required_gross``      the same with shrinkage (``agents_gross``): what the schedule
                               must cover
``agents_scheduled``           agents at work in the schedule, time-weighted per queue
``agents_scheduled_net``       ``agents_scheduled * (1 - shrinkage)``: expected on contacts
``agents_actual``              staffed agents (logged in, available / on contact / ACW), from
                               the actuals or from the agent-state log, time-weighted
``gap_scheduled``              ``agents_scheduled - agents_required_gross`` (+ over, - under)
``gap_actual``                 ``agents_actual - agents_required_net`` (+ over, - under)
``sl_target``                  the queue's service-level target (threshold ``threshold_sec``)
``sl_expected_required``       expected SL of the requirement (requirements file)
``sl_expected_scheduled``      expected SL with the scheduled net agents and the forecast
``sl_expected_actual``         expected SL with the actual staffed agents and the actual
                               volume and AHT
``sl_actual``                  answered within threshold / offered (see
                               :func:`wfm.kpis.service_level` for the other definitions)
``asa_*_sec``                  ASA expected (scheduled / actual staff) and actual
``abandon_rate_*``             abandonment rate expected (Erlang A only; NaN with Erlang C,
                               which assumes nobody abandons) and actual
``contacts_short_of_target``   ``sl_target * offered - answered_within_threshold``: contacts
                               that would have had to be answered in time to meet the target
                               (> 0: missed)
=============================  ==============================================================

Expected values use Erlang C, or Erlang A when the queue has ``patience_sec`` (via
:mod:`wfm.erlang`); for chat the servers are ``agents * concurrency``. Deferrable channels
(email, back office, outbound) have no expected service level; their timeliness is the
response-within-deadline KPI. Staffed agents are fractional (time-weighted), so the expected
values are interpolated linearly between the two neighbouring whole numbers of agents:
``f(n) = (1 - w) f(floor n) + w f(ceil n)``, ``w = n - floor n``.

Modules: :mod:`wfm.compare.comparison` (the frame), :mod:`wfm.compare.schedule` (the schedule
export on the interval grid), :mod:`wfm.compare.expected` (expected service).
"""

from wfm.compare.comparison import COMPARISON_COLUMNS, Comparison, compare, worst_intervals
from wfm.compare.expected import expected_service
from wfm.compare.schedule import schedule_coverage, schedule_pieces

__all__ = [
    "COMPARISON_COLUMNS",
    "Comparison",
    "compare",
    "expected_service",
    "schedule_coverage",
    "schedule_pieces",
    "worst_intervals",
]
