"""Reply → Block Kit: escaping, limits, buttons as command lines, the log line under a message."""

from __future__ import annotations

import pytest

from bot.slack.render import LOG_BLOCK, SECTION_LIMIT, blocks, escape, fallback_text, mrkdwn, with_log_line
from commands.core.seam import Button, Reply


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a < b > c", "a &lt; b &gt; c"),
        ("R&D", "R&amp;D"),
        ("&lt; already", "&amp;lt; already"),  # escaped once, so Slack shows what was written
        ("<!channel> <@U123> <https://x[.]nl|y>", "&lt;!channel&gt; &lt;@U123&gt; &lt;https://x[.]nl|y&gt;"),
        ("*bold* • item hxxps://x[.]nl", "*bold* • item hxxps://x[.]nl"),
    ],
)
def test_mrkdwn_control_characters_are_escaped(raw: str, shown: str) -> None:
    assert escape(raw) == shown
    assert blocks(Reply(raw))[0]["text"]["text"] == shown
    assert blocks(Reply(raw))[0]["text"]["verbatim"] is True  # no auto-linked e-mail or domain
    assert fallback_text(Reply(raw)) == shown


def test_long_replies_are_split_into_sections_on_line_boundaries() -> None:
    lines = [f"• #{n} new — example{n}[.]nl (escort) " + "x" * 80 for n in range(200)]
    rendered = blocks(Reply("\n".join(lines)))
    sections = [b["text"]["text"] for b in rendered if b["type"] == "section"]
    assert len(sections) > 1 and all(len(s) <= SECTION_LIMIT for s in sections)
    assert "\n".join(sections) == "\n".join(lines)
    assert len(fallback_text(Reply("\n".join(lines)))) < 4000


def test_buttons_carry_their_command_line_and_judging_buttons_are_coloured() -> None:
    reply = Reply(
        "#12 new",
        buttons=(
            Button("/victim 12", "potential victim"),
            Button("/confirm 12", "confirm"),
            Button("/reject 12", "x" * 90),
        ),
    )
    row = blocks(reply)[-1]
    assert row["type"] == "actions"
    assert [e["value"] for e in row["elements"]] == ["/victim 12", "/confirm 12", "/reject 12"]
    assert len({e["action_id"] for e in row["elements"]}) == 3  # Slack requires unique ids
    assert [e.get("style") for e in row["elements"]] == [None, "primary", "danger"]
    assert len(row["elements"][2]["text"]["text"]) <= 75


def test_more_than_25_buttons_go_into_several_rows() -> None:
    reply = Reply("many", buttons=tuple(Button(f"/finding {n}", f"#{n}") for n in range(30)))
    rows = [b for b in blocks(reply) if b["type"] == "actions"]
    assert [len(r["elements"]) for r in rows] == [25, 5]


def test_a_log_line_is_added_above_the_buttons_and_keeps_the_last_ten() -> None:
    posted = blocks(Reply("#12 new", buttons=(Button("/victim 12", "potential victim"),)))
    updated = posted
    for n in range(12):
        updated = with_log_line(updated, f"🏷 #12 tagged <{n}>")
    assert [b["type"] for b in updated] == ["section", "context", "actions"]
    log = updated[1]
    assert log["block_id"] == LOG_BLOCK
    assert [e["text"] for e in log["elements"]] == [f"🏷 #12 tagged &lt;{n}&gt;" for n in range(2, 12)]
    assert updated[0] == posted[0] and updated[2] == posted[1]


def test_a_long_line_is_never_cut_inside_an_entity_or_a_code_span() -> None:
    for shift in range(12):
        line = "x" * (SECTION_LIMIT - 6 + shift) + " R&D `+4915123456789` " + "y & z " * 20
        sections = [b["text"]["text"] for b in blocks(Reply(line)) if b["type"] == "section"]
        assert all(len(s) <= SECTION_LIMIT for s in sections)
        for section in sections:
            assert section.count("`") % 2 == 0, shift  # every code span closed where it opened
            assert "&" not in section.replace("&amp;", ""), shift  # no entity cut in two
        assert "".join(sections) == mrkdwn(line)  # nothing lost at the cuts
