"""Display names: what a person is called in every reply, chart and export.

A name comes from `/join <country> <name>` or from the chat platform (Telegram's first name,
Slack's display name) and is shown to everyone, so it is cleaned before it is stored or echoed:
no control, format (bidi overrides, zero-width) or unassigned characters, whitespace collapsed
to single spaces (a newline cannot start a forged line), at most `MAX_LENGTH` characters, no
`@` that could mention (`@here`, `@channel`, `@everyone`, `@anna`), and URL-like words defanged.
Within the hub a name is unique regardless of case: a second "Anna" becomes "Anna 2".
"""

from __future__ import annotations

import re
import unicodedata

from extraction.refang import defang

MAX_LENGTH = 40

# Removed outright: control (Cc, newlines become spaces first), format (Cf: bidi, zero-width,
# soft hyphen), surrogate (Cs), private-use (Co) and unassigned (Cn) characters.
_DROPPED = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = {"Zs", "Zl", "Zp"}
_MENTION = re.compile(r"(?<![\w.+-])@+(?=\w)")  # `@name` at a word's start; not `anna@mail.com`
_URL_LIKE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://\S*|(?:[\w.+-]+@)?(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?)$", re.IGNORECASE
)


def display_name(raw: str) -> str:
    """`raw` as a safe, single-line display name ("" when nothing printable is left)."""
    chars = []
    for char in unicodedata.normalize("NFKC", raw):
        category = unicodedata.category(char)
        if char in "\t\n\r\v\f" or category in _SPACES:
            chars.append(" ")
        elif category not in _DROPPED:
            chars.append(char)
    text = " ".join("".join(chars).split())
    text = _MENTION.sub("", text).lstrip("@ ").strip()
    text = text[:MAX_LENGTH].rstrip()
    return " ".join(defang(word) if _URL_LIKE.match(word) else word for word in text.split(" ") if word)
