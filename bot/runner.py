"""`hub run`: every configured adapter and the scheduler in one process and one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

from bot.scheduler import serve as serve_scheduler
from bot.settings import Settings
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from commands.core.seam import Invocation, Reply
from commands.references import local_time

log = logging.getLogger(__name__)

# An adapter's entry point: serve until `stop` is set; register its poster in `posters` once it can post.
Serve = Callable[[Dispatcher, Settings, asyncio.Event, dict[str, ChatPoster]], Coroutine[Any, Any, None]]


def adapters(settings: Settings) -> list[tuple[str, Serve]]:
    """The adapters the settings enable (imports stay lazy: no SDK is loaded unless used)."""
    chosen: list[tuple[str, Serve]] = []
    if settings.telegram_bot_token is not None:
        from bot.telegram.adapter import serve as serve_telegram

        chosen.append(("telegram", serve_telegram))
    if settings.slack_bot_token is not None:
        from bot.slack.adapter import serve as serve_slack

        chosen.append(("slack", serve_slack))
    return chosen


def notes_to_chats(
    loop: asyncio.AbstractEventLoop, posters: dict[str, ChatPoster]
) -> Callable[[str, Reply], None]:
    """Post the enricher's follow-ups (the LLM's second opinion) in the verdict's thread.

    Called from the enricher's worker threads: the post is handed to the adapters' loop and the
    worker does not wait for it. A chat whose adapter is not running gets nothing (logged)."""

    def post(chat_id: str, reply: Reply) -> None:
        poster = posters.get(chat_id.partition(":")[0])
        if poster is None:
            log.info("no running adapter for %s: second opinion not posted", chat_id.partition(":")[0])
            return
        done = asyncio.run_coroutine_threadsafe(poster.post(chat_id, reply), loop)
        done.add_done_callback(_log_failure)

    return post


def _log_failure(done: Future[Any]) -> None:
    if not done.cancelled() and done.exception() is not None:
        log.warning("posting a second opinion failed: %s", done.exception())


async def post_resumed(
    resumed: list[tuple[Invocation, Reply]],
    posters: dict[str, ChatPoster],
    stop: asyncio.Event,
    *,
    timezone: str,
    wait_s: float = 60.0,
) -> None:
    """Answer, once their adapter is connected, the messages a crash or restart left unanswered:
    they were processed at start (hub.resume), so the investigator still gets the verdict, with
    a line saying why it comes late."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    for inv, reply in resumed:
        if reply.repeat or not (reply.text.strip() or reply.image is not None):
            continue
        platform = inv.chat_id.partition(":")[0]
        while platform not in posters and loop.time() < deadline and not stop.is_set():
            await asyncio.sleep(0.2)  # adapters register their poster once connected
        poster = posters.get(platform)
        if poster is None:
            log.warning(
                "no %s adapter connected: a resumed answer for %s was not posted", platform, inv.chat_id
            )
            continue
        who = inv.participant_name or inv.participant_id
        header = (
            f"↻ Delayed by a restart — the answer to {who}'s message of {local_time(inv.ts, timezone)}:\n"
        )
        late = replace(reply, text=header + reply.text, thread_ref=None, edit_ref=None)
        try:
            if late.visibility == "private" or inv.private:
                await poster.send_private(inv.participant_id, late)
            else:
                await poster.post(inv.chat_id, late)
        except Exception:  # one failed post must not stop the others
            log.exception("posting a resumed answer to %s failed", inv.chat_id)
    await stop.wait()


async def run_all(hub: Dispatcher, settings: Settings) -> None:
    """Run until SIGINT/SIGTERM; one adapter failing stops the others cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-Unix loops
            loop.add_signal_handler(sig, stop.set)
    posters: dict[str, ChatPoster] = {}
    if hub.enricher is not None:
        hub.enricher.on_note = notes_to_chats(loop, posters)
    resumed = await asyncio.to_thread(hub.resume)
    if resumed:
        log.info("resumed %d unfinished submissions", len(resumed))
    tasks = [
        asyncio.create_task(serve(hub, settings, stop, posters), name=name)
        for name, serve in adapters(settings)
    ]
    if resumed:
        follow_up = post_resumed(resumed, posters, stop, timezone=settings.timezone)
        tasks.append(asyncio.create_task(follow_up, name="resumed"))
    tasks.append(asyncio.create_task(serve_scheduler(hub, settings, stop, posters), name="scheduler"))
    if settings.web_port is not None:  # the read-only web view (web/), with /healthz over these tasks
        from bot.webview import hub_probes, links_text, serve_web

        probes = hub_probes(posters, [name for name, _ in adapters(settings)], tasks[-1])
        ready = lambda: print(links_text(hub.engine, settings), flush=True)  # noqa: E731
        tasks.append(asyncio.create_task(serve_web(hub.engine, settings, stop, probes=probes, ready=ready)))
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    if hub.enricher is not None:
        # Let model calls already under way record their outcome, then drop the queue: the
        # interpreter would otherwise wait for every queued call after the chats are gone.
        await asyncio.to_thread(hub.enricher.drain, 5.0)
        hub.enricher.close()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
