"""/screen: the web view's links go to a coordinator privately; /screen new replaces them."""

from __future__ import annotations

from dataclasses import replace

from commands.core.dispatcher import Dispatcher
from storage import web_keys
from tests.commands.conftest import COORDINATOR, ask, state


def _keys(hub: Dispatcher) -> dict[str, str | None]:
    with hub.session() as session:
        return {role: web_keys.key_of(role, session=session) for role in web_keys.ROLES}


def test_a_coordinator_gets_both_links_privately(hub: Dispatcher) -> None:
    hub.config = replace(hub.config, web_url="https://screen.example.org/")
    reply = ask(hub, "/screen", user=COORDINATOR)
    keys = _keys(hub)
    assert reply.visibility == "private" and not reply.refused
    assert f"https://screen.example.org/screen?key={keys['venue']}" in reply.text
    assert f"https://screen.example.org/networks?key={keys['coordinator']}" in reply.text
    assert ask(hub, "/screen", user=COORDINATOR).text == reply.text  # the same links until rotated


def test_new_replaces_the_keys_asked_for(hub: Dispatcher) -> None:
    ask(hub, "/screen", user=COORDINATOR)
    before = _keys(hub)
    ask(hub, "/screen new venue", user=COORDINATOR)
    middle = _keys(hub)
    assert middle["venue"] != before["venue"] and middle["coordinator"] == before["coordinator"]
    ask(hub, "/screen new", user=COORDINATOR)
    after = _keys(hub)
    assert after["venue"] != middle["venue"] and after["coordinator"] != middle["coordinator"]


def test_participants_and_bad_arguments_are_refused(hub: Dispatcher) -> None:
    before = state(hub)
    assert ask(hub, "/screen", user="tg:1").refused
    assert ask(hub, "/screen new everything", user=COORDINATOR).refused
    assert ask(hub, "/screen old", user=COORDINATOR).refused
    assert state(hub) == before


def test_without_a_web_url_the_reply_says_how_to_serve_it(hub: Dispatcher) -> None:
    reply = ask(hub, "/screen", user=COORDINATOR)
    assert "WEB_PORT" in reply.text and "key=" not in reply.text
