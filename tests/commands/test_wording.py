"""#20 item 7, the wording a coordinator reads out: counts agree with their nouns, lists say what they
leave out, an empty board says so, a link pasted twice in one message is one report, and a failed
name lookup is said in words."""

from __future__ import annotations

import shutil
import socket
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from commands.core.dispatcher import Dispatcher
from commands.leaderboard import board_reply
from extraction.fetch.fetcher import lookup_problem
from tests.commands.conftest import COORDINATOR, PAGES, T0, URL1, URL2, ask, build_hub
from tests.warcs import Page, html, write_warc


def test_an_empty_board_says_nobody_has_scored(migrated_sqlite: Path, tmp_path: Path, warc: Path) -> None:
    copy = tmp_path / "empty.db"
    shutil.copyfile(migrated_sqlite, copy)
    hub = build_hub(f"sqlite:///{copy}", warc)  # nobody has joined: the pinned board of the first minute
    with Session(hub.engine) as session:
        board = board_reply(session=session, timezone="Europe/Amsterdam").text
    hub.engine.dispose()
    assert board.startswith("🏆 Leaderboard — nobody has scored yet")
    assert "top 0 of 0" not in board


def test_one_of_each_is_singular(hub: Dispatcher) -> None:
    ask(hub, URL1, user="tg:1")
    evening = ask(hub, "/digest now evening", user=COORDINATOR, at=T0 + timedelta(hours=10)).text
    assert "Since the start: 1 new finding," in evening, evening
    ask(hub, URL2, user="tg:1")  # shares a phone with URL1: network N1, one reporter
    network = ask(hub, "/network N1", user="tg:1").text
    assert "reported by 1 participant." in network, network


def test_the_same_page_twice_in_one_message_is_one_report(hub: Dispatcher) -> None:
    ask(hub, URL1, user="tg:1")
    spelled_twice = f"{URL1} and again {URL1.replace('https://www.', 'http://')}/"
    verdict = ask(hub, spelled_twice, user="tg:2", at=T0 + timedelta(minutes=5)).text
    assert verdict.count("already reported by Anna (NL)") == 1, verdict
    assert verdict.count("2nd report") == 1 and "3rd report" not in verdict


def test_a_failed_name_lookup_is_said_in_words() -> None:
    missing = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert lookup_problem(missing) == "no such host (the name does not exist, or no longer)"
    assert "try again" in lookup_problem(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"))
    assert "gaierror" not in lookup_problem(socket.gaierror(socket.EAI_FAIL, "Non-recoverable failure"))
    assert lookup_problem(UnicodeError("label too long")) == "the host name cannot be spelled for DNS"


def test_a_short_link_shows_where_it_led(migrated_sqlite: Path, tmp_path: Path) -> None:
    short_link = "https://bit.ly/3xAmpl"
    pages: dict[str, Page] = {
        short_link: (301, "text/html", b"", URL1),
        URL1: PAGES[URL1],
        URL2: PAGES[URL2],
    }
    copy = tmp_path / "short.db"
    shutil.copyfile(migrated_sqlite, copy)
    hub = build_hub(f"sqlite:///{copy}", write_warc(tmp_path / "short.warc.gz", pages))
    ask(hub, "/join NL Anna", user="tg:1")
    verdict = ask(hub, f"look {short_link}", user="tg:1").text
    assert "hxxps://bit[.]ly/3xAmpl → hxxps://www[.]rozenkamer[.]nl/ad/1" in verdict, verdict
    assert "→ hxxps://www[.]rozenkamer[.]nl/ad/1" in ask(hub, "/finding 1", user="tg:1").text
    plain = ask(hub, URL2, user="tg:1").text  # a link that led nowhere else shows no arrow to itself
    assert "hxxps://www[.]kinky[.]nl/ad/2" in plain and "ad/2 →" not in plain
    assert "→ network N1 (2 findings, none THB-suspect)" in plain, plain
    hub.engine.dispose()


def test_a_stopped_page_does_not_claim_that_coordinators_were_alerted(
    migrated_sqlite: Path, tmp_path: Path
) -> None:
    stopped = "https://www.rozenkamer.nl/ad/15"
    page = html(
        "Lena, 15 years old, new escort girl, incall and outcall, 100 eur per hour. Call +31 6 4150 2873"
    )
    copy = tmp_path / "stop.db"
    shutil.copyfile(migrated_sqlite, copy)
    warc = write_warc(tmp_path / "stop.warc.gz", {stopped: (200, "text/html; charset=utf-8", page, None)})
    hub = build_hub(f"sqlite:///{copy}", warc)
    ask(hub, "/join NL Anna", user="tg:1")
    verdict = ask(hub, stopped, user="tg:1").text
    hub.engine.dispose()
    assert "stopped: this page may involve a minor" in verdict, verdict
    assert "alerted" not in verdict  # nothing notifies coordinators yet: the reply must not say so
    assert "tell a coordinator" in verdict


def test_an_unopened_link_is_recorded_and_says_it_does_not_count(hub: Dispatcher) -> None:
    verdict = ask(hub, "https://www.rozenkamer.nl/ad/404", user="tg:1").text  # not in the archive
    assert "#1 new" in verdict and "page not fetched" in verdict
    assert "could not open: no points and in no figure until it opens or a coordinator confirms it" in verdict
    counts = ask(hub, "/counts", user="tg:1").text
    assert "• findings: 0" in counts and "• could not open: 1" in counts
