"""Digest test kit: a hub on a given database and a chat faked at the adapter boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Reply
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from tests.warcs import write_warc

CHATS = ("telegram:-100123", "slack:C0123")


class RecordingPoster:
    """A ChatPoster that keeps what it was asked to post, as the chat would receive it."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.posts: list[tuple[str, Reply]] = []

    async def post(self, chat_id: str, reply: Reply) -> str | None:
        self.posts.append((chat_id, reply))
        return f"m{len(self.posts)}"

    async def edit(self, chat_id: str, message_ref: str, reply: Reply) -> bool:
        return True

    async def pin(self, chat_id: str, message_ref: str) -> bool:
        return True

    async def send_private(self, participant_id: str, reply: Reply) -> str | None:
        return None


def make_hub(url: str, tmp_path: Path, *, coordinators: frozenset[str] = frozenset()) -> Dispatcher:
    warc = tmp_path / "empty.warc.gz"
    if not warc.exists():
        write_warc(warc, {})
    return Dispatcher(
        engine=make_engine(url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(allowed_chats=frozenset(CHATS), coordinators=coordinators),
    )


def digest_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "allowed_chats": list(CHATS),
        "timezone": "Europe/Amsterdam",
        "digest_morning": "08:00",
        "digest_evening": "19:00",
        "digest_grace_hours": 6.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]


@pytest.fixture
def posters() -> dict[str, RecordingPoster]:
    return {"telegram": RecordingPoster("telegram"), "slack": RecordingPoster("slack")}
