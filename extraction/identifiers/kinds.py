"""The identifier kinds the hub knows."""

from __future__ import annotations

ICONS = {"phone": "☎", "email": "✉", "wallet": "₿", "handle": "@"}


def icon(kind: str) -> str:
    """The chat icon of an identifier kind."""
    return ICONS.get(kind, "")
