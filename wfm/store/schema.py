"""The workspace's tables (SQLAlchemy Core) and the migrations that build them.

One schema for SQLite and PostgreSQL. Times of intervals and activities are stored as whole
seconds since the Unix epoch (UTC), so they compare and sort the same on both back ends and
never depend on a server's time zone; the site's zone is applied when a frame is read back.
Wall-clock stamps of imports and runs are ISO 8601 text in UTC.

Migrations are numbered steps kept in :data:`MIGRATIONS`; ``meta.schema_version`` records the
last one applied. A small migration table was chosen over Alembic: the schema is created and
upgraded by ``wfm init`` from inside the installed package, with no ``alembic.ini`` or script
folder to ship, and every step is plain Core DDL that runs in the same transaction as the
version bump, on both back ends.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = [
    "INTERVAL_VALUE_COLUMNS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "metadata",
    "tables",
]

metadata = sa.MetaData()

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("replaced", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.String(32), nullable=False),
)

#: The value columns of an interval row (history and actuals), as the parsed frame has them.
INTERVAL_VALUE_COLUMNS = (
    "channel",
    "interval_minutes",
    "offered",
    "answered",
    "abandoned",
    "answered_within_threshold",
    "handle_time_total_sec",
    "aht_sec",
    "staffed_agents",
    "abandoned_within_threshold",
    "wait_time_answered_total_sec",
)


def _interval_table(name: str) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("queue", sa.String(128), primary_key=True),
        sa.Column("interval_start_epoch_sec", sa.BigInteger, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("interval_minutes", sa.Integer, nullable=False),
        *(sa.Column(c, sa.Float) for c in INTERVAL_VALUE_COLUMNS[2:]),
        sa.Column("import_id", sa.Integer, nullable=False),
    )


history = _interval_table("history")
actuals = _interval_table("actuals")

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("agent_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("skills", sa.Text, nullable=False),
    sa.Column("team", sa.Text, nullable=False),
    sa.Column("min_hours_week", sa.Float, nullable=False),
    sa.Column("max_hours_week", sa.Float, nullable=False),
    sa.Column("cost_per_hour", sa.Float, nullable=False),
    sa.Column("available_days", sa.Text, nullable=False),
    sa.Column("available_from_min", sa.Integer, nullable=False),
    sa.Column("available_until_min", sa.Integer, nullable=False),
    sa.Column("preferred_shifts", sa.Text, nullable=False),
    sa.Column("preferred_days_off", sa.Text, nullable=False),
    sa.Column("contract", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, nullable=False),
)

agent_states = sa.Table(
    "agent_states",
    metadata,
    sa.Column("agent_id", sa.String(64), primary_key=True),
    sa.Column("start_epoch_sec", sa.BigInteger, primary_key=True),
    sa.Column("end_epoch_sec", sa.BigInteger, nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("queue", sa.String(128), nullable=False),  # "" when the log names none
    sa.Column("import_id", sa.Integer, nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("command", sa.String(32), nullable=False),
    sa.Column("week_start", sa.String(10), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("ended_at", sa.String(32)),
    # running, succeeded, unchanged, failed, killed
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("exit_code", sa.Integer),
    sa.Column("stage", sa.String(32)),
    sa.Column("stages_json", sa.Text, nullable=False, server_default="[]"),
    sa.Column("solver_status", sa.String(16)),
    sa.Column("gap", sa.Float),
    sa.Column("version_id", sa.Integer),
    sa.Column("message", sa.Text, nullable=False, server_default=""),
)

schedule_versions = sa.Table(
    "schedule_versions",
    metadata,
    sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("week_start", sa.String(10), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # draft or published
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("published_at", sa.String(32)),
    sa.Column("run_id", sa.Integer),
    sa.Column("inputs_hash", sa.String(64), nullable=False),
    sa.Column("config_hash", sa.String(64), nullable=False),
    sa.Column("solver_status", sa.String(16), nullable=False),
    sa.Column("objective", sa.Float),
    sa.Column("gap", sa.Float),
    sa.Column("cost", sa.Float, nullable=False),
    sa.Column("paid_hours", sa.Float, nullable=False),
    sa.Column("understaffed_intervals", sa.Integer, nullable=False),
    sa.Column("summary_json", sa.Text, nullable=False),
    sa.Column("config_text", sa.Text, nullable=False),
    sa.UniqueConstraint("week_start", "version", name="uq_schedule_versions_week_version"),
)

#: A version's frames (schedule, coverage, requirements, forecast) as the CSV text wfm writes:
#: a version is an immutable snapshot, read whole, never queried row by row.
version_frames = sa.Table(
    "version_frames",
    metadata,
    sa.Column("version_id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("csv_text", sa.Text, nullable=False),
)

adjustments = sa.Table(
    "forecast_adjustments",
    metadata,
    sa.Column("adjustment_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("queue", sa.String(128), nullable=False),  # "*" for every queue
    sa.Column("start_date", sa.String(10), nullable=False),
    sa.Column("end_date", sa.String(10), nullable=False),
    sa.Column("percent", sa.Float, nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.String(32), nullable=False),
)

tables = {t.name: t for t in metadata.sorted_tables}


def _create(*names: str) -> Callable[[Connection], None]:
    def step(conn: Connection) -> None:
        for name in names:
            tables[name].create(conn)

    step.__doc__ = f"create {', '.join(names)}"
    return step


#: Step ``i`` upgrades a workspace from schema ``i`` to ``i + 1``; never drop user data here.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _create(
        "meta",
        "imports",
        "history",
        "actuals",
        "agents",
        "agent_states",
        "runs",
        "schedule_versions",
        "version_frames",
    ),
    _create("forecast_adjustments"),
)
SCHEMA_VERSION = len(MIGRATIONS)
