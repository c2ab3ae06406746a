"""An exclusive lock per workspace and week, for the weekly roster job.

The lock is held by the operating system or the database server, never by a row or a file's
mere existence, so a holder that is killed (SIGKILL, power loss) releases it at once and the
next run takes over without a manual clean-up:

- SQLite workspaces: an ``flock`` on ``.wfm-locks/roster-WEEK.lock`` in the workspace folder
  (the ``filelock`` package);
- PostgreSQL workspaces: a session-level advisory lock on a connection of its own
  (``pg_try_advisory_lock``), which the server drops when the connection dies, whichever
  machine the job ran on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field

import filelock
import sqlalchemy as sa

from wfm.errors import WfmError
from wfm.store.workspace import Workspace

__all__ = ["LOCK_POLL_SEC", "LockedError", "WeekLock"]

#: How often a waiting run tries the lock again.
LOCK_POLL_SEC = 0.25


class LockedError(WfmError):
    """Another run holds the week's lock (CLI exit code 4)."""

    exit_code = 4


def _advisory_key(name: str) -> int:
    digest = hashlib.sha256(name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass
class WeekLock:
    """``with WeekLock(ws, "roster", week).acquire(wait_sec):`` holds the lock in the block."""

    ws: Workspace
    command: str
    week: dt.date
    _file: filelock.BaseFileLock | None = field(default=None, init=False, repr=False)
    _conn: sa.Connection | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.command}-{self.week.isoformat()}"

    def _try(self) -> bool:
        if self.ws.engine.dialect.name == "postgresql":
            if self._conn is None:
                self._conn = self.ws.engine.connect()
            got = self._conn.execute(
                sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": _advisory_key(self.name)}
            ).scalar()
            self._conn.commit()
            return bool(got)
        if self._file is None:
            folder = self.ws.folder / ".wfm-locks"
            folder.mkdir(exist_ok=True)
            self._file = filelock.FileLock(folder / f"{self.name}.lock")
        try:
            self._file.acquire(timeout=0)
        except filelock.Timeout:
            return False
        return True

    def acquire(self, wait_sec: float = 0.0, *, holder=None) -> WeekLock:
        """Take the lock, waiting up to ``wait_sec``; else :class:`LockedError` naming the run
        that holds it (``holder()`` describes it)."""
        deadline = time.monotonic() + max(0.0, wait_sec)
        while not self._try():
            if time.monotonic() >= deadline:
                self.release()
                who = holder() if holder is not None else "another run"
                raise LockedError(
                    f"week {self.week} is locked by {who}; waited {wait_sec:g} s "
                    "(--wait SEC to wait longer)"
                )
            time.sleep(LOCK_POLL_SEC)
        return self

    def release(self) -> None:
        if self._file is not None and self._file.is_locked:
            self._file.release()
        if self._conn is not None:
            try:
                self._conn.execute(sa.text("SELECT pg_advisory_unlock_all()"))
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> WeekLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
