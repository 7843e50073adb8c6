"""/confirm and /reject: coordinators only, points follow, the reporter is named, audited."""

from __future__ import annotations

import re

import pytest

from commands.core.dispatcher import Dispatcher
from commands.scoring import CONFIRMED_BONUS
from storage.models import Finding
from tests.commands.conftest import COORDINATOR, URL1, URL3, ask, audit_actions, state


def anna_points(hub: Dispatcher) -> float:
    match = re.search(r"Anna \(NL\) — ([\d.]+) pts", ask(hub, "/leaderboard", user=COORDINATOR).text)
    assert match
    return float(match.group(1))


def judgement(hub: Dispatcher, number: int) -> str | None:
    with hub.session() as session:
        found = session.get(Finding, number)
        assert found is not None
        return found.judgement


def test_confirming_adds_the_bonus_and_names_the_reporter(hub: Dispatcher) -> None:
    ask(hub, URL1)
    before = anna_points(hub)
    reply = ask(hub, "/confirm #1", user=COORDINATOR)
    assert "#1 confirmed by Clara" in reply.text and "Anna (NL)" in reply.text
    assert anna_points(hub) == before + CONFIRMED_BONUS
    assert judgement(hub, 1) == "confirmed"


def test_a_reject_button_without_a_reason_works_and_zeroes_the_points(hub_both: Dispatcher) -> None:
    hub = hub_both
    ask(hub, URL3)
    ask(hub, URL1)
    assert anna_points(hub) > 0
    reply = ask(hub, "/reject 1", user=COORDINATOR)
    reply2 = ask(hub, "/reject 2 a phone shop, not THB", user=COORDINATOR)
    assert "#1 rejected by Clara" in reply.text and "Anna (NL)" in reply.text
    assert "Reason: a phone shop, not THB" in reply2.text
    assert anna_points(hub) == 0
    assert audit_actions(hub)[-2:] == ["finding.rejected", "finding.rejected"]


@pytest.mark.parametrize(
    ("user", "command", "expected"),
    [
        ("tg:1", "/confirm 1", "coordinators only"),
        ("tg:2", "/reject 1 spam", "coordinators only"),
        (COORDINATOR, "/confirm", "Usage: /confirm <#N>"),
        (COORDINATOR, "/reject one", "Usage: /reject <#N> [reason]"),
        (COORDINATOR, "/confirm 999", "#999 does not exist"),
    ],
)
def test_judging_refusals_change_nothing(hub: Dispatcher, user: str, command: str, expected: str) -> None:
    ask(hub, URL1)
    before = state(hub)
    assert expected in ask(hub, command, user=user).text
    assert state(hub) == before


def test_judging_twice_the_same_way_changes_nothing(hub: Dispatcher) -> None:
    ask(hub, URL1)
    ask(hub, "/confirm 1", user=COORDINATOR)
    before = state(hub)
    assert "already confirmed" in ask(hub, "/confirm 1", user=COORDINATOR).text
    assert state(hub) == before
