"""Who gets in over Telegram: a private chat serves only people who joined in a served group.

A stranger who finds the bot's name and writes to it privately gets one line and nothing is
written — not a participant, not a submission, not a chat — and no reply names an identifier,
a finding or a participant. A member who joined in the served group may use the private chat.
"""

from __future__ import annotations

import asyncio

from commands.core.dispatcher import JOIN_IN_TEAM_CHAT, MEMBERS_ONLY, Dispatcher
from tests.telegram.conftest import AD, ANNA, GROUP, row_counts, serving, until
from tests.telegram.fake_bot_api import Call, FakeBotApi, parse_html, user

MALLORY = user(6666, "Mallory")
PROBES = ("/join NL Mallory", "/lookup +31 6 1234 5678", "/finding 1", "/leaderboard", "/help", f"see {AD}")


def _final_texts(api: FakeBotApi, chat_id: int) -> list[str]:
    """What the chat shows in the end: each message the bot sent there, as last edited."""
    shown: dict[int, str] = {}
    for call in api.calls:
        if call.params.get("chat_id") == chat_id and call.method in ("sendMessage", "editMessageText"):
            key = call.params.get("message_id") or call.result["message_id"]
            shown[key] = parse_html(call.params.get("text", ""))
    return list(shown.values())


def test_a_stranger_in_a_private_chat_gets_one_line_and_nothing_is_written(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    fake.chat(MALLORY["id"], "private")

    async def scenario() -> tuple[dict[str, int], dict[str, int]]:
        async with serving(hub, fake):
            update = fake.send(GROUP, ANNA, "/join NL Anna")
            await until(
                fake,
                "sendMessage",
                lambda c: c.params.get("chat_id") == GROUP and "Welcome" in c.params["text"],
            )
            fake.send(GROUP, ANNA, AD)
            await until(fake, "editMessageText", lambda c: "#1 new" in parse_html(c.params["text"]))
            before = row_counts(hub)
            for line in PROBES:
                fake.send(MALLORY["id"], MALLORY, line)
            await until(
                fake, "sendMessage", lambda c: c.params.get("chat_id") == MALLORY["id"], n=len(PROBES)
            )
            await until(
                fake,
                "editMessageText",
                lambda c: (
                    c.params.get("chat_id") == MALLORY["id"] and MEMBERS_ONLY in parse_html(c.params["text"])
                ),
            )
            assert update
            return before, row_counts(hub)

    before, after = asyncio.run(scenario())
    assert after == before
    texts = _final_texts(fake, MALLORY["id"])
    assert len(texts) == len(PROBES)
    for text in texts:
        assert MEMBERS_ONLY in text and len(text.splitlines()) == 1
        assert "1234" not in text and "Anna" not in text and "Welcome" not in text and "#1" not in text


def test_a_member_who_joined_in_the_group_is_served_privately_but_cannot_join_there(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    fake.chat(ANNA["id"], "private")

    async def scenario() -> tuple[Call, Call]:
        async with serving(hub, fake):
            fake.send(GROUP, ANNA, "/join NL Anna")
            await until(fake, "sendMessage", lambda c: "Welcome" in c.params["text"])
            fake.send(ANNA["id"], ANNA, "/status")
            status = (await until(fake, "sendMessage", lambda c: "Team:" in c.params["text"]))[0]
            fake.send(ANNA["id"], ANNA, "/join DE Anna")
            again = (
                await until(fake, "sendMessage", lambda c: JOIN_IN_TEAM_CHAT in parse_html(c.params["text"]))
            )[0]
            return status, again

    status, again = asyncio.run(scenario())
    assert status.params["chat_id"] == ANNA["id"] and "Anna (NL)" in parse_html(status.params["text"])
    assert again.params["chat_id"] == ANNA["id"]
    with hub.session() as session:
        from storage.models import Participant

        assert session.get(Participant, f"tg:{ANNA['id']}").country == "NL"  # type: ignore[union-attr]
