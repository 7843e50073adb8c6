"""The digest narrative: the model's paragraph when it answers, the template alone when it does not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commands.digest.narrative import digest_narrative, digest_narrator, narrated_digest
from tests.llm.conftest import AD_URL, HubFactory, say
from tests.llm.fake_openai import FakeOpenAI

FACTS = "Morning digest\n• 12 findings, 3 new networks\n• most active: example.nl, phone +31 6 1234 5678"


def test_the_narrative_comes_from_the_model_and_identifiers_are_masked(
    make_hub: HubFactory, fake: FakeOpenAI
) -> None:
    fake.text = "Twelve findings; three new networks. Look at [phone 1] on https://example.nl/x first."
    hub = make_hub(fake)
    narrative = digest_narrative(hub.enricher, FACTS)
    assert (
        narrative
        == "Twelve findings; three new networks. Look at +31 6 1234 5678 on hxxps://example[.]nl/x first."
    )
    assert "response_format" not in fake.requests[0]  # free text, not structured output
    sent = fake.sent_text()
    assert "12 findings, 3 new networks" in sent and "[phone 1]" in sent and "1234 5678" not in sent
    assert narrated_digest(hub.enricher, FACTS).startswith("🤖 Twelve findings")


@pytest.mark.parametrize("status", [500, 404])
def test_without_an_answer_the_digest_is_the_template(
    make_hub: HubFactory, fake: FakeOpenAI, status: int
) -> None:
    fake.status = status
    hub = make_hub(fake)
    assert digest_narrative(hub.enricher, FACTS) is None
    assert len(fake.requests) == 1  # asked once, no retry
    assert narrated_digest(hub.enricher, FACTS) == FACTS


def test_without_an_llm_nothing_is_asked(make_hub: HubFactory) -> None:
    hub = make_hub(None)
    assert digest_narrative(hub.enricher, FACTS) is None and narrated_digest(hub.enricher, FACTS) == FACTS
    assert digest_narrator(hub.enricher, str) is None


def test_the_digest_uses_the_narrative_through_its_hook(make_hub: HubFactory, fake: FakeOpenAI) -> None:
    digest = pytest.importorskip("commands.digest.command")
    render = pytest.importorskip("commands.digest.text").render
    hub = make_hub(fake)
    hub.handle(say(f"check {AD_URL}"))
    assert hub.enricher is not None and hub.enricher.drain(10) == 0
    now = datetime(2025, 9, 15, 19, 0, tzinfo=UTC)

    def build(narrative: object) -> str:
        reply = digest.build_digest(
            hub.session,
            slot="evening",
            now=now,
            since=None,
            timezone="Europe/Amsterdam",
            narrative=narrative,
            chart=False,
        )
        return str(reply.text)

    template = build(None)
    fake.text = "One new escort ad today; nothing links it to earlier findings yet."
    assert fake.text in build(digest_narrator(hub.enricher, render))
    # What went to the model is the digest's own text, as the template renders it.
    assert template.splitlines()[0] in fake.sent_text() and template.splitlines()[-1] in fake.sent_text()
    fake.status = 500
    assert build(digest_narrator(hub.enricher, render)) == template
