"""The Slack adapter: Bolt events, the `/hub` slash command and button presses → `Invocation`;
the hub's `Reply` → Web API calls through `SlackPoster`. No business logic lives here.

Everything Slack delivers is acknowledged first and worked on afterwards: Slack retries (and
shows users an error) when an answer takes longer than 3 s, and a page fetch easily does.
The hub's work runs in threads so the event loop stays free to acknowledge the next delivery.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.board import LiveBoard
from bot.settings import Settings
from bot.slack.events import action_invocation, command_invocation, message_invocation
from bot.slack.poster import SlackPoster
from bot.slack.render import ACTION_PREFIX, SLASH_COMMAND, with_log_line
from bot.startup import StartupError
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from commands.core.seam import NOT_RECORDED, Invocation, Reply

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"  # Bolt's default; events, slash commands and buttons all arrive here
DEFAULT_API_URL = "https://slack.com/api/"
# hub.handle calls at once: the work is mostly CPU under one GIL, and more threads slow the
# acknowledgements down without speeding the verdicts up (bench/slack_load.py).
HUB_WORKERS = 4
DRAIN_S = 20.0  # on stop, how long work already acknowledged may still finish
# Web API errors that mean "this token is not accepted" (auth.test, apps.connections.open).
TOKEN_REJECTED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_allowed_token_type",
    }
)
NOT_SERVED = "The hub does not serve this channel; a coordinator can add it to ALLOWED_CHATS. " + NOT_RECORDED


class SlackAdapter:
    """Translates deliveries into hub calls and hub replies into posts."""

    def __init__(self, hub: Dispatcher, poster: SlackPoster, *, workers: int = HUB_WORKERS) -> None:
        self.hub = hub
        self.poster = poster
        self._workers = asyncio.Semaphore(workers)
        self._tasks: set[asyncio.Task[None]] = set()
        self.board: LiveBoard | None = None

    def register(self, app: AsyncApp) -> None:
        async def on_message(body: dict[str, Any]) -> None:  # Bolt acknowledges events itself
            inv = message_invocation(body)
            if inv is not None:
                self.spawn(self.answer_message(inv, str((body.get("event") or {}).get("ts") or "")))

        async def on_command(ack: Callable[[], Awaitable[None]], body: dict[str, Any]) -> None:
            await ack()
            self.spawn(self.answer_command(command_invocation(body, self.hub.clock())))

        async def on_action(
            ack: Callable[[], Awaitable[None]], body: dict[str, Any], action: dict[str, Any]
        ) -> None:
            await ack()
            self.spawn(self.answer_button(action_invocation(body, action), body))

        app.event("message")(on_message)
        app.command(SLASH_COMMAND)(on_command)
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(on_action)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run after the acknowledgement; kept referenced so it is not collected half-way."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout_s: float = DRAIN_S) -> None:
        """Let acknowledged work finish; what does not is resumed from the database at next start."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)

    async def run_hub(self, inv: Invocation) -> list[Reply]:
        """The hub stores the delivery once by its message key; a retry that arrives while the
        first is still being processed is answered as a repeat, so nothing is posted twice."""
        async with self._workers:
            return await asyncio.to_thread(self.hub.handle, inv)

    async def answer_message(self, inv: Invocation, message_ts: str = "") -> None:
        """A paste is acknowledged with a 👀 reaction at once (it costs no message); its verdict is
        threaded under it; a refusal (a stranger's paste, a rate limit) goes to the sender only."""
        if message_ts and self.hub.acknowledgement(inv) is not None and self.hub.chat_allowed(inv):
            await self.poster.react(inv.chat_id, message_ts)
        replies = await self._replies(inv)
        if replies and self.board is not None:
            self.board.nudge()
        for reply in replies:
            if (reply.visibility == "private" or reply.refused) and not inv.private:
                await self._call(self.poster.post_ephemeral(inv.chat_id, inv.participant_id, reply))
            else:
                await self._call(self.poster.post(inv.chat_id, replace(reply, thread_ref=inv.thread_ref)))

    async def answer_command(self, inv: Invocation) -> None:
        if not self.hub.chat_allowed(inv):
            await self._call(self.poster.post_ephemeral(inv.chat_id, inv.participant_id, Reply(NOT_SERVED)))
            return
        for reply in await self._replies(inv):
            if inv.private:  # typed in a DM the bot may not be part of: answer in the bot's own DM
                await self._call(self.poster.send_private(inv.participant_id, reply))
            elif reply.shared and reply.visibility == "channel" and not reply.refused:
                await self._call(self.poster.post(inv.chat_id, reply))
            else:  # a command's answer is for the asker: no one else sees who asked what
                await self._call(self.poster.post_ephemeral(inv.chat_id, inv.participant_id, reply))

    async def answer_button(self, inv: Invocation, body: dict[str, Any]) -> None:
        """A short outcome is logged on the pressed message for everyone; anything else (a refusal,
        details, a private answer) goes to the presser only."""
        message = body.get("message") or {}
        replies = await self._replies(inv)
        if replies and self.board is not None:
            self.board.nudge()
        for reply in replies:
            shared = (
                message.get("ts")
                and reply.visibility == "channel"
                and not reply.refused
                and self.hub.registry.get(inv.command or "") is not None
                and "\n" not in reply.text.strip()
                and not reply.buttons
                and reply.image is None
            )
            if shared:
                new_blocks = with_log_line(
                    list(message.get("blocks") or []), reply.text.strip(), self.poster.commands
                )
                text = str(message.get("text") or self.poster.text(reply))
                await self._call(self.poster.update_blocks(inv.chat_id, str(message["ts"]), text, new_blocks))
            else:
                ephemeral = replace(reply, thread_ref=inv.thread_ref)
                await self._call(self.poster.post_ephemeral(inv.chat_id, inv.participant_id, ephemeral))

    async def _replies(self, inv: Invocation) -> list[Reply]:
        """The hub's answers worth posting (a repeated delivery was answered the first time)."""
        try:
            replies = await self.run_hub(inv)
        except Exception:  # the database is unreachable or similar: say so, do not crash the adapter
            log.exception("could not handle %s", inv.message_key)
            failure = Reply("The hub could not store this message; please paste it again in a minute.")
            await self._call(self.poster.post_ephemeral(inv.chat_id, inv.participant_id, failure))
            return []
        return [r for r in replies if not r.repeat and (r.text.strip() or r.image is not None)]

    async def _call(self, call: Awaitable[object]) -> None:
        """A Web API call whose failure is logged (with Slack's error code, never the token)."""
        try:
            await call
        except SlackApiError as exc:
            log.warning("Slack refused a call: %s", exc.response.get("error"))


def web_client(settings: Settings) -> AsyncWebClient:
    """The Web API client; SLACK_API_URL points it at GovSlack or a test server."""
    assert settings.slack_bot_token is not None
    base_url = settings.slack_api_url or DEFAULT_API_URL
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
    )
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=3))
    return client


class _QuietTokenNotice(logging.Filter):
    """Bolt warns "`token` will be unused" whenever SLACK_BOT_TOKEN is in the environment and a
    client is given, which is always the case here: the notice is noise that reads like a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_app(hub: Dispatcher, settings: Settings, client: AsyncWebClient) -> tuple[AsyncApp, SlackAdapter]:
    """The Bolt app on our own Web API client, with the adapter's handlers registered."""
    http = settings.slack_mode == "http"
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = AsyncApp(
        client=client,
        signing_secret=secret,
        request_verification_enabled=http,  # Socket Mode has no request to sign
        logger=bolt_logger(),
    )
    names = frozenset(c.name for c in hub.registry.all())
    adapter = SlackAdapter(hub, SlackPoster(client, commands=names))
    adapter.register(app)
    return app, adapter


def bolt_logger() -> logging.Logger:
    """Bolt's logger, without its notice about the environment's token."""
    logger = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _QuietTokenNotice) for f in logger.filters):
        logger.addFilter(_QuietTokenNotice())
    return logger


def check_settings(settings: Settings) -> None:
    """Refuse Slack settings that cannot work, before anything connects."""
    if settings.slack_mode not in ("socket", "http"):
        raise ValueError(f"SLACK_MODE must be socket or http, not {settings.slack_mode!r}")
    if settings.slack_mode == "http" and settings.slack_signing_secret is None:
        raise ValueError("SLACK_MODE=http needs SLACK_SIGNING_SECRET to verify Slack's requests")
    if settings.slack_mode == "socket" and settings.slack_app_token is None:
        raise ValueError("Slack Socket Mode needs SLACK_APP_TOKEN (xapp-…), or set SLACK_MODE=http")


async def serve(
    hub: Dispatcher, settings: Settings, stop: asyncio.Event, posters: dict[str, ChatPoster]
) -> None:
    """Serve Slack until `stop` is set (runner.py's adapter entry point)."""
    check_settings(settings)
    client = web_client(settings)
    await check_bot_token(client)
    app, adapter = build_app(hub, settings, client)
    chats = sorted(c for c in hub.config.allowed_chats if c.startswith("slack:"))
    adapter.board = LiveBoard(hub, adapter.poster, chats)
    board = asyncio.create_task(adapter.board.run(stop), name="slack-board")
    posters["slack"] = adapter.poster
    try:
        if settings.slack_mode == "http":
            await serve_http(app, settings.slack_http_port, stop, settings.slack_http_listen)
        else:
            assert settings.slack_app_token is not None
            await serve_socket(app, settings.slack_app_token.get_secret_value(), stop)
    finally:
        posters.pop("slack", None)
        await adapter.drain()
        board.cancel()
        await asyncio.gather(board, return_exceptions=True)


async def check_bot_token(client: AsyncWebClient) -> None:
    """Ask Slack who the bot is before serving: a rejected token is one clear line, not a traceback
    at the first delivery (and never the token itself)."""
    try:
        await client.auth_test()
    except SlackApiError as exc:
        if exc.response.get("error") in TOKEN_REJECTED:
            raise StartupError("Slack rejected the bot token; check SLACK_BOT_TOKEN") from None
        error = exc.response.get("error")
        raise StartupError(f"Slack refused auth.test ({error}); check SLACK_BOT_TOKEN") from None


async def serve_http(app: AsyncApp, port: int, stop: asyncio.Event, host: str = "127.0.0.1") -> None:
    """Bolt behind aiohttp at /slack/events on `host` (SLACK_HTTP_LISTEN: loopback unless a
    reverse proxy elsewhere needs more); Bolt verifies each request's v0 signature."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, events)])
    runner = web.AppRunner(web_app, access_log=None)  # request lines would name channels: keep quiet
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("Slack HTTP mode listening on %s port %d at %s", host, port, EVENTS_PATH)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def serve_socket(app: AsyncApp, app_token: str, stop: asyncio.Event) -> None:
    """Socket Mode: the bot dials out to Slack, so no public URL is needed."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    try:  # the handler retries a refused connection for ever: ask once first
        await app.client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        if exc.response.get("error") in TOKEN_REJECTED:
            raise StartupError("Slack rejected the app-level token; check SLACK_APP_TOKEN") from None
        raise
    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    try:
        await stop.wait()
    finally:
        await handler.close_async()
