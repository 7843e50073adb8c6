"""Races settled by the database: simultaneous pastes, redeliveries and workers never double count."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from commands.scoring import CORROBORATION, NEW_FINDING, standings
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from storage.models import Finding, Report, Submission
from tests.test_live_tallies import kept, rebuilt_rows
from tests.warcs import html, write_warc

T0 = datetime(2025, 9, 16, 10, 0, tzinfo=UTC)
SPELLINGS = [
    "https://www.rozenkamer.nl/ad/77",
    "http://rozenkamer.nl/ad/77/",
    "hxxps://rozenkamer[.]nl/ad/77?utm_source=tg",
    "https://ROZENKAMER.NL:443/ad/77#photos",
    "https://m.rozenkamer.nl/ad/77",
]


def _hub(url: str, tmp_path: Path) -> Dispatcher:
    warc = write_warc(
        tmp_path / "p.warc.gz",
        {
            "https://www.rozenkamer.nl/ad/77": (
                200,
                "text/html",
                html("Lena 22, call +31 6 2345 6789"),
                None,
            ),
        },
    )
    return Dispatcher(
        engine=make_engine(url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(),
    )


def _paste(n: int) -> Invocation:
    # Message times are spread out, deliveries arrive in any order.
    return Invocation(
        participant_id=f"tg:{n}",
        platform="telegram",
        chat_id="thb",
        text=SPELLINGS[n % 5],
        ts=T0 + timedelta(seconds=(n * 37) % 100),
        message_key=f"telegram:thb:{n}",
        participant_name=f"P{n}",
        country="NL",
        vouched=True,
    )


@pytest.mark.parametrize("pastes", [100])
def test_simultaneous_pastes_of_one_url_make_one_finding_and_one_first_reporter(
    db_url: str, tmp_path: Path, pastes: int
) -> None:
    if db_url.startswith("sqlite"):
        pastes = 30  # one writer at a time: the same guarantee, fewer threads to wait on
    hub = _hub(db_url, tmp_path)
    invocations = [_paste(n) for n in range(pastes)]
    for inv in invocations:  # register everyone first: the race under test is the paste
        hub.handle(replace(inv, text="/counts", message_key=inv.message_key + ":join"))
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(hub.handle, invocations))
    with hub.session() as session:
        findings = session.exec(select(Finding)).all()
        reports = session.exec(select(Report)).all()
        statuses = {s.status for s in session.exec(select(Submission)).all()}
    assert len(findings) == 1
    assert len(reports) == pastes  # every paste recorded: none lost, none doubled
    earliest = min(invocations, key=lambda inv: (inv.ts, inv.participant_id))
    assert findings[0].reported_at == earliest.ts
    firsts = [r for r in reports if r.ts == findings[0].reported_at]
    assert findings[0].reporter_id in {r.participant_id for r in firsts}
    assert statuses == {"done"}
    # Each paste heard about the one finding: new at the time it was processed, or a duplicate.
    assert all(len(r) == 1 and ("#1 new" in r[0].text or "#1 already reported" in r[0].text) for r in replies)
    assert sum("#1 already reported" in r[0].text for r in replies) >= pastes // 2
    # The kept points saw every report, whichever transaction settled first.
    assert rebuilt_rows(hub.engine) == kept(hub)
    with hub.session() as session:
        board = standings(session=session)
    assert [s.points for s in board].count(CORROBORATION) == pastes - 1
    assert board[0].participant_id == findings[0].reporter_id and board[0].points == NEW_FINDING


def test_simultaneous_pastes_of_linked_ads_keep_the_tallies_true(db_url: str, tmp_path: Path) -> None:
    """Ads sharing phones pasted at once by many people: links, networks and points race."""
    phones = ["+31 6 2345 6789", "+31 6 4150 2873", "+31 6 2875 1934"]
    pages = {
        f"https://www.kinky.nl/ad/{n}": (
            200,
            "text/html",
            html(f"Girl {n}, new in town, call {phones[n % 3]} or {phones[(n + 1) % 3]}"),
            None,
        )
        for n in range(24)
    }
    warc = write_warc(tmp_path / "ads.warc.gz", pages)
    hub = Dispatcher(
        engine=make_engine(db_url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(),
    )
    invocations = [
        replace(_paste(n), text=list(pages)[n % 24], message_key=f"telegram:thb:l{n}") for n in range(48)
    ]
    for inv in invocations:
        hub.handle(replace(inv, text="/counts", message_key=inv.message_key + ":join"))
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(hub.handle, invocations))
    assert rebuilt_rows(hub.engine) == kept(hub)
    with hub.session() as session:
        assert {s.status for s in session.exec(select(Submission)).all()} == {"done"}
        assert len(session.exec(select(Finding)).all()) == 24


def test_one_message_delivered_many_times_at_once_counts_once(db_url: str, tmp_path: Path) -> None:
    hub = _hub(db_url, tmp_path)
    inv = _paste(1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(hub.handle, [inv] * 8))
    with hub.session() as session:
        assert len(session.exec(select(Report)).all()) == 1
        assert len(session.exec(select(Submission)).all()) == 1
    posted = [r for rs in replies for r in rs if not r.repeat]
    assert len(posted) == 1 and "#1 new" in posted[0].text
