"""A `Reply` as Slack Block Kit: sections of escaped mrkdwn, a context line, a row of buttons.

Pure functions, no SDK: the adapter passes the result to the Web API. URLs in a reply are
already defanged by the commands and hosts by `commands.markup`; escaping `&`, `<` and `>` and
`verbatim: true` keep Slack from turning anything in the text into a link, a mention or a
channel reference; identifiers go in backtick code spans, so nothing in them is formatted.
"""

from __future__ import annotations

import re
from typing import Any

from commands.core.seam import Button, Reply
from commands.markup import BACKTICK_STANDIN, segments, slash_commands

SLASH_COMMAND = "/hub"  # the app's one slash command: `/hub join`, never `/join`
ACTION_PREFIX = "hub:"  # action_id of every hub button; the adapter listens for this prefix
LOG_BLOCK = "hub:log"  # block_id of the context block that collects what buttons did

SECTION_LIMIT = 3000  # Slack's limit for a section's text
FALLBACK_LIMIT = 3900  # `text` of chat.postMessage is truncated by Slack at 4,000 characters
LABEL_LIMIT = 75  # button text
VALUE_LIMIT = 2000  # button value
BUTTONS_PER_ROW = 25  # elements of one actions block
MAX_BLOCKS = 50
CONTEXT_ELEMENTS = 10

Block = dict[str, Any]

# Buttons that judge get Slack's colours, so coordinators see which is which at a glance.
STYLES = {"/confirm": "primary", "/reject": "danger"}


def escape(text: str) -> str:
    """Slack's three control characters (the only escaping mrkdwn needs)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


Commands = frozenset[str]  # the hub's command names, so `/join` in a reply is written `/hub join`


def mrkdwn(text: str, commands: Commands = frozenset()) -> str:
    """A Reply's text as escaped mrkdwn: `*x*` bold, code spans in backticks (nothing inside is
    formatted or linked), a stray backtick in echoed text made harmless, hosts defanged, and
    every mention of a hub command in Slack's own syntax (`/hub join`)."""
    out = []
    for segment in segments(slash_commands(text, commands, f"{SLASH_COMMAND} ")):
        escaped = escape(segment.text)
        if segment.kind == "code":
            out.append(f"`{escaped}`")
        elif segment.kind == "emphasis":
            out.append(f"*{escaped.replace('`', BACKTICK_STANDIN)}*")
        else:
            out.append(escaped.replace("`", BACKTICK_STANDIN))
    return "".join(out)


def text_object(text: str) -> Block:
    """A mrkdwn text object with `verbatim`, so Slack links no e-mail, domain or channel name."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def fallback_text(reply: Reply, commands: Commands = frozenset()) -> str:
    """The plain `text` Slack shows in notifications and to clients without Block Kit."""
    text = mrkdwn(reply.text, commands)
    return text if len(text) <= FALLBACK_LIMIT else text[: safe_cut(text, FALLBACK_LIMIT - 1)] + "…"


_ENTITY = re.compile(r"&(?:amp|lt|gt);")


def safe_cut(text: str, limit: int) -> int:
    """The last index <= `limit` where `text` may be cut: never inside `&amp;` or a code span
    (0 when the first code span is itself too long: the caller cuts it as a span)."""
    cut = limit
    for entity in _ENTITY.finditer(text, max(0, limit - 5), limit + 5):
        if entity.start() < cut < entity.end():
            cut = entity.start()
    opening = -1
    for n, char in enumerate(text[:cut]):
        if char == "`":
            opening = -1 if opening >= 0 else n
    return opening if opening >= 0 else cut


def _hard_cut(line: str, limit: int) -> tuple[str, str]:
    """One piece of at most `limit` characters off an over-long line, and the rest."""
    cut = safe_cut(line, limit)
    space = line.rfind(" ", 0, cut + 1)
    if space > limit // 2 and safe_cut(line, space) == space:
        cut = space
    if cut > 0:
        return line[:cut], line[cut:]
    # A single code span longer than the limit: close it at the cut and open it again after.
    cut = safe_cut(line[1:], limit - 2) or limit - 2
    return line[: cut + 1] + "`", "`" + line[cut + 1 :]


def _chunks(text: str, limit: int) -> list[str]:
    """Split on line boundaries so that no section exceeds Slack's limit; a line too long for
    one section is cut at a space, never inside an entity or a code span."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            head, line = _hard_cut(line, limit)
            chunks.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def button(index: int, b: Button) -> Block:
    """One button; its value is the command line that pressing it runs."""
    label = b.label if len(b.label) <= LABEL_LIMIT else b.label[: LABEL_LIMIT - 1] + "…"
    element: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "value": b.action[:VALUE_LIMIT],
    }
    style = STYLES.get(b.action.split(" ", 1)[0])
    if style:
        element["style"] = style
    return element


def blocks(
    reply: Reply, *, context: list[str] | None = None, commands: Commands = frozenset()
) -> list[Block]:
    """Sections for the text, an optional context block, then the buttons in rows."""
    rendered: list[Block] = [
        {"type": "section", "text": text_object(chunk)}
        for chunk in _chunks(mrkdwn(reply.text, commands), SECTION_LIMIT)
    ]
    if context:
        rendered.append(context_block(context))
    buttons = [button(n, b) for n, b in enumerate(reply.buttons)]
    rows = [
        {"type": "actions", "elements": buttons[start : start + BUTTONS_PER_ROW]}
        for start in range(0, len(buttons), BUTTONS_PER_ROW)
    ]
    room = MAX_BLOCKS - len(rows)
    return rendered[:room] + rows


def _fitted(line: str) -> str:
    return line[: safe_cut(line, SECTION_LIMIT)]


def context_block(lines: list[str]) -> Block:
    """A small grey line per entry (already escaped); Slack allows ten elements."""
    return {
        "type": "context",
        "block_id": LOG_BLOCK,
        "elements": [
            text_object(line[: safe_cut(line, SECTION_LIMIT)]) for line in lines[-CONTEXT_ELEMENTS:]
        ],
    }


def with_log_line(message_blocks: list[Block], line: str, commands: Commands = frozenset()) -> list[Block]:
    """The blocks of a posted message with one more entry in its log (kept just above the buttons)."""
    lines = [
        element.get("text", "")
        for block in message_blocks
        if block.get("block_id") == LOG_BLOCK
        for element in block.get("elements", [])
    ]
    kept = [block for block in message_blocks if block.get("block_id") != LOG_BLOCK]
    log = context_block([*lines, mrkdwn(line, commands)])
    first_actions = next((n for n, block in enumerate(kept) if block.get("type") == "actions"), len(kept))
    return [*kept[:first_actions], log, *kept[first_actions:]]
