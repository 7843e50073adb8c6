"""Aggregate answers kept in memory while the store has not changed since they were computed.

/counts and the live leaderboard read the tallies the store keeps (storage/live_tallies.py) and
need no memory. What still aggregates every finding or report — /status's backlog, standings
recomputed as of a past time for a digest — is reused here. An answer is reused only while
the store's data version — read from the database on every call, so writes made by other
processes count too — is still the one it was computed at.

The data version is the highest id of each table the tallies read that only ever grows (reports,
findings, finding_links, tags, platform_checks, identifiers, audit_log) plus the number of
participants. It moves on every change the tallies can see because every write that changes a
counted column of an existing row happens either in the transaction that adds a report (a
paste: page analysis, first reporter, networks, THB flags of a phone group) or together with an
audit entry (/confirm, /reject, /undo, /ignore, /join, tags, /freeze). A new writer that changes
counted columns without adding a report must record an audit entry (the team's rule anyway), or
the tallies go stale until the next change.

Never stored: an answer computed by a session whose transaction has written (it may still roll
back, and SQLite hands a rolled-back row's id out again); on PostgreSQL, an answer computed
while other transactions were in progress (one of them may commit rows with lower ids than the
highest already seen, which would not move the version).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, text
from sqlmodel import Session

from storage.scope import current

T = TypeVar("T")

_GROWING = ("reports", "findings", "finding_links", "tags", "platform_checks", "identifiers", "audit_log")
_VERSION = ", ".join(f"(SELECT max(id) FROM {table})" for table in _GROWING)
_VERSION += ", (SELECT count(*) FROM participants)"
# PostgreSQL: has this transaction written, and is any other transaction in progress?
_PG_QUIET = (
    ", pg_current_xact_id_if_assigned() IS NULL"
    " AND (SELECT count(*) FROM pg_snapshot_xip(pg_current_snapshot())) = 0"
)

_lock = threading.Lock()
# Per engine (one database), so tests and tools with several databases never share answers.
_answers: WeakKeyDictionary[Engine, dict[Hashable, tuple[tuple[Any, ...], Any]]] = WeakKeyDictionary()


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def data_version(session: Session) -> tuple[tuple[Any, ...], bool]:
    """(the store's data version, whether an answer computed now may be kept).

    Pending objects would be flushed by the next query, so they count as a write already.
    """
    pending = bool(session.new or session.dirty or session.deleted)
    if _engine(session).dialect.name == "postgresql":
        row = tuple(session.execute(text(f"SELECT {_VERSION}{_PG_QUIET}")).one())
        return row[:-1], bool(row[-1]) and not pending
    # SQLite: the driver opens a transaction only for a write, so an open one means a write.
    dbapi = session.connection().connection.dbapi_connection
    if pending or getattr(dbapi, "in_transaction", False):
        return (), False
    return tuple(session.execute(text(f"SELECT {_VERSION}")).one()), True


def remembered(key: Hashable, compute: Callable[[], T], *, session: Session) -> T:
    """`compute()`'s answer, reused while the data version is unchanged. Answers must be immutable."""
    engine = _engine(session)
    key = (current(), key)  # each operation its own answers
    version, keep = data_version(session)
    if keep:
        with _lock:
            hit = _answers.get(engine, {}).get(key)
        if hit is not None and hit[0] == version:
            return hit[1]  # type: ignore[no-any-return]
    answer = compute()
    if keep:
        with _lock:
            _answers.setdefault(engine, {})[key] = (version, answer)
    return answer
