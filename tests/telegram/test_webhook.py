"""Webhook mode: PTB's own webhook server receives updates the way Telegram posts them.

The adapter registers TELEGRAM_WEBHOOK_URL with setWebhook (with the secret); the test posts
updates to the local listener as Telegram would, with and without the secret header.
"""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest

from bot.settings import Settings
from bot.telegram.adapter import serve
from bot.telegram.updates import check_webhook
from commands.core.dispatcher import Dispatcher
from commands.core.poster import ChatPoster
from tests.telegram.conftest import ANNA, GROUP, row_counts
from tests.telegram.fake_bot_api import Call, FakeBotApi, parse_html

SECRET = "wh_secret-0123456789"
HOOK = "https://hub.example.org/tg/hook-7f3a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def webhook_settings(api: FakeBotApi, port: int, **extra: object) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=api.token,
        telegram_base_url=api.url,
        telegram_webhook_url=HOOK,
        telegram_webhook_secret=SECRET,
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=port,
        **extra,
    )


async def post(port: int, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with httpx.AsyncClient() as client:
        for _ in range(100):  # the listener starts right after setWebhook
            try:
                answer = await client.post(
                    f"http://127.0.0.1:{port}/tg/hook-7f3a", content=json.dumps(update), headers=headers
                )
                return answer.status_code
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
    raise AssertionError("the webhook listener never started")


def test_updates_posted_to_the_webhook_are_answered_and_a_wrong_secret_is_refused(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    port = free_port()

    async def scenario() -> tuple[Call, list[int], dict[str, int], dict[str, int]]:
        stop = asyncio.Event()
        posters: dict[str, ChatPoster] = {}
        task = asyncio.create_task(serve(hub, webhook_settings(fake, port), stop, posters))
        try:
            await asyncio.to_thread(fake.wait_for, "setWebhook")
            join = fake.numbered(fake.message_update(GROUP, ANNA, "/join NL Anna"))
            codes = [await post(port, join, SECRET)]
            answer = (
                await asyncio.to_thread(
                    fake.wait_for, "sendMessage", lambda c: "Welcome" in c.params.get("text", "")
                )
            )[0]
            while row_counts(hub)["pinned_boards"] == 0:  # the live board settles in on its own
                await asyncio.sleep(0.02)
            before = row_counts(hub)
            forged = fake.numbered(fake.message_update(GROUP, ANNA, "/join NL Mallory"))
            codes.append(await post(port, forged, "not-the-secret"))
            codes.append(await post(port, forged, None))
            await asyncio.sleep(0.5)  # time for the forged updates to be (wrongly) processed
            after = row_counts(hub)
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)
        return answer, codes, before, after

    answer, codes, before, after = asyncio.run(scenario())
    hook = fake.of("setWebhook")[0].params
    assert hook["url"] == HOOK and hook["secret_token"] == SECRET
    assert fake.of("getUpdates") == []  # no long polling beside the webhook
    assert codes == [200, 403, 403]
    assert "Anna (NL)" in parse_html(answer.params["text"])
    assert after == before  # nothing of the forged updates was stored


@pytest.mark.parametrize(
    ("url", "secret", "complaint"),
    [
        (HOOK, None, "needs TELEGRAM_WEBHOOK_SECRET"),
        (HOOK, "has spaces in it", "needs TELEGRAM_WEBHOOK_SECRET"),
        ("http://hub.example.org/tg", SECRET, "must be an https:// URL"),
    ],
)
def test_webhook_settings_that_would_be_unsafe_stop_the_start(
    url: str, secret: str | None, complaint: str
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token="123:abc",
        telegram_webhook_url=url,
        telegram_webhook_secret=secret,
    )
    with pytest.raises(ValueError, match=complaint):
        check_webhook(settings)
