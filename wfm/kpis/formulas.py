"""The KPI formulas: each KPI as the ratio of two additive quantities, defined once.

Each function takes the quantities for one interval or summed over any group and returns the
ratio (NaN where the denominator is zero or missing).
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

from wfm.errors import InputError

__all__ = [
    "SL_DEFINITIONS",
    "SlDefinition",
    "abandonment_rate",
    "aht_wape",
    "asa_sec",
    "cost_per_contact",
    "deadline_components",
    "occupancy",
    "response_within_deadline",
    "schedule_adherence",
    "service_level",
    "staff_hours_ratio",
    "volume_wape",
]

#: How abandoned contacts enter the service level (see :func:`service_level`).
SlDefinition = Literal["offered", "answered", "offered_less_short_abandons", "short_abandons_met"]
SL_DEFINITIONS: tuple[str, ...] = get_args(SlDefinition)


def _ratio(numerator, denominator):
    """``numerator / denominator``, NaN where the denominator is zero or missing."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out if out.ndim else float(out)


def service_level(
    answered_within_threshold,
    offered,
    *,
    answered=None,
    abandoned_within_threshold=None,
    definition: SlDefinition = "offered",
):
    r"""Service level: the share of contacts answered within the threshold.

    Four definitions are in use in the industry; they differ only in how abandoned contacts
    count. With :math:`W` answered within the threshold, :math:`O` offered, :math:`N` answered
    and :math:`S` abandoned within the threshold ("short abandons"):

    ``"offered"`` (default, the definition the Erlang formulas predict, and the one the
    requirements use)
        :math:`SL = W / O`: every abandoned contact counts as a miss.
    ``"answered"``
        :math:`SL = W / N`: abandoned contacts are ignored (flatters a centre with high
        abandonment).
    ``"offered_less_short_abandons"``
        :math:`SL = W / (O - S)`: contacts that abandon within the threshold are removed from
        the count, later abandons are misses (common ACD default, e.g. Avaya "SL% type 3").
    ``"short_abandons_met"``
        :math:`SL = (W + S) / O`: short abandons count as answered in time.

    Source: B. Cleveland, *Call Center Management on Fast Forward* (4th ed., 2019), ch. 4,
    "Service level calculations".

    Parameters
    ----------
    answered_within_threshold, offered
        Counts, per interval or summed over a group (arrays broadcast).
    answered
        Needed for ``"answered"``.
    abandoned_within_threshold
        Needed for the two short-abandon definitions.
    definition
        One of :data:`SL_DEFINITIONS`.

    Returns
    -------
    The service level in [0, 1]; NaN where the denominator is zero.
    """
    if definition not in SL_DEFINITIONS:
        raise InputError(
            f"unknown service-level definition {definition!r}; use {', '.join(SL_DEFINITIONS)}"
        )
    within = np.asarray(answered_within_threshold, dtype=float)
    offered = np.asarray(offered, dtype=float)
    if definition == "offered":
        return _ratio(within, offered)
    if definition == "answered":
        if answered is None:
            raise InputError("service level per answered contact needs the answered counts")
        return _ratio(within, answered)
    if abandoned_within_threshold is None:
        raise InputError(
            f"service-level definition {definition!r} needs abandoned_within_threshold"
        )
    short = np.asarray(abandoned_within_threshold, dtype=float)
    if definition == "offered_less_short_abandons":
        return _ratio(within, offered - short)
    return _ratio(within + short, offered)


def asa_sec(wait_time_answered_total_sec, answered):
    r"""Average speed of answer (seconds): :math:`ASA = \sum w_i / N`.

    :math:`w_i` is the time answered contact :math:`i` waited in queue, :math:`N` the number of
    answered contacts. Abandoned contacts are excluded (their waiting time is not a speed of
    answer); contacts routed straight to an agent count with zero wait.
    """
    return _ratio(wait_time_answered_total_sec, answered)


def abandonment_rate(abandoned, offered):
    r"""Abandonment rate: :math:`A / O`, abandoned over offered contacts (offered includes the
    abandoned ones). Short abandons are counted; subtract them from both before calling to
    exclude them."""
    return _ratio(abandoned, offered)


def occupancy(handle_time_total_sec, capacity_time_sec):
    r"""Occupancy: :math:`\sum h_i / \sum c\,T_s`, handle time over contact capacity.

    Handle time is attributed to the interval the contact arrived in (what interval data
    give); the capacity is the staffed time (``staffed agents x interval length``, agents
    counted time-weighted: available, on contact, after-contact work) times the contacts one
    agent handles at once, ``c``: 1 for voice, the queue's ``concurrency`` for chat. Chat
    occupancy is so the share of chat slots in use, at most 1 like voice occupancy.
    """
    return _ratio(handle_time_total_sec, capacity_time_sec)


def volume_wape(abs_error, actual):
    r"""Forecast accuracy of volume, weighted absolute percentage error:
    :math:`WAPE = \sum_i |a_i - f_i| / \sum_i a_i` over the intervals with a forecast.

    Summing errors and actuals before dividing weights each interval by its volume, so quiet
    night intervals do not dominate as they do in the MAPE. Lower is better; 0 is perfect.
    """
    return _ratio(abs_error, actual)


def aht_wape(handle_time_abs_error_sec, handle_time_total_sec):
    r"""Forecast accuracy of AHT, volume-weighted WAPE:
    :math:`\sum_i N_i |\bar h_i - \hat h_i| / \sum_i N_i \bar h_i`.

    :math:`N_i` answered contacts, :math:`\bar h_i` actual AHT and :math:`\hat h_i` forecast AHT
    in interval :math:`i`. Weighting by the answered contacts makes it the error in total handle
    time that the AHT error causes, relative to the actual handle time.
    """
    return _ratio(handle_time_abs_error_sec, handle_time_total_sec)


def response_within_deadline(within_deadline, due):
    r"""Email / back-office response KPI: the share of items answered within the deadline,
    :math:`R = D_{ok} / D`, from the counts of :func:`deadline_components`."""
    return _ratio(within_deadline, due)


def cost_per_contact(cost, answered):
    r"""Cost per contact: paid staff cost over handled (answered) contacts, :math:`C / N`."""
    return _ratio(cost, answered)


def staff_hours_ratio(actual_hours, scheduled_hours):
    r"""Actual over scheduled staff hours, :math:`H_a / H_s` (1 = as planned; below 1 = fewer
    agent-hours delivered than scheduled)."""
    return _ratio(actual_hours, scheduled_hours)


def schedule_adherence(adherent_sec, scheduled_sec):
    r"""Schedule adherence: :math:`\sum t_{in} / \sum t_{sched}`.

    :math:`t_{sched}` is the time an agent was scheduled for an activity (work, break, lunch;
    days off and time outside shifts are not counted), :math:`t_{in}` the part of it the agent
    spent in a state that matches that activity (see
    :func:`wfm.agent_states.adherence_components`); time with no state logged is out of
    adherence. Source: Cleveland (2019), ch. 10, "adherence to schedule".
    """
    return _ratio(adherent_sec, scheduled_sec)


def deadline_components(
    arrived,
    answered,
    interval_minutes: float,
    deadline_hours: float,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Per arrival interval: items answered within the deadline, and items due.

    Interval data give arrivals and answers per interval, not per item, so items are matched
    first-in first-out: the :math:`k`-th item to arrive is the :math:`k`-th to be answered.
    With cumulative arrivals :math:`A_i` and cumulative answers :math:`D_j` (both up to the end
    of interval :math:`j`), the cohort arriving in interval :math:`i` is the items
    :math:`(A_{i-1}, A_i]`, and the part of it answered by the end of interval :math:`j` is
    :math:`\mathrm{clip}(D_j - A_{i-1}, 0, a_i)`.

    An item counts as answered in time when its answer interval is at most
    :math:`L = \lfloor \text{deadline} / \Delta \rfloor` intervals after its arrival interval
    (ages measured midpoint to midpoint), so
    ``within_i = clip(D_{i+L} - A_{i-1}, 0, a_i)``. A cohort is *due* when interval
    :math:`i + L` lies inside the data; later cohorts are left out (``due = 0``) because their
    outcome is not known yet. Items answered in excess of the arrivals so far are taken as a
    backlog that was open before the first interval (it is answered first, FIFO):
    :math:`B_0 = \max(0, \max_j (D_j - A_j))` is subtracted from :math:`D`.

    Parameters
    ----------
    arrived, answered
        Counts per consecutive interval of one queue (same length, no gaps).
    interval_minutes, deadline_hours
        Interval length and the deadline.

    Returns
    -------
    ``(within_deadline, due)`` arrays, one value per interval (the arrival cohort).
    """
    a = np.nan_to_num(np.asarray(arrived, dtype=float))
    d = np.nan_to_num(np.asarray(answered, dtype=float))
    if a.shape != d.shape:
        raise ValueError("arrived and answered need the same length")
    n = a.size
    if n == 0:
        return np.zeros(0), np.zeros(0)
    cum_a = np.cumsum(a)
    cum_d = np.cumsum(d)
    backlog = max(0.0, float(np.max(cum_d - cum_a)))
    cum_d = np.maximum(cum_d - backlog, 0.0)
    lag = int(np.floor(deadline_hours * 60.0 / interval_minutes + 1e-9))
    before = np.concatenate(([0.0], cum_a[:-1]))  # A_{i-1}
    idx = np.arange(n) + lag
    known = idx < n
    done = cum_d[np.minimum(idx, n - 1)]
    within = np.where(known, np.clip(done - before, 0.0, a), 0.0)
    due = np.where(known, a, 0.0)
    return within, due
