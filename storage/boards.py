"""The live leaderboard message per chat (pinned_boards) and the freeze switch it respects."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage import board_state
from storage.models import PinnedBoard


def pinned_board(chat_id: str, *, session: Session) -> PinnedBoard | None:
    """The board message the hub keeps in `chat_id`, if it ever posted one."""
    return session.get(PinnedBoard, chat_id, populate_existing=True)


def remember_board(
    chat_id: str, *, message_ref: str, text_hash: str, at: datetime, session: Session
) -> PinnedBoard:
    """Store (or move) the board of `chat_id` to `message_ref` showing the text with `text_hash`."""
    board = session.get(PinnedBoard, chat_id, populate_existing=True)
    if board is None:
        board = PinnedBoard(chat_id=chat_id, message_ref=message_ref, text_hash=text_hash, updated_at=at)
    else:
        board.message_ref, board.text_hash, board.updated_at = message_ref, text_hash, at
    session.add(board)
    session.flush()
    return board


def forget_board(chat_id: str, *, session: Session) -> None:
    """Drop the board of `chat_id` (its message is gone); the next refresh posts a new one."""
    board = session.get(PinnedBoard, chat_id)
    if board is not None:
        session.delete(board)
        session.flush()


def board_frozen(*, session: Session) -> bool:
    """True while a coordinator has frozen the leaderboard (/freeze)."""
    state = board_state.get_state(board_state.FROZEN, session=session)
    return state is not None and bool(state.value.strip())
