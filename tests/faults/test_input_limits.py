"""Input limits and Unicode tricks: a clear answer, nothing lost, nothing fetched that should not be."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest
from sqlmodel import select

from bot.logsafe import RedactSecrets, configure_logging
from bot.settings import Settings
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from commands.core.seam import Invocation
from extraction.fetch.archive import WarcArchive
from extraction.unicode_safety import clean_text
from storage.engine import make_engine
from storage.models import Finding, Submission
from tests.warcs import html, write_warc

_keys = count()


def say(text: str, user: str = "tg:1") -> Invocation:
    return Invocation(
        participant_id=user,
        platform="telegram",
        chat_id="telegram:thb",
        text=text,
        ts=datetime(2025, 9, 15, 9, 0, tzinfo=UTC),
        message_key=f"m{next(_keys)}",
        participant_name="Anna",
        country=None,
    )


@pytest.fixture
def hub(tmp_path: Path, sqlite_url: str) -> Dispatcher:
    warc = write_warc(
        tmp_path / "p.warc.gz", {"https://example.nl/ad/1": (200, "text/html", html("hello"), None)}
    )
    config = HubConfig(
        allowed_chats=frozenset({"telegram:thb"}),
        messages_per_minute=5,
        max_links_per_message=3,
        max_message_chars=500,
    )
    hub = Dispatcher(
        engine=make_engine(sqlite_url), fetcher=WarcArchive([warc]), registry=load_registry(), config=config
    )
    hub.handle(say("/join NL Anna"))
    return hub


def test_a_flooding_participant_is_told_to_slow_down_and_the_message_is_kept(hub: Dispatcher) -> None:
    for n in range(5):
        assert hub.handle(say(f"note {n}")) == []  # chat without links: stored, no answer
    last = hub.handle(say("note 5"))[0]
    assert "Slow down" in last.text
    with hub.session() as session:
        kept = session.exec(select(Submission).where(Submission.text == "note 5")).one()
    assert kept.status == "refused" and kept.error == "rate limited"


def test_only_the_first_links_are_processed_and_the_reply_says_so(hub: Dispatcher) -> None:
    text = " ".join(f"https://example.nl/ad/{n}" for n in range(1, 6))
    reply = hub.handle(say(text))[0]
    assert "Only the first 3 links were processed" in reply.text
    with hub.session() as session:
        assert len(session.exec(select(Finding)).all()) == 3


def test_a_very_long_message_is_checked_up_to_the_limit(hub: Dispatcher) -> None:
    reply = hub.handle(say("x" * 2_000 + " https://example.nl/ad/1"))[0]
    assert "Only the first 500 characters were checked" in reply.text


@pytest.mark.parametrize(
    ("text", "bidi", "invisible"),
    [
        ("https://exa\u200bmple.nl/ad/1", 0, 1),
        ("\u202ehttps://example.nl/ad/1", 1, 0),
        ("+31\u2060 6 1234\ufeff 5678", 0, 2),
        ("plain text", 0, 0),
    ],
)
def test_bidi_overrides_and_invisible_characters_are_removed_and_named(
    text: str, bidi: int, invisible: int
) -> None:
    cleaned = clean_text(text)
    assert (cleaned.removed_bidi, cleaned.removed_invisible) == (bidi, invisible)
    assert "\u200b" not in cleaned.text and "\u202e" not in cleaned.text
    assert (cleaned.note is None) == (bidi + invisible == 0)


def test_a_zero_width_split_link_is_still_deconflicted(hub: Dispatcher) -> None:
    hub.handle(say("https://example.nl/ad/1"))
    reply = hub.handle(say("https://exa\u200bmple.nl/ad/1"))[0]
    assert "#1 already reported" in reply.text and "invisible" in reply.text


def test_secrets_never_reach_the_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "123456:AAE-secret-telegram-token"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "slack-signing-secret-value")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert token not in repr(settings) and token not in str(settings.model_dump())
    redact = RedactSecrets([token, "slack-signing-secret-value"])
    caplog.handler.addFilter(redact)
    log = logging.getLogger("telegram.ext")
    log.warning("POST https://api.telegram.org/bot%s/getUpdates failed", token)
    try:
        raise RuntimeError(f"bad signature slack-signing-secret-value for {token}")
    except RuntimeError:
        log.exception("handler crashed")
    assert token not in caplog.text and "slack-signing-secret-value" not in caplog.text
    assert "bot***/getUpdates" in caplog.text
    configure_logging(settings)  # the real wiring installs the same filter on the root handlers
    assert any(isinstance(f, RedactSecrets) for h in logging.getLogger().handlers for f in h.filters)


def test_a_placeholder_secret_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "changeme")
    with pytest.raises(ValueError, match="placeholder"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_every_secret_setting_is_redacted_from_the_logs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each SecretStr setting is in the log filter's list (a new one must not be forgotten)."""
    from pydantic import SecretStr

    from bot.logsafe import secrets_of

    values = {}
    for name, field in Settings.model_fields.items():
        if "SecretStr" in str(field.annotation):
            values[name] = f"value-of-{name}-0123456789"
            monkeypatch.setenv(name.upper(), values[name])
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert "telegram_webhook_secret" in values and isinstance(settings.telegram_webhook_secret, SecretStr)
    assert sorted(secrets_of(settings)) == sorted(values.values())
