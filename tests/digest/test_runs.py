"""digest_runs claims and chat digest settings on SQLite and PostgreSQL; the claim as the safety
net when several deliverers race for one slot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from commands.digest.delivery import DigestDelivery
from commands.digest.schedule import schedule_of
from storage import digests
from storage.engine import make_engine
from tests.digest.conftest import CHATS, RecordingPoster, make_hub

T = datetime(2025, 10, 20, 6, 0, 5, tzinfo=UTC)  # 08:00:05 in Amsterdam


def test_a_slot_is_claimed_once_and_recorded(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        assert digests.claim_run("telegram:-1", "morning", "2025-10-20", at=T, session=session)
        assert not digests.claim_run("telegram:-1", "morning", "2025-10-20", at=T, session=session)
        assert not digests.skip_run("telegram:-1", "morning", "2025-10-20", at=T, session=session)
        assert digests.claim_run("telegram:-1", "evening", "2025-10-20", at=T, session=session)
        assert digests.claim_run("slack:C1", "morning", "2025-10-20", at=T, session=session)
        digests.finish_run("telegram:-1", "morning", "2025-10-20", status="posted", at=T, session=session)
        session.commit()
        runs = digests.runs_of("telegram:-1", session=session)
        assert [(r.slot, r.status) for r in runs] == [("evening", "started"), ("morning", "posted")]
        assert digests.last_posted_at("telegram:-1", before=T + timedelta(seconds=1), session=session) == T
        assert digests.last_posted_at("telegram:-1", before=T, session=session) is None
        assert digests.last_posted_at("slack:C1", before=T + timedelta(days=1), session=session) is None
    engine.dispose()


def test_chat_settings_are_stored_and_replaced(db_url: str) -> None:
    engine = make_engine(db_url)
    with Session(engine) as session:
        chat = "slack:C1"
        digests.set_chat_setting(
            chat, timezone="Europe/Bucharest", morning="07:30", evening="18:00", at=T, by="a", session=session
        )
        at = T + timedelta(hours=1)
        digests.set_chat_setting(
            chat, timezone="Europe/Lisbon", morning="09:00", evening="20:00", at=at, by="b", session=session
        )
        session.commit()
    with Session(engine) as session:
        row = digests.chat_setting("slack:C1", session=session)
        assert row is not None
        assert (row.timezone, row.morning, row.evening) == ("Europe/Lisbon", "09:00", "20:00")
        assert row.updated_by == "b"
        assert list(digests.all_chat_settings(session=session)) == ["slack:C1"]
    engine.dispose()


def test_racing_deliverers_post_each_slot_once(db_url: str, tmp_path: Path) -> None:
    """Two hubs (own engines, one database) deliver the same due slots at the same moment."""
    hubs = [make_hub(db_url, tmp_path), make_hub(db_url, tmp_path)]
    recorders = [{"telegram": RecordingPoster("telegram"), "slack": RecordingPoster("slack")} for _ in hubs]
    schedule = schedule_of("Europe/Amsterdam", "08:00", "19:00")
    deliveries = [
        DigestDelivery(hub.session, hub.clock, dict(rec), schedule, timedelta(hours=6), CHATS, chart=False)  # type: ignore[arg-type]
        for hub, rec in zip(hubs, recorders, strict=True)
    ]

    async def race() -> None:
        for now in (T, T + timedelta(minutes=1), T + timedelta(hours=11)):  # morning, again, evening
            await asyncio.gather(*(d.catch_up(now) for d in deliveries for _ in range(2)))

    asyncio.run(race())
    posts = [post for rec in recorders for poster in rec.values() for post in poster.posts]
    posted = [(chat, reply.text.splitlines()[0]) for chat, reply in posts]
    assert sorted(chat for chat, _ in posted) == sorted(CHATS * 2)  # one morning + one evening each
    assert sum("Morning digest" in first for _, first in posted) == 2
    with hubs[0].session() as session:
        for chat in CHATS:
            assert [(r.slot, r.status) for r in digests.runs_of(chat, session=session)] == [
                ("evening", "posted"),
                ("morning", "posted"),
            ]
    for hub in hubs:
        hub.engine.dispose()
