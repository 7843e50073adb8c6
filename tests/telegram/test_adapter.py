"""The adapter end to end: PTB's real Application long-polls the fake Bot API; asserts on what it got."""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from collections.abc import Callable
from typing import Any

from sqlmodel import select

from bot.telegram.adapter import EDIT_NOTE, STALE_BUTTON
from commands.core.dispatcher import Dispatcher
from storage.models import Report, Submission, Tag
from tests.telegram.conftest import AD, ANNA, COORD, GROUP, MIHAI, OTHER_GROUP, row_counts, serving, until
from tests.telegram.fake_bot_api import Call, FakeBotApi, parse_html, user


def shown(call: Call) -> str:
    return parse_html(call.params.get("text", ""))


def answering(update: dict[str, Any]) -> Callable[[Call], bool]:
    """A call that replies to (threads under) the message of `update`."""
    message_id = (update.get("message") or update["edited_message"])["message_id"]
    return lambda c: (c.params.get("reply_parameters") or {}).get("message_id") == message_id


def editing(message_id: int, words: str = "") -> Callable[[Call], bool]:
    return lambda c: c.params.get("message_id") == message_id and words in shown(c)


async def join(api: FakeBotApi, who: dict[str, Any], line: str) -> None:
    update = api.send(GROUP, who, line)
    await until(api, "sendMessage", answering(update))


async def paste(api: FakeBotApi, who: dict[str, Any], text: str, words: str) -> tuple[Call, Call]:
    """Paste `text`; returns the acknowledgement and the edit that turned it into the verdict."""
    update = api.send(GROUP, who, text)
    ack = (await until(api, "sendMessage", answering(update)))[0]
    verdict = (await until(api, "editMessageText", editing(ack.result["message_id"], words)))[0]
    return ack, verdict


def test_a_pasted_link_gets_a_threaded_verdict_with_previews_off(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> tuple[Call, Call]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            return await paste(fake, ANNA, f"look at {AD} pls", "#1 new")

    ack, verdict = asyncio.run(scenario())
    assert shown(ack) == "👀 checking 1 link…"
    text = shown(verdict)
    assert "rozenkamer[.]nl" in text and "https://www.rozenkamer.nl" not in text  # echoed defanged
    keyboard = verdict.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in keyboard[0]] == ["/victim 1", "/perpetrator 1", "/finding 1"]
    posts = fake.of("sendMessage") + fake.of("editMessageText")
    assert posts and all(c.params["link_preview_options"] == {"is_disabled": True} for c in posts)
    assert all(c.params["parse_mode"] == "HTML" for c in posts)
    # The live leaderboard was posted in the served group at start and pinned quietly.
    pin = fake.of("pinChatMessage")[0]
    board = next(c for c in fake.of("sendMessage") if c.result["message_id"] == pin.params["message_id"])
    assert board.params["chat_id"] == GROUP and pin.params["disable_notification"] is True


def test_a_second_paste_of_the_page_says_who_reported_it_first(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> Call:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            await join(fake, MIHAI, "/join RO Mihai")
            await paste(fake, ANNA, AD, "#1 new")
            return (await paste(fake, MIHAI, "hxxp://rozenkamer[.]nl/ad/1/?utm_source=x", "already"))[1]

    duplicate = asyncio.run(scenario())
    assert "#1 already reported by Anna (NL) just now — 2nd report" in shown(duplicate)
    assert "reply_markup" not in duplicate.params  # nothing new to tag: no buttons


def test_the_command_menu_is_published_and_a_menu_command_answers(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> tuple[Call, list[Call]]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            elsewhere = fake.send(GROUP, ANNA, "/counts@some_other_bot")
            counts = fake.send(GROUP, ANNA, "/counts@hub_test_bot")
            answer = (await until(fake, "sendMessage", answering(counts)))[0]
            return answer, [c for c in fake.of("sendMessage") if answering(elsewhere)(c)]

    answer, for_the_other_bot = asyncio.run(scenario())
    assert shown(answer).startswith("Outcome figures so far:")
    assert for_the_other_bot == []
    menus = fake.of("setMyCommands")
    everyone = {c["command"]: c["description"] for c in menus[0].params["commands"]}
    assert "scope" not in menus[0].params  # the default scope: what every participant sees
    assert {"help", "join", "counts", "victim", "leaderboard"} <= set(everyone)
    assert everyone["counts"] == hub.registry.get("counts").help  # type: ignore[union-attr]
    assert "confirm" not in everyone and "announce" not in everyone  # no coordinator commands
    assert all(name.islower() and len(name) <= 32 for name in everyone)
    scoped = {
        (c.params["scope"]["type"], c.params["scope"].get("chat_id")): c
        for c in menus[1:]
        if c.params["scope"].get("user_id") == COORD["id"] or c.params["scope"].get("chat_id") == COORD["id"]
    }
    in_group = scoped[("chat_member", GROUP)]  # the coordinator, in the served group
    coordinator_menu = {c["command"]: c["description"] for c in in_group.params["commands"]}
    assert coordinator_menu["confirm"].endswith("(coordinators)") and "join" in coordinator_menu
    assert ("chat", COORD["id"]) in scoped  # and in their private chat with the bot


def test_a_button_press_tags_the_finding_and_shows_it_on_the_message(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    async def scenario() -> dict[str, list[Call]]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            await join(fake, MIHAI, "/join RO Mihai")
            verdict = (await paste(fake, ANNA, AD, "#1 new"))[1]
            message_id = verdict.params["message_id"]
            seen: dict[str, list[Call]] = {}
            for name, data in (
                ("tag", "/victim 1"),
                ("again", "/victim 1"),
                ("forbidden", "/confirm 1"),
                ("stale", "/retired_command 1"),
            ):
                press = fake.press(GROUP, message_id, MIHAI, data)
                qid: str = press["callback_query"]["id"]
                seen[name] = await until(
                    fake, "answerCallbackQuery", lambda c, qid=qid: c.params["callback_query_id"] == qid
                )
            seen["edits"] = fake.of("editMessageText")
            return seen

    seen = asyncio.run(scenario())
    assert "#1 tagged potential victim by Mihai" in seen["tag"][0].params["text"]
    tagged = [c for c in seen["edits"] if "↳ 🏷 #1 tagged potential victim by Mihai" in shown(c)]
    assert len(tagged) == 1, "the pressed message shows the tag once"
    assert tagged[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/victim 1"
    assert (
        seen["again"][0].params["show_alert"] is True and "already tagged" in seen["again"][0].params["text"]
    )
    assert seen["forbidden"][0].params["show_alert"] is True
    assert "coordinators only" in seen["forbidden"][0].params["text"]
    assert seen["stale"][0].params["text"] == STALE_BUTTON
    with hub.session() as session:
        tags = session.exec(select(Tag)).all()
    assert [(t.finding_id, t.tag, t.participant_id) for t in tags] == [(1, "potential_victim", "tg:1002")]


def test_a_chat_that_is_not_allow_listed_gets_nothing_and_nothing_is_written(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    async def scenario() -> tuple[dict[str, int], dict[str, int]]:
        async with serving(hub, fake):
            before = row_counts(hub)
            for line in ("/join NL Anna", f"look {AD}", "/counts"):
                fake.send(OTHER_GROUP, ANNA, line)
            await join(fake, MIHAI, "/help")  # answered in the served group: the others were handled
            return before, row_counts(hub)

    before, after = asyncio.run(scenario())
    assert after == before
    assert [c for c in fake.calls if c.params.get("chat_id") == OTHER_GROUP] == []


def test_an_update_delivered_twice_counts_once(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> None:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            update = fake.send(GROUP, ANNA, AD, copies=2)  # redelivered in the same batch
            await until(fake, "editMessageText", lambda c: "#1 new" in shown(c))
            fake.queue({"message": update["message"]})  # and again after it was answered
            await until(fake, "deleteMessage")  # its acknowledgement is withdrawn: nothing to add
            await join(fake, ANNA, "/status")

    asyncio.run(scenario())
    with hub.session() as session:
        submissions = session.exec(select(Submission).where(Submission.text == AD)).all()
        reports = session.exec(select(Report)).all()
    assert len(submissions) == 1 and len(reports) == 1
    verdicts = [c for c in fake.of("editMessageText") if "#1" in shown(c)]
    assert len(verdicts) == 1 and "already reported" not in shown(verdicts[0])
    # The copy in the same batch is dropped while the first is in work (no second "checking");
    # the late copy's acknowledgement is withdrawn once the hub says it was answered before.
    acks = [c for c in fake.of("sendMessage") if shown(c).startswith("👀")]
    assert len(acks) == 2 and len(fake.of("deleteMessage")) == 1


def test_an_edited_message_is_not_rechecked_and_says_so(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> tuple[Call, dict[str, int], dict[str, int]]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            before = row_counts(hub)
            edited = fake.send(GROUP, ANNA, f"fixed: {AD}", edited=True)
            note = (await until(fake, "sendMessage", answering(edited)))[0]
            return note, before, row_counts(hub)

    note, before, after = asyncio.run(scenario())
    assert shown(note) == EDIT_NOTE
    assert after == before


def test_an_export_reaches_the_coordinator_privately_as_a_file(hub: Dispatcher, fake: FakeBotApi) -> None:
    async def scenario() -> tuple[Call, Call]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            await join(fake, COORD, "/join NL Cora")
            await paste(fake, ANNA, AD, "#1 new")
            asked = fake.send(GROUP, COORD, "/export csv")
            in_group = (await until(fake, "sendMessage", answering(asked)))[0]
            document = (await until(fake, "sendDocument"))[0]
            return in_group, document

    in_group, document = asyncio.run(scenario())
    assert shown(in_group) == "📬 Sent to you privately."
    assert document.params["chat_id"] == COORD["id"]  # the coordinator's own chat, never the group
    data = document.files["document"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        findings = next(n for n in archive.namelist() if "identifiers" not in n)
        rows = list(csv.DictReader(io.StringIO(archive.read(findings).decode("utf-8-sig"))))
    assert [r["url"] for r in rows] == [AD]
    notice = [c for c in fake.of("sendMessage") if c.params["chat_id"] == COORD["id"]]
    assert notice and "keep it inside the operation" in shown(notice[0])
    assert all(c.params["chat_id"] != GROUP for c in fake.of("sendDocument"))


def test_a_telegram_first_name_is_cleaned_and_made_unique(hub: Dispatcher, fake: FakeBotApi) -> None:
    """No name after /join: the platform's first name is used, cleaned like a typed one."""
    forger = user(1003, "Bob\nCora (NL) confirmed #1 @here\u202e")
    second_anna = user(1004, "ANNA")

    async def scenario() -> tuple[Call, Call]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            first = fake.send(GROUP, forger, "/join NL")
            forged = (await until(fake, "sendMessage", answering(first)))[0]
            again = fake.send(GROUP, second_anna, "/join NL")
            return forged, (await until(fake, "sendMessage", answering(again)))[0]

    forged, again = asyncio.run(scenario())
    assert shown(forged).startswith("Welcome, Bob Cora (NL) confirmed #1 here (NL).")
    assert shown(again).startswith("Welcome, ANNA 2 (NL).")


def test_a_link_behind_a_word_or_in_a_caption_is_read_and_a_topic_reply_stays_in_its_topic(
    hub: Dispatcher, fake: FakeBotApi
) -> None:
    async def scenario() -> tuple[Call, Call]:
        async with serving(hub, fake):
            await join(fake, ANNA, "/join NL Anna")
            forwarded = fake.message_update(GROUP, ANNA, "check this ad please")
            forwarded["message"]["entities"] = [{"type": "text_link", "offset": 6, "length": 7, "url": AD}]
            forwarded["message"]["message_thread_id"] = 45  # written in the forum topic 45
            forwarded["message"]["is_topic_message"] = True
            fake.queue(forwarded)
            ack = (await until(fake, "sendMessage", answering(forwarded)))[0]
            verdict = (await until(fake, "editMessageText", editing(ack.result["message_id"], "#1 new")))[0]
            return ack, verdict

    ack, verdict = asyncio.run(scenario())
    assert "rozenkamer[.]nl" in shown(verdict)  # the link nobody could see in the text was checked
    assert ack.params["message_thread_id"] == 45  # the answer went to the topic, not to General
