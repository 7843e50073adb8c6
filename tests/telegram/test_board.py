"""The live leaderboard through PTB against the fake: posted once, pinned, edited, recreated, frozen."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from bot.board import LiveBoard
from bot.telegram.adapter import build_application
from bot.telegram.poster import TelegramPoster
from commands.core.dispatcher import Dispatcher
from commands.core.seam import Invocation, Reply
from commands.outcomes import outcomes
from storage import boards
from tests.telegram.conftest import GROUP, make_hub, settings_for
from tests.telegram.fake_bot_api import FakeBotApi, parse_html

CHAT = f"telegram:{GROUP}"
_keys = count()


def figures(hub: Dispatcher) -> Reply:
    """A stand-in board text that changes with every pasted link (the real one is the leaderboard's)."""
    with hub.session() as session:
        totals = outcomes(session=session)
    return Reply(
        f"Outcome figures so far:\n• findings: {totals.findings}\n• THB URLs: {totals.thb_urls}\n"
        f"• could not open: {totals.could_not_open}"
    )


def paste_line(text: str) -> Invocation:
    return Invocation(
        participant_id="console:anna",
        platform="console",
        chat_id="console",
        text=text,
        ts=datetime.now(UTC),
        message_key=f"board-test-{next(_keys)}",
        participant_name="Anna",
        country="NL",
        vouched=True,
    )


def test_the_board_is_posted_pinned_edited_recreated_and_left_alone_while_frozen(
    db_url: str, tmp_path: Path, fake: FakeBotApi
) -> None:
    hub = make_hub(db_url, tmp_path)
    now = [0.0]

    async def scenario() -> list[str]:
        application = build_application(settings_for(fake))
        async with application:
            poster = TelegramPoster(application.bot)
            board = LiveBoard(
                hub, poster, [CHAT], board_text=figures, min_interval_s=10, clock=lambda: now[0]
            )
            outcomes: list[str] = [await board.refresh(CHAT), await board.refresh(CHAT)]
            hub.handle(paste_line("https://www.rozenkamer.nl/ad/1"))
            outcomes.append(await board.refresh(CHAT))  # changed, but edited 0 s ago
            now[0] += 11
            outcomes.append(await board.refresh(CHAT))
            first = fake.of("pinChatMessage")[0].params["message_id"]
            fake.delete(GROUP, first)  # someone deleted the board
            hub.handle(paste_line("https://example.org/not-archived"))
            now[0] += 11
            outcomes.append(await board.refresh(CHAT))
            with hub.session() as session:
                boards.set_state(
                    boards.FROZEN,
                    "2025-09-19T12:00:00+00:00",
                    at=datetime.now(UTC),
                    by="x",
                    session=session,
                )
                session.commit()
            hub.handle(paste_line("https://example.org/another"))
            now[0] += 11
            outcomes.append(await board.refresh(CHAT))
            with hub.session() as session:
                boards.clear_state(boards.FROZEN, session=session)
                session.commit()
            # A new process (restart) edits the stored message instead of posting another one.
            restarted = LiveBoard(hub, poster, [CHAT], board_text=figures, clock=lambda: now[0])
            outcomes.append(await restarted.refresh(CHAT))
            return outcomes

    outcomes = asyncio.run(scenario())
    assert outcomes == ["posted", "unchanged", "throttled", "edited", "recreated", "frozen", "edited"]
    posts = [c for c in fake.of("sendMessage") if c.params["chat_id"] == GROUP]
    pins = fake.of("pinChatMessage")
    assert [p.result["message_id"] for p in posts] == [p.params["message_id"] for p in pins]
    assert all(p.params["disable_notification"] is True for p in pins)
    edits = fake.of("editMessageText")
    assert [e.error is None for e in edits] == [True, False, True]
    assert edits[0].params["message_id"] == posts[0].result["message_id"]
    assert edits[2].params["message_id"] == posts[1].result["message_id"]
    assert "• findings: 1" in parse_html(edits[2].params["text"])  # the two unarchived links could not open
    assert "• could not open: 2" in parse_html(edits[2].params["text"])
    with hub.session() as session:
        stored = boards.pinned_board(CHAT, session=session)
    assert stored is not None and stored.message_ref == str(posts[1].result["message_id"])


def test_a_nudge_refreshes_the_running_board(sqlite_url: str, tmp_path: Path, fake: FakeBotApi) -> None:
    hub = make_hub(sqlite_url, tmp_path)

    async def scenario() -> None:
        application = build_application(settings_for(fake))
        async with application:
            board = LiveBoard(
                hub, TelegramPoster(application.bot), [CHAT], board_text=figures, min_interval_s=0, tick_s=600
            )
            stop = asyncio.Event()
            running = asyncio.create_task(board.run(stop))
            await asyncio.to_thread(fake.wait_for, "pinChatMessage")
            hub.handle(paste_line("https://www.rozenkamer.nl/ad/1"))
            board.nudge()
            await asyncio.to_thread(fake.wait_for, "editMessageText")
            stop.set()
            await asyncio.wait_for(running, 5)

    asyncio.run(scenario())
    assert "• findings: 1" in parse_html(fake.of("editMessageText")[0].params["text"])
