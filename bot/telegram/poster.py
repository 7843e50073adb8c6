"""Sending Replies through the Bot API: messages, edits, photos, pins (the Telegram `ChatPoster`).

Link previews are off through the Application's `Defaults`, so every send and edit carries
`link_preview_options.is_disabled` (otherwise Telegram's servers would visit the target).
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Bot, InputFile, ReplyParameters
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.telegram.render import render
from commands.core.seam import Reply

log = logging.getLogger(__name__)

PLATFORM = "telegram"


def telegram_chat_id(chat_id: str) -> int:
    """ "telegram:-100123" → -100123 (chat ids are platform-qualified everywhere else)."""
    platform, _, raw = chat_id.partition(":")
    if platform != PLATFORM or not raw.lstrip("-").isdigit():
        raise ValueError(f"not a Telegram chat id: {chat_id!r}")
    return int(raw)


def telegram_user_id(participant_id: str) -> int:
    """ "tg:1001" → 1001."""
    prefix, _, raw = participant_id.partition(":")
    if prefix != "tg" or not raw.isdigit():
        raise ValueError(f"not a Telegram participant id: {participant_id!r}")
    return int(raw)


def _not_modified(exc: BadRequest) -> bool:
    return "not modified" in exc.message.lower()


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    reply_to: int | None = None,
    edit: int | None = None,
    topic: int | None = None,
) -> int | None:
    """Send `reply` (turning message `edit` into its first part when given) in forum topic
    `topic` when given; the first message id."""
    rendered = render(reply)
    quote = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    first: int | None = None
    if rendered.photo is not None:
        if edit is not None:  # a photo cannot replace a text message: drop the acknowledgement
            with contextlib.suppress(TelegramError):
                await bot.delete_message(chat_id, edit)
            edit = None
        photo = await bot.send_photo(
            chat_id,
            InputFile(rendered.photo, filename=reply.image_name or "chart.png"),
            caption=rendered.caption,
            reply_parameters=quote,
            message_thread_id=topic,
            reply_markup=rendered.keyboard if not rendered.parts else None,
        )
        first = photo.message_id
    for n, part in enumerate(rendered.parts):
        markup = rendered.keyboard if n == len(rendered.parts) - 1 else None
        if n == 0 and edit is not None:
            try:
                await bot.edit_message_text(part, chat_id=chat_id, message_id=edit, reply_markup=markup)
                first = edit
                continue
            except BadRequest as exc:
                if _not_modified(exc):
                    first = edit
                    continue
                log.info("could not edit message %s in %s (%s): sending anew", edit, chat_id, exc.message)
        sent = await bot.send_message(
            chat_id, part, reply_parameters=quote, reply_markup=markup, message_thread_id=topic
        )
        first = first or sent.message_id
    if reply.attachment is not None:
        # Only private replies carry files (an export): the adapter routes them to the user's chat.
        name, data = reply.attachment
        document = await bot.send_document(
            chat_id,
            InputFile(data, filename=name),
            disable_content_type_detection=True,
            message_thread_id=topic,
        )
        first = first or document.message_id
    return first


class TelegramPoster:
    """The Telegram `ChatPoster`: what the scheduler and the live leaderboard use to post."""

    platform = PLATFORM

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def post(self, chat_id: str, reply: Reply) -> str | None:
        try:
            reply_to = int(reply.thread_ref) if reply.thread_ref and reply.thread_ref.isdigit() else None
            message_id = await send_reply(self.bot, telegram_chat_id(chat_id), reply, reply_to=reply_to)
        except TelegramError as exc:
            log.warning("posting to %s failed: %s", chat_id, exc)
            return None
        return str(message_id) if message_id is not None else None

    async def edit(self, chat_id: str, message_ref: str, reply: Reply) -> bool:
        rendered = render(reply)
        try:
            await self.bot.edit_message_text(
                rendered.parts[0] if rendered.parts else "…",
                chat_id=telegram_chat_id(chat_id),
                message_id=int(message_ref),
                reply_markup=rendered.keyboard,
            )
        except BadRequest as exc:
            if _not_modified(exc):
                return True
            log.info("editing message %s in %s failed: %s", message_ref, chat_id, exc.message)
            return False
        except Forbidden as exc:  # removed from the chat
            log.warning("editing in %s forbidden: %s", chat_id, exc.message)
            return False
        return True

    async def pin(self, chat_id: str, message_ref: str) -> bool:
        try:
            return await self.bot.pin_chat_message(
                telegram_chat_id(chat_id), int(message_ref), disable_notification=True
            )
        except (BadRequest, Forbidden) as exc:
            log.warning("pinning in %s failed: %s", chat_id, exc.message)
            return False

    async def send_private(self, participant_id: str, reply: Reply) -> str | None:
        try:
            message_id = await send_reply(self.bot, telegram_user_id(participant_id), reply)
        except (BadRequest, Forbidden) as exc:  # the participant never opened a chat with the bot
            log.info("private message to %s failed: %s", participant_id, exc.message)
            return None
        return str(message_id) if message_id is not None else None
