"""`hub replay`: a chat transcript through the real pipeline (contracts.md §1)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from commands.core.dispatcher import Dispatcher
from commands.core.seam import Invocation, Reply, derived_message_key


class MalformedLine(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ReplaySummary:
    lines: int
    processed: int
    repeated: int
    malformed: list[str]


def invocation_from_line(raw: str) -> Invocation:
    try:
        line = json.loads(raw)
        user = line["user"]
        ts = datetime.fromisoformat(line["ts"])
        text, platform, chat = str(line["text"]), str(line["platform"]), str(line["chat"])
        user_id, country = str(user["id"]), str(user["country"])
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedLine(f"{exc.__class__.__name__}: {exc}") from exc
    if ts.tzinfo is None:
        raise MalformedLine("ts has no time zone offset")
    if len(country) != 2:
        raise MalformedLine(f"country {country!r} is not a two-letter code")
    key = (
        str(line["id"]) if line.get("id") else derived_message_key(platform, chat, user_id, line["ts"], text)
    )
    return Invocation(
        participant_id=user_id,
        platform=platform,
        chat_id=chat,
        text=text,
        ts=ts,
        message_key=key,
        participant_name=str(user.get("name") or user_id),
        country=country.upper(),
        vouched=True,  # the operator who runs a replay vouches for its file (contracts.md §1)
    )


def replay(hub: Dispatcher, path: Path, *, on_reply: Callable[[Invocation, Reply], None]) -> ReplaySummary:
    """Feed every line, in file order, through `hub.handle`; a malformed line is reported, not fatal."""
    processed = repeated = lines = 0
    malformed: list[str] = []
    with path.open(encoding="utf-8") as stream:
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            lines += 1
            try:
                inv = invocation_from_line(raw)
            except MalformedLine as exc:
                malformed.append(f"line {number}: {exc}")
                continue
            for reply in hub.handle(inv):
                repeated += reply.repeat
                on_reply(inv, reply)
            processed += 1
    return ReplaySummary(lines=lines, processed=processed, repeated=repeated, malformed=malformed)
