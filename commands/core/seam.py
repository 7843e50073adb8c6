"""The two value types at the seam: `Invocation` in, `Reply` out (architecture.md).

Adapters build Invocations from platform payloads and render Replies; nothing else knows a
platform payload.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from commands.names import display_name

_COMMAND = re.compile(
    r"^/(?P<name>[A-Za-z][A-Za-z0-9_-]{0,31})(?:@[A-Za-z0-9_]+)?(?:\s+(?P<args>.*))?$", re.S
)


@dataclass(frozen=True, slots=True)
class Invocation:
    """Who said what, when, where, and where to answer."""

    participant_id: str  # platform-qualified, e.g. "tg:1001", "slack:U123", "console:me"
    platform: str  # telegram | slack | console | replay platform of the line
    chat_id: str  # platform-qualified chat id
    text: str
    ts: datetime  # when the message counts as sent (aware)
    message_key: str  # unique per delivery of one message: retries share it
    participant_name: str = ""
    country: str | None = None  # known from the payload (replay lines); None for live chats
    thread_ref: str | None = None  # where to answer (platform message reference)
    private: bool = False  # a one-to-one chat with the bot
    # The operator vouches for this chat and user (the local console, a replayed file): the chat
    # counts as allowed, a user whose country is known is registered on their first message, and
    # no rate limit applies. Adapters of live chats never set it.
    vouched: bool = False

    def __post_init__(self) -> None:
        # Every adapter's name for the sender (a platform's first or display name) is cleaned at
        # intake, so no reply, header or log line echoes a newline, an override or an `@here`.
        object.__setattr__(self, "participant_name", display_name(self.participant_name))

    @property
    def command(self) -> str | None:
        match = _COMMAND.match(self.text.strip())
        return match.group("name").lower() if match else None

    @property
    def args(self) -> str:
        match = _COMMAND.match(self.text.strip())
        return (match.group("args") or "").strip() if match else ""


def derived_message_key(platform: str, chat: str, user_id: str, ts: str, text: str) -> str:
    """Identity of a message that carries no id of its own (contracts.md, `hub replay`)."""
    digest = hashlib.sha256("\x1f".join((platform, chat, user_id, ts, text)).encode()).hexdigest()
    return f"derived:{digest[:40]}"


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply. `action` is a command line (e.g. "/victim 12"): pressing it runs
    that command as the presser, through the registry's role checks, like typing it."""

    action: str
    label: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A platform-neutral answer.

    `text` is plain text; lines starting with "• " are list items; `*x*` marks emphasis, which
    adapters render or drop; a backtick span (`commands.markup.code`) is an echoed identifier,
    shown as code and never as a link. URLs in it are already defanged; adapters defang any
    other host at rendering (`commands.markup`).
    """

    text: str
    buttons: tuple[Button, ...] = ()
    image: bytes | None = None
    image_name: str = ""
    visibility: Literal["channel", "private"] = "channel"
    thread_ref: str | None = None
    edit_ref: str | None = None
    repeat: bool = False  # the answer to a delivery already processed: adapters do not post it again
    finding_ids: tuple[int, ...] = field(default=())
    # A file to upload with the reply (filename, bytes), e.g. an export; adapters send it only
    # where the reply goes, so a private reply's file never reaches the channel.
    attachment: tuple[str, bytes] | None = None
    # The request was refused (role, usage, state) and nothing was recorded: adapters show it to
    # the asker only (a pop-up for a button press, an ephemeral message) instead of the channel.
    refused: bool = False
    # Processing raised: the message is kept as failed and retried at the next start (or replay).
    failed: bool = False
    # Meant for everyone in the chat (an announcement, a digest, `/leaderboard share`): where a
    # command's answer goes to the asker only (Slack's ephemeral messages), this one is posted.
    shared: bool = False


NOT_RECORDED = "Nothing was recorded."


def refusal(text: str, *, visibility: Literal["channel", "private"] = "channel") -> Reply:
    """A refused request: `text` (what was wrong, how to ask) plus "Nothing was recorded."."""
    return Reply(f"{text} {NOT_RECORDED}", visibility=visibility, refused=True)
