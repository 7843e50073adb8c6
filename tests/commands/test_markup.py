"""A Reply's markup: code spans, emphasis only apart from words, hosts defanged outside code."""

from __future__ import annotations

import pytest

from commands.markup import Segment, code, defang_hosts, plain, segments


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("www.іnstagram.com imitates instagram.com", "www[.]іnstagram[.]com imitates instagram[.]com"),
        ("schreib an anna@web.de", "schreib an anna@web[.]de"),
        ("página en ejemplo.es, hora 12.30, v1.2", "página en ejemplo[.]es, hora 12.30, v1.2"),
        ("déjà défangé: exemple[.]fr", "déjà défangé: exemple[.]fr"),
        ("сайт пример.рф и t.me", "сайт пример[.]рф и t[.]me"),
        ("raport.docx i plik.xyz123", "raport.docx i plik.xyz123"),
    ],
)
def test_hosts_are_defanged_and_other_dotted_words_are_not(text: str, shown: str) -> None:
    assert defang_hosts(text) == shown


def test_code_spans_keep_their_value_and_nothing_inside_is_markup() -> None:
    text = f"*new* · {code('telegram:*star*girl')} · {code('a`b')} · instagram.com"
    assert segments(text) == [
        Segment("emphasis", "new"),
        Segment("text", " · "),
        Segment("code", "telegram:*star*girl"),
        Segment("text", " · "),
        Segment("code", "aˋb"),
        Segment("text", " · instagram[.]com"),
    ]
    assert plain("telegram:*star*girl and 2 * 3 * 4") == "telegram:*star*girl and 2 * 3 * 4"
