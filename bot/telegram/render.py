"""A Reply as Telegram sees it: HTML text (escaped), inline keyboard, 4096/1024-character parts.

Telegram counts its limits in characters *after* parsing the HTML and in UTF-16 code units,
so lengths here are measured on the visible text that way. A message is never split inside a
tag or an entity: an open tag is closed at the cut and opened again in the next part.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from commands.core.seam import Button, Reply
from commands.markup import segments

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
BUTTONS_PER_ROW = 3

_TOKEN = re.compile(r"<(/?)([a-z]+)[^>]*>|&#?[a-z0-9]+;|.", re.S)


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """What the adapter sends for one Reply: text parts in order, the keyboard goes on the last."""

    parts: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None
    photo: bytes | None = None
    caption: str | None = None  # HTML, set only when a photo is sent


_TAGS = {"emphasis": "b", "code": "code"}


def to_html(text: str) -> str:
    """Plain reply text → Telegram HTML: everything escaped, `*x*` in bold, code spans as
    `<code>` (tap to copy, never a link), hosts outside them defanged (commands.markup)."""
    out = []
    for segment in segments(text):
        escaped = html.escape(segment.text, quote=False)
        tag = _TAGS.get(segment.kind)
        out.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(out)


def visible_length(markup: str) -> int:
    """Characters Telegram counts for `markup`: tags are free, an entity is one, UTF-16 units."""
    return sum(_units(token) for token in _TOKEN.finditer(markup))


def _units(token: re.Match[str]) -> int:
    text = token.group(0)
    if text.startswith("<") and token.group(2):
        return 0
    if text.startswith("&") and len(text) > 1:
        return 1
    return len(text.encode("utf-16-le")) // 2


def split_html(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut `markup` into parts of at most `limit` visible characters, preferring line ends."""
    if visible_length(markup) <= limit:
        return [markup] if markup else []
    parts: list[str] = []
    current: list[str] = []
    size = 0
    open_tags: list[str] = []
    last_newline = -1  # index in `current` just after the last "\n", and the state there
    tags_at_newline: list[str] = []
    size_at_newline = 0
    for token in _TOKEN.finditer(markup):
        units = _units(token)
        while size + units > limit and size > 0:
            if last_newline > 0:
                head, tail = current[:last_newline], current[last_newline:]
                head_tags, tail_size = tags_at_newline, size - size_at_newline
            else:
                head, tail, head_tags, tail_size = current, [], list(open_tags), 0
            parts.append("".join(head) + "".join(f"</{tag}>" for tag in reversed(head_tags)))
            current = [f"<{tag}>" for tag in head_tags] + tail
            size, last_newline = tail_size, -1
        current.append(token.group(0))
        size += units
        if token.group(2):
            if token.group(1):
                if open_tags and open_tags[-1] == token.group(2):
                    open_tags.pop()
            else:
                open_tags.append(token.group(2))
        elif token.group(0) == "\n":
            last_newline, tags_at_newline, size_at_newline = len(current), list(open_tags), size
    if current:
        parts.append("".join(current))
    return [part for part in parts if visible_text(part).strip()]


def visible_text(markup: str) -> str:
    """The text a reader sees in `markup` (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """Buttons as an inline keyboard; callback_data is the button's command line.

    Labels repeated for several findings get the finding's number so each button says what it
    does; an action longer than Telegram's 64 bytes cannot be a button and is left out.
    """
    usable = [b for b in buttons if len(b.action.encode()) <= CALLBACK_DATA_LIMIT]
    labels = [b.label for b in usable]
    rows: list[list[InlineKeyboardButton]] = []
    group: str | None = None
    for button in usable:
        target = button.action.split(maxsplit=1)[1] if " " in button.action else ""
        label = button.label
        if labels.count(label) > 1 and target:
            label = f"{label} #{target}"
        if not rows or target != group or len(rows[-1]) >= BUTTONS_PER_ROW:
            rows.append([])
        group = target
        rows[-1].append(InlineKeyboardButton(label, callback_data=button.action))
    return InlineKeyboardMarkup(rows) if rows else None


def render(reply: Reply) -> TelegramMessage:
    """One Reply as the parts the adapter sends."""
    markup = to_html(reply.text)
    markup_keyboard = keyboard(reply.buttons)
    if reply.image is not None:
        if visible_length(markup) <= CAPTION_LIMIT:
            return TelegramMessage((), markup_keyboard, reply.image, markup or None)
        return TelegramMessage(tuple(split_html(markup)), markup_keyboard, reply.image, None)
    return TelegramMessage(tuple(split_html(markup)) or ("…",), markup_keyboard)
