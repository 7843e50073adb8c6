"""/finding, /mine, /network, /lookup and /status on real pastes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from commands.core.dispatcher import Dispatcher
from commands.lookup import Query, read_query
from tests.commands.conftest import COORDINATOR, T0, URL1, URL2, URL3, ask, state


@pytest.fixture
def pasted(hub: Dispatcher) -> Dispatcher:
    """#1 (Anna) and #2 (Mihai) share a phone: network N1; #3 (Ewa) stands alone, Anna corroborates."""
    ask(hub, URL1, user="tg:1")
    ask(hub, f"same number? {URL2}", user="tg:2", at=T0 + timedelta(minutes=30))
    ask(hub, URL3, user="tg:3", at=T0 + timedelta(hours=1))
    ask(
        hub,
        URL3.replace("https://www.", "hxxp://").replace(".es", "[.]es"),
        user="tg:1",
        at=T0 + timedelta(hours=2),
    )
    return hub


def test_finding_shows_reports_identifiers_and_network(pasted: Dispatcher) -> None:
    reply = ask(pasted, "/finding #2", user="tg:3", at=T0 + timedelta(hours=3))
    lines = reply.text.splitlines()
    assert lines[0].startswith("#2 kinky.nl") and "hxxps://www[.]kinky[.]nl/ad/2" in lines[0]
    assert "first reported by Mihai (RO)" in reply.text and "2 h ago" in reply.text
    assert "+31641502873" in reply.text and "network N1" in reply.text
    assert {b.action for b in reply.buttons} >= {"/victim 2", "/confirm 2"}
    assert "1 more report: Anna (NL)" in ask(pasted, "/finding 3").text


def test_mine_lists_own_findings_and_corroborations(pasted: Dispatcher) -> None:
    text = ask(pasted, "/mine", user="tg:1", at=T0 + timedelta(hours=3)).text
    own, corroborated = text.split("Corroborated by you")
    assert "#1 rozenkamer.nl" in own and "#3" not in own and "#3 vendelo.es" in corroborated
    assert "no findings yet" in ask(pasted, "/mine", user=COORDINATOR).text


def test_network_lists_findings_and_the_links_that_make_it(pasted: Dispatcher) -> None:
    for typed in ("/network N1", "/network 1", "/network n1"):
        text = ask(pasted, typed).text
        assert text.startswith("Network N1")
        assert "• #1 rozenkamer.nl" in text and "• #2 kinky.nl" in text and "#3" not in text
        assert "phone `+31641502873` — #1, #2" in text
    assert "N7 does not exist" in ask(pasted, "/network N7").text
    before = state(pasted)
    assert ask(pasted, "/network seven").text.startswith("Usage: /network")
    assert state(pasted) == before


def test_lookup_finds_a_phone_however_it_is_written(pasted: Dispatcher) -> None:
    for typed in ("+31 6 4150 2873", "06-41502873", "wa.me/31641502873", "0031641502873"):
        text = ask(pasted, f"/lookup {typed}", user="tg:3").text  # Ewa is Polish: 06… is not a PL number
        if typed == "06-41502873":
            assert "could not read" in text or "not seen" in text
            text = ask(pasted, f"/lookup {typed}", user="tg:1").text  # Anna is Dutch
        assert text.startswith("phone `+31641502873`"), typed
        assert "#1 rozenkamer.nl" in text and "#2 kinky.nl" in text and "network N1" in text


def test_lookup_of_a_url_names_the_finding_and_its_reporter(pasted: Dispatcher) -> None:
    text = ask(pasted, "/lookup hxxp://kinky[.]nl/ad/2/?utm_source=x").text
    assert "is finding #2 (1 report)" in text and "Mihai (RO)" in text
    assert "not reported yet" in ask(pasted, "/lookup https://www.kinky.nl/ad/99").text


def test_lookup_refuses_what_it_cannot_read_and_changes_nothing(pasted: Dispatcher) -> None:
    before = state(pasted)
    for typed in ("", "hello there", "12"):
        assert "Usage: /lookup" in ask(pasted, f"/lookup {typed}").text
    assert state(pasted) == before


@pytest.mark.parametrize(
    ("typed", "country", "expected"),
    [
        ("@Anna_VIP", None, Query("handle", "telegram:anna_vip")),
        ("telegram:anna_vip", None, Query("handle", "telegram:anna_vip")),
        ("anna (at) mail (dot) com", None, Query("email", "anna@mail.com")),
        ("ANNA.VIP@MAIL.COM", None, Query("email", "anna.vip@mail.com")),
        ("0612345679", "NL", Query("phone", "+31612345679")),
        (
            "0x52908400098527886E0F7030069857D2E4169EE7",
            None,
            Query("wallet", "eth:0x52908400098527886e0f7030069857d2e4169ee7"),
        ),
        (
            "t.me/anna_vip",
            None,
            Query("handle", "telegram:anna_vip", "https://t.me/anna_vip", "https://t.me/anna_vip"),
        ),
        ("nothing here", "NL", None),
    ],
)
def test_queries_are_read_as_the_hub_stores_them(
    typed: str, country: str | None, expected: Query | None
) -> None:
    assert read_query(typed, country) == expected


def test_status_shows_mine_and_the_team(pasted: Dispatcher) -> None:
    text = ask(pasted, "/status", user="tg:1").text
    assert text.startswith("Anna (NL)")
    # Mihai's #2 linked to Anna's #1 through the phone: his link bonus puts him ahead.
    assert "1 finding, 1 corroboration, 11 points — rank 2 of 4" in text
    assert "Team: 3 findings, 34 points" in text and "4 participants" in text
    assert "1 of your findings not yet corroborated" in text
