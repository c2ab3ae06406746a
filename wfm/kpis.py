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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd

from wfm.config import DEFERRABLE_CHANNELS
from wfm.errors import InputError

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


#: Additive columns that :func:`kpi_table` sums per group before dividing.
ADDITIVE_COLUMNS = (
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "abandoned_within_threshold",
    "handle_time_total_sec",
    "wait_time_answered_total_sec",
    "staffed_time_sec",
    "capacity_time_sec",
    "actual_hours",
    "scheduled_hours",
    "volume_abs_error",
    "volume_actual_with_forecast",
    "handle_time_abs_error_sec",
    "handle_time_with_forecast_sec",
    "email_due",
    "email_within_deadline",
    "cost",
    "adherent_sec",
    "adherence_scheduled_sec",
)

#: The KPI columns of :func:`kpi_table`, in order.
KPI_COLUMNS = (
    "service_level",
    "asa_sec",
    "abandonment_rate",
    "occupancy",
    "volume_wape",
    "aht_wape",
    "response_within_deadline",
    "cost_per_contact",
    "scheduled_hours",
    "actual_hours",
    "staff_hours_ratio",
    "schedule_adherence",
)


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def additive_components(frame: pd.DataFrame) -> pd.DataFrame:
    """The additive quantities of :data:`ADDITIVE_COLUMNS` for each row of ``frame``.

    The service level uses ``sl_offered``, ``sl_answered``, ``sl_within``, ``sl_short``: the
    counts of the live channels only when the frame has a ``channel`` column (email, back-office
    and outbound rows have no service level; their timeliness is
    :func:`response_within_deadline`).

    Derived ones: ``staffed_time_sec = agents_actual * interval_minutes * 60`` and
    ``capacity_time_sec = staffed_time_sec * concurrency`` (1 where the frame has none);
    ``actual_hours`` and ``scheduled_hours`` are agents times interval hours; forecast errors
    only where both the forecast and the actual exist (so WAPE compares like with like):
    ``volume_abs_error = |offered - offered_forecast|``, ``handle_time_abs_error_sec =
    answered * |aht_sec - aht_forecast_sec|``.
    """
    out = pd.DataFrame(index=frame.index)
    for name in ADDITIVE_COLUMNS:
        out[name] = _col(frame, name)
    out["sl_offered"], out["sl_answered"], out["sl_within"], out["sl_short"] = (
        out["offered"],
        out["answered"],
        out["answered_within_threshold"],
        out["abandoned_within_threshold"],
    )
    if "channel" in frame.columns:
        # deferrable work (email, back office, outbound) has no live service level
        live = ~frame["channel"].isin(DEFERRABLE_CHANNELS)
        for name in ("sl_offered", "sl_answered", "sl_within", "sl_short"):
            out[name] = out[name].where(live)
    minutes = _col(frame, "interval_minutes")
    # the comparison frame's agents_actual, or an actuals frame's staffed_agents
    actual = _col(frame, "agents_actual").fillna(_col(frame, "staffed_agents"))
    scheduled = _col(frame, "agents_scheduled")
    out["staffed_time_sec"] = actual * minutes * 60.0
    concurrency = _col(frame, "concurrency").fillna(1.0)
    out["capacity_time_sec"] = out["staffed_time_sec"] * concurrency
    out["actual_hours"] = actual * minutes / 60.0
    out["scheduled_hours"] = scheduled * minutes / 60.0
    offered, forecast = out["offered"], _col(frame, "offered_forecast")
    both = offered.notna() & forecast.notna()
    out["volume_abs_error"] = (offered - forecast).abs().where(both)
    out["volume_actual_with_forecast"] = offered.where(both)
    answered = out["answered"]
    aht = _col(frame, "aht_sec")
    if aht.isna().all():
        aht = out["handle_time_total_sec"] / answered.where(answered > 0)
    aht_fc = _col(frame, "aht_forecast_sec")
    ok = (answered > 0) & aht.notna() & aht_fc.notna()
    out["handle_time_abs_error_sec"] = (answered * (aht - aht_fc).abs()).where(ok)
    out["handle_time_with_forecast_sec"] = (answered * aht).where(ok)
    return out


_GROUPINGS = ("interval", "day", "week", "queue", "total")


def _group_keys(frame: pd.DataFrame, by: Sequence[str]) -> list[pd.Series]:
    keys = []
    for level in by:
        if level not in _GROUPINGS:
            raise InputError(f"unknown KPI grouping {level!r}; use {', '.join(_GROUPINGS)}")
        if level == "total":
            continue
        if level == "queue":
            keys.append(frame["queue"].astype(str).rename("queue"))
            continue
        start = frame["interval_start"]
        if level == "interval":
            keys.append(start.rename("interval_start"))
            continue
        local = start.dt.tz_localize(None) if start.dt.tz is not None else start
        day = local.dt.normalize()
        if level == "day":
            keys.append(day.dt.date.rename("day"))
        else:  # ISO week, named by its Monday
            monday = day - pd.to_timedelta(day.dt.dayofweek, unit="D")
            keys.append(monday.dt.date.rename("week"))
    return keys


def kpi_table(
    frame: pd.DataFrame,
    by: str | Sequence[str] = "total",
    *,
    sl_definition: SlDefinition = "offered",
) -> pd.DataFrame:
    """The KPIs of :data:`KPI_COLUMNS` per group, weighted correctly.

    Parameters
    ----------
    frame
        One row per interval and queue (see the module docstring for the columns).
    by
        ``"total"``, or one or more of ``"interval"``, ``"day"``, ``"week"``, ``"queue"``
        (days and weeks on the site's local clock; weeks start on Monday).
    sl_definition
        How abandoned contacts count in the service level (:func:`service_level`).

    Returns
    -------
    One row per group: the group keys, the summed additive quantities and the KPIs. Every KPI is
    computed from the group's sums (numerators and denominators summed first), never as an
    average of per-interval ratios.
    """
    levels = [by] if isinstance(by, str) else list(by)
    comps = additive_components(frame)
    keys = _group_keys(frame, levels)
    if keys:
        sums = comps.groupby(keys, sort=True, dropna=False).sum(min_count=1).reset_index()
    else:
        sums = comps.sum(min_count=1).to_frame().T
        sums.insert(0, "group", "total")
    out = sums
    out["service_level"] = service_level(
        out["sl_within"],
        out["sl_offered"],
        answered=out["sl_answered"],
        abandoned_within_threshold=out["sl_short"],
        definition=sl_definition,
    )
    out["asa_sec"] = asa_sec(out["wait_time_answered_total_sec"], out["answered"])
    out["abandonment_rate"] = abandonment_rate(out["abandoned"], out["offered"])
    out["occupancy"] = occupancy(out["handle_time_total_sec"], out["capacity_time_sec"])
    out["volume_wape"] = volume_wape(out["volume_abs_error"], out["volume_actual_with_forecast"])
    out["aht_wape"] = aht_wape(
        out["handle_time_abs_error_sec"], out["handle_time_with_forecast_sec"]
    )
    out["response_within_deadline"] = response_within_deadline(
        out["email_within_deadline"], out["email_due"]
    )
    out["cost_per_contact"] = cost_per_contact(out["cost"], out["answered"])
    out["staff_hours_ratio"] = staff_hours_ratio(out["actual_hours"], out["scheduled_hours"])
    out["schedule_adherence"] = schedule_adherence(
        out["adherent_sec"], out["adherence_scheduled_sec"]
    )
    return out


# ----------------------------------------------------------------------------- text output


def format_kpi(value, kind: str) -> str:
    """One KPI value as text: ``pct``, ``sec``, ``money`` or a count; ``-`` when missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "-"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "sec":
        return f"{value:.1f}"
    if kind == "money":
        return f"{value:.2f}"
    return f"{value:,.0f}"


_TEXT_COLUMNS = (
    ("offered", "offered", "int"),
    ("answered", "answered", "int"),
    ("service_level", "SL", "pct"),
    ("asa_sec", "ASA s", "sec"),
    ("abandonment_rate", "aband", "pct"),
    ("occupancy", "occ", "pct"),
    ("volume_wape", "WAPE vol", "pct"),
    ("aht_wape", "WAPE AHT", "pct"),
    ("response_within_deadline", "in deadline", "pct"),
    ("cost_per_contact", "cost/contact", "money"),
    ("scheduled_hours", "sched h", "int"),
    ("actual_hours", "actual h", "int"),
    ("staff_hours_ratio", "act/sched", "pct"),
    ("schedule_adherence", "adherence", "pct"),
)


def format_kpi_table(kpis: pd.DataFrame, key: str) -> str:
    """A :func:`kpi_table` result as an aligned text table (columns with no value left out)."""
    cols = [(c, label, kind) for c, label, kind in _TEXT_COLUMNS if kpis[c].notna().any()]
    rows = [[str(k) for k in kpis[key]]]
    headers = [key]
    for c, label, kind in cols:
        headers.append(label)
        rows.append([format_kpi(v, kind) for v in kpis[c]])
    widths = [max(len(h), *(len(v) for v in col)) for h, col in zip(headers, rows, strict=True)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    for i in range(len(kpis)):
        lines.append("  ".join(col[i].rjust(w) for col, w in zip(rows, widths, strict=True)))
    return "\n".join(lines)
