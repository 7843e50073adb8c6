"""Intake cleaning: every text field of an Invocation made storable before anything is stored."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from commands.core.seam import Invocation
from extraction.input_bytes import change_note, storable


def storable_invocation(inv: Invocation) -> tuple[Invocation, str | None]:
    """`inv` with invalid characters replaced and NUL removed in every text field, and a note
    saying what changed (None when nothing did)."""
    fields = ("participant_id", "platform", "chat_id", "text", "message_key", "participant_name", "country")
    changes: dict[str, Any] = {}
    replaced = removed = 0
    for name in fields:
        value = getattr(inv, name)
        if value is None:
            continue
        clean = storable(value)
        if clean.changed:
            changes[name] = clean.text
            replaced, removed = replaced + clean.replaced, removed + clean.removed_nul
    if inv.thread_ref is not None and storable(inv.thread_ref).changed:
        changes["thread_ref"] = storable(inv.thread_ref).text
    if not changes:
        return inv, None
    return replace(inv, **changes), change_note(replaced, removed)
