"""The Telegram ChatPoster through PTB against the fake: long replies, photos, private messages, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.telegram.adapter import build_application
from bot.telegram.poster import TelegramPoster
from commands.core.seam import Button, Reply
from tests.telegram.conftest import GROUP, settings_for
from tests.telegram.fake_bot_api import FakeBotApi, parse_html

CHAT = f"telegram:{GROUP}"
T = TypeVar("T")


def with_poster(fake: FakeBotApi, work: Callable[[TelegramPoster], Awaitable[T]]) -> T:
    async def scenario() -> T:
        application = build_application(settings_for(fake))
        async with application:
            return await work(TelegramPoster(application.bot))

    return asyncio.run(scenario())


def test_a_long_reply_is_split_into_messages_and_the_buttons_go_under_the_last(fake: FakeBotApi) -> None:
    text = "\n".join(f"• #{n} *new* — <b>ex[.]nl</b> & more " + "z" * 60 for n in range(120))
    reply = Reply(text, buttons=(Button("/victim 7", "potential victim"),), thread_ref="42")
    ref = with_poster(fake, lambda poster: poster.post(CHAT, reply))
    sent = fake.of("sendMessage")
    assert len(sent) >= 3 and all(c.error is None for c in sent)  # the fake enforces 4096 and valid HTML
    assert ref == str(sent[0].result["message_id"])
    assert ["reply_markup" in c.params for c in sent] == [False] * (len(sent) - 1) + [True]
    assert all(c.params["reply_parameters"]["message_id"] == 42 for c in sent)
    joined = "".join(parse_html(c.params["text"]) for c in sent)
    assert joined.replace("\n", "") == text.replace("*", "").replace("\n", "")


def test_an_image_is_sent_as_a_photo_with_its_caption(fake: FakeBotApi) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
    with_poster(
        fake, lambda poster: poster.post(CHAT, Reply("Findings per day", image=png, image_name="d.png"))
    )
    photo = fake.of("sendPhoto")[0]
    assert photo.params["caption"] == "Findings per day" and photo.params["parse_mode"] == "HTML"
    assert png in photo.files.values()
    assert fake.of("sendMessage") == []


def test_edit_pin_and_private_messages_report_failure_instead_of_raising(fake: FakeBotApi) -> None:
    async def work(poster: TelegramPoster) -> tuple[bool, bool, bool, str | None]:
        ref = await poster.post(CHAT, Reply("board"))
        assert ref is not None
        same = await poster.edit(CHAT, ref, Reply("board"))  # Telegram: "message is not modified"
        fake.delete(GROUP, int(ref))
        gone = await poster.edit(CHAT, ref, Reply("board v2"))
        pinned = await poster.pin(CHAT, ref)
        private = await poster.send_private("tg:1001", Reply("your export is ready"))
        return same, gone, pinned, private

    same, gone, pinned, private = with_poster(fake, work)
    assert (same, gone, pinned) == (True, False, False)
    assert private is not None and fake.of("sendMessage")[-1].params["chat_id"] == 1001
