"""#18 item 5: display names are cleaned at /join and at intake, unique in the hub, drawn literally."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.console import console_invocation
from commands.core.dispatcher import Dispatcher
from storage.models import Participant
from tests.commands.conftest import COORDINATOR, T0, URL1, URL3, ask, say

PNG = b"\x89PNG\r\n\x1a\n"
MATH = "$\\frac{$"


def stored_name(hub: Dispatcher, participant_id: str) -> str:
    with Session(hub.engine) as session:
        found = session.get(Participant, participant_id)
        assert found is not None
        return found.name


def test_a_name_that_looks_like_mathtext_draws_in_the_chart_and_the_evening_digest(hub: Dispatcher) -> None:
    assert ask(hub, f"/join NL {MATH}", user="tg:4").text.startswith(f"Welcome, {MATH} (NL).")
    assert "#1 new" in ask(hub, URL1, user="tg:4").text  # in the top list, with points
    assert "#2 new" in ask(hub, URL3, user="tg:4").text
    chart = ask(hub, "/leaderboard chart")
    assert chart.image is not None and chart.image.startswith(PNG)
    assert MATH in chart.text
    digest = ask(hub, "/digest now evening", user=COORDINATOR, at=T0 + timedelta(hours=10))
    assert digest.image is not None and digest.image.startswith(PNG)
    assert digest.text.startswith("🌙 *Evening digest*")
    assert "Something failed" not in digest.text
    morning = ask(hub, "/digest now morning", user=COORDINATOR, at=T0 + timedelta(hours=1))
    assert morning.image is not None and morning.image.startswith(PNG)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Bob\nCoordinator Cora (NL) confirmed #1", "Bob Coordinator Cora (NL) confirmed #1"),
        ("\u202eanaS\u202c", "anaS"),  # a right-to-left override
        ("Ma\u200bri\u200dna\ufeff", "Marina"),  # zero-width space, joiner, BOM
        ("@here", "here"),
        ("@channel  @everyone   team", "channel everyone team"),
        ("Tab\tand\x07bell", "Tab andbell"),  # a tab is a space, a bell is dropped
        ("L" + "o" * 80 + "ng", "L" + "o" * 39),
    ],
)
def test_names_are_stored_and_echoed_clean(hub: Dispatcher, typed: str, kept: str) -> None:
    welcome = ask(hub, f"/join NL {typed}", user="tg:5")
    assert welcome.text.startswith(f"Welcome, {kept} (NL).")
    assert "\n" not in welcome.text.split(". Paste")[0]
    assert stored_name(hub, "tg:5") == kept
    assert f"{kept} (NL)" in ask(hub, "/status", user="tg:5").text


def test_a_name_with_nothing_printable_is_refused(hub: Dispatcher) -> None:
    reply = ask(hub, "/join NL \u200b\u202e", user="tg:5")
    assert reply.refused and "needs letters" in reply.text


def test_a_second_anna_gets_a_number_and_is_told(hub_both: Dispatcher) -> None:
    hub = hub_both
    assert ask(hub, "/join NL anna", user="tg:6").text.startswith("Welcome, anna 2 (NL).")
    assert ask(hub, "/join RO Anna", user="tg:7").text.startswith("Welcome, Anna 3 (RO).")
    assert ask(hub, "/join NL Anna", user="tg:1").text.startswith("Updated, Anna (NL).")  # her own name
    assert ask(hub, "/join NL Mihai", user="tg:6").text.startswith("Updated, Mihai 2 (NL).")
    # Reported first by the second Anna: the first reporter is named so no one can mistake her.
    ask(hub, "/join NL anna", user="tg:6")
    ask(hub, URL1, user="tg:6")
    again = ask(hub, URL1, user="tg:2").text
    assert "already reported by anna 2 (NL)" in again
    names = [stored_name(hub, p) for p in ("tg:1", "tg:6", "tg:7")]
    assert len({n.casefold() for n in names}) == 3


def test_a_platform_name_is_cleaned_and_made_unique_at_intake(hub_both: Dispatcher) -> None:
    """A vouched sender (the console, a replayed file) is registered from the adapter's name."""
    hub = hub_both
    inv = console_invocation(URL3, user="console:x", name="Ewa\n\u202e@here", country="PL")
    assert inv.participant_name == "Ewa here"
    hub.handle(inv)
    assert stored_name(hub, "console:x") == "Ewa here"
    same = console_invocation(URL1, user="console:y", name="EWA", country="PL")
    hub.handle(same)
    assert stored_name(hub, "console:y") == "EWA 2"  # Ewa (tg:3) has the name


def test_a_url_like_name_is_echoed_defanged(hub: Dispatcher) -> None:
    welcome = ask(hub, "/join NL https://evil.example.com/login", user="tg:8").text
    assert "hxxps://evil[.]example[.]com/login (NL)" in welcome
    ask(hub, "/join NL evil.example.com", user="tg:8")
    ask(hub, URL1, user="tg:8")
    for reply in (
        ask(hub, "/leaderboard", user="tg:1"),
        ask(hub, URL1, user="tg:2"),
        ask(hub, "/status", user="tg:8"),
    ):
        assert "evil[.]example[.]com" in reply.text
        assert "evil.example.com" not in reply.text


def test_every_invocation_carries_the_cleaned_name() -> None:
    """Headers built from the sender's name (a late answer after a restart) get it clean too."""
    inv = replace(say("x"), participant_name="Bob\nCoordinator Cora (NL) confirmed #1")
    assert inv.participant_name == "Bob Coordinator Cora (NL) confirmed #1"
    assert say("x").participant_name == "tg:1"
