"""/ignore, /promote and /announce: coordinators only, audited, refusals change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from commands.core.dispatcher import Dispatcher
from storage.models import FindingLink, Identifier, Participant
from tests.commands.conftest import COORDINATOR, URL1, URL2, URL4, ask, audit_actions, state


def links(hub: Dispatcher) -> list[tuple[int, int, str]]:
    with hub.session() as session:
        return sorted(
            (link.finding_a, link.finding_b, link.kind) for link in session.exec(select(FindingLink))
        )


def test_an_ignored_phone_links_no_new_findings(hub_both: Dispatcher) -> None:
    hub = hub_both
    ask(hub, URL1)
    ask(hub, URL2, user="tg:2")
    assert (1, 2, "phone") in links(hub)
    reply = ask(hub, "/ignore 06-41502873", user=COORDINATOR)  # Clara is Dutch: a national number
    assert "phone +31641502873 ignored by Clara" in reply.text
    with hub.session() as session:
        row = session.exec(select(Identifier).where(Identifier.value == "+31641502873")).one()
    assert row.ignored
    pasted = ask(hub, URL4, user="tg:3")
    assert "network" not in pasted.text
    assert not [link for link in links(hub) if 3 in link[:2] and link[2] == "phone"]
    assert "ignored by coordinators" in ask(hub, "/lookup +31641502873").text
    assert audit_actions(hub)[-1] == "identifier.ignored"


def test_promote_gives_the_coordinator_role(hub_both: Dispatcher) -> None:
    hub = hub_both
    assert "coordinators only" in ask(hub, "/confirm 1", user="tg:2").text
    reply = ask(hub, "/promote tg:2", user=COORDINATOR)
    assert "Mihai (RO) is now a coordinator" in reply.text
    with hub.session() as session:
        mihai = session.get(Participant, "tg:2")
        assert mihai is not None and mihai.role == "coordinator"
    assert "#1 does not exist" in ask(hub, "/confirm 1", user="tg:2").text
    assert audit_actions(hub)[-1] == "participant.promoted"


def test_announce_posts_to_the_channel(hub: Dispatcher) -> None:
    reply = ask(hub, "/announce Day 3: focus on job ads please", user=COORDINATOR)
    assert reply.visibility == "channel" and reply.text == "📣 Clara: Day 3: focus on job ads please"


@pytest.mark.parametrize(
    ("user", "command", "expected"),
    [
        ("tg:1", "/ignore +31641502873", "coordinators only"),
        ("tg:1", "/promote tg:1", "coordinators only"),
        ("tg:1", "/announce hello", "coordinators only"),
        (COORDINATOR, "/ignore", "Usage: /ignore"),
        (COORDINATOR, "/ignore hxxps://www.kinky[.]nl/ad/2", "Usage: /ignore"),
        (COORDINATOR, "/ignore +44 20 7946 0958", "not in any finding"),
        (COORDINATOR, "/promote", "Usage: /promote"),
        (COORDINATOR, "/promote tg:404", "No participant tg:404"),
        (COORDINATOR, "/promote tg:9", "already a coordinator"),
        (COORDINATOR, "/announce", "Usage: /announce"),
    ],
)
def test_coordination_refusals_change_nothing(
    hub: Dispatcher, user: str, command: str, expected: str
) -> None:
    ask(hub, URL1)
    before = state(hub)
    assert expected in ask(hub, command, user=user).text
    assert state(hub) == before
