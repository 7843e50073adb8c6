"""The dev corpus replayed once for the export tests (SQLite; filters and policy run on both back ends)."""

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
def replayed(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database URL holding the replayed dev corpus."""
    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"
    if not (corpus / "messages.jsonl").is_file():
        pytest.skip(f"dev corpus not found at {corpus}")
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
def dev_warc() -> Path:
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev" / "pages.warc.gz"


@pytest.fixture
def replayed_session(replayed: str) -> Session:
    return Session(make_engine(replayed))
