"""`hub replay`: a chat transcript through the real pipeline (contracts.md §1).

A rerun converges to the uninterrupted result: messages an earlier run left unfinished or failed
(a database connection dropped mid-replay) are resumed first, as `hub run` does at start, then the
file is fed again — lines already done are repeats, and the earliest report of a page owns it
whatever order the reports were stored in. Findings an earlier run could not fetch (their page
was in none of its archives) are fetched again from this run's archives first. A line with bad
bytes is cleaned and processed (and noted); a line that is not a message is reported with its
number while the rest is processed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from commands.core.dispatcher import Dispatcher, retried
from commands.core.seam import Invocation, Reply, derived_message_key
from commands.paste.refetch import refetch_not_fetched
from extraction.fetch.archive import WarcArchive
from extraction.input_bytes import decode_utf8

_COUNTRY = re.compile(r"[A-Za-z]{2}")


class MalformedLine(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ReplaySummary:
    lines: int
    processed: int
    repeated: int
    malformed: list[str]
    cleaned: list[str] = field(default_factory=list)  # lines whose invalid bytes were replaced
    failed: list[str] = field(default_factory=list)  # messages kept for the next run to retry
    resumed: int = 0  # unfinished messages of an earlier run, processed first
    refetched: int = 0  # pages an earlier run found in no archive, found now


def invocation_from_line(raw: str) -> Invocation:
    try:
        line = json.loads(raw)
        user = line["user"]
        ts = datetime.fromisoformat(line["ts"])
        text, platform, chat = str(line["text"]), str(line["platform"]), str(line["chat"])
        user_id, country = str(user["id"]).strip(), str(user["country"])
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedLine(f"{exc.__class__.__name__}: {exc}") from exc
    if ts.tzinfo is None:
        raise MalformedLine("ts has no time zone offset")
    if not _COUNTRY.fullmatch(country):
        raise MalformedLine(f"country {country!r} is not a two-letter code")
    if not user_id:
        raise MalformedLine("user.id is empty")
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
    """Resume what an earlier run left unfinished, then feed every line, in file order, through
    `hub.handle`; a malformed line or a failed message is reported, not fatal."""
    processed = repeated = lines = 0
    malformed: list[str] = []
    cleaned: list[str] = []
    failed: list[str] = []
    resumed = hub.resume()
    # Only from archives: a replay without --warc never goes to the network for an old finding.
    archived = isinstance(hub.fetcher, WarcArchive)
    refetched = refetch_not_fetched(hub.engine, hub.fetcher, retried=retried) if archived else 0
    for inv, reply in resumed:
        on_reply(inv, reply)
        if reply.failed:
            failed.append(f"message {inv.message_key} (of an earlier run): {reply.text}")
    with path.open("rb") as stream:
        for number, raw_bytes in enumerate(stream, 1):
            decoded = decode_utf8(raw_bytes)
            raw = decoded.text
            if not raw.strip():
                continue
            lines += 1
            if decoded.replaced:
                cleaned.append(f"line {number}: {decoded.replaced} invalid UTF-8 sequence(s) replaced with �")
            try:
                inv = invocation_from_line(raw)
            except MalformedLine as exc:
                malformed.append(f"line {number}: {exc}")
                continue
            try:
                replies = hub.handle(inv)
            except Exception as exc:  # not even stored (the database is away): the next run retries it
                failed.append(f"line {number}: not stored ({exc.__class__.__name__})")
                continue
            for reply in replies:
                repeated += reply.repeat
                if reply.failed:
                    failed.append(f"line {number}: {reply.text}")
                on_reply(inv, reply)
            processed += 1
    return ReplaySummary(lines, processed, repeated, malformed, cleaned, failed, len(resumed), refetched)
