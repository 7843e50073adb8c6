"""The local console chat: type as a participant, paste links, run commands (rich output)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from commands.core.dispatcher import Dispatcher
from commands.core.seam import Invocation, Reply
from extraction.private_files import write_private

CHAT_ID = "console"


def render(console: Console, reply: Reply, *, title: str = "hub", files_dir: Path | None = None) -> None:
    """Print one reply the way a chat would show it (buttons as a hint line; a chart or an
    export is written to `files_dir` and its path shown, as a chat would attach it)."""
    body = escape(reply.text)
    if reply.buttons:
        body += "\n[dim]" + escape("  ".join(f"[{b.label}]" for b in reply.buttons)) + "[/dim]"
    files = [reply.attachment] if reply.attachment else []
    if reply.image is not None:
        files.append((reply.image_name or "chart.png", reply.image))
    for name, data in files:
        if files_dir is None:
            body += f"\n[dim]📎 {escape(name)} ({len(data)} bytes, not saved)[/dim]"
            continue
        files_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = files_dir / Path(name).name  # a bare file name: nothing from a reply picks the folder
        # Exports hold victims' and suspects' contacts: readable by this user only.
        write_private(path, data)
        body += f"\n[dim]📎 saved to {escape(str(path))}[/dim]"
    if reply.repeat:
        title += " (already answered)"
    console.print(
        Panel(body, title=title, title_align="left", border_style="dim" if reply.repeat else "cyan")
    )


def console_invocation(text: str, *, user: str, name: str, country: str | None) -> Invocation:
    return Invocation(
        participant_id=user,
        platform="console",
        chat_id=CHAT_ID,
        text=text,
        ts=datetime.now(UTC),
        message_key=f"console:{uuid.uuid4().hex}",
        participant_name=name,
        country=country,
        vouched=True,  # the person at this terminal runs the hub
    )


def chat(
    hub: Dispatcher,
    *,
    user: str,
    name: str,
    country: str | None,
    read: Callable[[str], str] = input,
    console: Console | None = None,
    files_dir: Path = Path("data/exports"),
) -> None:
    """Read lines until EOF or /quit; each line goes through the same path as a chat message.

    Files a chat would attach (charts, a coordinator's /export) are saved under `files_dir`."""
    out = console or Console()
    out.print(
        f"[bold]Action-week hub[/bold] — console chat as [cyan]{escape(name)}[/cyan] ({user}). "
        + escape("Paste links or type /help; /as <id> [country] [name] switches user; /quit leaves.")
    )
    if country is None:
        out.print(f"[yellow]{escape('No country set: type /join <country> [name] first.')}[/yellow]")
    while True:
        try:
            line = read("> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return
        if line.startswith("/as "):
            parts = line.split(maxsplit=3)
            user = parts[1] if parts[1].startswith("console:") else f"console:{parts[1]}"
            country = parts[2].upper() if len(parts) > 2 else None
            name = parts[3] if len(parts) > 3 else parts[1]
            out.print(f"[dim]now typing as {escape(name)} ({user})[/dim]")
            continue
        try:
            replies = hub.handle(console_invocation(line, user=user, name=name, country=country))
        except Exception as exc:  # the message is stored; say what happened and carry on
            out.print(
                f"[red]Something failed while processing that message: {escape(repr(exc))}. "
                "It was stored and can be retried.[/red]"
            )
            continue
        for reply in replies:
            render(out, reply, files_dir=files_dir)
