"""The console chat: the same path as a chat message, typed by local participants."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console

from bot.console import chat
from commands.core.context import HubConfig
from commands.core.dispatcher import Dispatcher
from commands.core.registry import load_registry
from extraction.fetch.archive import WarcArchive
from storage.engine import make_engine
from tests.warcs import html, write_warc


def scripted(lines: list[str]) -> Iterator[str]:
    yield from lines


def test_two_console_participants_paste_the_same_link(tmp_path: Path, sqlite_url: str) -> None:
    warc = write_warc(
        tmp_path / "p.warc.gz",
        {
            "https://www.rozenkamer.nl/ad/1": (200, "text/html", html("Anna 23, call +31 6 1234 5678"), None),
        },
    )
    hub = Dispatcher(
        engine=make_engine(sqlite_url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(),
    )
    typed = scripted(
        [
            "/join NL Anna",
            "https://www.rozenkamer.nl/ad/1",
            "/as mihai RO Mihai",
            "/join RO Mihai",
            "hxxps://rozenkamer[.]nl/ad/1",
            "/counts",
            "/quit",
        ]
    )
    out = Console(file=io.StringIO(), width=200, record=True)
    chat(hub, user="console:anna", name="Anna", country=None, read=lambda _prompt: next(typed), console=out)
    screen = out.export_text()
    assert "Welcome, Anna (NL)" in screen
    # Usage hints show their brackets (rich would otherwise take "[name]" for markup).
    assert "/as <id> [country] [name] switches user" in screen
    assert "type /join <country> [name] first" in screen
    assert "#1 new" in screen
    assert "now typing as Mihai (console:mihai)" in screen
    assert "#1 already reported by Anna (NL)" in screen
    for category in (
        "potential victims",
        "potential perpetrators",
        "platforms checked",
        "THB URLs",
        "social profiles",
        "networks",
    ):
        assert category in screen
    assert "https://www.rozenkamer.nl" not in screen  # echoes are defanged


def test_the_console_ends_cleanly_on_end_of_input(sqlite_url: str) -> None:
    hub = Dispatcher(
        engine=make_engine(sqlite_url), fetcher=WarcArchive([]), registry=load_registry(), config=HubConfig()
    )

    def eof(_prompt: str) -> str:
        raise EOFError

    out = Console(file=io.StringIO(), record=True)
    chat(hub, user="console:me", name="Me", country="NL", read=eof, console=out)
    assert "Action-week hub" in out.export_text()


def test_files_a_chat_would_attach_are_saved_and_their_path_shown(tmp_path: Path, sqlite_url: str) -> None:
    warc = write_warc(
        tmp_path / "p.warc.gz",
        {"https://www.rozenkamer.nl/ad/1": (200, "text/html", html("Anna 23, call +31 6 1234 5678"), None)},
    )
    hub = Dispatcher(
        engine=make_engine(sqlite_url),
        fetcher=WarcArchive([warc]),
        registry=load_registry(),
        config=HubConfig(coordinators=frozenset({"console:clara"})),
    )
    typed = scripted(
        ["/join NL Clara", "https://www.rozenkamer.nl/ad/1", "/export csv", "/leaderboard chart", "/quit"]
    )
    out = Console(file=io.StringIO(), width=300, record=True)
    files = tmp_path / "files"
    chat(
        hub,
        user="console:clara",
        name="Clara",
        country=None,
        read=lambda _p: next(typed),
        console=out,
        files_dir=files,
    )
    screen = out.export_text()
    export = next(files.glob("hub-export-*.csv.zip"))
    with zipfile.ZipFile(export) as archive:
        assert any("rozenkamer" in archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    assert (files / "leaderboard.png").read_bytes().startswith(b"\x89PNG")
    assert export.stat().st_mode & 0o077 == 0  # the contacts are readable by this user only
    assert f"saved to {export}" in screen and f"saved to {files / 'leaderboard.png'}" in screen
