"""/victim, /perpetrator and /checked through the registry: idempotent, audited, counted."""

from __future__ import annotations

import pytest
from sqlmodel import select

from commands.core.dispatcher import Dispatcher
from commands.tags import platform_domain
from storage.models import PlatformCheck, Tag
from tests.commands.conftest import URL1, ask, audit_actions, state


def counts(hub: Dispatcher) -> str:
    return ask(hub, "/counts", user="tg:3").text


def test_tagging_counts_once_per_participant_and_is_audited(hub_both: Dispatcher) -> None:
    hub = hub_both
    ask(hub, URL1)
    reply = ask(hub, "/victim 1 three women, one phone", user="tg:2")
    assert "#1 tagged potential victim by Mihai" in reply.text and "Reported by Anna (NL)" in reply.text
    assert "potential victims: 1" in counts(hub)
    before = state(hub)
    again = ask(hub, "/victim #1", user="tg:2")  # the same button pressed twice
    assert "already tagged" in again.text and state(hub) == before
    ask(hub, "/victim 1", user="tg:3")
    ask(hub, "/perpetrator 1 the 'manager'", user="tg:3")
    figures = counts(hub)
    assert "potential victims: 1" in figures and "potential perpetrators: 1" in figures
    with hub.session() as session:
        tags = session.exec(select(Tag.tag, Tag.participant_id)).all()
    assert sorted(tags) == [
        ("potential_perpetrator", "tg:3"),
        ("potential_victim", "tg:2"),
        ("potential_victim", "tg:3"),
    ]
    assert audit_actions(hub).count("tag.potential_victim") == 2
    assert ask(hub, "/finding 1").text.count("🏷") == 3


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/victim", "Usage: /victim <#N> [note]"),
        ("/victim twelve", "Usage: /victim <#N> [note]"),
        ("/perpetrator 999", "#999 does not exist"),
        ("/victim 1", "#1 does not exist"),
    ],
)
def test_tagging_refusals_change_nothing(hub: Dispatcher, command: str, expected: str) -> None:
    before = state(hub)
    reply = ask(hub, command)
    assert expected in reply.text and "Nothing was recorded" in reply.text
    assert state(hub) == before


def test_a_platform_swept_in_vain_counts_as_checked(hub_both: Dispatcher) -> None:
    hub = hub_both
    assert "platforms checked: 0" in counts(hub)
    reply = ask(hub, "/checked kinky[.]nl nothing found")
    assert "`kinky.nl` recorded as checked by Anna (nothing found)" in reply.text
    ask(hub, "/checked instagram", user="tg:2")
    assert "platforms checked: 2" in counts(hub)
    before = state(hub)
    assert "already recorded" in ask(hub, "/checked https://www.kinky.nl/ nothing").text
    assert state(hub) == before
    ask(hub, "/checked kinky.nl")  # later Anna found something there after all
    with hub.session() as session:
        rows = session.exec(select(PlatformCheck)).all()
    assert sorted((r.platform, r.participant_id, r.nothing_found) for r in rows) == [
        ("instagram.com", "tg:2", False),
        ("kinky.nl", "tg:1", False),
    ]
    assert audit_actions(hub).count("platform.checked") == 3


@pytest.mark.parametrize("args", ["", "kinky.nl lots of ads", "not a site!", "??"])
def test_checked_refusals_change_nothing(hub: Dispatcher, args: str) -> None:
    before = state(hub)
    assert ask(hub, f"/checked {args}").text.startswith("Usage: /checked")
    assert state(hub) == before


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1/", "10.0.0.1", "192.168.1.1", "http://169.254.169.254/latest", "router.local"],
)
def test_checked_refuses_targets_a_paste_would_refuse(hub: Dispatcher, target: str) -> None:
    before = state(hub)
    reply = ask(hub, f"/checked {target}")
    assert reply.refused and "not a platform on the internet" in reply.text
    assert state(hub) == before


@pytest.mark.parametrize(
    ("typed", "domain"),
    [
        ("instagram", "instagram.com"),
        ("telegram", "t.me"),
        ("TikTok", "tiktok.com"),
        ("m.vk.com", "vk.com"),
        ("hxxps://www.kinky[.]nl/ads", "kinky.nl"),
        ("escort.example.co.uk", "example.co.uk"),
        ("not a site", None),
        ("", None),
    ],
)
def test_platform_names_become_registrable_domains(typed: str, domain: str | None) -> None:
    assert platform_domain(typed) == domain
