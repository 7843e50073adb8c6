"""The live leaderboard message per chat (`pinned_boards`) and the operation-wide switches it
respects (`board_state`, one row per key), e.g. the leaderboard freeze."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col

from storage.models import BoardState, PinnedBoard
from storage.scope import operation_id
from storage.upsert import insert_ignore


def pinned_board(chat_id: str, *, session: Session) -> PinnedBoard | None:
    """The board message the hub keeps in `chat_id`, if it ever posted one."""
    return session.get(PinnedBoard, (operation_id(), chat_id), populate_existing=True)


def remember_board(
    chat_id: str, *, message_ref: str, text_hash: str, at: datetime, session: Session
) -> PinnedBoard:
    """Store (or move) the board of `chat_id` to `message_ref` showing the text with `text_hash`."""
    board = session.get(PinnedBoard, (operation_id(), chat_id), populate_existing=True)
    if board is None:
        board = PinnedBoard(chat_id=chat_id, message_ref=message_ref, text_hash=text_hash, updated_at=at)
    else:
        board.message_ref, board.text_hash, board.updated_at = message_ref, text_hash, at
    session.add(board)
    session.flush()
    return board


def forget_board(chat_id: str, *, session: Session) -> None:
    """Drop the board of `chat_id` (its message is gone); the next refresh posts a new one."""
    board = session.get(PinnedBoard, (operation_id(), chat_id))
    if board is not None:
        session.delete(board)
        session.flush()


def board_frozen(*, session: Session) -> bool:
    """True while a coordinator has frozen the leaderboard (/freeze)."""
    state = get_state(FROZEN, session=session)
    return state is not None and bool(state.value.strip())


FROZEN = "frozen"  # value: ISO time of the freeze; standings shown to participants stop there


def get_state(key: str, *, session: Session) -> BoardState | None:
    return session.get(BoardState, (operation_id(), key), populate_existing=True)


def set_state(key: str, value: str, *, at: datetime, by: str, session: Session) -> None:
    """Insert or overwrite `key`; the database settles two coordinators racing."""
    created = insert_ignore(
        BoardState,
        {"operation_id": operation_id(), "key": key, "value": value, "updated_at": at, "updated_by": by},
        ["operation_id", "key"],
        session=session,
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
