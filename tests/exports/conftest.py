"""The generated week replayed once for the export tests (SQLite; filters and policy on both back ends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from bot.netguard import network_blocked
from bot.replay import replay
from bot.settings import Settings
from bot.wiring import build_hub
from storage.engine import make_engine


@pytest.fixture(scope="package")
def replayed(tmp_path_factory: pytest.TempPathFactory, week_corpus: Path) -> str:
    """A database URL holding the replayed week."""
    corpus = week_corpus
    url = f"sqlite:///{tmp_path_factory.mktemp('replayed') / 'hub.db'}"
    hub = build_hub(
        Settings(_env_file=None),  # type: ignore[call-arg]
        warcs=[corpus / "pages.warc.gz"],
        database_url=url,
    )
    with network_blocked():
        summary = replay(hub, corpus / "messages.jsonl", on_reply=lambda inv, reply: None)
    assert summary.malformed == []
    hub.engine.dispose()
    return url


@pytest.fixture(scope="package")
def dev_warc(week_corpus: Path) -> Path:
    """The WARC the replayed week was fetched from."""
    return week_corpus / "pages.warc.gz"


@pytest.fixture
def replayed_session(replayed: str) -> Session:
    return Session(make_engine(replayed))
