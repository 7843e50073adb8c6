"""Slack's own conventions at the wire: identifiers in backticks with `verbatim`, `/hub …` in
every help text, answers and refusals ephemeral to the asker, a paste acknowledged by reaction."""

from __future__ import annotations

import re
import socket

import pytest

from bot.settings import Settings
from commands.core.dispatcher import Dispatcher
from tests.slack.fake_api import FakeSlack
from tests.slack.harness import PageServer, event_body, running_adapter
from tests.slack.test_slack_adapter import CHANNEL, fake, hub, join, pages, settings

__all__ = ["fake", "hub", "pages"]  # fixtures


def sections(params: dict[str, object]) -> list[dict[str, object]]:
    return [b["text"] for b in params["blocks"] if b["type"] == "section"]  # type: ignore[attr-defined,index]


def test_identifiers_are_code_spans_and_no_text_is_auto_linked(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        slack.event(event_body(f"look at <{pages.url('/ad/1')}>", user="UANNA", channel=CHANNEL))
        verdict = fake.wait_text("chat.postMessage", "new")
    texts = sections(verdict.params)
    assert texts and all(t["verbatim"] is True for t in texts)
    shown = "\n".join(str(t["text"]) for t in texts)
    assert "`+31612345678`" in shown and "`anna.vip@mail.com`" in shown


def test_help_and_usage_texts_name_commands_the_slack_way(hub: Dispatcher, fake: FakeSlack) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        slack.slash("", user="UNEW", channel=CHANNEL)  # bare `/hub` is help
        help_text = str(fake.wait_text("chat.postEphemeral", "join").params["text"])
        slack.slash("join", user="UNEW", channel=CHANNEL)  # usage: no country
        usage = str(fake.wait_text("chat.postEphemeral", "Usage").params["text"])
        join(slack, fake, "UANNA", "NL Anna")
        welcome = str(fake.wait_text("chat.postEphemeral", "Welcome").params["text"])
    for text in (help_text, usage, welcome):
        assert "/hub " in text
        assert not re.search(r"(?<!/hub )/(join|help|status|network|lookup)\b", text), text


def test_command_answers_go_to_the_asker_unless_shared(hub: Dispatcher, fake: FakeSlack) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        slack.slash("leaderboard", user="UANNA", channel=CHANNEL)
        mine = fake.wait_text("chat.postEphemeral", "Leaderboard — 1 participant\n")
        slack.slash("leaderboard share", user="UANNA", channel=CHANNEL)
        shared = fake.wait_text("chat.postMessage", "Leaderboard — 1 participant\n🥇")
    assert mine.params["user"] == "UANNA" and mine.params["channel"] == CHANNEL
    assert shared.params["channel"] == CHANNEL and "user" not in shared.params
    assert (
        len([c for c in fake.of("chat.postMessage") if "🥇 Anna" in str(c.params["text"])]) <= 2
    )  # board + share


def test_a_paste_is_acknowledged_by_a_reaction_and_a_strangers_refusal_is_ephemeral(
    hub: Dispatcher, fake: FakeSlack, pages: PageServer
) -> None:
    with running_adapter(hub, settings(fake)) as slack:
        join(slack, fake, "UANNA", "NL Anna")
        paste = event_body(pages.url("/ad/1"), user="UANNA", channel=CHANNEL)
        slack.event(paste)
        fake.wait_text("chat.postMessage", "new")
        slack.event(event_body(pages.url("/ad/2"), user="UMAL", channel=CHANNEL))  # never joined
        refusal = fake.wait_text("chat.postEphemeral", "Nothing was recorded")
    reaction = fake.wait_for("reactions.add")[0]
    assert reaction.params["name"] == "eyes" and reaction.params["timestamp"] == paste["event"]["ts"]
    assert refusal.params["user"] == "UMAL"
    assert not [c for c in fake.of("chat.postMessage") if "Nothing was recorded" in str(c.params["text"])]
    assert not [
        c for c in fake.of("chat.postMessage") if "checking" in str(c.params["text"])
    ]  # no ack message


def test_http_mode_listens_on_loopback_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(_env_file=None).slack_http_listen == "127.0.0.1"  # type: ignore[call-arg]
    monkeypatch.setenv("SLACK_HTTP_LISTEN", "0.0.0.0")
    assert Settings(_env_file=None).slack_http_listen == "0.0.0.0"  # type: ignore[call-arg]


def test_the_http_listener_is_not_reachable_from_another_interface(hub: Dispatcher, fake: FakeSlack) -> None:
    outside = _non_loopback_address()
    if outside is None:
        pytest.skip("this machine has no address besides loopback")
    config = settings(fake)
    with running_adapter(hub, config):
        with socket.socket() as probe:
            probe.settimeout(2)
            assert probe.connect_ex((outside, config.slack_http_port)) != 0
        with socket.create_connection(("127.0.0.1", config.slack_http_port), timeout=2):
            pass


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = str(udp.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address
