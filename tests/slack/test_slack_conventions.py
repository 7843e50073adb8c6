"""Slack's own conventions at the wire: identifiers in backticks with `verbatim`, `/hub …` in
every help text, answers and refusals ephemeral to the asker, a paste acknowledged by reaction."""

from __future__ import annotations

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
