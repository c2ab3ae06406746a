"""Read what a workspace holds back as the frames the stages take."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from wfm.store import schema
from wfm.store.frames import agents_frame, interval_frame, states_frame
from wfm.store.workspace import Workspace

__all__ = [
    "data_ranges",
    "load_actuals",
    "load_agent_states",
    "load_agents",
    "load_history",
    "recent_imports",
    "row_counts",
]


def _epoch(day: dt.date, timezone: str) -> int:
    return int(pd.Timestamp(day).tz_localize(timezone).tz_convert("UTC").timestamp())


def _frame(ws: Workspace, query) -> pd.DataFrame:
    with ws.connect() as conn:
        result = conn.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _intervals(
    ws: Workspace, table: sa.Table, start: dt.date | None, end: dt.date | None
) -> pd.DataFrame:
    tz = ws.config.site.timezone
    query = sa.select(*(c for c in table.c if c.name != "import_id"))
    t = table.c.interval_start_epoch_sec
    if start is not None:
        query = query.where(t >= _epoch(start, tz))
    if end is not None:
        query = query.where(t < _epoch(end, tz))
    return interval_frame(_frame(ws, query), tz)


def load_history(
    ws: Workspace, *, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """The history frame, optionally only the local days ``start <= day < end``."""
    return _intervals(ws, schema.history, start, end)


def load_actuals(
    ws: Workspace, *, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """The actuals frame (same columns as the history), optionally for ``[start, end)``."""
    return _intervals(ws, schema.actuals, start, end)


def load_agents(ws: Workspace) -> pd.DataFrame:
    """The agents frame as :func:`wfm.parse.parse_agents` gives it."""
    table = schema.agents
    return agents_frame(_frame(ws, sa.select(*(c for c in table.c if c.name != "import_id"))))


def load_agent_states(
    ws: Workspace, *, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """The agent-state log, optionally only records overlapping the local days [start, end)."""
    tz = ws.config.site.timezone
    table = schema.agent_states
    query = sa.select(*(c for c in table.c if c.name != "import_id"))
    if start is not None:
        query = query.where(table.c.end_epoch_sec > _epoch(start, tz))
    if end is not None:
        query = query.where(table.c.start_epoch_sec < _epoch(end, tz))
    return states_frame(_frame(ws, query), tz)


def row_counts(ws: Workspace) -> dict[str, int]:
    """Rows per data table (what an import may change)."""
    with ws.connect() as conn:
        return {
            name: int(
                conn.execute(sa.select(sa.func.count()).select_from(schema.tables[name])).scalar()
            )
            for name in ("history", "actuals", "agents", "agent_states", "imports")
        }


def data_ranges(ws: Workspace) -> pd.DataFrame:
    """Per data kind and queue: first and last interval (local) and rows."""
    tz = ws.config.site.timezone
    parts = []
    for kind, table in (("history", schema.history), ("actuals", schema.actuals)):
        t = table.c.interval_start_epoch_sec
        query = sa.select(
            table.c.queue, table.c.channel, sa.func.min(t), sa.func.max(t), sa.func.count()
        ).group_by(table.c.queue, table.c.channel)
        with ws.connect() as conn:
            for queue, channel, low, high, n in conn.execute(query):
                parts.append(
                    {
                        "kind": kind,
                        "queue": queue,
                        "channel": channel,
                        "first": pd.Timestamp(low, unit="s", tz="UTC").tz_convert(tz),
                        "last": pd.Timestamp(high, unit="s", tz="UTC").tz_convert(tz),
                        "rows": int(n),
                    }
                )
    return pd.DataFrame(parts, columns=["kind", "queue", "channel", "first", "last", "rows"])


def recent_imports(ws: Workspace, limit: int = 10) -> pd.DataFrame:
    """The last imports, newest first."""
    table = schema.imports
    return _frame(ws, sa.select(*table.c).order_by(table.c.import_id.desc()).limit(limit))
