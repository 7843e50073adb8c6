"""Serving the web view (web/) from `hub run`, the console chat and `hub web`: settings in,
links out. The view itself knows no settings; this is where they meet it."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from aiohttp import web
from sqlalchemy import Engine
from sqlmodel import Session

from bot.settings import Settings
from bot.wiring import web_base_url
from commands.screen import screen_links
from storage import web_keys
from web.app import WebConfig, build_app

log = logging.getLogger(__name__)
OPERATOR = "operator"  # who made keys the hub made at start


def ensure_links(engine: Engine, settings: Settings) -> tuple[str, str]:
    """(venue link, coordinator link) with the current keys, made now if there are none."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        venue = web_keys.ensure(web_keys.VENUE, at=now, by=OPERATOR, session=session)
        coordinator = web_keys.ensure(web_keys.COORDINATOR, at=now, by=OPERATOR, session=session)
        session.commit()
    base = web_base_url(settings) or f"http://127.0.0.1:{settings.web_port}"
    return screen_links(base, venue, coordinator)


def links_text(engine: Engine, settings: Settings) -> str:
    """The lines printed at start: where the screen is, and who may have which link."""
    venue, coordinator = ensure_links(engine, settings)
    return (
        f"Web view on {settings.web_listen}:{settings.web_port}\n"
        f"  venue screen (for the wall): {venue}\n"
        f"  network view (coordinators only): {coordinator}\n"
        "  /screen in chat sends a coordinator these links; /screen new replaces them."
    )


async def serve_web(
    engine: Engine,
    settings: Settings,
    stop: asyncio.Event,
    *,
    probes: Callable[[], Mapping[str, bool]] = dict,
    ready: Callable[[], None] | None = None,
) -> None:
    """Serve the web view on WEB_LISTEN:WEB_PORT until `stop` is set."""
    assert settings.web_port is not None
    app = build_app(engine, WebConfig(timezone=settings.timezone, probes=probes))
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)  # no key in any log line
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.web_listen, settings.web_port).start()
        if ready is not None:
            ready()
        await stop.wait()
    finally:
        await runner.cleanup()


def hub_probes(
    posters: Mapping[str, object], adapters: list[str], scheduler: asyncio.Task[None]
) -> Callable[[], dict[str, bool]]:
    """/healthz of `hub run`: each adapter connected (its poster registered), the scheduler alive."""

    def probes() -> dict[str, bool]:
        found = {f"adapter_{name}": name in posters for name in adapters}
        found["scheduler"] = not scheduler.done()
        return found

    return probes


def serve_in_thread(engine: Engine, settings: Settings) -> Callable[[], None]:
    """Serve the web view beside a blocking loop (the console chat); returns its stop function."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    started = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve_web(engine, settings, stop, ready=started.set))
        except BaseException as exc:  # a taken port: say so in the console, keep the chat
            failure.append(exc)
            started.set()
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="web-view", daemon=True)
    thread.start()
    started.wait(10)
    if failure:
        raise OSError(
            f"WEB_PORT: cannot serve the web view on {settings.web_listen}:{settings.web_port} ({failure[0]})"
        )

    def halt() -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        thread.join(5)

    return halt
