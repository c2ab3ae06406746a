"""Imports into a workspace: history, actuals, agents and agent-state logs.

A file is validated exactly as the file commands validate it (the :mod:`wfm.io.tables`
readers), then written in one transaction: a file with one bad row imports nothing. Imports are
idempotent: rows are keyed (queue and interval; agent; agent and state start), a row equal to
the stored one is left alone, a different one replaces it, and the report says how many of
each. Every import is recorded with the file's name, sha256 and row counts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from wfm.errors import InputError
from wfm.store import schema
from wfm.store.frames import agent_rows, interval_rows, state_rows
from wfm.store.workspace import Workspace, bump_revisions, now_utc

__all__ = ["IMPORT_KINDS", "ImportReport", "import_file", "import_frame"]

#: What ``wfm import`` takes, and the table each kind goes to.
IMPORT_KINDS = ("history", "actuals", "agents", "agent-states")
_TABLE = {
    "history": schema.history,
    "actuals": schema.actuals,
    "agents": schema.agents,
    "agent-states": schema.agent_states,
}
_KEYS = {
    "history": ("queue", "interval_start_epoch_sec"),
    "actuals": ("queue", "interval_start_epoch_sec"),
    "agents": ("agent_id",),
    "agent-states": ("agent_id", "start_epoch_sec"),
}
#: Rows per INSERT batch (keeps memory flat on million-row files).
BATCH_ROWS = 50_000


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows in the file, inserted, replaced, unchanged, removed."""

    import_id: int
    kind: str
    file_name: str
    sha256: str
    rows: int
    inserted: int
    replaced: int
    unchanged: int
    removed: int = 0
    notes: tuple[str, ...] = ()
    #: Plausibility warnings on the file (:mod:`wfm.parse.plausibility`); imported all the same.
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.replaced or self.removed)

    def describe(self) -> str:
        what = self.kind.replace("-", " ")
        if not self.changed:
            return f"{self.file_name}: {self.rows:,} {what} rows, all unchanged: nothing to do"
        parts = [f"{self.inserted:,} new", f"{self.replaced:,} replaced"]
        if self.removed:
            parts.append(f"{self.removed:,} removed")
        parts.append(f"{self.unchanged:,} unchanged")
        return f"{self.file_name}: {self.rows:,} {what} rows: {', '.join(parts)}"


def _parse(kind: str, path: Path, ws: Workspace):
    from wfm.io.actuals import read_agent_states
    from wfm.io.tables import read_actuals, read_agents, read_history

    if kind == "history":
        return read_history(path, ws.config)
    if kind == "actuals":
        return read_actuals(path, ws.config)
    if kind == "agents":
        return read_agents(path, ws.config)
    return read_agent_states(path, ws.config.site.timezone, queues=ws.config.queue_names)


def _rows_for(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    if kind in ("history", "actuals"):
        return interval_rows(frame)
    if kind == "agents":
        return agent_rows(frame)
    return state_rows(frame)


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_na = a.isna().to_numpy() & b.isna().to_numpy()
    return both_na | (a.to_numpy() == b.to_numpy())


def _existing(conn: Connection, kind: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The stored rows the new ones may clash with (a superset, cut by the merge)."""
    table = _TABLE[kind]
    query = sa.select(*table.c).where(table.c[_KEYS[kind][0]].in_(sorted(rows.iloc[:, 0].unique())))
    if kind in ("history", "actuals"):
        t = table.c.interval_start_epoch_sec
        low, high = (
            int(rows["interval_start_epoch_sec"].min()),
            int(rows["interval_start_epoch_sec"].max()),
        )
        query = query.where(t.between(low, high))
    result = conn.execute(query)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _spanned(existing: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Agent states: stored records inside the span the new log covers for the same agent."""
    span = rows.groupby("agent_id").agg(lo=("start_epoch_sec", "min"), hi=("end_epoch_sec", "max"))
    joined = existing.join(span, on="agent_id")
    return (joined["start_epoch_sec"] < joined["hi"]) & (joined["end_epoch_sec"] > joined["lo"])


def _insert(conn: Connection, table: sa.Table, rows: pd.DataFrame) -> None:
    # The driver's executemany on plain tuples: building a dict and bound parameters per row
    # in SQLAlchemy took three quarters of a million-row import.
    if rows.empty:
        return
    columns = list(rows.columns)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    values = [
        [None if v != v else v for v in rows[c].tolist()]
        if rows[c].dtype.kind in "fO"
        else rows[c].tolist()
        for c in columns
    ]
    records = list(zip(*values, strict=True))
    for start in range(0, len(records), BATCH_ROWS):
        conn.exec_driver_sql(statement, records[start : start + BATCH_ROWS])


def _delete(conn: Connection, table: sa.Table, keys: tuple[str, ...], rows: pd.DataFrame) -> None:
    if rows.empty:
        return
    condition = sa.and_(*(table.c[k] == sa.bindparam(f"k_{k}") for k in keys))
    params = [
        {f"k_{k}": (v.item() if hasattr(v, "item") else v) for k, v in zip(keys, key, strict=True)}
        for key in rows[list(keys)].itertuples(index=False, name=None)
    ]
    for start in range(0, len(params), BATCH_ROWS):
        conn.execute(table.delete().where(condition), params[start : start + BATCH_ROWS])


def import_frame(
    ws: Workspace,
    kind: str,
    frame: pd.DataFrame,
    *,
    file_name: str,
    sha256: str,
    notes: tuple[str, ...] = (),
) -> ImportReport:
    """Write a validated frame of ``kind`` into the workspace, in one transaction."""
    if kind not in IMPORT_KINDS:
        raise InputError(f"unknown import kind {kind!r}; one of {', '.join(IMPORT_KINDS)}")
    table, keys = _TABLE[kind], _KEYS[kind]
    rows = _rows_for(kind, frame)
    values = [c for c in rows.columns if c not in keys]
    with ws.begin() as conn:
        record = conn.execute(
            schema.imports.insert().values(
                kind=kind,
                file_name=file_name,
                sha256=sha256,
                rows=len(rows),
                inserted=0,
                replaced=0,
                unchanged=0,
                imported_at=now_utc(),
            )
        )
        import_id = int(record.inserted_primary_key[0])
        removed = pd.DataFrame(columns=list(keys))
        if rows.empty:
            new, changed, same = rows, rows, 0
        else:
            old = _existing(conn, kind, rows)
            if kind == "agent-states" and not old.empty:
                old = old[_spanned(old, rows).to_numpy()]
            merged = rows.merge(
                old, on=list(keys), how="left", suffixes=("", "_old"), indicator=True
            )
            found = (merged["_merge"] == "both").to_numpy()
            equal = found.copy()
            for column in values:
                if column == "import_id":
                    continue
                equal &= _same(merged[column], merged[f"{column}_old"])
            new = rows[~found]
            changed = rows[found & ~equal]
            same = int(equal.sum())
            if kind == "agent-states" and not old.empty:
                kept = old.merge(rows[list(keys)], on=list(keys), how="left", indicator=True)
                removed = kept.loc[kept["_merge"] == "left_only", list(keys)]
        _delete(conn, table, keys, pd.concat([changed[list(keys)], removed]))
        _insert(conn, table, pd.concat([new, changed]).assign(import_id=import_id))
        report = ImportReport(
            import_id=import_id,
            kind=kind,
            file_name=file_name,
            sha256=sha256,
            rows=len(rows),
            inserted=len(new),
            replaced=len(changed),
            unchanged=same,
            removed=len(removed),
            notes=notes,
        )
        conn.execute(
            schema.imports.update()
            .where(schema.imports.c.import_id == import_id)
            .values(inserted=report.inserted, replaced=report.replaced, unchanged=same)
        )
        if report.changed:
            bump_revisions(conn, kind.replace("-", "_"))
    return report


def import_file(ws: Workspace, kind: str, path: str | os.PathLike) -> ImportReport:
    """Validate ``path`` as a ``kind`` file and import it (nothing is written on any error)."""
    if kind not in IMPORT_KINDS:
        raise InputError(f"unknown import kind {kind!r}; one of {', '.join(IMPORT_KINDS)}")
    source = Path(path)
    parsed = _parse(kind, source, ws)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    report = import_frame(
        ws, kind, parsed.frame, file_name=source.name, sha256=digest, notes=tuple(parsed.notes)
    )
    warnings = tuple(str(w) for w in getattr(parsed, "warnings", ()))  # history, actuals
    return dataclasses.replace(report, warnings=warnings)
