"""Planners' manual forecast adjustments kept in the workspace (beside ``[[adjustments]]``
in ``wfm.toml``): a percent on the forecast volume over a date range, for one queue or all."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa

from wfm.config import Adjustment, Config
from wfm.errors import InputError
from wfm.store import schema
from wfm.store.workspace import Workspace, bump_revisions, now_utc

__all__ = ["add_adjustment", "list_adjustments", "with_adjustments"]


def add_adjustment(
    ws: Workspace,
    *,
    start: dt.date,
    end: dt.date,
    percent: float,
    queue: str = "",
    note: str = "",
) -> Adjustment:
    """Validate and store an adjustment (``queue`` empty: every queue)."""
    adjustment = Adjustment(start=start, end=end, percent=float(percent), queue=queue, note=note)
    if queue and queue not in ws.config.queue_names:
        raise InputError(
            f"unknown queue {queue!r}; known: {', '.join(ws.config.queue_names)}", column="queue"
        )
    with ws.begin() as conn:
        conn.execute(
            schema.adjustments.insert().values(
                queue=queue or "*",
                start_date=start.isoformat(),
                end_date=end.isoformat(),
                percent=float(percent),
                note=note,
                created_at=now_utc(),
            )
        )
        bump_revisions(conn, "adjustments")
    return adjustment


def list_adjustments(ws: Workspace) -> list[Adjustment]:
    """The stored adjustments, oldest first."""
    table = schema.adjustments
    with ws.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.adjustment_id)).all()
    return [
        Adjustment(
            start=dt.date.fromisoformat(r.start_date),
            end=dt.date.fromisoformat(r.end_date),
            percent=r.percent,
            queue="" if r.queue == "*" else r.queue,
            note=r.note,
        )
        for r in rows
    ]


def with_adjustments(config: Config, adjustments: list[Adjustment]) -> Config:
    """``config`` with the workspace's adjustments after those of ``wfm.toml``."""
    if not adjustments:
        return config
    calendar = dataclasses.replace(
        config.calendar, adjustments=(*config.calendar.adjustments, *adjustments)
    )
    return dataclasses.replace(config, calendar=calendar)
