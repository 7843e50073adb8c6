"""One digest scheduler per database: a PostgreSQL session advisory lock, held for the process
lifetime by whichever hub process got it first."""

from __future__ import annotations

import contextlib

from sqlalchemy import Connection, Engine, text

LOCK_KEY = 7_311_264_251_087_512_371  # fixed: every hub process must ask for the same lock


class SchedulerLock:
    """The right to run the scheduler: a PostgreSQL session advisory lock on a connection kept
    open for the process lifetime (PostgreSQL frees it when that connection ends)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held: Connection | None = None

    def try_acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True  # SQLite: a single process is assumed
        conn = self.engine.connect()
        try:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar())
            conn.commit()  # a session-level lock outlives the transaction; do not sit idle in one
        except Exception:
            conn.invalidate()
            conn.close()
            raise
        if got:
            self._held = conn
        else:
            conn.close()
        return got

    def release(self) -> None:
        conn, self._held = self._held, None
        if conn is None:
            return
        with contextlib.suppress(Exception):
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            conn.commit()
        conn.invalidate()  # never hand a connection that may still hold the lock back to the pool
        conn.close()
