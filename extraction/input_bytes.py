"""Bytes from outside made storable: invalid UTF-8 and lone surrogates become U+FFFD, NUL goes.

Every input — a transcript line, chat text, a name, a command argument — passes `storable`
at intake (commands/core/intake.py), so SQLite and PostgreSQL (which refuses NUL in text) store
what arrived, and the answer says what was changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Storable:
    text: str
    replaced: int  # invalid bytes or lone surrogates replaced by U+FFFD
    removed_nul: int

    @property
    def changed(self) -> bool:
        return bool(self.replaced or self.removed_nul)


def storable(text: str) -> Storable:
    """`text` with lone surrogates replaced and NUL characters removed."""
    replaced_text, replaced = _SURROGATE.subn(REPLACEMENT, text)
    return Storable(replaced_text.replace("\x00", ""), replaced, replaced_text.count("\x00"))


def decode_utf8(raw: bytes) -> Storable:
    """Bytes read as UTF-8, each invalid sequence replaced by U+FFFD (and counted)."""
    text = raw.decode("utf-8", errors="replace")
    invalid = text.count(REPLACEMENT) - raw.count(REPLACEMENT.encode())
    return Storable(text, invalid, 0)


def change_note(replaced: int, removed_nul: int) -> str | None:
    """What cleaning changed, in the words of a reply; None when nothing was."""
    parts = []
    if replaced:
        parts.append(f"replaced {replaced} invalid character(s) with �")
    if removed_nul:
        parts.append(f"removed {removed_nul} NUL character(s)")
    return ("Your message " + " and ".join(parts) + ".") if parts else None
