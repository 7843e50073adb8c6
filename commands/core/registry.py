"""The command registry: a command is one function whose docstring is its help line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from commands.core.seam import Invocation, Reply

if TYPE_CHECKING:
    from commands.core.dispatcher import Hub
    from storage.models import Participant

CommandFn = Callable[["Hub", Invocation, "Participant | None"], Reply]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    fn: CommandFn
    help: str
    usage: str
    coordinator: bool  # only coordinators may run it
    open: bool  # may run before /join (help, join)


class Registry:
    """Maps command names to functions; every adapter serves the same registry."""

    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def command(
        self, name: str, *, usage: str = "", coordinator: bool = False, open: bool = False
    ) -> Callable[[CommandFn], CommandFn]:
        """Register `fn` under `name`; returns `fn` unchanged so it stays callable in tests."""

        def register(fn: CommandFn) -> CommandFn:
            doc = (fn.__doc__ or "").strip().splitlines()
            if not doc:
                raise ValueError(f"command /{name} needs a one-line docstring: it is the help text")
            if name in self._commands:
                raise ValueError(f"command /{name} registered twice")
            self._commands[name] = Command(name, fn, doc[0], usage, coordinator, open)
            return fn

        return register

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def all(self) -> list[Command]:
        return [self._commands[name] for name in sorted(self._commands)]


REGISTRY = Registry()
command = REGISTRY.command
