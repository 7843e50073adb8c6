"""Small pieces of reply wording shared by commands."""

from __future__ import annotations

from datetime import datetime

from deconfliction.canonical import canonical_url
from extraction.refang import defang
from storage.models import Finding


def ago(then: datetime, now: datetime) -> str:
    """'just now', '5 min ago', '2 h ago', 'yesterday', '3 days ago' — relative to message time."""
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "at the same time"
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return "yesterday" if days == 1 else f"{days} days ago"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def short(value: str, limit: int = 28) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def shown_link(pasted: str, finding: Finding) -> str:
    """The pasted link defanged, and where it led when that is another page: a short link shows its target."""
    shown = defang(pasted)
    final = finding.final_url
    if final and canonical_or_none(final) not in (None, canonical_or_none(pasted)):
        return f"{shown} → {defang(final)}"
    return shown


def canonical_or_none(url: str) -> str | None:
    """The canonical spelling of `url`, or None where it has none."""
    try:
        return canonical_url(url)
    except ValueError:
        return None
