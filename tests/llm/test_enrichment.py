"""The LLM's second opinion through the real hub and the fake OpenAI-compatible server over HTTP."""

from __future__ import annotations

import threading

from sqlmodel import select

from storage import enrichments
from storage.findings import reports_of
from storage.models import FindingIndicator, Identifier
from tests.llm.conftest import AD_URL, HubFactory, good_answer, say
from tests.llm.fake_openai import FakeOpenAI


def indicators(hub: object, finding_id: int = 1) -> dict[str, tuple[str, str]]:
    with hub.session() as session:  # type: ignore[attr-defined]
        rows = session.exec(select(FindingIndicator).where(FindingIndicator.finding_id == finding_id))
        return {row.code: (row.source, row.evidence) for row in rows}


def test_structured_answer_is_parsed_and_stored_with_model_and_prompt_version(
    make_hub_on: HubFactory, fake: FakeOpenAI
) -> None:
    hub = make_hub_on(fake)
    reply = hub.handle(say(f"check {AD_URL}"))[0]
    assert "#1 new" in reply.text
    assert hub.enricher is not None and hub.enricher.drain(10) == 0

    body = fake.requests[0]
    assert fake.paths == ["/v1/chat/completions"]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "FindingExtraction"
    with hub.session() as session:
        row = enrichments.enrichment_of(1, session=session)
    assert row is not None and row.status == "done"
    assert (row.model, row.prompt_version) == ("openai:test-model", "finding_extraction.v1")
    assert (row.language, row.platform_kind_guess, row.confidence) == ("en", "escort", 0.7)
    assert row.summary.startswith("Escort ad by a woman")
    found = indicators(hub)
    assert found["restricted"] == ("llm", "visits only at my apartment, I never leave it")
    assert found["debt"] == ("llm", "I pay him back every week")
    # The rules found "new in town" themselves: their row stays, the model's agreement adds nothing.
    assert found["new_in_town"][0] == "lexicon"


def test_invented_identifiers_unknown_codes_and_quotes_not_on_the_page_are_dropped(
    make_hub_on: HubFactory, fake: FakeOpenAI
) -> None:
    fake.structured = {
        **good_answer(),
        "identifiers": [{"kind": "phone", "value": "+31699990000"}],  # not in the schema at all
        "indicators": [
            {"code": "third_party", "evidence": "call our manager on +31 6 9999 0000"},
            {"code": "organ_sale", "evidence": "new in town"},
            {"code": "debt", "evidence": "I  PAY him back\nevery week"},  # spacing/case differ: kept
        ],
    }
    hub = make_hub_on(fake)
    hub.handle(say(f"check {AD_URL}"))
    assert hub.enricher is not None and hub.enricher.drain(10) == 0

    found = indicators(hub)
    assert set(found) == {"new_in_town", "debt"}
    assert found["debt"][0] == "llm"
    with hub.session() as session:
        values = set(session.exec(select(Identifier.value)))
    assert values == {"+31612345678", "anna.vip@mail.com"}


def test_identifiers_found_by_the_rules_are_masked_before_sending(
    make_hub: HubFactory, fake: FakeOpenAI
) -> None:
    fake.structured = {
        **good_answer(),
        "indicators": [{"code": "third_party", "evidence": "Call [phone 1] or mail [email 1]"}],
    }
    hub = make_hub(fake)
    hub.handle(say(f"check {AD_URL}"))
    assert hub.enricher is not None and hub.enricher.drain(10) == 0

    sent = fake.sent_text()
    assert "[phone 1]" in sent and "[email 1]" in sent
    for secret in ("1234 5678", "612345678", "anna.vip@mail.com"):
        assert secret not in sent
    # A quote of masked text is checked and stored as the page wrote it.
    assert indicators(hub)["third_party"] == ("llm", "Call +31 6 1234 5678 or mail anna.vip@mail.com")


def test_with_redaction_off_the_page_goes_as_written(make_hub: HubFactory, fake: FakeOpenAI) -> None:
    hub = make_hub(fake, redact=False)
    hub.handle(say(f"check {AD_URL}"))
    assert hub.enricher is not None and hub.enricher.drain(10) == 0
    assert "+31 6 1234 5678" in fake.sent_text() and "[phone 1]" not in fake.sent_text()


def test_the_verdict_is_answered_while_the_model_is_still_thinking(
    make_hub: HubFactory, fake: FakeOpenAI
) -> None:
    fake.hold = threading.Event()
    hub = make_hub(fake, timeout_s=30)
    reply = hub.handle(say(f"check {AD_URL}"))[0]
    assert "#1 new" in reply.text and "🤖" not in reply.text
    with hub.session() as session:
        row = enrichments.enrichment_of(1, session=session)
    # Had the reply waited for the model, the model would have answered (or timed out) by now.
    assert row is not None and row.status == "pending"
    fake.hold.set()
    assert hub.enricher is not None and hub.enricher.drain(10) == 0
    with hub.session() as session:
        row = enrichments.enrichment_of(1, session=session)
    assert row is not None and row.status == "done"


def test_a_slow_model_times_out_and_changes_nothing_else(make_hub: HubFactory, fake: FakeOpenAI) -> None:
    fake.hold = threading.Event()
    hub = make_hub(fake, timeout_s=0.3)
    hub.handle(say(f"check {AD_URL}"))
    assert hub.enricher is not None and hub.enricher.drain(10) == 0
    fake.hold.set()
    with hub.session() as session:
        row = enrichments.enrichment_of(1, session=session)
    assert row is not None and row.status == "timeout" and "0.3 s" in (row.error or "")
    assert indicators(hub) == {"new_in_town": ("lexicon", "new in town")}


def test_a_failing_model_leaves_the_verdict_as_the_rules_made_it(
    make_hub: HubFactory, fake: FakeOpenAI
) -> None:
    fake.status = 500
    hub = make_hub(fake)
    reply = hub.handle(say(f"check {AD_URL}"))[0]
    assert hub.enricher is not None and hub.enricher.drain(10) == 0
    assert len(fake.requests) == 1  # no retries: the deadline is the deadline
    assert "#1 new" in reply.text and "new_in_town" in reply.text
    with hub.session() as session:
        row = enrichments.enrichment_of(1, session=session)
    assert row is not None and row.status == "failed" and "500" in (row.error or "")
    assert indicators(hub) == {"new_in_town": ("lexicon", "new in town")}


def test_a_finding_is_enriched_once_however_often_it_is_pasted(
    make_hub_on: HubFactory, fake: FakeOpenAI
) -> None:
    hub = make_hub_on(fake)
    first = say(f"check {AD_URL}")
    hub.handle(first)
    hub.handle(first)  # the same delivery again
    hub.handle(say(f"{AD_URL}?utm_source=x"))  # a second report of the same page
    assert hub.enricher is not None and hub.enricher.drain(10) == 0
    assert len(fake.requests) == 1
    with hub.session() as session:
        assert len(reports_of(1, session=session)) == 2
