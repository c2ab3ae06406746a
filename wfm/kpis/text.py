"""KPIs as text: one value, or a :func:`~wfm.kpis.kpi_table` result as an aligned table."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["format_kpi", "format_kpi_table"]


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
