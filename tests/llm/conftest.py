"""A hub with the LLM enricher pointed at the fake OpenAI-compatible server, pages from a WARC."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher, utc_now
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from commands.paste.enrich import Enricher
from extraction.fetch.archive import WarcArchive
from extraction.llm.client import ChatLlm, LlmConfig
from storage.engine import make_engine
from tests.llm.fake_openai import FakeOpenAI, fake_openai
from tests.warcs import html, write_warc

AD_URL = "https://www.rozenkamer.nl/ad/1"
AD_TEXT = (
    "Anna, 23, new in town. Call +31 6 1234 5678 or mail anna.vip@mail.com. Sweet and discreet, "
    "visits only at my apartment, I never leave it. The flat is paid by the boss, I pay him back every week."
)
T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
_keys = count()

HubFactory = Callable[..., Dispatcher]


def say(text: str, *, key: str | None = None) -> Invocation:
    return Invocation(
        participant_id="tg:1",
        platform="telegram",
        chat_id="telegram:thb",
        text=text,
        ts=T0,
        message_key=key or f"llm-{next(_keys)}",
        participant_name="Anna",
        country="NL",
        vouched=True,
    )


def good_answer() -> dict[str, object]:
    """What a well-behaved model says about AD_TEXT (quotes copied from the page)."""
    return {
        "language": "en",
        "summary": "Escort ad by a woman who says she lives where she works and owes the boss.",
        "translation": "",
        "indicators": [
            {"code": "restricted", "evidence": "visits only at my apartment, I never leave it"},
            {"code": "debt", "evidence": "I pay him back every week"},
            {"code": "new_in_town", "evidence": "new in town"},
        ],
        "platform_kind": "escort",
        "confidence": 0.7,
    }


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with fake_openai(FakeOpenAI(structured=good_answer())) as server:
        yield server


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    page = html(AD_TEXT, title="Anna in Utrecht", footer="support@rozenkamer.nl")
    return write_warc(tmp_path / "pages.warc.gz", {AD_URL: (200, "text/html; charset=utf-8", page, None)})


def _factory(url: str, warc: Path, built: list[Dispatcher]) -> HubFactory:
    def build(fake: FakeOpenAI | None, *, timeout_s: float = 5.0, redact: bool = True) -> Dispatcher:
        engine = make_engine(url)
        enricher = None
        if fake is not None:
            llm = ChatLlm(LlmConfig(model="openai:test-model", base_url=fake.url, timeout_s=timeout_s))
            enricher = Enricher(engine, llm, clock=utc_now, redact_identifiers=redact)
        hub = Dispatcher(
            engine=engine,
            fetcher=WarcArchive([warc]),
            registry=load_registry(),
            config=HubConfig(),
            enricher=enricher,
        )
        built.append(hub)
        return hub

    return build


def _close(built: list[Dispatcher]) -> None:
    for hub in built:
        if hub.enricher is not None:
            hub.enricher.close()
        hub.engine.dispose()


@pytest.fixture
def make_hub(sqlite_url: str, warc: Path) -> Iterator[HubFactory]:
    """Hubs on one SQLite database (behaviour that does not depend on the back end)."""
    built: list[Dispatcher] = []
    yield _factory(sqlite_url, warc, built)
    _close(built)


@pytest.fixture
def make_hub_on(db_url: str, warc: Path) -> Iterator[HubFactory]:
    """Hubs on SQLite and on PostgreSQL: what is stored, and how, must hold on both."""
    built: list[Dispatcher] = []
    yield _factory(db_url, warc, built)
    _close(built)
