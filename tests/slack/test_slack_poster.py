"""`SlackPoster` against the fake Web API: file uploads (v2), the pinned live board, DMs, throttling."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.board import LiveBoard
from bot.slack.poster import SlackPoster, slack_id
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Button, Reply
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher
from storage.engine import make_engine
from tests.slack.fake_api import FakeSlack
from tests.slack.harness import BOT_TOKEN

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack.running() as api:
        yield api


def poster_for(fake: FakeSlack, *, update_interval_s: float = 0.0) -> SlackPoster:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)
    return SlackPoster(client, update_interval_s=update_interval_s)


def test_an_image_reply_is_uploaded_with_files_upload_v2(fake: FakeSlack) -> None:
    reply = Reply("Evening digest <b>", image=PNG, image_name="digest.png", thread_ref="1757926800.000100")
    file_id = asyncio.run(poster_for(fake).post("slack:CTHB01", reply))
    asked = fake.of("files.getUploadURLExternal")[0].params
    assert asked["filename"] == "digest.png" and int(asked["length"]) == len(PNG)
    assert fake.uploads[str(file_id)] == PNG  # the bytes went to the upload URL Slack handed out
    done = fake.of("files.completeUploadExternal")[0].params
    assert done["channel_id"] == "CTHB01" and done["thread_ts"] == "1757926800.000100"
    assert done["initial_comment"] == "Evening digest &lt;b&gt;"
    assert [f["id"] for f in done["files"]] == [file_id]
    assert fake.of("chat.postMessage") == []


def test_the_live_board_is_posted_pinned_then_edited_and_reposted_when_deleted(
    fake: FakeSlack, sqlite_url: str
) -> None:
    hub = Dispatcher(make_engine(sqlite_url), NetworkFetcher(FetchPolicy()), load_registry())
    texts = ["🏆 Leaderboard — Anna 10"]
    board = LiveBoard(
        hub, poster_for(fake), ["slack:CTHB01"], board_text=lambda _: Reply(texts[-1]), min_interval_s=0
    )

    async def rounds() -> list[str]:
        outcomes = [await board.refresh("slack:CTHB01")]
        texts.append("🏆 Leaderboard — Anna 10, Jonas 11")
        outcomes.append(await board.refresh("slack:CTHB01"))
        outcomes.append(await board.refresh("slack:CTHB01"))  # nothing changed: no call
        fake.errors["chat.update"] = "message_not_found"  # someone deleted the board
        texts.append("🏆 Leaderboard — Jonas 21")
        outcomes.append(await board.refresh("slack:CTHB01"))
        return outcomes

    assert asyncio.run(rounds()) == ["posted", "edited", "unchanged", "recreated"]
    first, second = fake.of("chat.postMessage")
    assert first.params["channel"] == "CTHB01" and first.params["unfurl_links"] is False
    pins = [(p.params["channel"], p.params["timestamp"]) for p in fake.of("pins.add")]
    assert pins == [("CTHB01", first.answer["ts"]), ("CTHB01", second.answer["ts"])]
    edit = fake.of("chat.update")[0].params
    assert edit["ts"] == first.answer["ts"] and "Jonas 11" in edit["text"]
    assert "Jonas 21" in second.params["text"]


def test_a_private_message_opens_the_bots_dm_with_the_participant(fake: FakeSlack) -> None:
    reply = Reply("Your export is ready", buttons=(Button("/export json", "again"),), thread_ref="1.2")
    asyncio.run(poster_for(fake).send_private("slack:U0ANNA", reply))
    assert fake.of("conversations.open")[0].params["users"] == "U0ANNA"
    sent = fake.of("chat.postMessage")[0].params
    assert sent["channel"] == "D0ANNA" and "thread_ts" not in sent
    assert sent["blocks"][-1]["elements"][0]["value"] == "/export json"


def test_edits_are_spaced_by_the_tier_interval(fake: FakeSlack) -> None:
    poster = poster_for(fake, update_interval_s=0.3)

    async def two_edits() -> list[float]:
        loop = asyncio.get_running_loop()
        stamps = []
        for n in range(2):
            await poster.edit("slack:CTHB01", "1.0", Reply(f"board {n}"))
            stamps.append(loop.time())
        return stamps

    first, second = asyncio.run(two_edits())
    assert second - first >= 0.29
    assert [c.params["text"] for c in fake.of("chat.update")] == ["board 0", "board 1"]


def test_a_pin_the_bot_may_not_make_is_reported_not_raised(fake: FakeSlack) -> None:
    fake.errors["pins.add"] = "not_in_channel"
    assert asyncio.run(poster_for(fake).pin("slack:CTHB01", "1.0")) is False


@pytest.mark.parametrize("qualified", ["tg:1001", "slack:", "C0123", "telegram:-100"])
def test_ids_from_other_platforms_are_refused(qualified: str) -> None:
    with pytest.raises(ValueError):
        slack_id(qualified)


def test_a_private_reply_with_a_file_goes_to_the_dm_and_the_channel_is_told(fake: FakeSlack) -> None:
    """An export: ephemeral messages cannot carry files, so the file goes by direct message."""
    data = b"PK\x03\x04" + bytes(range(200))
    reply = Reply("Export (csv): 3 findings", visibility="private", attachment=("hub-export.csv.zip", data))
    asyncio.run(poster_for(fake).post_ephemeral("slack:CTHB01", "slack:U0ANNA", reply))
    done = fake.of("files.completeUploadExternal")[0].params
    assert done["channel_id"] == "D0ANNA"  # the bot's DM with Anna, never the channel
    assert fake.uploads[done["files"][0]["id"]] == data
    assert fake.of("files.getUploadURLExternal")[0].params["filename"] == "hub-export.csv.zip"
    note = fake.of("chat.postEphemeral")[0].params
    assert note["channel"] == "CTHB01" and note["user"] == "U0ANNA" and "direct message" in note["text"]
    assert fake.of("chat.postMessage") == []
