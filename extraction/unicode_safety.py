"""Unicode tricks in pasted text: bidi overrides and invisible characters are removed and named.

A right-to-left override can make `moc.elgoog//:sptth` read as a harmless link; a zero-width space
splits a URL or a phone number so that matching misses it. The text is cleaned before links and
identifiers are looked for, and the reply says what was removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060-\u2064\ufeff\u00ad\u180e]")


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    removed_bidi: int
    removed_invisible: int

    @property
    def note(self) -> str | None:
        parts = []
        if self.removed_bidi:
            parts.append(f"{self.removed_bidi} text-direction override(s)")
        if self.removed_invisible:
            parts.append(f"{self.removed_invisible} invisible character(s)")
        return ("Removed " + " and ".join(parts) + " before checking.") if parts else None


def clean_text(text: str) -> CleanText:
    without_bidi, bidi = _BIDI.subn("", text)
    cleaned, invisible = _INVISIBLE.subn("", without_bidi)
    return CleanText(cleaned, bidi, invisible)
