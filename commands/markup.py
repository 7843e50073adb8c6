"""The little markup of a Reply's text, in one place: emphasis, code spans, and defanged hosts.

A Reply's text is plain text with two marks (commands.core.seam.Reply):
- `*x*` is emphasis, but only when the stars stand apart from words: in `telegram:*star*girl`
  they are part of an echoed value and stay literal;
- a backtick code span `` `value` `` is an echoed identifier (phone, e-mail, handle, wallet,
  domain, defanged URL): adapters show it verbatim as code (tap to copy, never a link) and
  interpret nothing inside it. `code(value)` makes one; a backtick in the value cannot end it.

Outside code spans every host (`instagram.com`, `www.іnstagram.com`, the domain of an e-mail)
is defanged when rendered (`instagram[.]com`), so an echoed page title, a refusal reason or a
name never becomes a tappable link, whatever command worded it. `segments(text)` is what the
Telegram and Slack renderers build their markup from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import tldextract

BACKTICK_STANDIN = "ˋ"  # U+02CB: a backtick inside an echoed value, so it cannot close the span

_CODE = re.compile(r"`([^`\n]+)`")
# "*x y*" is emphasis when the stars stand apart from words; "2 * 3 * 4" and "a*b*c" are not.
_EMPHASIS = re.compile(r"(?<![\w*])\*(\S(?:[^*\n]*\S)?)\*(?![\w*])")
# A dotted name: labels of letters (any script), digits and hyphens.
_HOST = re.compile(r"(?<![\w.\-\[])[\w-]+(?:\.[\w-]+)+(?![\w\-\]])")

Kind = Literal["text", "emphasis", "code"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a Reply's text: plain text (hosts already defanged), emphasis, or a code span."""

    kind: Kind
    text: str


def code(value: str) -> str:
    """`value` as a code span of a Reply's text: shown verbatim, never a link or formatting."""
    flat = " ".join(value.split()) or "?"
    return "`" + flat.replace("`", BACKTICK_STANDIN) + "`"


@cache
def _suffixes() -> tldextract.TLDExtract:
    # The snapshot shipped with tldextract: no network, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _is_host(candidate: str) -> bool:
    parts = _suffixes()(candidate.lower())
    return bool(parts.suffix and parts.domain) and not candidate.replace(".", "").isdigit()


def defang_hosts(text: str) -> str:
    """Every host-like name in `text` with its dots bracketed (`instagram[.]com`); hosts that
    are already defanged, numbers (`12.30`) and file-like names without a public suffix stay."""
    return _HOST.sub(lambda m: m.group(0).replace(".", "[.]") if _is_host(m.group(0)) else m.group(0), text)


def segments(text: str) -> list[Segment]:
    """`text` cut into plain, emphasis and code runs; hosts outside code spans defanged."""
    found: list[Segment] = []
    at = 0
    for match in _CODE.finditer(text):
        found += _outside_code(text[at : match.start()])
        found.append(Segment("code", match.group(1)))
        at = match.end()
    found += _outside_code(text[at:])
    return [segment for segment in found if segment.text]


def _outside_code(text: str) -> list[Segment]:
    found: list[Segment] = []
    at = 0
    for match in _EMPHASIS.finditer(text):
        found.append(Segment("text", defang_hosts(text[at : match.start()])))
        found.append(Segment("emphasis", defang_hosts(match.group(1))))
        at = match.end()
    found.append(Segment("text", defang_hosts(text[at:])))
    return found


def plain(text: str) -> str:
    """What a reader sees of `text` without markup (console, logs): marks dropped, hosts defanged."""
    return "".join(segment.text for segment in segments(text))


_COMMAND_MENTION = re.compile(r"(?<![\w/\]\.:])/([a-z][a-z0-9_]*)\b(?![/.]\w)")


def slash_commands(text: str, names: frozenset[str], prefix: str) -> str:
    """Every mention of a hub command (`/join`, `/network N1`) spelled the way a platform takes
    it (`prefix` "/hub " on Slack: `/hub join`); code spans and paths are left alone."""
    if not names:
        return text

    def spelled(match: re.Match[str]) -> str:
        return f"{prefix}{match.group(1)}" if match.group(1) in names else match.group(0)

    out: list[str] = []
    at = 0
    for span in _CODE.finditer(text):
        out.append(_COMMAND_MENTION.sub(spelled, text[at : span.start()]))
        out.append(span.group(0))
        at = span.end()
    out.append(_COMMAND_MENTION.sub(spelled, text[at:]))
    return "".join(out)
