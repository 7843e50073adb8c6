"""Build small replay transcripts (contracts.md §1) for tests: one JSON object a line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

T0 = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)


def line(n: int, text: str, *, user: str = "tg:1", name: str = "Anna", country: str = "NL") -> dict[str, Any]:
    """The n-th message of the transcript, a minute after the one before."""
    return {
        "id": f"m{n}",
        "ts": (T0 + timedelta(minutes=n)).isoformat(),
        "platform": "telegram",
        "chat": "telegram:thb",
        "user": {"id": user, "name": name, "country": country},
        "text": text,
    }


def write_transcript(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path
