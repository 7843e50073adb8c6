"""The Telegram adapter: Bot API updates → Invocations → hub → Replies as Bot API calls.

Translation only. Ids are platform-qualified: chats `telegram:<chat_id>`, participants
`tg:<user_id>`, messages `telegram:<chat_id>:<message_id>` (a redelivered update has the same
key, so the hub counts it once), button presses `telegram:cb:<callback_query_id>`.

Edited messages are not re-checked: re-running an edit would file a second report of the same
links by the same person. When an edit in a served chat contains links, the bot says so once
per edit and records nothing; the investigator pastes the corrected link as a new message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeChat,
    BotCommandScopeChatMember,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.board import LiveBoard
from bot.settings import Settings
from bot.startup import StartupError
from bot.telegram.poster import PLATFORM, TelegramPoster, send_reply, telegram_chat_id
from bot.telegram.render import to_html
from bot.telegram.updates import check_webhook, receive_updates
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from commands.core.registry import Registry
from commands.core.seam import Invocation, Reply
from commands.wording import short

log = logging.getLogger(__name__)

UPDATES = ["message", "edited_message", "callback_query"]
EDIT_NOTE = "✏️ Edited messages are not re-checked: paste the corrected link as a new message."
STALE_BUTTON = "This button no longer works: type the command instead."
NOT_SERVED = "This chat is not served by the hub."
NO_PREVIEWS = LinkPreviewOptions(is_disabled=True)  # else Telegram's servers would visit the targets
ANSWER_LIMIT = 200  # characters of a callback answer


def build_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """PTB's Application: HTML replies, previews off, flood limits respected, base URL for tests."""
    assert settings.telegram_bot_token is not None
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .rate_limiter(AIORateLimiter(max_retries=3))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .concurrent_updates(16)  # a slow page in one chat must not hold up every other message
    )
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    return builder.build()


def bot_commands(registry: Registry, *, coordinator: bool = True) -> list[BotCommand]:
    """The command menu: every command Telegram can show (lower-case, ≤32 chars) with its help
    line; a participant's menu leaves out the coordinators' commands."""
    menu = []
    for cmd in registry.all():
        if cmd.coordinator and not coordinator:
            continue
        if cmd.name.islower() and len(cmd.name) <= 32 and cmd.name.replace("_", "").isalnum():
            description = f"{cmd.help} (coordinators)" if cmd.coordinator else cmd.help
            menu.append(BotCommand(cmd.name, short(description, 256)))
    return menu


async def set_menus(bot: Bot, hub: Dispatcher, chats: list[str]) -> None:
    """setMyCommands per scope: everyone sees the participants' commands (default scope); each
    coordinator sees theirs too, in every served group (`BotCommandScopeChatMember`) and in their
    private chat with the bot. A group the bot is not in yet is skipped with a log line."""
    await bot.set_my_commands(bot_commands(hub.registry, coordinator=False))
    full = bot_commands(hub.registry)
    coordinators = [int(c.split(":", 1)[1]) for c in hub.config.coordinators if c.startswith("tg:")]
    for user_id in sorted(coordinators):
        scopes: list[BotCommandScope] = [BotCommandScopeChat(user_id)]
        scopes += [BotCommandScopeChatMember(telegram_chat_id(chat), user_id) for chat in chats]
        for scope in scopes:
            try:
                await bot.set_my_commands(full, scope=scope)
            except TelegramError as exc:
                log.info("no coordinator menu for tg:%s in %s: %s", user_id, scope.type, exc.message)


def message_text(message: Message) -> str:
    """What a message says, links included: its text or a photo's caption, plus the address of
    every link behind a word (`text_link`, common in forwarded channel posts), which the visible
    text does not show."""
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or ()
    hidden = [e.url for e in entities if e.type == MessageEntity.TEXT_LINK and e.url and e.url not in text]
    return "\n".join([text, *dict.fromkeys(hidden)]) if hidden else text


def topic_of(message: Message) -> int | None:
    """The forum topic a message was written in (None in General or a chat without topics)."""
    return message.message_thread_id if message.is_topic_message else None


class TelegramAdapter:
    """The update handlers; holds no state but what is in flight."""

    def __init__(self, hub: Dispatcher, *, bot_username: str = "", board: LiveBoard | None = None) -> None:
        self.hub = hub
        self.bot_username = bot_username.lower()
        self.board = board
        self._in_flight: set[str] = set()
        self._ignored: set[str] = set()

    def invocation(self, message: Message, user: User, text: str, *, key: str | None = None) -> Invocation:
        return Invocation(
            participant_id=f"tg:{user.id}",
            platform=PLATFORM,
            chat_id=f"{PLATFORM}:{message.chat.id}",
            text=text,
            ts=message.date,
            message_key=key or f"{PLATFORM}:{message.chat.id}:{message.message_id}",
            participant_name=user.full_name,
            thread_ref=str(message.message_id),
            private=message.chat.type == "private",
        )

    def _for_another_bot(self, text: str) -> bool:
        """ "/help@OtherBot" in a group with several bots is not ours to answer."""
        head = text.split(maxsplit=1)[0] if text.startswith("/") else ""
        return "@" in head and head.split("@", 1)[1].lower() != self.bot_username

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.message, update.effective_user
        text = message_text(message) if message else ""
        if message is None or user is None or user.is_bot or not text or self._for_another_bot(text):
            return
        inv = self.invocation(message, user, text)
        if not self.hub.chat_allowed(inv):
            if inv.chat_id not in self._ignored:  # once per chat: how operators learn a group's id
                self._ignored.add(inv.chat_id)
                log.info("ignoring chat %s: not in ALLOWED_CHATS", inv.chat_id)
            return
        if inv.message_key in self._in_flight:
            return  # a redelivery while the first delivery is still in work
        self._in_flight.add(inv.message_key)
        try:
            await self._answer(context, message, inv)
        finally:
            self._in_flight.discard(inv.message_key)

    async def _answer(self, context: ContextTypes.DEFAULT_TYPE, message: Message, inv: Invocation) -> None:
        bot, chat = context.bot, message.chat.id
        ack: int | None = None
        coming = self.hub.acknowledgement(inv)
        if coming:  # the answer takes time (page fetches): say at once that it is coming
            sent = await bot.send_message(
                chat,
                coming,
                reply_parameters=ReplyParameters(message.message_id),
                message_thread_id=topic_of(message),
            )
            ack = sent.message_id
        replies = [reply for reply in await asyncio.to_thread(self.hub.handle, inv) if not reply.repeat]
        if not replies and ack is not None:
            with contextlib.suppress(TelegramError):
                await bot.delete_message(chat, ack)
        for n, reply in enumerate(replies):
            await self._deliver(context, message, inv, reply, edit=ack if n == 0 else None)
        if replies and self.board is not None:
            self.board.nudge()

    async def _deliver(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        message: Message,
        inv: Invocation,
        reply: Reply,
        *,
        edit: int | None = None,
    ) -> None:
        bot, chat = context.bot, message.chat.id
        if reply.visibility == "private" and not inv.private:
            if await TelegramPoster(bot).send_private(inv.participant_id, reply) is not None:
                reply = Reply("📬 Sent to you privately.")
            else:
                reply = Reply(
                    f"I cannot write to you privately: open a chat with @{self.bot_username}, "
                    "press Start, then ask again."
                )
        await send_reply(bot, chat, reply, reply_to=message.message_id, edit=edit, topic=topic_of(message))

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.edited_message, update.effective_user
        text = (message.text or message.caption or "") if message else ""
        if message is None or user is None or user.is_bot or not text:
            return
        inv = self.invocation(message, user, text)
        if self.hub.chat_allowed(inv) and self.hub.acknowledgement(inv):  # it would file a second report
            await context.bot.send_message(
                message.chat.id, EDIT_NOTE, reply_parameters=ReplyParameters(message.message_id)
            )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button runs its command line as the presser; the result is shown on the message."""
        query = update.callback_query
        if query is None:
            return
        message = query.message if isinstance(query.message, Message) else None
        if message is None or not query.data:
            await query.answer(STALE_BUTTON, show_alert=True)
            return
        inv = self.invocation(message, query.from_user, query.data, key=f"{PLATFORM}:cb:{query.id}")
        inv = replace(inv, ts=self.hub.clock())  # a press counts when pressed, not when the message was sent
        if inv.command is None or self.hub.registry.get(inv.command) is None:
            await query.answer(STALE_BUTTON, show_alert=True)
            return
        replies = await asyncio.to_thread(self.hub.handle, inv)
        if not replies:
            await query.answer(NOT_SERVED, show_alert=True)
            return
        fresh = [reply for reply in replies if not reply.repeat]
        if not fresh:
            await query.answer("Already done.")
            return
        reply = fresh[0]
        lines = reply.text.strip().splitlines() or ["done"]
        if reply.refused:  # a refusal concerns the presser only
            await query.answer(short(reply.text.strip(), ANSWER_LIMIT), show_alert=True)
            return
        if len(lines) == 1 and not reply.buttons and reply.image is None and reply.visibility == "channel":
            await query.answer(short(lines[0], ANSWER_LIMIT))
            if await self._append(context, message, f"↳ {lines[0]}"):  # replies name who did it
                self._nudge()
                return
        else:
            await query.answer("Answered below." if reply.visibility == "channel" else "Sent privately.")
        await self._deliver(context, message, inv, reply)
        self._nudge()

    async def _append(self, context: ContextTypes.DEFAULT_TYPE, message: Message, line: str) -> bool:
        """Add `line` under the pressed message, keeping its buttons; False when it cannot be edited."""
        if message.text is None:
            return False
        try:
            await context.bot.edit_message_text(
                f"{message.text_html}\n{to_html(line)}",
                chat_id=message.chat.id,
                message_id=message.message_id,
                reply_markup=message.reply_markup,
            )
        except TelegramError as exc:
            log.info("could not update message %s: %s", message.message_id, exc)
            return False
        return True

    def _nudge(self) -> None:
        if self.board is not None:
            self.board.nudge()

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("handling a Telegram update failed: %r", context.error, exc_info=context.error)


async def serve(
    hub: Dispatcher, settings: Settings, stop: asyncio.Event, posters: dict[str, ChatPoster]
) -> None:
    """Serve Telegram until `stop` is set (long polling, or webhooks when configured); keep the
    leaderboard pinned in every served chat."""
    check_webhook(settings)
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application = build_application(settings)
    adapter = TelegramAdapter(hub)
    application.add_handler(CallbackQueryHandler(adapter.on_button))
    text = filters.TEXT | filters.CAPTION
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & text, adapter.on_edited))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & text, adapter.on_message))
    application.add_error_handler(adapter.on_error)
    try:
        await application.initialize()  # getMe: a rejected token fails here (`async with` then skips it)
    except InvalidToken:
        raise StartupError("Telegram rejected the bot token; check TELEGRAM_BOT_TOKEN") from None
    async with application:
        bot = application.bot
        adapter.bot_username = (bot.username or "").lower()
        chats = sorted(c for c in hub.config.allowed_chats if c.startswith(f"{PLATFORM}:"))
        await set_menus(bot, hub, chats)
        poster = TelegramPoster(bot)
        adapter.board = LiveBoard(hub, poster, chats)
        await application.start()
        assert application.updater is not None
        how = await receive_updates(application.updater, settings, UPDATES)
        posters[PLATFORM] = poster
        log.info("Telegram adapter %s as @%s for %d chats", how, adapter.bot_username, len(chats))
        board = asyncio.create_task(adapter.board.run(stop), name="telegram-board")
        try:
            await stop.wait()
        finally:
            posters.pop(PLATFORM, None)
            await application.updater.stop()
            await application.stop()
            board.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await board
