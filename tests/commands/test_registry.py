"""The registry finds commands and message handlers by itself: a new module is a new command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import commands
from commands.core.dispatcher import Dispatcher
from commands.core.registry import Registry, command, load_registry, message_handler
from commands.core.seam import Invocation, Reply
from commands.participants import help_
from tests.commands.conftest import ask, joined_hub

PING = '''"""A command nobody listed anywhere."""

from commands.core.registry import command
from commands.core.seam import Reply


@command("ping", usage="[word]")
def ping(ctx, inv, participant):
    """Answer pong, with the word if one is given."""
    return Reply(f"pong {inv.args}".strip())
'''


@pytest.fixture
def extra_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder that the `commands` package also reads from, holding one new module: the same
    as dropping `commands/ping.py` into the tree, without touching the tree."""
    folder = tmp_path / "more_commands"
    folder.mkdir()
    (folder / "ping.py").write_text(PING, encoding="utf-8")
    monkeypatch.setattr(commands, "__path__", [*commands.__path__, str(folder)])
    yield folder
    sys.modules.pop("commands.ping", None)


def test_a_new_command_module_is_served_without_touching_another_file(
    extra_module: Path, migrated_sqlite: Path, tmp_path: Path, warc: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    Path(tmp_path / "hub.db").write_bytes(migrated_sqlite.read_bytes())
    hub = joined_hub(url, warc)
    assert ask(hub, "/ping hello").text == "pong hello"
    assert (
        "• /ping [word] — Answer pong, with the word if one is given." in ask(hub, "/help").text.splitlines()
    )
    hub.engine.dispose()


def test_without_the_module_there_is_no_such_command(hub: Dispatcher) -> None:
    reply = ask(hub, "/ping")
    assert reply.text == "Unknown command /ping. Try /help." and reply.refused


def test_discovery_finds_every_command_and_the_paste_handler() -> None:
    registry = load_registry()
    names = {c.name for c in registry.all()}
    assert {"help", "join", "status", "counts", "undo", "freeze", "export", "digest", "lookup"} <= names
    handler = registry.message_handler_for("see https://example.nl/ad/1")
    assert handler is not None and handler.name == "paste"
    assert (
        handler.acknowledge("see https://example.nl/ad/1 and https://example.nl/ad/2")
        == "👀 checking 2 links…"
    )
    assert handler.acknowledge("no links here") is None


def test_a_decorator_marks_and_returns_the_function_unchanged() -> None:
    def pong(ctx: object, inv: Invocation, participant: object) -> Reply:
        """Say pong."""
        return Reply("pong")

    marked = command("pong")(pong)  # type: ignore[arg-type]
    assert marked is pong
    assert load_registry().get("pong") is None  # marking registers nothing anywhere
    assert help_ is load_registry().get("help").fn  # type: ignore[union-attr]


def test_a_command_without_a_docstring_or_registered_twice_is_an_error() -> None:
    def silent(ctx: object, inv: Invocation, participant: object) -> Reply:
        return Reply("")

    with pytest.raises(ValueError, match="docstring"):
        command("silent")(silent)  # type: ignore[arg-type]
    help_command = load_registry().get("help")
    assert help_command is not None
    with pytest.raises(ValueError, match="twice"):
        Registry([help_command, help_command])
    paste = load_registry().message_handler_for("x")
    assert paste is not None
    with pytest.raises(ValueError, match="twice"):
        Registry([paste, paste])


def test_a_message_handler_takes_what_it_accepts() -> None:
    def shout(ctx: object, inv: Invocation, participant: object) -> Reply:
        """Answer what is shouted."""
        return Reply(inv.text.upper())

    assert message_handler("shout", acknowledge=lambda text: None, accepts=str.isupper)(shout) is shout  # type: ignore[arg-type]
    registry = Registry([shout.__hub_handler__])  # type: ignore[attr-defined]
    assert registry.message_handler_for("HEY") is not None and registry.message_handler_for("hey") is None
