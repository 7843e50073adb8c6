"""Echoed identifiers reach Telegram as `<code>` (tap to copy, never a link), hosts defanged
everywhere — the look-alike refusal too — and nothing echoed is read as markup."""

from __future__ import annotations

import asyncio
import re

from commands.core.dispatcher import Dispatcher
from tests.telegram.conftest import AD, ANNA, GROUP, serving, until
from tests.telegram.fake_bot_api import Call, FakeBotApi, parse_html
from tests.telegram.test_adapter import join, paste


def raw(call: Call) -> str:
    return str(call.params.get("text", ""))


def test_identifiers_are_code_and_hosts_are_defanged_in_the_verdict(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    message = (
        f"look at {AD} and https://www.іnstagram.com/anna.k — "  # Cyrillic і: a look-alike host
        "she writes from anna.k@mail.de, +49 151 23456789, @star_girl"
    )

    async def scenario() -> Call:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            return (await paste(fake, ANNA, message, "#1 new"))[1]

    markup = raw(asyncio.run(scenario()))
    for value in ("+31612345678", "anna.k@mail.de", "+4915123456789", "telegram:star_girl"):
        assert f"<code>{value}</code>" in markup, value
    # The refusal names the look-alike and its brand, both defanged, as every host outside code.
    assert "www[.]іnstagram[.]com imitates instagram[.]com" in markup
    outside_code = re.sub(r"<code>.*?</code>", "", markup)
    assert not re.search(r"\w\.(com|nl|de)\b", parse_html(outside_code))


def test_an_echoed_value_is_never_formatted(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> Call:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            update = fake.send(GROUP, ANNA, "/lookup telegram:*star*girl")
            message_id = update["message"]["message_id"]
            calls = await until(
                fake,
                "sendMessage",
                lambda c: (c.params.get("reply_parameters") or {}).get("message_id") == message_id,
            )
            return calls[0]

    markup = raw(asyncio.run(scenario()))
    assert "<b>" not in markup and "<code>telegram:*star*girl</code>" in markup
