"""Operation-wide switches kept in `board_state` (one row per key), e.g. the leaderboard freeze."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col

from storage.models import BoardState
from storage.upsert import insert_ignore

FROZEN = "frozen"  # value: ISO time of the freeze; standings shown to participants stop there


def get_state(key: str, *, session: Session) -> BoardState | None:
    return session.get(BoardState, key, populate_existing=True)


def set_state(key: str, value: str, *, at: datetime, by: str, session: Session) -> None:
    """Insert or overwrite `key`; the database settles two coordinators racing."""
    created = insert_ignore(
        BoardState, {"key": key, "value": value, "updated_at": at, "updated_by": by}, ["key"], session=session
    )
    if not created:
        session.execute(
            update(BoardState)
            .where(col(BoardState.key) == key)
            .values(value=value, updated_at=at, updated_by=by)
        )


def clear_state(key: str, *, session: Session) -> bool:
    """Remove `key`; True when it was set."""
    result = session.execute(delete(BoardState).where(col(BoardState.key) == key))
    return bool(getattr(result, "rowcount", 0))
