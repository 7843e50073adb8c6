"""A hub with one served group, pages from a WARC file, and PTB's real Application against the fake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.settings import Settings
from bot.telegram.adapter import serve
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from commands.core.registry import load_registry
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from tests.telegram.fake_bot_api import FakeBotApi, user
from tests.warcs import html, write_warc

GROUP = -100777
OTHER_GROUP = -100999  # not allow-listed
AD = "https://www.rozenkamer.nl/ad/1"
ANNA, MIHAI, COORD = user(1001, "Anna"), user(1002, "Mihai"), user(1009, "Cora")


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi().running() as api:
        api.chat(GROUP)
        api.chat(OTHER_GROUP)
        yield api


def make_hub(database_url: str, tmp_path: Path) -> Dispatcher:
    warc = write_warc(
        tmp_path / "pages.warc.gz",
        {
            AD: (
                200,
                "text/html; charset=utf-8",
                html("Anna, 23, new in town. Call +31 6 1234 5678", footer="support@rozenkamer.nl"),
                None,
            )
        },
    )
    return Dispatcher(
        engine=make_engine(database_url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(
            allowed_chats=frozenset({f"telegram:{GROUP}"}), coordinators=frozenset({f"tg:{COORD['id']}"})
        ),
    )


@pytest.fixture
def hub(sqlite_url: str, tmp_path: Path) -> Dispatcher:
    return make_hub(sqlite_url, tmp_path)


def settings_for(api: FakeBotApi) -> Settings:
    return Settings(_env_file=None, telegram_bot_token=api.token, telegram_base_url=api.url)  # type: ignore[call-arg]


@asynccontextmanager
async def serving(hub: Dispatcher, api: FakeBotApi) -> AsyncIterator[dict[str, ChatPoster]]:
    """The adapter's real `serve`, polling the fake, until the block ends."""
    stop = asyncio.Event()
    posters: dict[str, ChatPoster] = {}
    task = asyncio.create_task(serve(hub, settings_for(api), stop, posters))
    try:
        await until(api, "getUpdates")
        while row_counts(hub)["pinned_boards"] == 0:  # the board is in place: nothing else writes now
            await asyncio.sleep(0.02)
        yield posters
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def until(api: FakeBotApi, method: str, where: object = None, *, n: int = 1) -> list:  # type: ignore[type-arg]
    """Wait (off the event loop, which the bot needs) until the fake received `n` such calls."""
    if where is None:
        return await asyncio.to_thread(api.wait_for, method, n=n)
    return await asyncio.to_thread(api.wait_for, method, where, n=n)  # type: ignore[arg-type]


def row_counts(hub: Dispatcher) -> dict[str, int]:
    with hub.engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()
            for t in inspect(hub.engine).get_table_names()
            if t != "alembic_version"
        }
