"""Who gets which page: the venue key the screen, the coordinator key everything, anything else a
404 with the same headers; /healthz says what is up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from commands.core.dispatcher import Dispatcher
from tests.commands.conftest import COORDINATOR, URL1, URL2, URL3, ask
from tests.web.conftest import Served, get

Serve = Callable[[object], Served]


@pytest.fixture
def linked(hub: Dispatcher) -> Dispatcher:
    """Two ads sharing a phone (N1) and a third, reported by Anna and Mihai."""
    ask(hub, URL1, user="tg:1")
    ask(hub, URL2, user="tg:2")
    return hub


def test_each_key_opens_only_its_pages(linked: Dispatcher, serve: Serve) -> None:
    served = serve(linked.engine)
    venue, coordinator = served.venue_key, served.coordinator_key
    assert get(f"{served.base}/screen?key={venue}").status_code == 200
    assert get(f"{served.base}/screen?key={coordinator}").status_code == 200
    for path in ("/networks", "/networks/N1", "/findings/1"):
        assert get(f"{served.base}{path}?key={coordinator}").status_code == 200, path
        assert get(f"{served.base}{path}?key={venue}").status_code == 404, path
    for key in ("", "wrong", venue[:-1], venue + "x", venue.upper()):
        assert get(f"{served.base}/screen?key={key}").status_code == 404, key
    assert get(f"{served.base}/screen").status_code == 404
    assert get(f"{served.base}/networks/N99?key={coordinator}").status_code == 404
    assert get(f"{served.base}/findings/99?key={coordinator}").status_code == 404


def test_every_answer_is_uncached_and_locked_down(linked: Dispatcher, serve: Serve) -> None:
    served = serve(linked.engine)
    for url in (
        f"{served.base}/screen?key={served.venue_key}",
        f"{served.base}/screen?key=wrong",
        f"{served.base}/networks/N1?key={served.coordinator_key}",
        f"{served.base}/static/live.js",
        f"{served.base}/healthz",
    ):
        headers = get(url).headers
        assert headers["cache-control"] == "no-store", url
        assert headers["referrer-policy"] == "no-referrer", url
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, url


def test_the_pages_carry_no_inline_script_and_no_identifier_on_the_screen(
    linked: Dispatcher, serve: Serve
) -> None:
    served = serve(linked.engine)
    screen = get(f"{served.base}/screen?key={served.venue_key}").text
    assert '<script src="/static/live.js" defer></script>' in screen
    assert screen.count("<script") == 1
    assert "41502873" not in screen and "anna.vip" not in screen  # the shared phone, the e-mail
    assert "rozenkamer[.]nl" in screen and "rozenkamer.nl" not in screen  # defanged
    network = get(f"{served.base}/networks/N1?key={served.coordinator_key}").text
    assert "+31641502873" in network  # coordinators see what joins the network


def test_a_rotated_key_is_dead_at_once(linked: Dispatcher, serve: Serve) -> None:
    served = serve(linked.engine)
    linked.config = replace(linked.config, web_url=served.base)
    reply = ask(linked, "/screen new venue", user=COORDINATOR)
    assert reply.visibility == "private"
    assert get(f"{served.base}/screen?key={served.venue_key}").status_code == 404
    assert get(f"{served.base}/networks?key={served.coordinator_key}").status_code == 200  # kept
    new_link = next(word for word in reply.text.split() if "/screen?key=" in word)
    assert get(new_link).status_code == 200


def test_healthz_reports_the_database(linked: Dispatcher, serve: Serve, tmp_path: Path) -> None:
    served = serve(linked.engine)
    answer = get(f"{served.base}/healthz")
    assert answer.status_code == 200 and answer.json() == {"ok": True, "database": True}


def test_a_frozen_board_shows_the_standings_of_the_freeze(linked: Dispatcher, serve: Serve) -> None:
    served = serve(linked.engine)
    url = f"{served.base}/screen?key={served.venue_key}"
    before = get(url).text
    assert 'data-frozen="true"' not in before
    assert 'data-participant="Mihai" data-points="13"' in before
    ask(linked, "/freeze", user=COORDINATOR)
    ask(linked, URL3, user="tg:2")  # Mihai scores after the freeze
    frozen = get(url).text
    assert 'data-frozen="true"' in frozen and "Frozen since" in frozen
    assert 'data-participant="Mihai" data-points="13"' in frozen
    assert 'data-ticker-finding="3"' in frozen  # the ticker goes on: reports are not standings


def test_names_are_text_on_the_screen_never_markup(linked: Dispatcher, serve: Serve) -> None:
    ask(linked, '/join NL <img src=x onerror="alert(1)">', user="tg:4")
    ask(linked, URL3, user="tg:4")
    served = serve(linked.engine)
    screen = get(f"{served.base}/screen?key={served.venue_key}").text
    assert "<img" not in screen and "&lt;img src=x" in screen
