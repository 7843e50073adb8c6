"""Pages that declare no charset: decoded by detection (charset-normalizer), never blind UTF-8.

Every page here is written for the test and encoded in a legacy code page with no charset in
the HTTP header and no `<meta charset>`; the text must come back exactly.
"""

from __future__ import annotations

import pytest

from extraction.charset import decode_html, page_encoding, whatwg_codec
from extraction.page import parse_page

URL = "https://ads.example.org/ad/1"

TEXTS = {
    "pl": (
        "Młoda kobieta z Łodzi szuka pracy w mieście. Zażółć gęślą jaźń. Proszę dzwonić "
        "wieczorem, ogłoszenie jest ważne do końca miesiąca. Śliczne mieszkanie, świeże "
        "powietrze, źródło wody i ciche sąsiedztwo."
    ),
    "cs": (
        "Příliš žluťoučký kůň úpěl ďábelské ódy. Hledáme spolehlivé pracovníky do skladu v "
        "Brně, ubytování zajištěno, mzda vyplácena týdně. Volejte večer nebo pište zprávu."
    ),
    "fr": (
        "Déjà l'été à Paris : les élèves étudient où ils peuvent. Ça coûte vingt euros, très "
        "cher pour un garçon français. Hôtel près de la gare, fenêtres sur la forêt, crème "
        "brûlée et pâtisserie à volonté, réservation conseillée."
    ),
    "de": (
        "Größere Straßenbäume müssen regelmäßig überprüft werden. Die Gemeinde öffnet am "
        "Montag das Bürgerbüro. Schöne Grüße aus München und Köln, wir freuen uns über Ihre Nachricht."
    ),
    "ru": (
        "Молодая девушка ищет работу в Москве. Звоните вечером, объявление действительно до "
        "конца месяца. Жильё предоставляется бесплатно, оплата каждую неделю."
    ),
    "uk": (
        "Шукаємо працівників на склад у Києві. Житло надається, оплата щотижня. Телефонуйте "
        "ввечері або пишіть повідомлення, оголошення дійсне до кінця місяця."
    ),
    "ja": (
        "東京で仕事を探しています。夜に電話してください。この広告は月末まで有効です。"
        "住居は無料で提供されます。給料は毎週支払われます。よろしくお願いします。"
    ),
}

CASES = [
    # (language, code page, with <html lang>)
    ("pl", "cp1250", False),
    ("pl", "cp1250", True),
    ("cs", "cp1250", True),
    ("fr", "cp1252", False),
    ("fr", "cp1252", True),
    ("de", "cp1252", False),
    ("ru", "koi8-r", False),
    ("ru", "cp1251", False),
    ("uk", "cp1251", True),
    ("ja", "shift_jis", True),
]


def _page(language: str, declared_language: bool) -> str:
    lang = f' lang="{language}"' if declared_language else ""
    head = "<head><title>Ad 1</title></head>"
    return f"<!doctype html><html{lang}>{head}<body><p>{TEXTS[language]}</p></body></html>"


@pytest.mark.parametrize(("language", "code_page", "declared_language"), CASES)
def test_undeclared_legacy_page_decodes(language: str, code_page: str, declared_language: bool) -> None:
    raw = _page(language, declared_language).encode(code_page)
    assert TEXTS[language] in parse_page(raw, URL, "text/html").body


def test_undeclared_utf8_stays_utf8() -> None:
    raw = _page("pl", False).encode("utf-8")
    assert page_encoding(raw, None) == "utf-8"
    assert TEXTS["pl"] in decode_html(raw)


def test_declared_charset_wins_over_detection() -> None:
    # The header says windows-1250: even bytes detection would read otherwise follow it.
    raw = _page("pl", False).encode("cp1250")
    assert page_encoding(raw, "text/html; charset=windows-1250") == "cp1250"
    assert page_encoding(raw, "text/html; charset=utf-8") == "utf-8"


def test_meta_charset_wins_over_detection() -> None:
    raw = ("<meta charset='iso-8859-2'>" + _page("pl", False)).encode("iso-8859-2")
    assert page_encoding(raw, "text/html") == "iso8859-2"
    assert TEXTS["pl"] in decode_html(raw, "text/html")


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("latin1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("iso-8859-9", "cp1254"),
        ("gb2312", "gbk"),
        ("euc-kr", "cp949"),
        ("Shift_JIS", "cp932"),
        ("x-sjis", "cp932"),
        ("windows-1250", "cp1250"),
        ("x-bogus", None),
    ],
)
def test_labels_are_read_as_whatwg_reads_them(label: str, codec: str | None) -> None:
    assert whatwg_codec(label) == codec


def test_utf8_cut_by_the_sniff_window_is_still_utf8() -> None:
    raw = ("<p>" + "a" * (64 * 1024 - 4) + "żółw" * 10 + "</p>").encode()
    assert page_encoding(raw, None) == "utf-8"
