"""/digest through hub.handle, as any adapter runs it: `now` posts the digest with its chart,
`at` stores this chat's times, bad arguments change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import text

from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from commands.digest.command import build_digest
from extraction.fetch.archive import WarcArchive
from storage import digests
from storage.engine import make_engine
from tests.warcs import html, write_warc

CHAT = "telegram:-100123"
T0 = datetime(2025, 9, 15, 7, 0, tzinfo=UTC)  # 09:00 in Amsterdam
_keys = count()


def say(line: str, *, user: str = "tg:1", at: datetime = T0) -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id=CHAT,
        text=line,
        ts=at,
        message_key=f"d{next(_keys)}",
        participant_name=user,
    )


@pytest.fixture
def hub(tmp_path: Path, sqlite_url: str) -> Dispatcher:
    warc = write_warc(
        tmp_path / "pages.warc.gz",
        {
            "https://www.rozenkamer.nl/ad/1": (
                200,
                "text/html; charset=utf-8",
                html(
                    "Anna, 19, new girl just arrived, young and fresh. Our girls, booking via manager. "
                    "Call +31 6 1234 5678, USDT only, no outcall."
                ),
                None,
            ),
            "https://www.rozenkamer.nl/ad/2": (503, "text/html", b"busy", None),
        },
    )
    config = HubConfig(allowed_chats=frozenset({CHAT}), coordinators=frozenset({"tg:1"}))
    engine = make_engine(sqlite_url)
    hub = Dispatcher(engine=engine, fetcher=WarcArchive([warc]), registry=load_registry(), config=config)
    hub.handle(say("/join NL Anna", user="tg:1"))
    hub.handle(say("/join RO Mihai", user="tg:2"))
    hub.handle(say("https://www.rozenkamer.nl/ad/1", user="tg:2", at=T0 + timedelta(minutes=5)))
    hub.handle(say("hxxps://www.rozenkamer[.]nl/ad/2", user="tg:2", at=T0 + timedelta(minutes=6)))
    return hub


def settings_rows(hub: Dispatcher) -> list[tuple[str, ...]]:
    with hub.engine.connect() as conn:
        rows = conn.execute(text("SELECT chat_id, timezone, morning, evening FROM chat_digest_settings"))
        return [tuple(r) for r in rows]


def test_digest_now_answers_with_the_digest_and_its_chart(hub: Dispatcher) -> None:
    [reply] = hub.handle(say("/digest now evening", at=T0 + timedelta(hours=1)))
    assert reply.image is not None and reply.image.startswith(b"\x89PNG\r\n\x1a\n")
    assert reply.image_name == "digest-evening.png"
    lines = reply.text.splitlines()
    assert lines[0] == "🌙 *Evening digest* — Mon 15 Sep 10:00 (Europe/Amsterdam)"
    assert "• findings: +1 · 1" in lines  # ad/2 answered HTTP 503: it could not be opened
    assert "• could not open (in no figure): +1 · 1" in lines
    assert "*Fetch failures to retry by hand:* 1" in lines
    retry = "• #2 rozenkamer.nl (HTTP 503) hxxps://www[.]rozenkamer[.]nl/ad/2"
    assert any(line.startswith(retry) for line in lines)
    assert "Mihai (RO)" in reply.text
    assert "https://" not in reply.text  # URLs are echoed defanged


def test_digest_now_without_slot_takes_the_half_of_the_day(hub: Dispatcher) -> None:
    [morning] = hub.handle(say("/digest now", at=T0))
    assert morning.text.startswith("☀️ *Morning digest*")
    assert "Rules of engagement" in morning.text
    [evening] = hub.handle(say("/digest now", at=T0 + timedelta(hours=10)))
    assert evening.text.startswith("🌙 *Evening digest*")
    assert "Rules of engagement" not in evening.text


def test_digest_is_for_coordinators(hub: Dispatcher) -> None:
    [reply] = hub.handle(say("/digest now", user="tg:2"))
    assert reply.text.startswith("/digest is for coordinators only")
    assert reply.image is None


def test_digest_at_sets_this_chats_times(hub: Dispatcher) -> None:
    [reply] = hub.handle(say("/digest at 07:30 18:00 Europe/Bucharest"))
    assert reply.text == "Digests in this chat at 07:30 and 18:00 (Europe/Bucharest) from now on."
    assert settings_rows(hub) == [(CHAT, "Europe/Bucharest", "07:30", "18:00")]
    [shown] = hub.handle(say("/digest"))
    assert shown.text.startswith("Digests in this chat at 07:30 and 18:00 (Europe/Bucharest), set by tg:1.")
    [again] = hub.handle(say("/digest at 06:00 17:00"))  # the zone stays
    assert "(Europe/Bucharest)" in again.text
    assert settings_rows(hub) == [(CHAT, "Europe/Bucharest", "06:00", "17:00")]


@pytest.mark.parametrize(
    "line",
    [
        "/digest at 7:30 18:00",
        "/digest at 07:30 24:00",
        "/digest at 07:30 18:00 Europe/Nowhere",
        "/digest at 19:00 08:00",
        "/digest at 07:30",
        "/digest at 07:30 18:00 Europe/Bucharest extra",
        "/digest later",
        "/digest now noon",
    ],
)
def test_bad_arguments_get_usage_and_change_nothing(hub: Dispatcher, line: str) -> None:
    with hub.session() as session:
        before = digests.all_chat_settings(session=session)
    [reply] = hub.handle(say(line))
    assert "Usage: /digest now [morning|evening] | at <HH:MM> <HH:MM> [time zone]" in reply.text
    assert "Nothing was changed." in reply.text
    assert reply.image is None
    assert settings_rows(hub) == [] and before == {}


def test_a_narrative_is_added_when_quick_and_dropped_when_it_fails(hub: Dispatcher) -> None:
    now = T0 + timedelta(hours=1)
    told = build_digest(
        hub.session,
        slot="evening",
        now=now,
        since=None,
        timezone="Europe/Amsterdam",
        narrative=lambda facts: f"A calm day: {facts.totals.findings} findings.",
        chart=False,
    )
    assert "A calm day: 1 findings." in told.text.splitlines()

    def broken(facts: object) -> str:
        raise RuntimeError("model unreachable")

    plain = build_digest(
        hub.session,
        slot="evening",
        now=now,
        since=None,
        timezone="Europe/Amsterdam",
        narrative=broken,
        chart=False,
    )
    assert (
        plain.text
        == build_digest(
            hub.session, slot="evening", now=now, since=None, timezone="Europe/Amsterdam", chart=False
        ).text
    )
