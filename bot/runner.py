"""`hub run`: every configured adapter and the scheduler in one process and one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from bot.poster import ChatPoster
from bot.scheduler import serve as serve_scheduler
from bot.settings import Settings
from commands.hub import Hub

log = logging.getLogger(__name__)

# An adapter's entry point: serve until `stop` is set; register its poster in `posters` once it can post.
Serve = Callable[[Hub, Settings, asyncio.Event, dict[str, ChatPoster]], Coroutine[Any, Any, None]]


def adapters(settings: Settings) -> list[tuple[str, Serve]]:
    """The adapters the settings enable (imports stay lazy: no SDK is loaded unless used)."""
    chosen: list[tuple[str, Serve]] = []
    if settings.telegram_bot_token is not None:
        from bot.telegram import serve as serve_telegram

        chosen.append(("telegram", serve_telegram))
    if settings.slack_bot_token is not None:
        from bot.slack import serve as serve_slack

        chosen.append(("slack", serve_slack))
    return chosen


async def run_all(hub: Hub, settings: Settings) -> None:
    """Run until SIGINT/SIGTERM; one adapter failing stops the others cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-Unix loops
            loop.add_signal_handler(sig, stop.set)
    posters: dict[str, ChatPoster] = {}
    resumed = await asyncio.to_thread(hub.resume)
    if resumed:
        log.info("resumed %d unfinished submissions", len(resumed))
    tasks = [
        asyncio.create_task(serve(hub, settings, stop, posters), name=name)
        for name, serve in adapters(settings)
    ]
    tasks.append(asyncio.create_task(serve_scheduler(hub, settings, stop, posters), name="scheduler"))
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
