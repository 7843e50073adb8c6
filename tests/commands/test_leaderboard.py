"""/leaderboard, the pinned board text, /freeze and /unfreeze, through the registry."""

from __future__ import annotations

import re
from datetime import timedelta

from commands.core.dispatcher import Dispatcher
from commands.leaderboard import board_reply
from tests.commands.conftest import COORDINATOR, T0, URL1, URL2, URL3, ask, audit_actions, state


def points_of(text: str) -> dict[str, float]:
    """'🥇 Anna (NL) — 13 pts · …' lines → {"Anna": 13}."""
    return {name: float(pts) for name, pts in re.findall(r"^\S+ (\w+) \(\w\w\) — ([\d.]+) pts", text, re.M)}


def test_the_board_ranks_participants_and_countries(hub: Dispatcher) -> None:
    ask(hub, f"check {URL3}", user="tg:2")
    ask(hub, f"{URL1}", user="tg:1", at=T0 + timedelta(minutes=1))
    ask(hub, f"{URL3}", user="tg:1", at=T0 + timedelta(minutes=2))  # corroborates Mihai
    text = ask(hub, "/leaderboard", user="tg:3").text
    points = points_of(text)
    assert points["Anna"] > points["Mihai"] > points["Ewa"] == 0
    assert text.index("Anna") < text.index("Mihai") < text.index("Ewa")
    assert "1 corroboration" in text
    countries = ask(hub, "/leaderboard countries", user="tg:3").text
    assert countries.index("1. NL") < countries.index("2. RO") < countries.index("3. PL")


def test_the_chart_is_a_png(hub: Dispatcher) -> None:
    ask(hub, URL1)
    reply = ask(hub, "/leaderboard chart")
    assert reply.image is not None and reply.image.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Anna" in reply.text


def test_bad_arguments_get_the_usage_and_change_nothing(hub: Dispatcher) -> None:
    before = state(hub)
    reply = ask(hub, "/leaderboard everything")
    assert reply.text.startswith("Usage: /leaderboard") and reply.image is None
    assert state(hub) == before


def test_a_freeze_shows_participants_the_standings_of_its_time(hub_both: Dispatcher) -> None:
    hub = hub_both
    ask(hub, URL1, user="tg:1")
    frozen = ask(hub, "/freeze", user=COORDINATOR, at=T0 + timedelta(hours=1))
    assert "frozen" in frozen.text
    ask(hub, URL2, user="tg:2", at=T0 + timedelta(hours=2))  # after the freeze
    seen_by_participant = ask(hub, "/leaderboard", user="tg:3", at=T0 + timedelta(hours=3)).text
    seen_by_coordinator = ask(hub, "/leaderboard", user=COORDINATOR, at=T0 + timedelta(hours=3)).text
    assert points_of(seen_by_participant)["Mihai"] == 0
    assert points_of(seen_by_coordinator)["Mihai"] > 0
    assert "Frozen since" in seen_by_participant and "live standings" in seen_by_coordinator
    assert points_of(board_text_of(hub)) == points_of(seen_by_participant)
    ask(hub, "/unfreeze", user=COORDINATOR, at=T0 + timedelta(hours=4))
    assert points_of(board_text_of(hub)) == points_of(seen_by_coordinator)
    assert audit_actions(hub)[-2:] == ["board.frozen", "board.unfrozen"]


def test_freeze_refusals_change_nothing(hub: Dispatcher) -> None:
    before = state(hub)
    assert "coordinators only" in ask(hub, "/freeze", user="tg:1").text
    assert "not frozen" in ask(hub, "/unfreeze", user=COORDINATOR).text
    assert state(hub) == before
    ask(hub, "/freeze", user=COORDINATOR)
    again = state(hub)
    assert "already frozen" in ask(hub, "/freeze", user=COORDINATOR, at=T0 + timedelta(hours=1)).text
    assert state(hub) == again


def board_text_of(hub: Dispatcher) -> str:
    with hub.session() as session:
        return board_reply(session=session, timezone=hub.config.timezone).text
