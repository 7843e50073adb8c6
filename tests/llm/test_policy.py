"""Pure rules of the LLM layer: which endpoints are local, which answers survive, what gets masked,
how prompts load. No model involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.llm.client import ChatLlm, LlmConfig, LlmRefused, endpoint, is_local_host, parse_model, redact
from extraction.llm.schema import FindingExtraction, QuotedIndicator, quote_on_page, vet
from prompts.loader import load_prompt


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("::1", True),
        ("[::1]", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("172.31.255.255", True),
        ("172.32.0.1", False),
        ("192.168.1.20", True),
        ("169.254.10.10", True),
        ("fe80::1", True),
        ("fd12:3456::1", True),
        ("gpu-box.local", True),
        ("api.openai.com", False),
        ("8.8.8.8", False),
        ("100.64.0.1", False),
        ("localhost.evil.com", False),
        ("ollama", False),  # a bare DNS name could resolve anywhere
    ],
)
def test_local_hosts(host: str, local: bool) -> None:
    assert is_local_host(host) is local


def test_a_remote_endpoint_is_refused_unless_allowed() -> None:
    remote = LlmConfig(model="openai:gpt-4o-mini", base_url="https://api.example.com/v1", api_key="sk-test")
    with pytest.raises(LlmRefused, match="LLM_ALLOW_REMOTE=true"):
        ChatLlm(remote)
    with pytest.raises(LlmRefused, match="not local"):
        endpoint(LlmConfig(model="openai:gpt-4o-mini"))  # OpenAI's own endpoint is remote
    allowed = LlmConfig(model="openai:gpt-4o-mini", base_url="https://api.example.com/v1", allow_remote=True)
    assert endpoint(allowed) == "https://api.example.com/v1"
    assert endpoint(LlmConfig(model="ollama:llama3.1")) == "http://127.0.0.1:11434"


def test_hub_start_stops_with_a_clear_message_on_a_remote_llm(tmp_path: Path) -> None:
    from bot.settings import Settings
    from bot.wiring import build_hub

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'hub.db'}",
        llm_model="openai:gpt-4o-mini",
        llm_base_url="https://llm.example.org/v1",
    )
    with pytest.raises(SystemExit, match=r"LLM endpoint llm\.example\.org is not local"):
        build_hub(settings)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("ollama:qwen2.5:7b", ("ollama", "qwen2.5:7b")),
        ("OpenAI:gpt-4o-mini", ("openai", "gpt-4o-mini")),
    ],
)
def test_model_specs(spec: str, expected: tuple[str, str]) -> None:
    assert parse_model(spec) == expected


@pytest.mark.parametrize("spec", ["llama3", "anthropic:claude", "ollama:", ""])
def test_bad_model_specs_are_refused(spec: str) -> None:
    with pytest.raises(LlmRefused, match="provider:model"):
        parse_model(spec)


PAGE = "Nieuw in de stad!\nBel  0612345678. Alleen   USDT, geen contant. 🍒"


@pytest.mark.parametrize(
    ("quote", "on_page"),
    [
        ("nieuw in de STAD", True),
        ("Alleen USDT, geen contant.", True),
        ("“Alleen USDT”", True),
        ("🍒", True),
        ("in", False),  # too short to mean anything
        ("Alleen BTC", False),
        ("", False),
    ],
)
def test_quotes_must_be_on_the_page(quote: str, on_page: bool) -> None:
    assert quote_on_page(quote, PAGE) is on_page


def answer(*items: tuple[str, str], language: str = "NL", kind: str = "escort") -> FindingExtraction:
    return FindingExtraction(
        language=language,
        summary="  An ad.  ",
        translation="New in town!",
        indicators=[QuotedIndicator(code=c, evidence=e) for c, e in items],
        platform_kind=kind,
        confidence=1.7,
    )


def test_vetting_keeps_known_codes_with_real_quotes_once() -> None:
    vetted = vet(
        answer(
            ("new_in_town", "Nieuw in de stad"),
            ("New_In_Town", "nieuw in de stad!"),
            ("crypto_only", "Alleen USDT"),
            ("kidnapping", "Alleen USDT"),
            ("debt", "you owe us"),
        ),
        PAGE,
    )
    assert [(i.code, i.evidence) for i in vetted.indicators] == [
        ("new_in_town", "Nieuw in de stad"),
        ("crypto_only", "Alleen USDT"),
    ]
    assert vetted.dropped == ("unknown code 'kidnapping'", "debt: quote not on the page")
    assert (vetted.language, vetted.platform_kind, vetted.confidence, vetted.summary) == (
        "nl",
        "escort",
        1.0,
        "An ad.",
    )


def test_vetting_drops_an_unknown_language_and_platform_kind() -> None:
    vetted = vet(answer(language="Dutch", kind="brothel"), PAGE)
    assert vetted.language is None and vetted.platform_kind is None


def test_a_quote_of_masked_text_is_checked_as_the_page_wrote_it() -> None:
    masked = redact(PAGE, [("phone", "+31612345678", "0612345678")])
    assert "0612345678" not in masked.text and "[phone 1]" in masked.text
    vetted = vet(answer(("obscured_contact", "Bel [phone 1]")), PAGE, unmask=masked.masks)
    assert [(i.code, i.evidence) for i in vetted.indicators] == [("obscured_contact", "Bel 0612345678")]


@pytest.mark.parametrize(
    ("text", "identifier", "hidden"),
    [
        ("call +31 6 1234 5678 now", ("phone", "+31612345678", "+31 6 1234 5678"), "1234 5678"),
        ("call 06-12 34 56 78 now", ("phone", "+31612345678", "+31 6 1234 5678"), "34 56 78"),
        ("mail ANNA.VIP@mail.com", ("email", "anna.vip@mail.com", "anna.vip@mail.com"), "ANNA.VIP"),
        ("tg: @Anna_VIP or t.me/anna_vip", ("handle", "telegram:anna_vip", "t.me/anna_vip"), "anna_vip"),
        ("pay bc1qxyz0000000000000000 only", ("wallet", "btc:bc1qxyz0000000000000000", ""), "bc1qxyz"),
    ],
)
def test_redaction_masks_every_spelling(text: str, identifier: tuple[str, str, str], hidden: str) -> None:
    masked = redact(text, [identifier])
    assert hidden.lower() not in masked.text.lower()
    assert f"[{identifier[0]} 1]" in masked.text


def test_prompts_load_by_name_with_their_version() -> None:
    prompt = load_prompt("finding_extraction")
    assert prompt.label == "finding_extraction.v1"
    system, user = prompt.render(url="u", platform_kind="escort", rule_indicators="none", page_text="{x} $y")
    assert "obscured_contact" in system and user.endswith("{x} $y\n>>>")
    with pytest.raises(KeyError):
        prompt.render(url="u")
    with pytest.raises(LookupError):
        load_prompt("no_such_prompt")
    with pytest.raises(LookupError, match="no version 9"):
        load_prompt("digest_narrative", 9)
