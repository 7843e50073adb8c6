"""How people write references in chat: `#12` or `12` for findings, `N4` or `4` for networks."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.models import Finding, Participant

_FINDING = re.compile(r"#?(\d{1,9})")
_NETWORK = re.compile(r"[Nn]?(\d{1,9})")


def finding_number(token: str) -> int | None:
    match = _FINDING.fullmatch(token.strip())
    return int(match.group(1)) if match else None


def network_number(token: str) -> int | None:
    match = _NETWORK.fullmatch(token.strip())
    return int(match.group(1)) if match else None


def split_reference(args: str) -> tuple[str, str]:
    """The first word and the rest (a note, a reason)."""
    parts = args.split(maxsplit=1)
    return (parts[0] if parts else ""), (parts[1].strip() if len(parts) > 1 else "")


def who(participant_id: str, *, session: Session) -> str:
    """'Anna (NL)', as people are named in replies."""
    person = session.get(Participant, participant_id)
    return f"{person.name} ({person.country})" if person else participant_id


def local_time(at: datetime, timezone: str) -> str:
    """'Mon 15 Sep 09:04' in the operation's time zone."""
    return at.astimezone(ZoneInfo(timezone)).strftime("%a %d %b %H:%M")


def get_finding(number: int, *, session: Session) -> Finding | None:
    return session.get(Finding, number, populate_existing=True)


def counted(n: int, noun: str) -> str:
    """'1 finding', '3 findings'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
