"""Socket Mode, the default, end to end: the bot asks the fake Slack for a WebSocket
(apps.connections.open with the app token), dials it, acknowledges every envelope it receives
and answers through the Web API — the same adapter code as HTTP mode, another transport."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.settings import Settings
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from extraction.fetch.fetcher import FetchPolicy, NetworkFetcher
from storage.engine import make_engine
from tests.slack.fake_api import FakeSlack
from tests.slack.harness import BOT_TOKEN, PageServer, event_body, running_adapter, slash_form
from tests.warcs import html

CHANNEL = "CTHB01"
APP_TOKEN = "xapp-1-A1-test-socket"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack.running() as api:
        yield api


@pytest.fixture
def pages() -> Iterator[PageServer]:
    server = PageServer({"/ad/1": html("Anna, 23, new in town. Call +31 6 1234 5678").decode()})
    yield server
    server.close()


def socket_settings(fake: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_mode="socket",
        slack_api_url=fake.api_url,
    )


def test_socket_mode_acknowledges_envelopes_and_answers_a_command_and_a_paste(
    sqlite_url: str, fake: FakeSlack, pages: PageServer
) -> None:
    hub = Dispatcher(
        engine=make_engine(sqlite_url),
        fetcher=NetworkFetcher(FetchPolicy(allow_private=True, timeout_s=30)),
        registry=load_registry(),
        config=HubConfig(allowed_chats=frozenset({f"slack:{CHANNEL}"}), allow_private_targets=True),
    )

    def connected(failure: list[BaseException]) -> None:
        fake.wait_socket()
        assert not failure, failure

    with running_adapter(hub, socket_settings(fake), ready=connected):
        fake.push(
            {
                "envelope_id": "env-join",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": slash_form("join NL Anna", user="UANNA", channel=CHANNEL),
            }
        )
        assert fake.wait_ack("env-join")["envelope_id"] == "env-join"
        welcome = fake.wait_text("chat.postEphemeral", "(NL)")
        paste = event_body(f"look at <{pages.url('/ad/1')}>", user="UANNA", channel=CHANNEL)
        fake.push(
            {
                "envelope_id": "env-paste",
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": paste,
            }
        )
        fake.wait_ack("env-paste")
        verdict = fake.wait_text("chat.postMessage", "new")
    opened = fake.of("apps.connections.open")
    assert opened and opened[0].token == APP_TOKEN  # the app-level token opens the socket
    assert welcome.params["channel"] == CHANNEL and welcome.token == BOT_TOKEN
    assert verdict.params["thread_ts"] == paste["event"]["ts"]
    assert verdict.params["unfurl_links"] is False and verdict.params["unfurl_media"] is False
    assert "http://127.0.0.1" not in str(verdict.params["text"])  # the link is echoed defanged
