"""A slow page never holds the database: other participants' messages are stored and answered.

The pages come from a local HTTP server (tests.fetch.server) that the fetcher's injected
resolver points the ads' hosts at. Anna pastes one quick ad and three that take 3 s each to
answer; Mihai pastes a quick ad half a second later. Fetching inside the write transaction (as
the hub once did) made Mihai wait for all of Anna's pages — or fail with `database is locked`
before his message was even stored. Now Anna's pages are fetched with no session open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from sqlmodel import col, func, select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation, Reply
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher
from storage.engine import make_engine
from storage.models import Finding, Submission
from tests.fetch.server import PageServer, Route, ServedRequest, page_server
from tests.fetch.test_refusals import ZoneResolver
from tests.warcs import html

SLOW_S = 3.0
T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)
CHAT = "telegram:thb"
_keys = count()


def ad(text: str, delay: float) -> Route:
    def serve(request: ServedRequest) -> None:
        time.sleep(delay)
        request.respond("200 OK", {"Content-Type": "text/html; charset=utf-8"}, html(text))

    return serve


@pytest.fixture
def site() -> Iterator[PageServer]:
    routes = {
        "/quick/1": ad("Anna, 23, new in town. Call +31 6 4150 2873", 0),
        "/slow/1": ad("Sofia, discreet, available today. Bel +31 6 1832 7744", SLOW_S),
        "/slow/2": ad("Lina, massage in Utrecht, quiet studio. Tel +31 6 2211 9087", SLOW_S),
        "/slow/3": ad("Mia, sweet and new, outcall only. WhatsApp +31 6 5530 1298", SLOW_S),
        "/quick/2": ad("Iphone 13 for sale, 190 eur, +34 647 183 533", 0),
    }
    with page_server(routes) as running:
        yield running


def say(text: str, user: str, at: datetime) -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id=CHAT,
        text=text,
        ts=at,
        message_key=f"slow-{next(_keys)}",
        participant_name=user,
    )


def test_a_paste_sent_while_slow_pages_load_is_stored_and_answered_first(
    db_url: str, site: PageServer
) -> None:
    fetcher = NetworkFetcher(
        FetchPolicy(timeout_s=10.0, allowed_addresses=frozenset({"127.0.0.1"})),
        resolver=ZoneResolver({"ads-a.nl": ["127.0.0.1"], "ads-b.nl": ["127.0.0.1"]}),
    )
    hub = Dispatcher(
        engine=make_engine(db_url),
        fetcher=fetcher,
        registry=load_registry(),
        config=HubConfig(allowed_chats=frozenset({CHAT})),
    )
    hub.handle(say("/join NL Anna", "tg:1", T0))
    hub.handle(say("/join RO Mihai", "tg:2", T0))
    base = f"http://ads-a.nl:{site.port}"
    anna = " ".join(f"{base}{path}" for path in ("/quick/1", "/slow/1", "/slow/2", "/slow/3"))
    mihai = f"http://ads-b.nl:{site.port}/quick/2"
    finished: dict[str, tuple[float, list[Reply]]] = {}

    def paste(who: str, user: str, text: str, at: datetime) -> None:
        replies = hub.handle(say(text, user, at))
        finished[who] = (time.monotonic(), replies)

    started = time.monotonic()
    first = threading.Thread(target=paste, args=("anna", "tg:1", anna, T0 + timedelta(minutes=1)))
    first.start()
    time.sleep(0.5)
    paste("mihai", "tg:2", mihai, T0 + timedelta(minutes=2))
    anna_busy = first.is_alive()  # Mihai was answered while Anna's pages were still loading
    first.join(timeout=4 * SLOW_S + 10)
    assert not first.is_alive()
    hub.engine.dispose()

    (mihai_done, mihai_replies), (anna_done, anna_replies) = finished["mihai"], finished["anna"]
    assert anna_busy and mihai_done < anna_done
    assert mihai_done - started < SLOW_S  # stored and answered without waiting for Anna's pages
    [mihai_reply] = mihai_replies
    assert mihai_reply.text.startswith("🆕 #") and "+34647183533" in mihai_reply.text
    [anna_reply] = anna_replies
    assert anna_reply.text.count("🆕 #") == 4 and "failed" not in anna_reply.text
    with hub.session() as session:
        statuses = session.exec(select(Submission.status).where(col(Submission.text).contains("ads-"))).all()
        findings = session.exec(select(func.count()).select_from(Finding)).one()
    assert sorted(statuses) == ["done", "done"] and findings == 5
