"""The Slack `ChatPoster`: a `Reply` becomes Web API calls (chat.*, pins.add, files upload v2).

Every post goes out with `unfurl_links=False, unfurl_media=False`: otherwise Slack's servers
would visit the pasted target. Message references are Slack `ts` values; chat ids are
`slack:<channel>` and participant ids `slack:<user>`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.render import Commands, blocks, fallback_text
from commands.core.seam import Reply

log = logging.getLogger(__name__)

# chat.postEphemeral and chat.update take these only as extra arguments (hence Any).
NO_UNFURL: dict[str, Any] = {"unfurl_links": False, "unfurl_media": False}
# Slack's tier 3 (chat.update) allows about 50 calls a minute per workspace: one every 1.2 s.
UPDATE_INTERVAL_S = 1.2
GONE = {"message_not_found", "cant_update_message", "channel_not_found", "is_archived"}
PINNED_ALREADY = {"already_pinned"}


def slack_id(qualified: str) -> str:
    """`slack:C0123` → `C0123` (ids from other platforms are a programming error)."""
    prefix, _, bare = qualified.partition(":")
    if prefix != "slack" or not bare:
        raise ValueError(f"not a Slack id: {qualified!r}")
    return bare


class Throttle:
    """Spaces calls of one rate-limited method; callers queue in arrival order."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._lock = asyncio.Lock()
        self._last = 0.0

    async def wait(self) -> None:
        async with self._lock:
            delay = self._last + self.interval_s - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._last = time.monotonic()


class SlackPoster:
    """Posts, edits and pins as the bot user."""

    platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        update_interval_s: float = UPDATE_INTERVAL_S,
        commands: Commands = frozenset(),
    ) -> None:
        self.client = client
        self.commands = commands  # mentions of these are written `/hub name`
        self._updates = Throttle(update_interval_s)

    def text(self, reply: Reply) -> str:
        """The notification text of `reply`, in Slack's syntax."""
        return fallback_text(reply, self.commands)

    def blocks(self, reply: Reply) -> list[dict[str, Any]]:
        """The Block Kit of `reply`, in Slack's syntax."""
        return blocks(reply, commands=self.commands)

    async def react(self, chat_id: str, message_ts: str, name: str = "eyes") -> None:
        """reactions.add: acknowledge a message without posting one (it costs no message)."""
        try:
            await self.client.reactions_add(channel=slack_id(chat_id), timestamp=message_ts, name=name)
        except SlackApiError as exc:
            if exc.response.get("error") != "already_reacted":
                log.warning("cannot react in %s: %s", chat_id, exc.response.get("error"))

    async def post(self, chat_id: str, reply: Reply) -> str | None:
        """A message (threaded when the reply names a thread); an image or an attachment goes up as
        a file with the text as its comment."""
        channel = slack_id(chat_id)
        if reply.attachment is not None:
            return await self._upload(channel, reply, *reply.attachment)
        if reply.image is not None:
            return await self._upload(channel, reply, reply.image_name or "chart.png", reply.image)
        response = await self.client.chat_postMessage(
            channel=channel,
            text=self.text(reply),
            blocks=self.blocks(reply),
            thread_ts=reply.thread_ref,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])

    async def post_ephemeral(self, chat_id: str, participant_id: str, reply: Reply) -> None:
        """Only `participant_id` sees it (private replies to commands and button presses).

        An ephemeral message cannot carry a file: a reply with an attachment (an export) goes to
        the participant's direct messages with the bot, and the ephemeral note says so.
        """
        if reply.attachment is not None:
            await self.send_private(participant_id, reply)
            reply = Reply("📬 Sent to you as a direct message from the bot.", thread_ref=reply.thread_ref)
        await self.client.chat_postEphemeral(
            channel=slack_id(chat_id),
            user=slack_id(participant_id),
            text=self.text(reply),
            blocks=self.blocks(reply),
            thread_ts=reply.thread_ref,
            **NO_UNFURL,
        )

    async def edit(self, chat_id: str, message_ref: str, reply: Reply) -> bool:
        return await self.update_blocks(chat_id, message_ref, self.text(reply), self.blocks(reply))

    async def update_blocks(
        self, chat_id: str, message_ref: str, text: str, message_blocks: list[dict[str, object]]
    ) -> bool:
        """chat.update, throttled to the method's tier; False when the message is gone."""
        await self._updates.wait()
        try:
            await self.client.chat_update(
                channel=slack_id(chat_id), ts=message_ref, text=text, blocks=message_blocks, **NO_UNFURL
            )
        except SlackApiError as exc:
            if exc.response.get("error") in GONE:
                return False
            raise
        return True

    async def pin(self, chat_id: str, message_ref: str) -> bool:
        try:
            await self.client.pins_add(channel=slack_id(chat_id), timestamp=message_ref)
        except SlackApiError as exc:
            if exc.response.get("error") in PINNED_ALREADY:
                return True
            log.warning("cannot pin in %s: %s", chat_id, exc.response.get("error"))
            return False
        return True

    async def send_private(self, participant_id: str, reply: Reply) -> str | None:
        """A direct message: conversations.open gives the bot's DM channel with the participant."""
        opened = await self.client.conversations_open(users=slack_id(participant_id))
        channel = opened["channel"]["id"]
        return await self.post(f"slack:{channel}", replace(reply, thread_ref=None))

    async def _upload(self, channel: str, reply: Reply, filename: str, content: bytes) -> str | None:
        """files_upload_v2 (getUploadURLExternal → upload → completeUploadExternal); returns the file id."""
        response = await self.client.files_upload_v2(
            channel=channel,
            content=content,
            filename=filename,
            title=filename,
            initial_comment=self.text(reply) or None,
            thread_ts=reply.thread_ref,
        )
        uploaded = response.get("file") or {}
        return str(uploaded.get("id")) if uploaded.get("id") else None
