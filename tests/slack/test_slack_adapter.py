"""The Slack adapter end to end: signed requests into Bolt (HTTP mode), the real hub and database,
pages from a local server, and a fake Slack Web API that records what Slack would receive."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from bot.settings import Settings
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher
from storage.engine import make_engine
from storage.models import Finding, Report, Submission, Tag
from tests.slack.fake_api import Call, FakeSlack
from tests.slack.harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    PageServer,
    event_body,
    free_port,
    running_adapter,
    signed_headers,
)
from tests.warcs import html

CHANNEL = "CTHB01"
OTHER_CHANNEL = "COTHER9"
BOARD = "🏆 Leaderboard"
AD = html("Anna, 23, new in town. Call +31 6 1234 5678 or mail anna.vip@mail.com")


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer({"/ad/1": AD.decode(), "/ad/2": html("Maria, call +40 721 234 567").decode()})
    yield server
    server.close()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack.running() as api:
        yield api


@pytest.fixture
def hub(db_url: str) -> Dispatcher:
    return Dispatcher(
        engine=make_engine(db_url),
        fetcher=NetworkFetcher(FetchPolicy(allow_private=True, timeout_s=30)),
        registry=load_registry(),
        config=HubConfig(
            allowed_chats=frozenset({f"slack:{CHANNEL}", "telegram:thb"}),
            coordinators=frozenset({"slack:UCOORD"}),
            allow_private_targets=True,
        ),
    )


def settings(fake: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_mode="http",
        slack_http_port=free_port(),
        slack_api_url=fake.api_url,
    )


def row_counts(hub: Dispatcher) -> dict[str, int]:
    """Rows per table, leaving out the live leaderboard's own bookkeeping (it runs on its own)."""
    with hub.engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one()
            for t in inspect(hub.engine).get_table_names()
            if t not in ("alembic_version", "pinned_boards")
        }


def answers(fake: FakeSlack) -> list[Call]:
    """What the bot said in answer to people: every call except the pinned leaderboard's."""
    board = {str(c.answer.get("ts")) for c in fake.of("chat.postMessage") if BOARD in str(c.params["text"])}
    return [
        c
        for c in fake.calls
        if c.method not in ("pins.add", "auth.test", "apps.connections.open")  # pins; who the bot is
        and str(c.answer.get("ts")) not in board
        and not (c.method == "chat.update" and str(c.params.get("ts")) in board)
    ]


def join(slack: object, fake: FakeSlack, user: str, words: str) -> None:
    from tests.slack.harness import SlackSide

    assert isinstance(slack, SlackSide)
    assert slack.slash(f"join {words}", user=user, channel=CHANNEL).status_code == 200
    fake.wait_text("chat.postEphemeral", f"({words.split()[0]})")  # the welcome is for the asker


def buttons_of(blocks: list[dict[str, object]]) -> list[dict[str, object]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]  # type: ignore[attr-defined]


def test_a_channel_paste_gets_a_threaded_block_kit_verdict_with_unfurls_off(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        body = event_body(f"look at <{pages.url('/ad/1')}>", user="UANNA", channel=CHANNEL)
        assert slack.event(body).status_code == 200
        verdict = fake.wait_text("chat.postMessage", "new")
    params = verdict.params
    assert verdict.token == BOT_TOKEN
    assert params["channel"] == CHANNEL
    assert params["thread_ts"] == body["event"]["ts"]  # the verdict is a thread reply to the paste
    assert params["unfurl_links"] is False and params["unfurl_media"] is False
    sections = [b for b in params["blocks"] if b["type"] == "section"]
    assert sections and sections[0]["text"]["type"] == "mrkdwn"
    shown = " ".join(s["text"]["text"] for s in sections) + params["text"]
    assert "http://127.0.0.1" not in shown  # echoed defanged
    assert "+31612345678" in shown or "+31 6" in shown
    values = [e["value"] for e in buttons_of(params["blocks"])]
    with hub.session() as session:
        finding = session.exec(select(Finding)).one()
    assert f"/victim {finding.id}" in values and f"/perpetrator {finding.id}" in values
    # Every message the bot posted kept unfurls off, not only the verdict.
    for call in fake.of("chat.postMessage") + fake.of("chat.postEphemeral"):
        assert call.params["unfurl_links"] is False and call.params["unfurl_media"] is False
    # The live leaderboard went up once in the channel and was pinned there.
    board = fake.wait_text("chat.postMessage", BOARD)
    assert board.params["channel"] == CHANNEL and "thread_ts" not in board.params
    pins = fake.wait_for("pins.add")
    assert [(p.params["channel"], p.params["timestamp"]) for p in pins] == [(CHANNEL, board.answer["ts"])]


def test_a_page_first_reported_on_telegram_is_a_duplicate_when_pasted_in_slack(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2, minutes=1)

    def telegram(text: str, key: str) -> Invocation:
        return Invocation("tg:1001", "telegram", "telegram:thb", text, two_hours_ago, key, "Anna")

    hub.handle(telegram("/join NL Anna", "tg:m1"))
    first = hub.handle(telegram(f"check {pages.url('/ad/1')}", "tg:m2"))[0]
    assert "new" in first.text
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UJONAS", "DE Jonas")
        slack.event(event_body(f"<{pages.url('/ad/1')}|ad>", user="UJONAS", channel=CHANNEL))
        answer = fake.wait_text("chat.postMessage", "already reported")
    assert "already reported by Anna (NL) 2 h ago" in answer.params["text"]
    with hub.session() as session:
        reports = session.exec(select(Report)).all()
    assert sorted(r.participant_id for r in reports) == ["slack:UJONAS", "tg:1001"]


def test_slash_status_is_acknowledged_before_its_work_finishes_even_while_a_fetch_hangs(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        pages.hold("/ad/2")
        paste = slack.event(event_body(pages.url("/ad/2"), user="UANNA", channel=CHANNEL))
        assert paste.status_code == 200
        pages.wait_requested("/ad/2")  # the fetch is running and cannot finish yet
        fake.hold("chat.postMessage")  # the status answer cannot be delivered yet either
        status = slack.slash("status", user="UANNA", channel=CHANNEL)
        # The acknowledgement came back while the status answer is still stuck at Slack's side
        # and the page is still held: the work runs after the ack, not before it.
        assert status.status_code == 200
        call = fake.wait_text("chat.postEphemeral", "Team:")  # for the asker, not the channel
        assert not [c for c in fake.of("chat.postMessage") if "new" in str(c.params["text"])]
        fake.release("chat.postMessage")
        pages.release("/ad/2")
        fake.wait_text("chat.postMessage", "new")
    assert call.params["channel"] == CHANNEL and "Anna (NL)" in call.params["text"]


@pytest.mark.skipif(load_registry().get("victim") is None, reason="/victim not registered yet")
def test_a_button_press_tags_the_finding_and_updates_the_message(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        slack.event(event_body(pages.url("/ad/1"), user="UANNA", channel=CHANNEL))
        verdict = fake.wait_text("chat.postMessage", "new")
        message = {"ts": verdict.answer["ts"], "thread_ts": verdict.params["thread_ts"], **verdict.params}
        victim = next(
            e for e in buttons_of(verdict.params["blocks"]) if str(e["value"]).startswith("/victim")
        )
        assert slack.press(victim, user="UANNA", channel=CHANNEL, message=message).status_code == 200
        update = fake.wait_for("chat.update")[0]
    assert update.params["ts"] == verdict.answer["ts"] and update.params["channel"] == CHANNEL
    log = [b for b in update.params["blocks"] if b["type"] == "context"]
    assert log and "victim" in log[0]["elements"][-1]["text"]
    assert buttons_of(update.params["blocks"]) == buttons_of(verdict.params["blocks"])
    with hub.session() as session:
        tags = session.exec(select(Tag)).all()
    assert [(t.tag, t.participant_id) for t in tags] == [("potential_victim", "slack:UANNA")]


def test_a_refused_button_press_is_answered_to_the_presser_only(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        slack.event(event_body(pages.url("/ad/1"), user="UANNA", channel=CHANNEL))
        verdict = fake.wait_text("chat.postMessage", "new")
        message = {"ts": verdict.answer["ts"], **verdict.params}
        confirm = next(
            e for e in buttons_of(verdict.params["blocks"]) if str(e["value"]).startswith("/confirm")
        )
        slack.press(confirm, user="UANNA", channel=CHANNEL, message=message)
        answer = fake.wait_for("chat.postEphemeral")[0]
    assert answer.params["user"] == "UANNA" and answer.params["channel"] == CHANNEL
    assert fake.of("chat.update") == []  # a refusal does not touch the shared message


def test_a_retried_event_counts_once_even_while_the_first_delivery_is_still_working(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        pages.hold("/ad/1")
        body = event_body(pages.url("/ad/1"), user="UANNA", channel=CHANNEL)
        assert slack.event(body).status_code == 200
        pages.wait_requested("/ad/1")
        assert slack.event(body, retry=1).status_code == 200  # Slack retries: same event_id
        pages.release("/ad/1")
        fake.wait_text("chat.postMessage", "new")
        assert slack.event(body, retry=2).status_code == 200  # and once more after the verdict
    # Leaving the block drained all acknowledged work: nothing more can arrive.
    verdicts = [c for c in fake.of("chat.postMessage") if c.params.get("thread_ts")]
    assert len(verdicts) == 1
    with hub.session() as session:
        pastes = session.exec(select(Submission).where(Submission.message_key.startswith("slack:Ev"))).all()  # type: ignore[attr-defined]
        assert len(pastes) == 1 and pastes[0].message_key == f"slack:{body['event_id']}"
        assert len(session.exec(select(Report)).all()) == 1


def test_a_request_with_a_bad_signature_is_refused_and_changes_nothing(
    hub: Dispatcher, fake: FakeSlack
) -> None:
    before = row_counts(hub)
    with running_adapter(hub, settings(fake)) as slack:
        body = b'{"type":"event_callback","event_id":"EvBAD","event":{"type":"message"}}'
        forged = signed_headers(body, secret="not-the-secret")
        bad = slack.http.post(
            "/slack/events", content=body, headers={**forged, "Content-Type": "application/json"}
        )
        stale = signed_headers(body, at=int(time.time()) - 3600)  # right secret, replayed an hour later
        old = slack.http.post(
            "/slack/events", content=body, headers={**stale, "Content-Type": "application/json"}
        )
        unsigned = slack.http.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json"}
        )
    assert (bad.status_code, old.status_code, unsigned.status_code) == (401, 401, 401)
    assert row_counts(hub) == before
    assert answers(fake) == []


def test_a_channel_that_is_not_allow_listed_gets_nothing_written(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        before = row_counts(hub)
        posted = len([c for c in answers(fake) if c.method == "chat.postMessage"])
        assert (
            slack.event(event_body(pages.url("/ad/1"), user="UANNA", channel=OTHER_CHANNEL)).status_code
            == 200
        )
        slack.slash("status", user="UANNA", channel=OTHER_CHANNEL)
        notice = fake.wait_text("chat.postEphemeral", "does not serve")
    assert row_counts(hub) == before
    assert len([c for c in answers(fake) if c.method == "chat.postMessage"]) == posted
    assert pages.requested == []  # not even fetched
    assert (
        notice.params["channel"] == OTHER_CHANNEL and "does not serve this channel" in notice.params["text"]
    )


def test_a_stranger_in_a_direct_message_gets_one_line_and_nothing_is_written(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    from commands.core.dispatcher import MEMBERS_ONLY

    members_only = MEMBERS_ONLY.replace("/join", "/hub join")  # Slack's spelling of the command

    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        slack.event(event_body(pages.url("/ad/1"), user="UANNA", channel=CHANNEL))
        fake.wait_text("chat.postMessage", "new")
        before = row_counts(hub)
        probes = ["join NL Mallory", "lookup +31 6 1234 5678", "finding 1", "leaderboard", "help"]
        for line in probes:
            assert slack.slash(line, user="UMAL", channel="DMAL1").status_code == 200
        slack.event(event_body(pages.url("/ad/2"), user="UMAL", channel="DMAL1"))
        slack.event(event_body("/lookup +31612345678", user="UMAL", channel="DMAL1"))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            said = [c for c in answers(fake) if members_only in str(c.params.get("text"))]
            if len(said) == len(probes) + 2:
                break
            time.sleep(0.05)
    assert row_counts(hub) == before
    assert pages.requested == ["/ad/1"]  # the stranger's link was not even fetched
    to_stranger = [
        c for c in answers(fake) if c.method.startswith("chat.") and c.params.get("channel") not in (CHANNEL,)
    ]
    assert len(to_stranger) == len(probes) + 2
    for call in to_stranger:
        text = str(call.params["text"])
        assert members_only in text and "\n" not in text.strip()
        assert "1234" not in text and "Anna" not in text and "#1" not in text
