"""What a command receives besides the message: the narrow `Context`, never the dispatcher.

A command reads with `ctx.read()` (a short session, nothing written) and writes with
`ctx.record(write)`: `write(session)` runs in the message's one write transaction, which also
marks the message done and stores its answer — so the command's changes and "done" commit
together, and a crash never re-runs half of a command on resume. Slow work (fetching pages,
asking a model) happens before `record`, with no session open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlmodel import Session

from commands.core.seam import Reply

if TYPE_CHECKING:
    from commands.paste.enrich import Enricher
    from extraction.fetch.fetcher import Fetcher
    from storage.models import Participant


@dataclass(frozen=True, slots=True)
class HubConfig:
    """What commands need to know from settings (commands never read settings themselves)."""

    coordinators: frozenset[str] = frozenset()
    allowed_chats: frozenset[str] = frozenset()
    allow_private_targets: bool = False
    tor_proxy: bool = False
    timezone: str = "Europe/Amsterdam"
    max_message_chars: int = 20_000
    max_links_per_message: int = 20
    undo_window: timedelta = timedelta(minutes=30)
    messages_per_minute: int = 30  # per participant, live chats only
    fetches_at_once: int = 4  # pages of one message fetched side by side
    web_url: str | None = None  # the web view's base URL for /screen links (None: not served)


Write = Callable[[Session], Reply]
# A session for reading: `ctx.read`, or a dispatcher's or engine's session factory.
Reader = Callable[[], AbstractContextManager[Session]]


class AlreadyProcessed(Exception):
    """Another worker holds this message, or finished it: its answer is not ours to give."""


class CommandInfo(Protocol):
    """What /help shows of a command (commands.core.registry.Command is one)."""

    @property
    def name(self) -> str: ...

    @property
    def help(self) -> str: ...

    @property
    def usage(self) -> str: ...

    @property
    def coordinator(self) -> bool: ...


class Context(Protocol):
    """The message's surroundings: settings, time, the store, the services a command may use."""

    @property
    def config(self) -> HubConfig: ...

    @property
    def fetcher(self) -> Fetcher: ...

    @property
    def enricher(self) -> Enricher | None: ...  # the optional LLM's second opinion

    @property
    def submission_id(self) -> int | None: ...  # the stored message (None: a stranger's /join, /help)

    def now(self) -> datetime:
        """The wall clock (message times are `inv.ts`)."""
        ...

    def read(self) -> AbstractContextManager[Session]:
        """A short session for reading; nothing it does is committed."""
        ...

    def record(self, write: Write) -> Reply:
        """Run `write` in the message's one write transaction (retried whole on a transient
        conflict) and commit it with the message marked done; returns `write`'s reply."""
        ...

    def is_coordinator(self, participant: Participant) -> bool: ...

    def commands(self) -> Sequence[CommandInfo]:
        """Every command, by name (for /help)."""
        ...
