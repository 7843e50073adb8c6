"""The live leaderboard: one message per chat, posted once, pinned, then edited when its text changes.

Shared by the Telegram and Slack adapters: it only needs a `ChatPoster` and chat ids. Edits are
throttled per chat (chat platforms rate-limit edits, and a board that flickers helps nobody);
while a coordinator has frozen the board nothing is posted or edited. The message reference
lives in `pinned_boards`, so a restart edits the same message instead of posting a new one.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from commands.core.seam import Reply
from commands.leaderboard import board_reply
from storage import boards
from storage.models import PinnedBoard
from storage.scope import operation_scope

log = logging.getLogger(__name__)

BoardText = Callable[[Dispatcher], Reply]
Outcome = Literal["posted", "edited", "recreated", "unchanged", "throttled", "frozen", "failed"]

# Telegram allows roughly 20 messages a minute in a group and Slack's chat.update is tier 3:
# one edit per chat per 10 s stays well inside both.
MIN_EDIT_INTERVAL_S = 10.0
# Changes made elsewhere (the other adapter, another process) are picked up this often.
TICK_S = 60.0


def leaderboard_text(hub: Dispatcher) -> Reply:
    """The board's text, as the leaderboard command words it."""
    with hub.session() as session:
        return board_reply(session=session, timezone=hub.config.timezone)


def board_hash(reply: Reply) -> str:
    shown = reply.text + "\x1f" + "\x1f".join(f"{b.action}\x1e{b.label}" for b in reply.buttons)
    return hashlib.sha256(shown.encode()).hexdigest()


class LiveBoard:
    """Keeps one leaderboard message per chat current; `nudge()` after anything that may change it."""

    def __init__(
        self,
        hub: Dispatcher,
        poster: ChatPoster,
        chat_ids: Sequence[str],
        *,
        board_text: BoardText | None = None,
        min_interval_s: float = MIN_EDIT_INTERVAL_S,
        tick_s: float = TICK_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hub = hub
        self.poster = poster
        self.chat_ids = list(chat_ids)
        self.board_text = board_text or leaderboard_text
        self.min_interval_s = min_interval_s
        self.tick_s = tick_s
        self.clock = clock
        self._last_change: dict[str, float] = {}
        self._dirty = asyncio.Event()

    def nudge(self) -> None:
        """Something that may change the standings happened: refresh soon (throttled)."""
        self._dirty.set()

    async def refresh(self, chat_id: str) -> Outcome:
        """One pass for one chat: post and pin the first time, edit when the text changed."""
        frozen, board, reply = await asyncio.to_thread(self._read, chat_id)
        if frozen:
            return "frozen"
        digest = board_hash(reply)
        if board is not None and board.text_hash == digest:
            return "unchanged"
        last = self._last_change.get(chat_id)
        if last is not None and self.clock() - last < self.min_interval_s:
            return "throttled"
        if board is not None:
            self._last_change[chat_id] = self.clock()
            if await self.poster.edit(chat_id, board.message_ref, reply):
                await asyncio.to_thread(self._remember, chat_id, board.message_ref, digest)
                return "edited"
            log.info("board message in %s is gone; posting a new one", chat_id)
        self._last_change[chat_id] = self.clock()
        message_ref = await self.poster.post(chat_id, reply)
        if message_ref is None:
            return "failed"
        if not await self.poster.pin(chat_id, message_ref):
            log.warning("could not pin the leaderboard in %s (is the bot an admin there?)", chat_id)
        await asyncio.to_thread(self._remember, chat_id, message_ref, digest)
        return "posted" if board is None else "recreated"

    async def run(self, stop: asyncio.Event) -> None:
        """Refresh every chat now, then on every nudge and tick, until `stop` is set."""
        while not stop.is_set():
            self._dirty.clear()
            outcomes = [await self._refresh_safely(chat_id) for chat_id in self.chat_ids]
            if "throttled" in outcomes:
                await _first_of((stop,), timeout=self._until_allowed())
            else:
                await _first_of((stop, self._dirty), timeout=self.tick_s)

    async def _refresh_safely(self, chat_id: str) -> Outcome:
        try:
            return await self.refresh(chat_id)
        except Exception:  # a broken board must never stop the adapter that serves the chat
            log.exception("leaderboard refresh failed in %s", chat_id)
            return "failed"

    def _until_allowed(self) -> float:
        now = self.clock()
        waits = [last + self.min_interval_s - now for last in self._last_change.values()]
        return max(0.05, min((w for w in waits if w > 0), default=0.05))

    def _read(self, chat_id: str) -> tuple[bool, PinnedBoard | None, Reply]:
        operation = self.hub.operation_of_chat(chat_id)
        if operation is not None and operation.closed_at is not None:  # a closed operation's board is frozen
            return True, None, Reply("")
        with operation_scope(operation.id if operation else None), self.hub.session() as session:
            frozen = boards.board_frozen(session=session)
            board = boards.pinned_board(chat_id, session=session)
            return frozen, board, (Reply("") if frozen else self.board_text(self.hub))

    def _remember(self, chat_id: str, message_ref: str, digest: str) -> None:
        operation = self.hub.operation_of_chat(chat_id)
        with operation_scope(operation.id if operation else None), self.hub.session() as session:
            boards.remember_board(
                chat_id, message_ref=message_ref, text_hash=digest, at=datetime.now(UTC), session=session
            )
            session.commit()


async def _first_of(events: Sequence[asyncio.Event], *, timeout: float) -> None:
    """Wait until one of `events` is set or `timeout` seconds pass."""
    waiters = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
