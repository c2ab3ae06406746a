"""The week's versions as a table, and a version's label."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = [
    "version_label",
    "versions_table",
]


def version_label(version) -> str:
    """``"version 2 (draft)"``: how a version is named in choosers and buttons."""
    return f"version {version.version} ({version.status})"


def versions_table(versions: Sequence, timezone: str) -> pd.DataFrame:
    """One row per version: the figures a planner compares before publishing.

    Parameters
    ----------
    versions
        :class:`wfm.store.versions.Version` objects.
    timezone
        The site's zone, for the creation time.

    Returns
    -------
    pandas.DataFrame
        Columns ``version, status, solver status, gap %, cost, paid hours, understaffed
        intervals, created`` (created as ``YYYY-MM-DD HH:MM`` on the site's clock).
    """
    rows = []
    for v in versions:
        created = pd.Timestamp(v.created_at).tz_convert(timezone).strftime("%Y-%m-%d %H:%M")
        rows.append(
            {
                "version": v.version,
                "status": v.status,
                "solver status": v.solver_status,
                "gap %": None if v.gap is None else round(100 * float(v.gap), 2),
                "cost": round(float(v.cost), 2),
                "paid hours": round(float(v.paid_hours), 1),
                "understaffed intervals": int(v.understaffed_intervals),
                "created": created,
            }
        )
    columns = [
        "version",
        "status",
        "solver status",
        "gap %",
        "cost",
        "paid hours",
        "understaffed intervals",
        "created",
    ]
    return pd.DataFrame(rows, columns=columns)
