"""What the hub can do, found automatically: commands and message handlers.

A command is one function whose docstring is its help line; a message handler answers what
is not a command (a pasted link). Both are marked with a decorator that returns the function
unchanged and records nothing anywhere: `Registry.discover()` imports every module of the
`commands` package and collects the marked functions. A new command is one new module with
one decorated function — no list to add it to.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from commands.core.seam import Invocation, Reply

if TYPE_CHECKING:
    from commands.core.context import Context
    from storage.models import Participant

CommandFn = Callable[["Context", Invocation, "Participant | None"], Reply]
Acknowledge = Callable[[str], str | None]
_MARK = "__hub_handler__"


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: `/name args`."""

    name: str
    fn: CommandFn
    help: str
    usage: str
    coordinator: bool  # only coordinators may run it
    open: bool  # may run before /join (help, join)
    team_chat: bool = False  # runs only in a served team chat, never in a private chat (join)


@dataclass(frozen=True, slots=True)
class MessageHandler:
    """Answers a message that is not a command (every such message goes to the first handler
    whose `accepts` says yes). `acknowledge(text)` is what adapters show at once while the answer
    is worked out ("👀 checking 2 links…"), or None when it comes at once."""

    name: str
    fn: CommandFn
    help: str
    accepts: Callable[[str], bool]
    acknowledge: Acknowledge


def _help_line(name: str, fn: Callable[..., Any]) -> str:
    doc = (fn.__doc__ or "").strip().splitlines()
    if not doc:
        raise ValueError(f"{name} needs a one-line docstring: it is the help text")
    return doc[0]


def command(
    name: str,
    *,
    usage: str = "",
    coordinator: bool = False,
    open: bool = False,
    team_chat: bool = False,
) -> Callable[[CommandFn], CommandFn]:
    """Mark `fn` as the command /`name`; returns `fn` unchanged so it stays callable in tests."""

    def mark(fn: CommandFn) -> CommandFn:
        setattr(fn, _MARK, Command(name, fn, _help_line(f"/{name}", fn), usage, coordinator, open, team_chat))
        return fn

    return mark


def message_handler(
    name: str, *, acknowledge: Acknowledge, accepts: Callable[[str], bool] = lambda text: True
) -> Callable[[CommandFn], CommandFn]:
    """Mark `fn` as the handler of messages that are not commands; returns `fn` unchanged."""

    def mark(fn: CommandFn) -> CommandFn:
        setattr(fn, _MARK, MessageHandler(name, fn, _help_line(name, fn), accepts, acknowledge))
        return fn

    return mark


class Registry:
    """Maps command names to commands and messages to handlers; every adapter serves the same one."""

    def __init__(self, entries: Iterable[Command | MessageHandler] = ()) -> None:
        self._commands: dict[str, Command] = {}
        self._handlers: list[MessageHandler] = []
        for entry in entries:
            self.add(entry)

    def add(self, entry: Command | MessageHandler) -> None:
        if isinstance(entry, MessageHandler):
            if any(h.name == entry.name for h in self._handlers):
                raise ValueError(f"message handler {entry.name} registered twice")
            self._handlers.append(entry)
            return
        if entry.name in self._commands:
            raise ValueError(f"command /{entry.name} registered twice")
        self._commands[entry.name] = entry

    @classmethod
    def discover(cls, package: str = "commands") -> Registry:
        """Every command and message handler in the modules of `package` (imported here)."""
        registry = cls()
        for module in _modules(importlib.import_module(package)):
            for value in vars(module).values():
                entry = getattr(value, _MARK, None)
                # A module that imports a handler from another module sees it too: keep the
                # definition's own module only.
                if isinstance(entry, Command | MessageHandler) and entry.fn.__module__ == module.__name__:
                    registry.add(entry)
        return registry

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def all(self) -> list[Command]:
        return [self._commands[name] for name in sorted(self._commands)]

    def message_handler_for(self, text: str) -> MessageHandler | None:
        """The handler of a message that is not a command, or None when no handler takes it."""
        return next((h for h in self._handlers if h.accepts(text)), None)


def _modules(package: ModuleType) -> list[ModuleType]:
    found = [package]
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        found.append(importlib.import_module(info.name))
    return found


def load_registry() -> Registry:
    """The hub's registry: everything under `commands/`."""
    return Registry.discover("commands")
