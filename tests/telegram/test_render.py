"""Reply → Telegram HTML: escaping, splitting at 4096 visible characters, keyboards."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.render import keyboard, render, split_html, to_html, visible_length
from commands.core.seam import Button, Reply
from tests.telegram.fake_bot_api import parse_html, utf16_len


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("*new* finding", "<b>new</b> finding"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("hxxps://ex[.]nl/a?b=1&c=2", "hxxps://ex[.]nl/a?b=1&amp;c=2"),
        ('say "hi"', 'say "hi"'),
    ],
)
def test_reply_text_is_escaped_for_telegram_html(text: str, markup: str) -> None:
    assert to_html(text) == markup
    assert parse_html(markup)  # Telegram would accept it


pieces = st.sampled_from(["word ", "*bold words* ", "<tag> ", "a&b ", "😀", "\n", "ü", "x" * 50])


@given(st.lists(pieces, min_size=1, max_size=300), st.sampled_from([7, 40, 100, 4096]))
def test_split_parts_are_valid_html_within_the_limit_and_lose_no_text(words: list[str], limit: int) -> None:
    markup = to_html("".join(words))
    parts = split_html(markup, limit)
    for part in parts:
        assert utf16_len(parse_html(part)) <= limit  # parse_html raises on a cut tag or entity
    assert "".join("".join(parse_html(p) for p in parts).split()) == "".join(parse_html(markup).split())


def test_a_long_line_is_cut_at_line_ends_first() -> None:
    lines = [f"line {n} " + "x" * 90 for n in range(100)]
    parts = split_html(to_html("\n".join(lines)), 4096)
    assert len(parts) == 3
    assert all(part.rstrip("\n").split("\n")[-1].startswith("line ") for part in parts)
    assert visible_length(parts[0]) <= 4096


def test_buttons_for_several_findings_say_which_and_oversized_actions_are_left_out() -> None:
    markup = keyboard(
        (
            Button("/victim 1", "potential victim"),
            Button("/finding 1", "details"),
            Button("/victim 2", "potential victim"),
            Button("/note " + "x" * 70, "too long"),
        )
    )
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [
        [("potential victim #1", "/victim 1"), ("details", "/finding 1")],
        [("potential victim #2", "/victim 2")],
    ]


def test_an_image_carries_its_text_as_caption_unless_too_long() -> None:
    short = render(Reply("chart of the *week*", image=b"\x89PNG"))
    assert short.photo == b"\x89PNG" and short.caption == "chart of the <b>week</b>" and short.parts == ()
    long = render(Reply("y" * 1500, image=b"\x89PNG"))
    assert long.caption is None and len(long.parts) == 1
