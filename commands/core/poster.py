"""What the scheduler and the live leaderboard need from a chat adapter: post, edit, pin.

Each adapter (Telegram, Slack, console) provides one `ChatPoster`; nothing outside an adapter
knows a platform payload.
"""

from __future__ import annotations

from typing import Protocol

from commands.core.seam import Reply


class ChatPoster(Protocol):
    platform: str

    async def post(self, chat_id: str, reply: Reply) -> str | None:
        """Post `reply` (text, buttons, optional image) to `chat_id`; returns the message reference."""
        ...

    async def edit(self, chat_id: str, message_ref: str, reply: Reply) -> bool:
        """Replace the text of an earlier message; False when it no longer exists."""
        ...

    async def pin(self, chat_id: str, message_ref: str) -> bool:
        """Pin a message; False when the bot may not pin there."""
        ...

    async def send_private(self, participant_id: str, reply: Reply) -> str | None:
        """Send to one participant only (exports, coordinator alerts)."""
        ...
