"""Change detection for the live pages: the store's data version, polled, shared by every stream.

Writers may be other processes (`hub run` beside `hub web`), so nothing is notified in memory:
one task reads `storage.tallies.cache.data_version` (a few `max(id)`s) and the link keys every
`interval_s`, and wakes the streams when either moved. A change is seen within `interval_s`
plus the time to read and render the page — well inside the 2 s the screen promises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlmodel import Session, select

from storage.models import WebKey
from storage.tallies.cache import data_version

log = logging.getLogger(__name__)
POLL_S = 0.4


def store_version(session: Session) -> tuple[Any, ...]:
    """What moves on every change the web view can show: the data version and the link keys."""
    version, _ = data_version(session)
    keys = tuple(sorted((k.role, k.key) for k in session.exec(select(WebKey))))
    return (version, keys)


class Watcher:
    """Counts changes of the store; streams wait for the count to pass the one they showed."""

    def __init__(
        self, sessions: Callable[[], AbstractContextManager[Session]], *, interval_s: float = POLL_S
    ) -> None:
        self.sessions = sessions
        self.interval_s = interval_s
        self.generation = 0
        self.healthy = True  # the last read of the store succeeded
        self._last: tuple[Any, ...] | None = None
        self._changed = asyncio.Condition()

    def _read(self) -> tuple[Any, ...]:
        with self.sessions() as session:
            return store_version(session)

    async def poll_once(self) -> None:
        """Read the version once; wake the streams when it moved."""
        try:
            version = await asyncio.to_thread(self._read)
        except Exception:  # the database is away for a moment: keep the pages, say so on /healthz
            if self.healthy:
                log.warning("web view: reading the store failed", exc_info=True)
            self.healthy = False
            return
        self.healthy = True
        if version != self._last:
            self._last = version
            async with self._changed:
                self.generation += 1
                self._changed.notify_all()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set."""
        while not stop.is_set():
            await self.poll_once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval_s)

    async def wait_past(self, generation: int, timeout: float) -> int:
        """The generation once it is past `generation`, or the current one after `timeout`."""
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.generation > generation), timeout=timeout
                )
            return self.generation
