"""A workspace: a folder with ``wfm.toml`` and the database that holds the site's data.

The database is the embedded SQLite file ``wfm.db`` in the folder (WAL journal, so the
dashboard reads while a batch job writes) unless ``[database] url`` in ``wfm.toml`` or the
``WFM_DATABASE_URL`` environment variable names another, e.g. a team's PostgreSQL server. The
same SQLAlchemy Core code runs on both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from wfm.config import Config
from wfm.errors import InputError
from wfm.store import schema

__all__ = [
    "DB_FILE",
    "Workspace",
    "bump_revisions",
    "database_url",
    "engine_for",
    "init_workspace",
    "make_engine",
    "migrate",
    "now_utc",
    "open_workspace",
    "workspace_folder",
]

#: The embedded database's file name inside the workspace folder.
DB_FILE = "wfm.db"
#: Seconds a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_SEC = 60.0


def now_utc() -> str:
    """The current time as ISO 8601 text in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def workspace_folder(arg: str | os.PathLike | None) -> Path:
    """``--workspace`` if given, else ``WFM_WORKSPACE``, else the current folder."""
    chosen = arg or os.environ.get("WFM_WORKSPACE") or "."
    return Path(chosen).expanduser().resolve()


def database_url(folder: Path, config: Config) -> str:
    """``WFM_DATABASE_URL``, else ``[database] url``, else SQLite in the folder."""
    url = os.environ.get("WFM_DATABASE_URL") or config.database.url
    return url or f"sqlite:///{folder / DB_FILE}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout per connection."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise InputError(f"not a database URL: {url!r}", column="database.url") from None
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SEC})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


@dataclass(frozen=True)
class Workspace:
    """An open workspace: its folder, configuration and database engine."""

    folder: Path
    config: Config
    config_text: str
    engine: Engine

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def config_hash(self) -> str:
        """sha256 of the configuration's content (comments and layout do not count)."""
        content = json.dumps(tomllib.loads(self.config_text), sort_keys=True, default=str)
        return hashlib.sha256(content.encode()).hexdigest()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: committed at the end of the block, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    def connect(self) -> Connection:
        return self.engine.connect()

    def meta(self) -> dict[str, str]:
        """The ``meta`` table: schema version, data version, revisions per data kind."""
        with self.engine.connect() as conn:
            return {
                k: v for k, v in conn.execute(sa.select(schema.meta.c.key, schema.meta.c.value))
            }

    @property
    def data_version(self) -> int:
        """A counter raised by every write: a cache keyed on it never serves stale data."""
        return int(self.meta().get("data_version", "0"))


def _schema_version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table("meta"):
        return 0
    value = conn.execute(
        sa.select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar()
    return int(value or 0)


def _set_meta(conn: Connection, key: str, value: str) -> None:
    table = schema.meta
    done = conn.execute(table.update().where(table.c.key == key).values(value=value))
    if done.rowcount == 0:
        conn.execute(table.insert().values(key=key, value=value))


def bump_revisions(conn: Connection, *kinds: str) -> None:
    """Raise ``data_version`` and the revision of each data kind (``rev_history``, ...)."""
    table = schema.meta
    current = dict(conn.execute(sa.select(table.c.key, table.c.value)).all())
    for key in ("data_version", *(f"rev_{k}" for k in kinds)):
        _set_meta(conn, key, str(int(current.get(key, "0")) + 1))


def migrate(engine: Engine, target: int = schema.SCHEMA_VERSION) -> tuple[int, int]:
    """Apply the missing migrations up to ``target`` in one transaction: (from, to)."""
    with engine.begin() as conn:
        before = _schema_version(conn)
        if before > schema.SCHEMA_VERSION:
            raise InputError(
                f"the workspace's schema is version {before}, newer than this wfm knows "
                f"({schema.SCHEMA_VERSION}): upgrade wfm"
            )
        for step in schema.MIGRATIONS[before:target]:
            step(conn)
        if target > before:
            _set_meta(conn, "schema_version", str(target))
            bump_revisions(conn)
        return before, max(before, target)


def _read_config(folder: Path) -> tuple[Config, str]:
    from wfm.io.files import read_config, read_text

    path = folder / "wfm.toml"
    if not path.is_file():
        raise InputError(
            "no wfm.toml here: not a workspace (create one with `wfm init DIR`)", file=str(path)
        )
    return read_config(path), read_text(path)


def engine_for(folder: Path, config: Config) -> Engine:
    """The SQLAlchemy engine of the workspace in ``folder`` (its SQLite file, or the database URL
    of ``WFM_DATABASE_URL`` / ``[database]``)."""
    url = database_url(folder, config)
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as err:
        shown = engine.url.render_as_string(hide_password=True)
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        raise InputError(f"cannot open the database {shown}: {reason}") from None
    return engine


def open_workspace(folder: str | os.PathLike | None = None) -> Workspace:
    """Open an existing workspace (``wfm init`` creates and upgrades them)."""
    path = workspace_folder(folder)
    config, text = _read_config(path)
    engine = engine_for(path, config)
    with engine.connect() as conn:
        version = _schema_version(conn)
    if version == 0:
        raise InputError(
            f"the workspace {path} has no database yet: run `wfm init {path}`", file=str(path)
        )
    if version != schema.SCHEMA_VERSION:
        newer = version > schema.SCHEMA_VERSION
        raise InputError(
            f"the workspace's schema is version {version}, this wfm uses "
            f"{schema.SCHEMA_VERSION}: "
            + ("upgrade wfm" if newer else f"run `wfm init {path}` to upgrade it (data is kept)"),
            file=str(path),
        )
    return Workspace(folder=path, config=config, config_text=text, engine=engine)


def init_workspace(
    folder: str | os.PathLike, config_text: str | None = None
) -> tuple[Workspace, int, int]:
    """Create or upgrade the workspace in ``folder``: (workspace, schema before, after).

    An existing ``wfm.toml`` is kept; otherwise ``config_text`` (default: the starter
    configuration) is written. Upgrading only adds to the schema; no data is dropped.
    """
    from wfm.io.files import atomic_write_text
    from wfm.store.starter import STARTER_CONFIG

    path = Path(folder).expanduser().resolve()
    toml = path / "wfm.toml"
    if not toml.exists():
        from wfm.config import parse_config

        text = config_text if config_text is not None else STARTER_CONFIG
        parse_config(text, file=str(toml))  # never write a configuration that does not load
        atomic_write_text(toml, text)
    config, text = _read_config(path)
    engine = engine_for(path, config)
    before, after = migrate(engine)
    return Workspace(folder=path, config=config, config_text=text, engine=engine), before, after
