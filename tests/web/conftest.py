"""The web view served for real on 127.0.0.1 (a free port), over a hub's database."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine

from bot.settings import Settings
from bot.webview import ensure_links, serve_in_thread
from tests.commands.conftest import hub, migrated_sqlite, warc  # noqa: F401  (the command tests' hub)


@dataclass(frozen=True)
class Served:
    base: str
    venue_link: str
    coordinator_link: str

    @property
    def venue_key(self) -> str:
        return self.venue_link.rpartition("key=")[2]

    @property
    def coordinator_key(self) -> str:
        return self.coordinator_link.rpartition("key=")[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_for(port: int) -> Settings:
    return Settings(_env_file=None, web_port=port, web_listen="127.0.0.1", timezone="Europe/Amsterdam")  # type: ignore[call-arg]


@pytest.fixture
def serve() -> Iterator[object]:
    """`serve(engine)` starts the web view over `engine`; everything started is stopped after."""
    halts = []

    def start(engine: Engine) -> Served:
        settings = settings_for(free_port())
        halts.append(serve_in_thread(engine, settings))
        venue, coordinator = ensure_links(engine, settings)
        return Served(f"http://127.0.0.1:{settings.web_port}", venue, coordinator)

    yield start
    for halt in halts:
        halt()


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10, follow_redirects=False)
