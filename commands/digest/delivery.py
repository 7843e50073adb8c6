"""Posting one chat's due digest: work out the slot, claim it, build the digest, post, record.

Claims make every (chat, slot, local day) post at most once across processes and restarts
(bot/scheduler.py explains when this runs). Adapters post through a `ChatPoster`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from commands.core.poster import ChatPoster
from commands.digest.command import Narrative, build_digest, chat_schedule, digest_since
from commands.digest.schedule import DigestSchedule, SlotRun, due_slots
from storage import digests
from storage.models import Operation
from storage.scope import operation_scope

log = logging.getLogger(__name__)


@dataclass
class DigestDelivery:
    """Posts due digests: works out the slot, claims it, builds the digest, posts, records."""

    sessions: Callable[[], Session]  # the store (a dispatcher's `session`)
    clock: Callable[[], datetime]
    posters: dict[str, ChatPoster]
    default: DigestSchedule
    grace: timedelta
    chats: tuple[str, ...]
    narrative: Narrative | None = None
    poster_wait_s: float = 30.0
    chart: bool = True
    stop: asyncio.Event | None = None  # set when the process shuts down: stop waiting for adapters
    # The open operation a chat's digests belong to (None: none, or closed — no digest).
    operation_of: Callable[[str], Operation | None] | None = None
    _unposted: set[str] = field(default_factory=set)

    async def deliver_due(self, chat_id: str, now: datetime | None = None) -> SlotRun | None:
        """Post the chat's due digest unless it was posted (or claimed) already; the run posted."""
        if self.operation_of is None:
            return await self._deliver_due(chat_id, now)
        operation = await asyncio.to_thread(self.operation_of, chat_id)
        if operation is None or operation.closed_at is not None:
            return None  # a closed operation's digests stop
        with operation_scope(operation.id):
            return await self._deliver_due(chat_id, now)

    async def _deliver_due(self, chat_id: str, now: datetime | None) -> SlotRun | None:
        now = now or self.clock()
        schedule = await asyncio.to_thread(chat_schedule, self.sessions, chat_id, self.default)
        run, coalesced = due_slots(schedule, now, self.grace)
        if run is None:
            return None
        poster = await self._poster(chat_id)
        if poster is None:
            return None  # not claimed: a later catch-up within the grace window may still post it
        if not await asyncio.to_thread(self._claim, chat_id, run, coalesced, now):
            return None
        try:
            since = await asyncio.to_thread(digest_since, self.sessions, chat_id, run, schedule)
            reply = await asyncio.to_thread(
                build_digest,
                self.sessions,
                slot=run.slot,
                now=now,
                since=since,
                timezone=schedule.timezone,
                narrative=self.narrative,
                chart=self.chart,
            )
            ref = await poster.post(chat_id, reply)
        except Exception:
            log.exception("%s digest of %s for %s failed; not retried", run.slot, run.local_date, chat_id)
            await asyncio.to_thread(self._finish, chat_id, run, "failed")
            return None
        if ref is None:  # the chat did not take it (adapter stopping, chat gone): say so, never claim success
            log.warning(
                "%s digest of %s for %s was not accepted by the chat", run.slot, run.local_date, chat_id
            )
            await asyncio.to_thread(self._finish, chat_id, run, "failed")
            return None
        await asyncio.to_thread(self._finish, chat_id, run, "posted")
        log.info("posted the %s digest of %s to %s", run.slot, run.local_date, chat_id)
        return run

    async def catch_up(self, now: datetime | None = None) -> list[SlotRun]:
        """Post every chat's due digest (at start, and every minute as a safety net)."""
        posted = []
        for chat_id in self.chats:
            run = await self.deliver_due(chat_id, now)
            if run is not None:
                posted.append(run)
        return posted

    async def _poster(self, chat_id: str) -> ChatPoster | None:
        platform = chat_id.split(":", 1)[0]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.poster_wait_s
        while platform not in self.posters and loop.time() < deadline:
            if self.stop is not None and self.stop.is_set():
                return None  # shutting down: the slot stays unclaimed for the next start
            await asyncio.sleep(0.2)  # adapters register their poster once connected
        if platform not in self.posters:
            if chat_id not in self._unposted:
                log.warning("no %s adapter is connected: cannot post digests to %s", platform, chat_id)
                self._unposted.add(chat_id)
            return None
        return self.posters[platform]

    def _claim(self, chat_id: str, run: SlotRun, coalesced: list[SlotRun], now: datetime) -> bool:
        with self.sessions() as session:
            won = digests.claim_run(chat_id, run.slot, run.local_date.isoformat(), at=now, session=session)
            if won:
                for old in coalesced:
                    digests.skip_run(chat_id, old.slot, old.local_date.isoformat(), at=now, session=session)
            session.commit()
        return won

    def _finish(self, chat_id: str, run: SlotRun, status: str) -> None:
        with self.sessions() as session:
            day = run.local_date.isoformat()
            digests.finish_run(chat_id, run.slot, day, status=status, at=self.clock(), session=session)
            session.commit()
