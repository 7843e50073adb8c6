"""The running scheduler (APScheduler + persistent job store) with a moved clock: slots fire at
local times across DST, restarts post a missed slot once within grace and never past it, and
two processes sharing PostgreSQL post each slot once. The chat is faked at the adapter
boundary (a ChatPoster that records what it was asked to post)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import text

from bot.scheduler import JOB_TABLE, serve_digests
from commands.core.dispatcher import Dispatcher
from storage import digests
from tests.digest.conftest import CHATS, RecordingPoster, digest_settings, make_hub

AMS = ZoneInfo("Europe/Amsterdam")
# Short waits for tests; no chart (drawn in the command and corpus tests), saving seconds.
QUICK: dict[str, Any] = {"lock_retry_s": 0.2, "poster_wait_s": 0.5, "chart": False}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def posts_of(posters: dict[str, RecordingPoster]) -> list[tuple[str, str]]:
    """(chat, heading) of everything posted, in order."""
    return [(chat, reply.text.splitlines()[0]) for p in posters.values() for chat, reply in p.posts]


async def run_scheduler(
    hubs: list[Dispatcher], posters: list[dict[str, RecordingPoster]], *, until_posts: int, wait_s: float
) -> None:
    """Start one scheduler per hub, wait until `until_posts` posts arrived (or `wait_s`), stop."""
    stop = asyncio.Event()
    settings = digest_settings()
    started = [asyncio.Event() for _ in hubs]
    tasks = [
        asyncio.create_task(
            serve_digests(hub, settings, stop, rec, started=ev, **QUICK)  # type: ignore[arg-type]
        )
        for hub, rec, ev in zip(hubs, posters, started, strict=True)
    ]
    await asyncio.wait_for(asyncio.gather(*(ev.wait() for ev in started)), 10)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while loop.time() < deadline and sum(len(posts_of(p)) for p in posters) < until_posts:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # let a second, wrong post show up if there were one
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 10)


Posters = dict[str, RecordingPoster]


def at_clock(moment: datetime, hubs: list[Dispatcher], posters: list[Posters], **kw: float) -> None:
    with time_machine.travel(moment, tick=True):
        asyncio.run(run_scheduler(hubs, posters, **kw))  # type: ignore[arg-type]


def fresh(processes: int = 1) -> list[Posters]:
    return [{p: RecordingPoster(p) for p in ("telegram", "slack")} for _ in range(processes)]


@pytest.mark.parametrize(
    ("moment", "slot", "utc_hour"),
    [
        (local(2025, 10, 25, 18, 59, 59), "evening", 17),  # CEST, the day before the change
        (local(2025, 10, 26, 7, 59, 59), "morning", 7),  # CET, the morning after
    ],
)
def test_slots_fire_at_local_time_across_dst(
    moment: datetime, slot: str, utc_hour: int, sqlite_url: str, tmp_path: Path
) -> None:
    hub = make_hub(sqlite_url, tmp_path)
    posters = fresh()
    at_clock(moment, [hub], posters, until_posts=2, wait_s=4)
    assert sorted(posts_of(posters[0])) == sorted(
        (
            chat,
            f"{'☀️' if slot == 'morning' else '🌙'} *{slot.capitalize()} digest* — "
            f"{moment.strftime('%a %d %b')} {'08:00' if slot == 'morning' else '19:00'} (Europe/Amsterdam)",
        )
        for chat in CHATS
    )
    with hub.session() as session:
        for chat in CHATS:
            [run] = digests.runs_of(chat, session=session)
            assert (run.slot, run.local_date, run.status) == (slot, moment.date().isoformat(), "posted")
            assert run.posted_at is not None
            posted = run.posted_at.astimezone(UTC)
            assert (posted.hour, posted.minute) == (utc_hour, 0)
    with hub.engine.connect() as conn:  # the cron jobs live in the hub's database
        ids = conn.execute(text(f"SELECT id FROM {JOB_TABLE} ORDER BY id")).scalars().all()
    assert ids == sorted(f"digest:{chat}:{s}" for chat in CHATS for s in ("evening", "morning"))


def test_a_restart_posts_a_missed_slot_once_within_grace(sqlite_url: str, tmp_path: Path) -> None:
    hub = make_hub(sqlite_url, tmp_path)
    before, within, again = fresh(), fresh(), fresh()
    at_clock(local(2025, 10, 20, 7, 0), [hub], before, until_posts=0, wait_s=0)  # up, then down
    at_clock(local(2025, 10, 20, 13, 30), [hub], within, until_posts=2, wait_s=4)  # 5½ h late
    at_clock(local(2025, 10, 20, 13, 45), [hub], again, until_posts=1, wait_s=0.5)
    assert posts_of(before[0]) == []
    assert sorted(chat for chat, _ in posts_of(within[0])) == sorted(CHATS)
    assert all("Morning digest" in heading for _, heading in posts_of(within[0]))
    assert posts_of(again[0]) == []


def test_a_restart_past_grace_posts_nothing(sqlite_url: str, tmp_path: Path) -> None:
    hub = make_hub(sqlite_url, tmp_path)
    before, late = fresh(), fresh()
    at_clock(local(2025, 10, 20, 7, 0), [hub], before, until_posts=0, wait_s=0)
    at_clock(local(2025, 10, 20, 14, 1), [hub], late, until_posts=1, wait_s=0.5)  # 6 h 1 min late
    assert posts_of(late[0]) == []
    with hub.session() as session:
        assert [digests.runs_of(chat, session=session) for chat in CHATS] == [[], []]


def test_two_schedulers_on_one_postgresql_post_each_slot_once(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("on SQLite a single hub process is assumed (see bot/scheduler.py)")
    hubs = [make_hub(db_url, tmp_path), make_hub(db_url, tmp_path)]
    posters = fresh(2)
    at_clock(local(2025, 10, 20, 18, 59, 59), hubs, posters, until_posts=2, wait_s=4)
    everything = posts_of(posters[0]) + posts_of(posters[1])
    assert sorted(chat for chat, _ in everything) == sorted(CHATS)
    assert all("Evening digest" in heading for _, heading in everything)
    assert [len(posts_of(p)) for p in posters].count(0) == 1  # only the lock holder posted
    with hubs[0].engine.connect() as conn:  # and it let go of the lock when it stopped
        held = conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).scalar_one()
    assert held == 0
    for hub in hubs:
        hub.engine.dispose()
