"""What a fetched body is allowed to be, and how it is fingerprinted."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def is_text_type(content_type: str | None) -> bool:
    """Only pages are ever kept: never images, video or other media."""
    return (content_type or "").split(";")[0].strip().lower() in TEXT_TYPES


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()
